"""Which address the portal is, for the absolute links it writes (canonical, og:url, og:image, sitemap, robots.txt,
the Atom feed) when ``[open_data] public_url`` is empty: never simply the ``Host`` a client sent (issue #22, item 3).

The ``Host`` counts only when its name is one of ``[server] allowed_hosts``; ``X-Forwarded-Proto`` and
``X-Forwarded-Host`` only when the request came from one of ``[server] trusted_proxies``. Anything else gives the
fallback address, so a hostile ``Host`` is never written into a page, a feed or a cache key.

Pure: the server gathers the request's parts and the machine's own addresses.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

# The names the portal answers to on its own machine, whatever else allowed_hosts holds by default.
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")
# A proxy on the same machine (deploy/nginx): the same two uvicorn trusts by default (FORWARDED_ALLOW_IPS).
LOOPBACK_PROXIES = ("127.0.0.1", "::1")
# The schemes a proxy may say the reader used.
SCHEMES = ("http", "https")

# A Host header: a DNS name or IPv4 address, or an IPv6 address in brackets, then an optional port. Nothing else
# (no user, path, spaces or percent signs) can reach a link.
_HOST = re.compile(r"(?P<name>[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?")
# RFC 4151's DNSname: labels of letters, digits and inner hyphens.
_DNS_NAME = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*")


@dataclass(frozen=True)
class Asked:
    """What a request says about where it was sent, as the server received it."""

    scheme: str  # the connection's scheme as the server reports it
    host: str  # the Host header ("" when none)
    peer: str  # the address the request came from ("" when unknown)
    forwarded_proto: str = ""  # X-Forwarded-Proto
    forwarded_host: str = ""  # X-Forwarded-Host
    root_path: str = ""  # the path the app is served under (Streamlit's server.baseUrlPath)


def host_name(host: str) -> str | None:
    """The name in a Host header value (lower case, IPv6 without brackets); None when it is not a host at all."""
    split = _split(host)
    return split[0] if split is not None else None


def _split(host: str) -> tuple[str, int | None] | None:
    match = _HOST.fullmatch(host.strip())
    if match is None:
        return None
    port = host.strip()[match.end("name") + 1 :]
    return match.group("name").strip("[]").lower(), int(port) if port else None


def host_allowed(host: str, allowed_hosts: Iterable[str], own_port: int) -> bool:
    """Whether a Host names the portal: its name is in ``allowed_hosts`` and it has no port or the server's own
    (``own_port``), or it is an entry written with its port (``portal.example:8443``). Any other port would let a
    client make a new address, and a new cache entry, per port."""
    asked = _split(host)
    if asked is None:
        return False
    name, port = asked
    for entry in allowed_hosts:
        allowed = _split(entry) or (entry.strip().strip("[]").lower(), None)  # a bare IPv6 address (::1) has no port
        if allowed[0] != name:
            continue
        if allowed[1] is not None and port == allowed[1]:
            return True
        if allowed[1] is None and port in (None, own_port):
            return True
    return False


def peer_address(peer: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The peer's address as an IP, an IPv4 address written as IPv6 (``::ffff:127.0.0.1``, how a server listening on
    every address sees an IPv4 peer) taken as the IPv4 it is; None for anything that is not an address."""
    try:
        address = ipaddress.ip_address(peer)
    except ValueError:
        return None
    return getattr(address, "ipv4_mapped", None) or address


def is_loopback(peer: str) -> bool:
    """Whether ``peer`` is this machine (127.0.0.0/8, ::1, or either written as IPv6)."""
    address = peer_address(peer)
    return address is not None and address.is_loopback


def is_trusted(peer: str, trusted_proxies: Iterable[str]) -> bool:
    """Whether ``peer`` is one of the trusted proxies (an address, or a network such as ``10.0.0.0/8``)."""
    address = peer_address(peer)
    if address is None:
        return False
    for entry in trusted_proxies:
        try:
            if address in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue  # the configuration is checked when it is read; a stray entry trusts nobody
    return False


def forwarded_value(header: str) -> str:
    """The first value of a forwarded header (the one the proxy nearest the reader wrote)."""
    return header.split(",")[0].strip()


def scheme_of(asked: Asked, trusted_proxies: Iterable[str]) -> str:
    """The scheme the reader used: the proxy's word for it when the proxy is trusted, else the connection's."""
    if is_trusted(asked.peer, trusted_proxies):
        said = forwarded_value(asked.forwarded_proto).lower()
        if said in SCHEMES:
            return said
    return asked.scheme if asked.scheme in SCHEMES else "http"


def site_base(
    public_url: str, asked: Asked, allowed_hosts: Iterable[str], trusted_proxies: Iterable[str], own_port: int
) -> str:
    """The portal's address for absolute links, without a trailing slash.

    ``public_url`` when set. Else the scheme and host the reader used, when the host is allowed
    (``host_allowed``); the forwarded ones count only from a trusted proxy. Else the fallback, the address the
    portal answers at on its own machine (``localhost`` and ``own_port``, with the reader's scheme), which does
    not depend on the request.
    """
    if public_url:
        return public_url.rstrip("/")
    scheme = scheme_of(asked, trusted_proxies)
    host = asked.host
    if asked.forwarded_host and is_trusted(asked.peer, trusted_proxies):
        host = forwarded_value(asked.forwarded_host)
    if host_allowed(host, allowed_hosts, own_port):
        return f"{scheme}://{host.strip().lower()}{asked.root_path}".rstrip("/")
    return f"{scheme}://localhost:{own_port}{asked.root_path}".rstrip("/")


def tag_authority(public_url: str) -> str:
    """The authority of the Atom feed's tag: URIs (RFC 4151): ``public_url``'s host name when it is a DNS name,
    else ``localhost``. Never the request's: an id must not change with the address a reader used."""
    name = (urlsplit(public_url).hostname or "").lower() if public_url else ""
    return name if _DNS_NAME.fullmatch(name) and not _is_ip(name) else "localhost"


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True
