"""RFC 4151's tag URI, to check the Atom feed's ids: "tag:" authority "," date ":" specific, where the authority is
a DNS name (labels of letters, digits and inner hyphens) or an e-mail address, and the date YYYY[-MM[-DD]]."""

from __future__ import annotations

import re

_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
_DNS_NAME = rf"{_LABEL}(?:\.{_LABEL})*"
_DATE = r"\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?"
# The specific part: pchars, "/" and "?" (RFC 3986), percent-encoded octets included.
TAG_URI = re.compile(rf"tag:(?:{_DNS_NAME}|[\w.+-]+@{_DNS_NAME}),{_DATE}:[A-Za-z0-9\-._~!$&'()*+,;=:@/?%]*", re.ASCII)
