"""E-mail notifications waiting to be sent, and those sent: the outbox ``jobs/notify_mail.py`` drains.

A sync queues a mail here in the store (``enqueue``) and never talks to the mail relay itself: a relay that is down
or refuses costs the sync nothing, and the mail is retried from here with backoff until it is sent. Each row is one
mail to one recipient, complete (subject and plain-text body as composed, free of personal data), so a retry sends
exactly what the sync meant, whatever changed since. Sent mails stay, marked with ``sent_at``, for the admin page.

Its own ``MetaData`` on the store's engine (SQLite file by default, PostgreSQL for replicas), like the feedback
tables: not part of the snapshot store's schema.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from data_sources.store.snapshot_store import create_tables

metadata = sa.MetaData()

mail_outbox = sa.Table(
    "mail_outbox",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("source", sa.String(100), nullable=False, index=True),
    sa.Column("recipient", sa.Text, nullable=False),
    sa.Column("subject", sa.Text, nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False, default=0),
    sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False, index=True),
    # The last failure, short and safe: the exception's type and the relay's code and first line, never a secret.
    sa.Column("last_error", sa.Text, nullable=True),
    sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True, index=True),
)

# What is kept of an error: room for the portal's message in both languages around the relay's first line.
ERROR_LIMIT = 800


def _utc(value: datetime) -> datetime:
    """Aware UTC: SQLite hands back naive datetimes (written in UTC), PostgreSQL aware ones."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _one_line(value: str, what: str) -> str:
    # A line break in a header value would let it write headers of its own (a Bcc, say).
    if "\r" in value or "\n" in value:
        raise ValueError(f"the mail's {what} must be one line")
    return value


@dataclass(frozen=True)
class OutboxMail:
    id: int
    source: str
    recipient: str
    subject: str
    body: str
    created_at: datetime
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    sent_at: datetime | None

    @property
    def state(self) -> str:
        """ "sent"; "failed" (its last attempt failed, it waits for the next); "waiting" (not tried yet)."""
        if self.sent_at is not None:
            return "sent"
        return "failed" if self.last_error else "waiting"


@dataclass(frozen=True)
class MailCounts:
    waiting: int  # not sent, never tried
    failed: int  # not sent, the last attempt failed: retried at next_attempt_at
    sent: int

    @property
    def pending(self) -> int:
        return self.waiting + self.failed


def _mail(row: sa.Row[tuple[object, ...]]) -> OutboxMail:
    values = row._mapping
    return OutboxMail(
        id=int(values["id"]),
        source=str(values["source"]),
        recipient=str(values["recipient"]),
        subject=str(values["subject"]),
        body=str(values["body"]),
        created_at=_utc(values["created_at"]),
        attempts=int(values["attempts"]),
        next_attempt_at=_utc(values["next_attempt_at"]),
        last_error=values["last_error"],
        sent_at=_utc(values["sent_at"]) if values["sent_at"] is not None else None,
    )


class MailOutbox:
    """The ``mail_outbox`` table on the store's engine; its table is created when missing."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        create_tables(engine, metadata)

    def enqueue(self, source: str, recipient: str, subject: str, body: str, *, now: datetime | None = None) -> int:
        """Queue one mail, due at once; its id. ``recipient``, one address or several separated by commas."""
        now = _utc(now) if now is not None else datetime.now(UTC)
        values = {
            "source": source,
            "recipient": _one_line(recipient.strip(), "recipient"),
            "subject": _one_line(subject, "subject"),
            "body": body,
            "created_at": now,
            "attempts": 0,
            "next_attempt_at": now,
        }
        if not values["recipient"]:
            raise ValueError("the mail needs a recipient")
        with self.engine.begin() as conn:
            return int(conn.execute(mail_outbox.insert().values(**values)).inserted_primary_key[0])

    def due(self, now: datetime, limit: int = 50) -> list[OutboxMail]:
        """Mails not sent whose next attempt is due at ``now``, oldest first (one source's mails in their order)."""
        m = mail_outbox.c
        query = (
            sa.select(mail_outbox)
            .where(m.sent_at.is_(None), m.next_attempt_at <= _utc(now))
            .order_by(m.created_at, m.id)
            .limit(limit)
        )
        with self.engine.connect() as conn:
            return [_mail(row) for row in conn.execute(query)]

    def mark_sent(self, id: int, at: datetime) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                mail_outbox.update()
                .where(mail_outbox.c.id == id, mail_outbox.c.sent_at.is_(None))
                .values(sent_at=_utc(at), attempts=mail_outbox.c.attempts + 1, last_error=None)
            )

    def mark_failed(self, id: int, error: str, next_attempt_at: datetime) -> None:
        """One more failed attempt; ``error`` is stored as given (shortened), so it must already be safe to show."""
        with self.engine.begin() as conn:
            conn.execute(
                mail_outbox.update()
                .where(mail_outbox.c.id == id, mail_outbox.c.sent_at.is_(None))
                .values(
                    attempts=mail_outbox.c.attempts + 1,
                    last_error=error[:ERROR_LIMIT],
                    next_attempt_at=_utc(next_attempt_at),
                )
            )

    def pending_count(self) -> int:
        """Mails not sent yet, due or waiting for their next attempt."""
        query = sa.select(sa.func.count()).select_from(mail_outbox).where(mail_outbox.c.sent_at.is_(None))
        with self.engine.connect() as conn:
            return int(conn.execute(query).scalar_one())

    def counts(self) -> MailCounts:
        """How many mails wait untried, wait after a failure, and were sent: the admin page's summary."""
        m = mail_outbox.c
        state = sa.case(
            (m.sent_at.is_not(None), sa.literal("sent")),
            (m.last_error.is_not(None), sa.literal("failed")),
            else_=sa.literal("waiting"),
        ).label("state")
        with self.engine.connect() as conn:
            found = {str(name): int(n) for name, n in conn.execute(sa.select(state, sa.func.count()).group_by(state))}
        return MailCounts(found.get("waiting", 0), found.get("failed", 0), found.get("sent", 0))

    def recent(self, limit: int = 20) -> list[OutboxMail]:
        """The newest mails, sent or not, newest first: for the admin page (which shows no body)."""
        query = sa.select(mail_outbox).order_by(mail_outbox.c.id.desc()).limit(limit)
        with self.engine.connect() as conn:
            return [_mail(row) for row in conn.execute(query)]
