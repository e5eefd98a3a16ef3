"""Validators and 304s: a body that changes only with the published data gets an ETag (``tagged``), and one
middleware at the edge answers every conditional GET for every response that has a validator
(``ConditionalRequests``), by RFC 9110's rules (``core.http_negotiation``).

Why one place at the edge, after everything else has answered: the 304 must carry the ETag, Cache-Control and Vary
the 200 would have carried (RFC 9110 §15.4.5), and those are only known once the 200 is made: the gzip copy has
its own tag and a Vary (``server.compression``), Streamlit's bundles get their Cache-Control after its static files
decided on a 304 (its 304s carried none), the icon font and the pictures set their own. Answering from the finished
200's headers makes each 304 the same as its 200 by construction, whoever made the 200.
"""

from __future__ import annotations

import hashlib

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core.http_negotiation import none_match_fails, not_modified_since

# Only these of the 200's headers go on its 304 (RFC 9110 §15.4.5; Last-Modified only when there is no ETag).
NOT_MODIFIED_HEADERS = (b"cache-control", b"content-location", b"date", b"etag", b"expires", b"vary")
CONDITIONS = (b"if-none-match", b"if-modified-since")


def entity_tag(body: bytes) -> str:
    """A strong tag that changes with the body and only with it: the same on every replica."""
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def tagged(request: Request, body: bytes, media_type: str, headers: dict[str, str] | None = None) -> Response:
    """A body that changes only with the published data, with its ETag.

    A reader who has it already gets its 304 from ``ConditionalRequests`` (with the same ETag, Cache-Control and
    Vary, the gzip copy's tag included), which answers before this is called; ``request`` is kept for the routes'
    one signature.
    """
    # Built anew when the data change (a new snapshot set, a new tag); a bot or a feed reader may keep it a while.
    kept = {"ETag": entity_tag(body), "Cache-Control": "public, max-age=300", **(headers or {})}
    return Response(body, media_type=media_type, headers=kept)


def reader_has_it(request_headers: Headers, status: int, response_headers: Headers) -> bool:
    """Whether the response the server made (``status``, ``response_headers``) is one the reader holds already,
    by its ``If-None-Match``, or only when that is absent its ``If-Modified-Since`` (RFC 9110 §13.2.2)."""
    if status not in (200, 206):  # the conditions are evaluated only when the unconditional answer is a 2xx
        return False
    if_none_match = request_headers.get("if-none-match")
    if if_none_match is not None:
        return none_match_fails(if_none_match, response_headers.get("etag"))
    if_modified_since = request_headers.get("if-modified-since")
    if if_modified_since is not None:
        return not_modified_since(if_modified_since, response_headers.get("last-modified"))
    return False


def not_modified_headers(response_headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """The 200's headers a 304 repeats: its validator, how long to keep it, what it varies on."""
    kept = [(name, value) for name, value in response_headers if name.lower() in NOT_MODIFIED_HEADERS]
    if not any(name.lower() == b"etag" for name, _ in kept):
        kept += [(name, value) for name, value in response_headers if name.lower() == b"last-modified"]
    return kept


class ConditionalRequests:
    """Answers a conditional GET or HEAD with a 304 when the reader has the response already.

    The request goes in without its conditions, so what answers it makes its full 200 (from a kept copy, for
    the bundles and the pictures); the 304 is then made here from that 200's own headers and its body dropped.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        asked = Headers(scope=scope)
        if "if-none-match" not in asked and "if-modified-since" not in asked:
            await self.app(scope, receive, send)
            return
        unconditional = {**scope, "headers": [(k, v) for k, v in scope["headers"] if k.lower() not in CONDITIONS]}
        answered = False

        async def respond(message: Message) -> None:
            nonlocal answered
            if answered:  # the 200's body, which the reader has
                return
            if message["type"] == "http.response.start":
                made = Headers(raw=message["headers"])
                if reader_has_it(asked, message["status"], made):
                    answered = True
                    headers = not_modified_headers(list(message["headers"]))
                    await send({"type": "http.response.start", "status": 304, "headers": headers})
                    await send({"type": "http.response.body", "body": b"", "more_body": False})
                    return
            await send(message)

        await self.app(unconditional, receive, respond)
