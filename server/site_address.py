"""Which address and language a request is for: the portal's public address for absolute links, the reader's
language from ``?lang=``, and the path Streamlit serves the app under.

The address is decided in ``core.site_base`` from ``[open_data] public_url``, ``[server] allowed_hosts`` and
``[server] trusted_proxies``; this module gathers the request's parts and the machine's own names for it.

Streamlit runs uvicorn with its proxy headers on: before any of this code sees a request, uvicorn has already
taken the scheme from ``X-Forwarded-Proto`` and the client from ``X-Forwarded-For`` when the peer is one it
trusts (``FORWARDED_ALLOW_IPS``, by default 127.0.0.1 and ::1, the same as ``trusted_proxies``'s default). So
``request.url.scheme`` is already the reader's behind the loopback nginx of deploy/, and ``request.client`` is
the reader then, not the proxy. A trusted proxy elsewhere (another machine) is uvicorn's stranger: its forwarded
scheme is applied here, from ``trusted_proxies``. ``X-Forwarded-Host`` uvicorn never reads.
"""

from __future__ import annotations

import functools
import ipaddress
import itertools
import socket
from pathlib import Path

from starlette.requests import Request
from streamlit import config as streamlit_config

from core.site_base import LOOPBACK_HOSTS, Asked, scheme_of, site_base
from core.text import DEFAULT_LANGUAGE, LANGUAGES
from server.portal import Portal


@functools.cache
def own_names() -> tuple[str, ...]:
    """This machine's own host names and addresses: the default ``allowed_hosts`` with the loopback names.

    The names, what they resolve to, and every address of the machine's interfaces (Linux's /proc; a name's
    lookup often gives 127.0.0.1 only). Read once per process; what cannot be read adds nothing.
    """
    names: list[str] = []
    for name in (socket.gethostname(), socket.getfqdn()):
        if name:
            names.append(name)
            try:
                names += [str(info[4][0]) for info in socket.getaddrinfo(name, None)]
            except OSError:
                continue
    names += _interface_addresses()
    return tuple(dict.fromkeys(n.split("%")[0].lower() for n in names))  # an IPv6 zone (fe80::1%eth0) is no host


def _interface_addresses() -> list[str]:
    """The addresses of this machine's interfaces: IPv4 from /proc/net/fib_trie (each address followed by a
    "/32 host LOCAL" line), IPv6 from /proc/net/if_inet6 (link-local ones left out: no link carries their zone)."""
    found: list[str] = []
    try:
        lines = Path("/proc/net/fib_trie").read_text(encoding="ascii").splitlines()
    except OSError:
        lines = []
    for previous, line in itertools.pairwise(lines):
        if line.strip() == "/32 host LOCAL" and "|--" in previous:
            found.append(previous.split("|--")[1].strip())
    try:
        rows = Path("/proc/net/if_inet6").read_text(encoding="ascii").splitlines()
    except OSError:
        rows = []
    for row in rows:
        try:
            address = ipaddress.IPv6Address(int(row.split()[0], 16))
        except (ValueError, IndexError):
            continue
        if not address.is_link_local:
            found.append(str(address))
    return found


def allowed_hosts(portal: Portal) -> tuple[str, ...]:
    configured = portal.config.server.allowed_hosts
    return configured if configured is not None else (*LOOPBACK_HOSTS, *own_names())


def _asked(request: Request) -> Asked:
    return Asked(
        scheme=request.url.scheme,
        host=request.headers.get("host", ""),
        peer=request.client.host if request.client else "",
        forwarded_proto=request.headers.get("x-forwarded-proto", ""),
        forwarded_host=request.headers.get("x-forwarded-host", ""),
        root_path=str(request.scope.get("root_path", "")).rstrip("/"),
    )


def base_url(request: Request, portal: Portal) -> str:
    """The portal's public address: ``[open_data] public_url``, else the address this request came to when its
    host is allowed, else the address the portal answers at on its own machine (``core.site_base``)."""
    server = portal.config.server
    own_port = int(streamlit_config.get_option("server.port"))
    return site_base(
        portal.config.open_data.public_url, _asked(request), allowed_hosts(portal), server.trusted_proxies, own_port
    )


def request_scheme(request: Request, portal: Portal) -> str:
    """The scheme the reader used: a trusted proxy's ``X-Forwarded-Proto``, else the connection's."""
    return scheme_of(_asked(request), portal.config.server.trusted_proxies)


def request_language(request: Request) -> str:
    asked = request.query_params.get("lang", DEFAULT_LANGUAGE)
    return asked if asked in LANGUAGES else DEFAULT_LANGUAGE


def base_url_path() -> str:
    return str(streamlit_config.get_option("server.baseUrlPath") or "")
