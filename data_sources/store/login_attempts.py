"""Failed admin sign-ins, kept in the store so every session, process and replica counts the same ones.

Keys are salted hashes (see ``components/client.py``), never an address or a session id. The salt is
a random value made once per store and kept in it (table ``login_salt``): every replica reading the
same database derives the same key for one address, whatever URL or host name it reaches the
database by, and no configuration is needed. A copy of the database holds the salt too; the hash
keeps addresses out of casual sight (a query, an export), it does not hide them from someone who
has the whole database.

Its own ``MetaData``: these tables are not part of the snapshot store's schema and its migrations.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from data_sources.store.snapshot_store import create_tables

metadata = sa.MetaData()

login_failures = sa.Table(
    "login_failures",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("key", sa.String(64), nullable=False, index=True),
    sa.Column("failed_at", sa.DateTime(timezone=True), nullable=False),
)

# One row: the salt of the lockout keys of this store.
login_salt = sa.Table(
    "login_salt",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("salt", sa.String(64), nullable=False),
)


def _utc(value: datetime) -> datetime:
    """Aware UTC: SQLite hands back naive datetimes (written in UTC), PostgreSQL aware ones."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class LoginAttempts:
    """Sign-in failures per key, in the store's database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        create_tables(engine, metadata)
        self.salt = self._salt()

    def _salt(self) -> str:
        select = sa.select(login_salt.c.salt).where(login_salt.c.id == 1)
        with self.engine.connect() as conn:
            found = conn.execute(select).scalar_one_or_none()
        if found is not None:
            return str(found)
        try:
            with self.engine.begin() as conn:
                conn.execute(login_salt.insert().values(id=1, salt=secrets.token_hex(32)))
        except sa.exc.IntegrityError:
            pass  # another process made it first; theirs is the one everybody uses
        with self.engine.connect() as conn:
            return str(conn.execute(select).scalar_one())

    def record_failure(self, key: str, now: datetime) -> None:
        with self.engine.begin() as conn:
            conn.execute(login_failures.insert().values(key=key, failed_at=_utc(now)))

    def failures_since(self, key: str, since: datetime) -> list[datetime]:
        """This key's failures at or after ``since``, oldest first, as aware UTC datetimes."""
        query = (
            sa.select(login_failures.c.failed_at)
            .where(login_failures.c.key == key, login_failures.c.failed_at >= _utc(since))
            .order_by(login_failures.c.failed_at)
        )
        with self.engine.connect() as conn:
            return [_utc(value) for value in conn.execute(query).scalars()]

    def clear(self, key: str) -> None:
        """Forget this key's failures: after a successful sign-in the count starts again."""
        with self.engine.begin() as conn:
            conn.execute(login_failures.delete().where(login_failures.c.key == key))

    def forget_before(self, cutoff: datetime) -> int:
        """Drop every key's failures older than ``cutoff`` (too old to matter); how many went."""
        with self.engine.begin() as conn:
            result = conn.execute(login_failures.delete().where(login_failures.c.failed_at < _utc(cutoff)))
        return int(result.rowcount or 0)
