"""Bodies that change only with the published data, sent with their ETag: a 304 when the reader has them."""

from __future__ import annotations

import hashlib

from starlette.requests import Request
from starlette.responses import Response


def tagged(request: Request, body: bytes, media_type: str, headers: dict[str, str] | None = None) -> Response:
    """A body that changes only with the published data, with its ETag: a 304 when the reader has it already.

    The compressed copy's tag (``…-gzip"``, server.compression) names the same data, so it is accepted too.
    """
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    if request.headers.get("if-none-match") in (etag, etag[:-1] + '-gzip"'):
        return Response(status_code=304, headers={"ETag": etag, **(headers or {})})
    # Built anew when the data change (a new snapshot set, a new tag); a bot or a feed reader may keep it a while.
    kept = {"ETag": etag, "Cache-Control": "public, max-age=300", **(headers or {})}
    return Response(body, media_type=media_type, headers=kept)
