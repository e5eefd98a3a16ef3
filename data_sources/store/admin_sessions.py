"""Admin sessions that outlive a reload (issue #26, item 14; the rules in ``core/admin_session.py``).

One row per signed-in admin: the hash of a one-time ticket until the browser exchanges it, then the hash of the
cookie's token, and when the session ends. Kept in the store so every process and replica honours the same
sessions and a sign-out ends them everywhere. Its own ``MetaData``, like the sign-in failures beside it.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from core.admin_session import new_secret, secret_hash, session_end, ticket_usable
from data_sources.store.snapshot_store import create_tables

metadata = sa.MetaData()

admin_sessions = sa.Table(
    "admin_sessions",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("ticket_hash", sa.String(64), nullable=True, unique=True),
    sa.Column("token_hash", sa.String(64), nullable=True, unique=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
)


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class AdminSessions:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        create_tables(engine, metadata)

    def begin(self, now: datetime, hours: int) -> tuple[str, str]:
        """A new session lasting ``hours``: its id (for this browser session) and the one-time ticket."""
        session, ticket = secrets.token_hex(16), new_secret()
        row = {"id": session, "ticket_hash": secret_hash(ticket), "created_at": _utc(now)}
        with self.engine.begin() as conn:
            conn.execute(admin_sessions.delete().where(admin_sessions.c.expires_at <= _utc(now)))
            conn.execute(admin_sessions.insert().values(**row, expires_at=_utc(session_end(now, hours))))
        return session, ticket

    def redeem(self, ticket: str, now: datetime) -> tuple[str, datetime] | None:
        """The ticket exchanged, once, for the cookie's token and the session's end; None when unusable."""
        table = admin_sessions
        with self.engine.begin() as conn:
            found = conn.execute(
                sa.select(table.c.id, table.c.created_at, table.c.expires_at).where(
                    table.c.ticket_hash == secret_hash(ticket)
                )
            ).first()
            if found is None or not ticket_usable(_utc(found.created_at), _utc(now)):
                return None
            token = new_secret()
            # Only the update that still finds the ticket wins: a second use of it (a replay) changes nothing.
            changed = conn.execute(
                table.update()
                .where(table.c.id == found.id, table.c.ticket_hash == secret_hash(ticket))
                .values(ticket_hash=None, token_hash=secret_hash(token))
            ).rowcount
        return (token, _utc(found.expires_at)) if changed == 1 else None

    def session_of(self, token: str, now: datetime) -> str | None:
        """The live session the cookie's token belongs to, or None."""
        query = sa.select(admin_sessions.c.id).where(
            admin_sessions.c.token_hash == secret_hash(token), admin_sessions.c.expires_at > _utc(now)
        )
        with self.engine.connect() as conn:
            return conn.execute(query).scalar_one_or_none()

    def is_live(self, session: str, now: datetime) -> bool:
        query = sa.select(admin_sessions.c.id).where(
            admin_sessions.c.id == session, admin_sessions.c.expires_at > _utc(now)
        )
        with self.engine.connect() as conn:
            return conn.execute(query).scalar_one_or_none() is not None

    def end(self, session: str) -> None:
        """Sign-out: the session is gone, for every copy of its cookie."""
        with self.engine.begin() as conn:
            conn.execute(admin_sessions.delete().where(admin_sessions.c.id == session))
