"""A signed-in admin survives a reload: the rules of the admin session cookie (issue #26, item 14).

The choice (docs/admin.md, "Sesi admin / Admin session"): a server-side session, not a self-contained signed
cookie. The cookie holds only a random 256-bit token; the store keeps its SHA-256 and the session's end. So:

- there is no signing key to keep, rotate or leak: a copied secrets.toml or database gives no valid cookie
  (the database holds hashes of tokens, not tokens);
- signing out deletes the session in the store, which ends it for every copy of the cookie, at once;
- the cookie is ``HttpOnly`` (no script on the page can read it), ``SameSite=Strict`` (no other site can make
  the browser send it), ``Secure`` when the portal is reached over https, and expires with the session.

A Streamlit script cannot set an HttpOnly cookie (it speaks over a websocket), so the script hands the browser
a one-time ticket instead: a random value the store keeps hashed for ``TICKET_SECONDS``, exchanged once, by a
small route (``server/web.py``), for the cookie. The ticket is what a proxy's access log may see; by then it
has been used and is worthless. The token itself never travels in a URL.

Pure: randomness from ``secrets``, no clock (callers pass ``now``) and no I/O.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

COOKIE_NAME = "portal_admin"
# The routes that turn a ticket into the cookie and clear it (server/web.py); not pages, never indexed.
START_PATH = "/admin/sesi"
END_PATH = "/admin/keluar"
TICKET_PARAMETER = "tiket"
# A ticket is fetched by the browser as soon as the page draws it: a minute is plenty and bounds a replay.
TICKET_SECONDS = 60
TOKEN_BYTES = 32
# The longest a session may be configured to last ([admin] session_hours): a week.
MAX_SESSION_HOURS = 24 * 7


def new_secret() -> str:
    """A fresh random ticket or token: 256 bits, URL-safe."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def secret_hash(value: str) -> str:
    """What the store keeps of a ticket or token: its SHA-256 (the values are random, so no salt is needed)."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def session_end(now: datetime, hours: int) -> datetime:
    return now + timedelta(hours=hours)


def ticket_usable(created_at: datetime, now: datetime) -> bool:
    return timedelta(0) <= now - created_at < timedelta(seconds=TICKET_SECONDS)


def cookie_secure(scheme: str) -> bool:
    """``Secure`` when the reader reached the portal over https: ``scheme`` is the connection's, or a trusted
    proxy's ``X-Forwarded-Proto`` (``core.site_base.scheme_of``); an untrusted client's header is not believed."""
    return scheme == "https"


def cookie_path(base_url_path: str) -> str:
    """The cookie must reach the websocket (``<base>/_stcore/stream``), where Streamlit reads it."""
    base = base_url_path.strip("/")
    return f"/{base}" if base else "/"


def route_path(base_url_path: str, path: str) -> str:
    base = base_url_path.strip("/")
    return f"/{base}{path}" if base else path
