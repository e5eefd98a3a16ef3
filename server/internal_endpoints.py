"""Streamlit's own report on how the server is doing, for the machine itself only.

``/_stcore/metrics`` lists the server's internal function names, its sessions and its cache hits, which rise and
fall with traffic: useful to whoever runs the portal, and of no use to a visitor but to learn about the server
and watch its traffic. It answers the loopback only; anything else gets the same 404 as an address that does not
exist. A request that a proxy passed on (it names a forwarded client) is refused too, whatever uvicorn made of
it: uvicorn, which Streamlit runs, puts the ``X-Forwarded-For`` client in the peer's place only when the peer is
in its ``forwarded_allow_ips`` (127.0.0.1, ::1), and a server listening on every address (``0.0.0.0``, ``::``)
sees nginx as ``::ffff:127.0.0.1``, which that list does not name. deploy/nginx denies the path before it reaches
a replica as well.
"""

from __future__ import annotations

from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from core.site_base import is_loopback
from server.site_address import base_url_path

INTERNAL_PATHS = ("/_stcore/metrics",)
# Headers a reverse proxy adds for the client it speaks for (RFC 7239 and the older de-facto ones).
FORWARDING_HEADERS = (b"forwarded", b"x-forwarded-for", b"x-real-ip")


def from_loopback(client: tuple[str, int] | None) -> bool:
    """Whether the request's peer is this machine; no address at all (a Unix socket) does not say it is."""
    return client is not None and is_loopback(client[0])


class LoopbackOnly:
    """A 404 for Streamlit's internal endpoints unless the request comes from this machine."""

    def __init__(self, app: ASGIApp, paths: tuple[str, ...] | None = None) -> None:
        self.app = app
        prefix = "/" + base_url_path().strip("/") if base_url_path().strip("/") else ""
        self.paths = frozenset(prefix + p for p in (paths if paths is not None else INTERNAL_PATHS))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].rstrip("/") in self.paths and not self._own_machine(scope):
            await PlainTextResponse("Not Found", status_code=404)(scope, receive, send)
            return
        await self.app(scope, receive, send)

    @staticmethod
    def _own_machine(scope: Scope) -> bool:
        forwarded = any(name in FORWARDING_HEADERS for name, _ in scope["headers"])
        return not forwarded and from_loopback(scope.get("client"))
