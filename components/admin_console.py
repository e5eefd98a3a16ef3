"""Pieces of the admin page: the sign-in and sign-out, the sync lock, the sync status table, the result of a
manual sync.

The sign-in is handed the portal's settings and its store's failure counts (``Portal.login_attempts``) by
the page: a component reaches no per-process object of its own.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Protocol
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from components.client import client_address, session_id
from core.admin_session import COOKIE_NAME, END_PATH, START_PATH, TICKET_PARAMETER, route_path
from core.formatting import age, date_time, escape_markdown, number
from core.health_rules import SheetWrite
from core.i18n import t
from core.keys import salted_hash
from core.lockout import attempts_left, history_start, locked_until
from core.passwords import PasswordHashError, parse_hash, verify_password
from core.sources import SourceState
from core.text import Text
from data_sources.config.portal_config import Config
from data_sources.jobs.sync import LOG
from data_sources.store.admin_sessions import AdminSessions
from data_sources.store.login_attempts import LoginAttempts
from data_sources.store.snapshot_store import LockHolder

logger = logging.getLogger("portal.admin")


def _admin_secrets() -> Mapping[str, Any]:
    """The ``[admin]`` table of secrets.toml, empty when there is no file or no table."""
    try:
        section = st.secrets["admin"]
    except Exception:  # no secrets file, no [admin] table, or a file Streamlit cannot read
        return {}
    return section if isinstance(section, Mapping) else {}


def _configured_hash(lang: str) -> str | None:
    """The usable ``[admin] password_hash``, or None after telling the reader why there is none."""
    section = _admin_secrets()
    encoded = str(section.get("password_hash") or "").strip()
    if not encoded:
        if section.get("password"):
            # The old plain key: say so instead of "not configured", or the admin hunts for a typo.
            st.error(t("admin.auth.plain_password", lang), icon=":material/error:")
        else:
            st.info(t("admin.disabled", lang), icon=":material/lock:")
        return None
    try:
        parse_hash(encoded)
    except PasswordHashError as exc:
        # For the server's log too: the message names the problem, never the hash or any part of it.
        logger.warning("[admin] password_hash in secrets.toml refused: %s", exc)
        problem = t(f"admin.auth.problem.{exc.reason}", lang)
        st.error(t("admin.auth.bad_hash", lang, problem=problem), icon=":material/error:")
        return None
    return encoded


def lockout_key(address: str | None, session: str, salt: str) -> str:
    """Whose failures are counted together: the reader's address when known, else this browser session.

    Sessions are the fallback (documented in docs/admin.md): on localhost, or behind a proxy whose
    header is not configured, every reader has the same unknown address, and counting them together
    would let one guesser lock the real admin out. The prefixes keep an address from ever sharing a
    key with a session id.
    """
    if address:
        return salted_hash(f"address:{address}", salt)
    return salted_hash(f"session:{session}", salt)


def _reader_address(header: str) -> str | None:
    address = client_address(header)
    # Only a real string counts: under AppTest the connection is a MagicMock whose "address" is a
    # new mock object on every run, which would give every run its own key.
    return address if isinstance(address, str) and address else None


def _cookie_token() -> str | None:
    """The session cookie this browser sent when its session opened (Streamlit reads it from the websocket's
    handshake; HttpOnly cookies included), or None."""
    try:
        value = st.context.cookies.get(COOKIE_NAME)
    except Exception:  # outside a running session (bare mode, AppTest) there is no request
        return None
    return value if isinstance(value, str) and value else None


def _browser_fetches(path: str, query: str = "") -> None:
    """Has the browser ask one of the session routes (server/web.py) now: an empty, invisible image.

    Only the portal's own path and a random ticket are in it, never text from a sheet or a reader.
    """
    base = str(st.get_option("server.baseUrlPath") or "")
    src = route_path(base, path) + (f"?{query}" if query else "")
    st.html(f'<img src="{src}" alt="" width="1" height="1" style="position:absolute;opacity:0">')


def _live_session(sessions: AdminSessions, now: datetime) -> str | None:
    """This browser session's admin session, or the one its cookie names, while it lasts."""
    known = st.session_state.get("admin_signed_in")
    if isinstance(known, str) and sessions.is_live(known, now):
        return known
    st.session_state.pop("admin_signed_in", None)  # ended elsewhere (a sign-out) or expired
    token = _cookie_token()
    found = sessions.session_of(token, now) if token else None
    if found is not None:
        st.session_state["admin_signed_in"] = found
    return st.session_state.get("admin_signed_in")


def admin_signed_in(lang: str, config: Config, attempts: LoginAttempts, sessions: AdminSessions) -> bool:
    """True once this browser gave the password whose hash is ``[admin] password_hash`` in secrets.toml, for
    ``[admin] session_hours``: a reload keeps it (the session cookie, ``core/admin_session.py``).

    Failures are counted per reader in the store (shared by every session, process and replica);
    after ``[admin] max_failures`` of them the reader is locked out for ``lockout_minutes``, during
    which no password is checked at all.
    """
    encoded = _configured_hash(lang)
    if encoded is None:
        return False
    if _live_session(sessions, datetime.now(UTC)):
        ticket = st.session_state.pop("admin_ticket", None)
        if ticket:  # the run right after the sign-in: the browser exchanges the ticket for the cookie
            _browser_fetches(START_PATH, urlencode({TICKET_PARAMETER: ticket}))
        return True
    if st.session_state.pop("admin_signed_out", False):
        _browser_fetches(END_PATH)  # the session is already ended in the store; this clears the cookie too
        st.success(t("admin.signed_out", lang), icon=":material/logout:")
    with st.form("admin_sign_in"):
        given = st.text_input(t("admin.password", lang), type="password")
        submitted = st.form_submit_button(t("admin.sign_in", lang))
    if not submitted:
        return False

    rule = config.admin
    key = lockout_key(_reader_address(config.feedback.client_address_header), session_id(), attempts.salt)
    now = datetime.now(UTC)
    since = history_start(now, rule.lockout_minutes)
    until = locked_until(attempts.failures_since(key, since), now, rule.max_failures, rule.lockout_minutes)
    if until is not None:
        st.error(t("admin.auth.locked", lang, until=date_time(until, lang)), icon=":material/lock_clock:")
        return False

    # verify_password compares in constant time: the time taken does not tell how much was right.
    if verify_password(given, encoded):
        attempts.clear(key)
        session, ticket = sessions.begin(now, rule.session_hours)
        st.session_state["admin_signed_in"] = session
        st.session_state["admin_ticket"] = ticket
        st.rerun()

    attempts.record_failure(key, now)
    attempts.forget_before(since)  # keeps the table small: nothing older can lock anyone
    failures = attempts.failures_since(key, since)
    until = locked_until(failures, now, rule.max_failures, rule.lockout_minutes)
    if until is not None:
        st.error(t("admin.auth.locked", lang, until=date_time(until, lang)), icon=":material/lock_clock:")
    else:
        left = attempts_left(failures, now, rule.max_failures, rule.lockout_minutes)
        message = f"{t('admin.wrong_password', lang)} {t('admin.auth.attempts_left', lang, count=left)}"
        st.error(message, icon=":material/error:")
    return False


def admin_sign_out(lang: str, sessions: AdminSessions) -> None:
    """A button that ends the admin session (a shared or borrowed computer is left closed).

    The session is deleted from the store, so its cookie is worthless everywhere, and the cookie is cleared in
    this browser; the sign-in form (with an empty password field) is what the next run shows. The password's
    hash and other admins' sessions are untouched.
    """
    if st.button(t("admin.sign_out", lang), icon=":material/logout:", key="admin_sign_out"):
        session = st.session_state.pop("admin_signed_in", None)
        if isinstance(session, str):
            sessions.end(session)  # the cookie this websocket still carries now names no session
        st.session_state.pop("admin_ticket", None)
        st.session_state["admin_signed_out"] = True
        st.rerun()


def sync_lock_panel(holder: LockHolder | None, lang: str) -> None:
    """Who holds the sync lock (host, pid), since when, and when it last renewed its lease; or that none does.

    Shown above "Sync now", so a refusal ("another sync is running") can be told apart from a holder that
    died: its lease then shows as lapsed, and the next sync takes it over.
    """
    if holder is None:
        st.caption(t("admin.lock.free", lang))
        return
    unknown = t("admin.lock.unknown", lang)
    since = holder.acquired_at or holder.renewed_at
    values = {
        # The host name is this deployment's own machine, shown to the signed-in admin only.
        "host": escape_markdown(holder.host) if holder.host else unknown,
        "pid": holder.pid if holder.pid is not None else unknown,
        "since": date_time(since, lang) if since else unknown,
        "renewed": age(holder.checked_at - holder.renewed_at, lang) if holder.renewed_at else unknown,
        "until": date_time(holder.expires_at, lang),
    }
    if holder.expired:
        st.warning(t("admin.lock.lapsed", lang, **values), icon=":material/lock_open:")
    else:
        st.info(t("admin.lock.held", lang, **values), icon=":material/lock_clock:")


def _sheet_report(write: SheetWrite | None, lang: str) -> str:
    if write is None:
        return "-"
    said = t(f"admin.sheet.{write.outcome}", lang)
    return f"{said}: {write.message.get(lang)}" if write.message else said


def sync_status_table(
    states: Sequence[SourceState], lang: str, sheet_writes: Mapping[str, SheetWrite] | None = None
) -> None:
    """``sheet_writes``: how writing each source's report into its sheet went (sources with ``write_back``)."""
    writes = sheet_writes or {}
    rows = [
        {
            t("admin.col.source", lang): s.name,
            t("admin.col.outcome", lang): t(f"admin.outcome.{s.last_outcome}", lang) if s.last_outcome else "-",
            t("admin.col.message", lang): s.last_message.get(lang),
            t("admin.col.last", lang): date_time(s.last_attempt_at, lang) if s.last_attempt_at else "-",
            t("admin.col.sheet_report", lang): _sheet_report(writes.get(s.name), lang),
            t("admin.col.skpd", lang): s.skpd,
            t("admin.col.requests", lang): s.last_requests,
            t("admin.col.bytes", lang): number(s.last_bytes, lang, 0),
            t("admin.col.duration", lang): number(s.last_duration_ms, lang, 0),
        }
        for s in states
    ]
    # What the admin acts on comes first (issue #26, item 4): which source, how its last sync went and why, then
    # when; the counts last. A phone shows Sumber, Hasil and the start of Pesan; the whole of a failure's message
    # is also in the red box under "Sinkronkan sekarang" and on /kesehatan-data.
    message = t("admin.col.message", lang)
    config = {message: st.column_config.TextColumn(message, width="large")}
    # st.dataframe shows cell text as text, never as markup.
    st.dataframe(pd.DataFrame(rows), hide_index=True, column_config=config)


class _Outcome(Protocol):
    source: str
    outcome: str
    message: Text | None


def sync_results(outcomes: Sequence[_Outcome], lang: str) -> None:
    for o in outcomes:
        # The transparency log's checkpoint is no source: its name in the reader's language, then what happened.
        source = t("admin.log.source", lang) if o.source == LOG else o.source
        if o.outcome in ("failed", "lost"):  # lost: not written, the sync lock was taken over meanwhile
            st.error(f"{source}: {o.message.get(lang) if o.message else ''}", icon=":material/error:")
        elif o.outcome == "signed":
            st.success(f"{source}: {o.message.get(lang) if o.message else ''}", icon=":material/verified:")
        else:
            st.success(f"{o.source}: {t('admin.outcome.' + o.outcome, lang)}", icon=":material/check:")
