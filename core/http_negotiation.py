"""Two HTTP rules the portal's edge applies to every response (issue #22, item 4), as RFC 9110 writes them.

- ``Accept-Encoding`` (RFC 9110 §12.5.3): which content coding a reader accepts. Codings are compared without
  regard to case, each may carry a weight (``q``) where 0 means "not acceptable", ``*`` stands for every coding
  not named, and ``identity`` (no coding) is acceptable unless the reader excluded it. ``x-gzip`` is gzip
  (§8.4.1.3). The old test was ``"gzip" in header``: ``gzip;q=0`` and ``nogzip`` got gzip, ``GZIP`` none.
- ``If-None-Match`` (RFC 9110 §13.1.2): ``*`` or a list of entity tags, compared weakly (``W/"x"`` and ``"x"``
  are the same tag for this purpose). The portal's gzip variant of a body is tagged ``"<tag>-gzip"``
  (``gzip_variant``), its Brotli variant ``"<tag>-br"``: all name the same data, so any held by the reader means it
  has the data.
- ``If-Modified-Since`` (§13.1.3), used only when there is no ``If-None-Match``.

Pure: strings in, answers out; no I/O.
"""

from __future__ import annotations

import re
from email.utils import parsedate_to_datetime

GZIP = "gzip"
BROTLI = "br"
IDENTITY = "identity"
ANY = "*"
# Other names a reader may use for the same coding (RFC 9110 §8.4.1.3).
ALIASES = {"x-gzip": GZIP}
GZIP_SUFFIX = "-gzip"
BROTLI_SUFFIX = "-br"
# The ASGI scope key where the server's compression leaves its choice (True: the reader takes gzip) for what answers
# inside it, which no longer sees the reader's Accept-Encoding (server/compression.py).
GZIP_CHOSEN = "portal.gzip_chosen"

# weight = OWS ";" OWS "q=" qvalue; qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )
_QVALUE = re.compile(r"q=(0(?:\.\d{0,3})?|1(?:\.0{0,3})?)", re.IGNORECASE)
# entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE; etagc excludes DQUOTE, so a comma may sit inside the quotes.
_ENTITY_TAG = re.compile(r'\s*(W/)?"([^"]*)"\s*(?:,|$)')


def accepted_codings(header: str | None) -> dict[str, float] | None:
    """Each coding the header names (lower case, aliases resolved) and its weight; None when there is no header.

    A member whose weight is not a valid qvalue is left out, as a member that cannot be read says nothing.
    """
    if header is None:
        return None
    weights: dict[str, float] = {}
    for member in header.split(","):
        coding, *parameters = (part.strip() for part in member.split(";"))
        if not coding:
            continue
        weight = 1.0
        for parameter in parameters:
            found = _QVALUE.fullmatch(parameter.replace(" ", ""))
            if found is None:
                weight = -1.0  # unreadable: ignore the member
                break
            weight = float(found.group(1))
        if weight < 0:
            continue
        name = coding.lower()
        name = ALIASES.get(name, name)
        weights[name] = max(weight, weights.get(name, weight))  # named twice: the kinder weight
    return weights


def chosen_coding(header: str | None, available: tuple[str, ...] = (GZIP,)) -> str:
    """The coding to send: the first of ``available`` the reader accepts (weight above 0) at least as much as
    ``identity``, else ``identity``.

    ``identity`` not named (nor ``*``) is acceptable with no preference of its own, so ``gzip;q=0.5`` alone still
    gets gzip; ``*`` gives its weight to every coding not named, identity included. No header at all: identity.
    RFC 9110 lets a server send any coding then, but a client that sends no Accept-Encoding (a script, a probe)
    may not decode one. When the reader accepts nothing we have, not even identity, identity is still sent rather
    than a 406, as §12.5.3 allows.
    """
    weights = accepted_codings(header)
    if not weights:
        return IDENTITY
    best, best_weight = IDENTITY, weights.get(IDENTITY, weights.get(ANY, 0.0))
    for coding in available:
        weight = weights.get(coding, weights.get(ANY, 0.0))
        # As much as identity: the smaller body is the better choice; another coding only when the reader prefers it.
        if weight > 0 and (weight > best_weight or (best == IDENTITY and weight == best_weight)):
            best, best_weight = coding, weight
    return best


def gzip_variant(etag: str, suffix: str = GZIP_SUFFIX) -> str:
    """The tag of the gzip-coded copy of a body tagged ``etag`` (another representation, another tag: RFC 9110
    §8.8.3), weak when ``etag`` is weak; ``suffix=BROTLI_SUFFIX`` for its Brotli-coded copy."""
    return etag[:-1] + suffix + '"' if etag.endswith('"') else etag + suffix


def _plain_tag(tag: str) -> str:
    """A coded copy's tag without its coding's suffix: both codings of one body name the same data."""
    return tag.removesuffix(GZIP_SUFFIX).removesuffix(BROTLI_SUFFIX)


def entity_tags(header: str) -> list[str] | None:
    """The opaque tags (without ``W/`` and quotes) an ``If-None-Match`` lists; None for ``*``.

    A member that is not a quoted tag (``abc`` without quotes, sent by some clients) is read as that tag, so a
    sloppy client still gets its 304; an empty header lists nothing.
    """
    if header.strip() == ANY:
        return None
    tags: list[str] = []
    rest = header
    while rest.strip():
        found = _ENTITY_TAG.match(rest)
        if found is not None:
            tags.append(found.group(2))
            rest = rest[found.end() :]
            continue
        member, _, rest = rest.partition(",")
        member = member.strip()
        member = member[2:] if member[:2].upper() == "W/" else member
        if member:
            tags.append(member.strip('"'))
    return tags


def _opaque(etag: str) -> str:
    """The tag's opaque part, the same for its coded variants: weak comparison, and every coding of one body."""
    tag = etag.strip()
    tag = tag[2:] if tag.startswith("W/") else tag
    return _plain_tag(tag.strip('"'))


def none_match_fails(if_none_match: str, etag: str | None) -> bool:
    """True when ``If-None-Match`` is false for a current representation tagged ``etag``: the reader has it
    (a 304 for a GET or HEAD).

    ``*`` matches any current representation (``etag`` may be None then: the resource exists); otherwise one
    listed tag must equal ``etag`` by weak comparison, a coded variant's tag (gzip, Brotli) counting as the same data.
    """
    tags = entity_tags(if_none_match)
    if tags is None:
        return True
    if etag is None:
        return False
    current = _opaque(etag)
    return any(_plain_tag(tag) == current for tag in tags)


def not_modified_since(if_modified_since: str, last_modified: str | None) -> bool:
    """True when the representation last modified at ``last_modified`` is no newer than ``if_modified_since``
    (both HTTP dates); an unreadable date is ignored (§13.1.3: the condition is then not applied)."""
    if last_modified is None:
        return False
    try:
        since = parsedate_to_datetime(if_modified_since)
        modified = parsedate_to_datetime(last_modified)
    except (TypeError, ValueError, IndexError):
        return False
    if since.tzinfo is None or modified.tzinfo is None:
        return False  # an HTTP date is always GMT; a date without a zone is not one
    return modified <= since
