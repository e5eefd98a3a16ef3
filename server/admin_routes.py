"""``/admin/sesi`` and ``/admin/keluar``: set and clear the signed-in admin's session cookie (HttpOnly, which a
script run over the websocket cannot set; ``core.admin_session``)."""

from __future__ import annotations

from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import Response

from core.admin_session import COOKIE_NAME, TICKET_PARAMETER, cookie_path, cookie_secure
from server.portal import get_portal
from server.site_address import base_url_path, request_scheme

NOT_KEPT = {"Cache-Control": "no-store", "X-Robots-Tag": "noindex"}


def admin_session_start(request: Request) -> Response:
    """The one-time ticket the admin page drew, exchanged for the session cookie (core/admin_session.py).

    A ticket unknown, used or older than a minute gets 403 and no cookie. Never cached, never indexed.
    """
    ticket = request.query_params.get(TICKET_PARAMETER, "")
    redeemed = get_portal().admin_sessions.redeem(ticket, datetime.now(UTC)) if ticket else None
    if redeemed is None:
        return Response(status_code=403, headers=NOT_KEPT)
    token, ends = redeemed
    response = Response(status_code=204, headers=NOT_KEPT)
    response.set_cookie(
        COOKIE_NAME,
        token,
        max_age=max(0, int((ends - datetime.now(UTC)).total_seconds())),
        expires=ends,
        path=cookie_path(base_url_path()),
        secure=cookie_secure(request_scheme(request, get_portal())),
        httponly=True,
        samesite="strict",
    )
    return response


def admin_session_end(request: Request) -> Response:
    """Clears the cookie in this browser; the sign-out has already ended the session in the store."""
    response = Response(status_code=204, headers=NOT_KEPT)
    secure = cookie_secure(request_scheme(request, get_portal()))
    path = cookie_path(base_url_path())
    response.delete_cookie(COOKIE_NAME, path=path, secure=secure, httponly=True, samesite="strict")
    return response
