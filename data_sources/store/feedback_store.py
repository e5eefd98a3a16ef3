"""Feedback responses in the store: committed before the thank-you, with an outbox for the sheet mirror.

Its own tables on the store's engine (SQLite file by default, PostgreSQL for replicas). A response and
its outbox entry are written in one transaction, so a response can never be stored without being
queued for the mirror, nor queued without being stored. The respondent's address and session are kept
only as salted hashes, for the rate limits; contact details stay here and never reach a page.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from core.feedback_rules import Recent, Response
from core.questionnaire import PROFILE_KEYS
from core.survey import ELEMENTS
from core.text import Text
from data_sources.store.snapshot_store import create_tables

metadata = sa.MetaData()

responses = sa.Table(
    "feedback_responses",
    metadata,
    sa.Column("id", sa.String(16), primary_key=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, index=True),
    sa.Column("questionnaire_version", sa.String(40), nullable=False),
    sa.Column("program", sa.String(100), nullable=False, index=True),
    sa.Column("knows", sa.Boolean, nullable=False),
    sa.Column("used", sa.Boolean, nullable=False),
    *(sa.Column(key, sa.SmallInteger, nullable=True) for key in ELEMENTS),
    sa.Column("manfaat", sa.SmallInteger, nullable=True),
    # As written: only the admin sees it. The public sees the masked text, after approval.
    sa.Column("suggestion", sa.Text, nullable=False, default=""),
    sa.Column("suggestion_masked", sa.Text, nullable=False, default=""),
    # "none" (no suggestion), "pending", "approved", "rejected".
    sa.Column("suggestion_status", sa.String(12), nullable=False, index=True),
    sa.Column("moderated_at", sa.DateTime(timezone=True), nullable=True),
    *(sa.Column(key, sa.String(40), nullable=True) for key in PROFILE_KEYS),
    sa.Column("contact", sa.Text, nullable=True),
    sa.Column("session_key", sa.String(32), nullable=False, index=True),
    sa.Column("client_key", sa.String(32), nullable=True, index=True),
    sa.Column("fingerprint", sa.String(64), nullable=False, index=True),
)

outbox = sa.Table(
    "feedback_outbox",
    metadata,
    sa.Column("response_id", sa.String(16), sa.ForeignKey("feedback_responses.id"), primary_key=True),
    sa.Column("attempts", sa.Integer, nullable=False, default=0),
    sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False, index=True),
    sa.Column("last_error", sa.Text, nullable=True),
    sa.Column("mirrored_at", sa.DateTime(timezone=True), nullable=True, index=True),
)

settings = sa.Table(
    "feedback_settings",
    metadata,
    sa.Column("key", sa.String(120), primary_key=True),
    sa.Column("value", sa.JSON, nullable=False),
)

# A batch of responses the admin voided (a scripted browser stuffing the survey within the limits), and why.
voids = sa.Table(
    "feedback_voids",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("voided_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    # The criteria, as chosen: a time window, and optionally one program and one address hash.
    sa.Column("since", sa.DateTime(timezone=True), nullable=False),
    sa.Column("until", sa.DateTime(timezone=True), nullable=False),
    sa.Column("program", sa.String(100), nullable=True),
    sa.Column("client_key", sa.String(32), nullable=True),
)

# Which responses a void took out of the index. The responses themselves stay, unchanged: the audit trail.
voided = sa.Table(
    "feedback_voided",
    metadata,
    sa.Column("response_id", sa.String(16), sa.ForeignKey("feedback_responses.id"), primary_key=True),
    sa.Column("void_id", sa.Integer, sa.ForeignKey("feedback_voids.id"), nullable=False, index=True),
)

# The row every submission updates first: the lock that makes "count, decide, write" one step (add_within_limits).
_INTAKE_LOCK = "intake_lock"

SUGGESTION_STATUSES = ("none", "pending", "approved", "rejected")
# Crockford's base32 without I, L, O, U: an id a resident can read out on the phone without confusion.
_ID_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_response_id() -> str:
    body = "".join(secrets.choice(_ID_ALPHABET) for _ in range(8))
    return f"QW-{body[:4]}-{body[4:]}"


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class OutboxEntry:
    response: dict[str, Any]  # every column of the response, contact included
    attempts: int


@dataclass(frozen=True)
class OutboxStatus:
    waiting: int
    mirrored: int
    last_error: str | None
    oldest_waiting: datetime | None


class FeedbackStore:
    def __init__(self, engine: Engine, *, create: bool = True) -> None:
        """``create=False``: no table is created or read now (a store that cannot even be opened, whose every
        call then fails and sends each response to the spool)."""
        self.engine = engine
        if not create:
            return
        create_tables(engine, metadata)
        if self.setting(_INTAKE_LOCK) is None:
            try:
                with engine.begin() as conn:
                    conn.execute(settings.insert().values(key=_INTAKE_LOCK, value=""))
            except sa.exc.IntegrityError:
                pass  # another process made it first

    # -- settings -----------------------------------------------------------------------------

    def setting(self, key: str) -> Any:
        with self.engine.connect() as conn:
            return conn.execute(sa.select(settings.c.value).where(settings.c.key == key)).scalar_one_or_none()

    def set_setting(self, key: str, value: Any) -> None:
        with self.engine.begin() as conn:
            updated = conn.execute(settings.update().where(settings.c.key == key).values(value=value))
            if updated.rowcount == 0:
                try:
                    with conn.begin_nested():
                        conn.execute(settings.insert().values(key=key, value=value))
                except sa.exc.IntegrityError:
                    conn.execute(settings.update().where(settings.c.key == key).values(value=value))

    def salt(self) -> str:
        """A random value kept in the store: addresses and sessions are stored only hashed with it."""
        value = self.setting("salt")
        if value is None:
            try:
                with self.engine.begin() as conn:
                    conn.execute(settings.insert().values(key="salt", value=secrets.token_hex(16)))
            except sa.exc.IntegrityError:
                pass  # another process made it first; use theirs
            value = self.setting("salt")
        return str(value)

    def populations(self) -> dict[str, int]:
        """The population the admin set per program (for the Krejcie–Morgan sample size)."""
        return {str(k): int(v) for k, v in (self.setting("populations") or {}).items()}

    def set_population(self, program: str, population: int | None) -> None:
        current = self.populations()
        if population:
            current[program] = int(population)
        else:
            current.pop(program, None)
        self.set_setting("populations", current)

    # -- responses ----------------------------------------------------------------------------

    def recent(
        self, session_key: str, client_key: str | None, fingerprint: str, now: datetime, duplicate_hours: int
    ) -> Recent:
        with self.engine.connect() as conn:
            return self._recent(conn, session_key, client_key, fingerprint, now, duplicate_hours)

    @staticmethod
    def _recent(
        conn: Connection,
        session_key: str,
        client_key: str | None,
        fingerprint: str,
        now: datetime,
        duplicate_hours: int,
    ) -> Recent:
        hour_ago = now - timedelta(hours=1)
        window = now - timedelta(hours=duplicate_hours)
        r = responses.c
        from_session = conn.execute(
            sa.select(sa.func.count()).where(r.session_key == session_key, r.created_at >= hour_ago)
        ).scalar_one()
        # Unknown addresses share one allowance (client_key NULL): see docs/admin.md.
        address = r.client_key == client_key if client_key is not None else r.client_key.is_(None)
        from_address = conn.execute(sa.select(sa.func.count()).where(address, r.created_at >= hour_ago)).scalar_one()
        same_sender = (
            sa.or_(r.session_key == session_key, r.client_key == client_key)
            if client_key
            else (r.session_key == session_key)
        )
        duplicate = conn.execute(
            sa.select(sa.func.count()).where(r.fingerprint == fingerprint, same_sender, r.created_at >= window)
        ).scalar_one()
        return Recent(from_session, from_address, client_key is not None, duplicate > 0)

    def add(self, response: Response, *, session_key: str, client_key: str | None, now: datetime) -> str:
        """Commit a response and its outbox entry together; returns the id shown to the respondent."""
        row = response_row(response, session_key=session_key, client_key=client_key, now=now)
        for _ in range(5):
            response_id = new_response_id()
            try:
                with self.engine.begin() as conn:
                    _insert(conn, response_id, row)
                return response_id
            except sa.exc.IntegrityError:
                continue  # an id drawn twice (one in 10^12): draw again
        raise RuntimeError("could not draw a free response id")

    def add_within_limits(
        self,
        response: Response,
        *,
        session_key: str,
        client_key: str | None,
        now: datetime,
        duplicate_hours: int,
        refuse: Callable[[Recent], Text | None],
    ) -> tuple[str | None, Text | None]:
        """Count, decide and commit in one transaction that holds the intake lock: (id, None) or (None, why).

        Counting and then writing in two steps let concurrent sessions from one address all see the same count
        and pass the hourly limit together. Here the first statement updates the intake row: SQLite then holds
        its write lock, PostgreSQL that row's lock, until commit, so submissions are decided one at a time and
        each one counts every response committed before it.
        """
        row = response_row(response, session_key=session_key, client_key=client_key, now=now)
        with self.engine.begin() as conn:
            taken = conn.execute(
                settings.update().where(settings.c.key == _INTAKE_LOCK).values(value=now.isoformat())
            ).rowcount
            if taken == 0:
                raise RuntimeError("the feedback intake row is missing")
            recent = self._recent(conn, session_key, client_key, row["fingerprint"], now, duplicate_hours)
            why = refuse(recent)
            if why is not None:
                return None, why
            for _ in range(5):
                response_id = new_response_id()
                try:
                    with conn.begin_nested():
                        _insert(conn, response_id, row)
                    return response_id, None
                except sa.exc.IntegrityError:
                    continue  # an id drawn twice (one in 10^12): draw again
        raise RuntimeError("could not draw a free response id")

    def add_spooled(self, response_id: str, row: dict[str, Any]) -> bool:
        """Store a response that was spooled while the store was down, under the id its respondent was given.

        False when it is already stored (a replay interrupted after the commit, before the spool was cleared).
        """
        with self.engine.begin() as conn:
            present = conn.execute(sa.select(responses.c.id).where(responses.c.id == response_id)).first()
            if present is not None:
                return False
            _insert(conn, response_id, row)
        return True

    def response(self, response_id: str) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            found = conn.execute(sa.select(responses).where(responses.c.id == response_id)).mappings().first()
        return _response_row(found) if found else None

    def count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(responses)).scalar_one())

    def public_responses(self) -> list[dict[str, Any]]:
        """Every response as the public may see it: no contact, no hashes, no unapproved suggestion."""
        r = responses.c
        columns = [
            r.id,
            r.created_at,
            r.questionnaire_version,
            r.program,
            r.knows,
            r.used,
            *(r[key] for key in ELEMENTS),
            r.manfaat,
            *(r[key] for key in PROFILE_KEYS),
            sa.case((r.suggestion_status == "approved", r.suggestion_masked), else_=sa.literal("")).label("saran"),
        ]
        query = sa.select(*columns).where(_not_voided()).order_by(r.created_at, r.id)
        with self.engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        return [_response_row(row) for row in rows]

    # -- moderation ---------------------------------------------------------------------------

    def suggestions(self, status: str) -> list[dict[str, Any]]:
        """Suggestions waiting for (or past) moderation, oldest first, for the admin."""
        r = responses.c
        query = (
            sa.select(r.id, r.created_at, r.program, r.suggestion, r.suggestion_masked, r.moderated_at, r.contact)
            .where(r.suggestion_status == status)
            .order_by(r.created_at, r.id)
        )
        with self.engine.connect() as conn:
            return [_response_row(row) for row in conn.execute(query).mappings().all()]

    def approved_suggestions(self, program: str | None = None) -> list[dict[str, Any]]:
        r = responses.c
        query = sa.select(r.id, r.created_at, r.program, r.suggestion_masked.label("saran")).where(
            r.suggestion_status == "approved", _not_voided()
        )
        if program is not None:
            query = query.where(r.program == program)
        with self.engine.connect() as conn:
            rows = conn.execute(query.order_by(r.created_at.desc(), r.id)).mappings().all()
        return [_response_row(row) for row in rows]

    def moderate(self, response_id: str, status: str, now: datetime | None = None) -> bool:
        if status not in ("approved", "rejected", "pending"):
            raise ValueError(f"unknown moderation status {status!r}")
        with self.engine.begin() as conn:
            done = conn.execute(
                responses.update()
                .where(responses.c.id == response_id, responses.c.suggestion_status != "none")
                .values(suggestion_status=status, moderated_at=now or _now())
            )
        return done.rowcount == 1

    # -- voiding a batch ----------------------------------------------------------------------

    def senders(self, since: datetime, until: datetime, program: str | None = None) -> list[dict[str, Any]]:
        """Address hashes by how many responses (not yet voided) they sent in the window, busiest first.

        For the admin looking for a burst; unknown addresses share the empty hash (None).
        """
        r = responses.c
        query = (
            sa.select(
                r.client_key,
                sa.func.count().label("responses"),
                sa.func.min(r.created_at).label("first"),
                sa.func.max(r.created_at).label("last"),
            )
            .where(r.created_at >= since, r.created_at < until, _not_voided())
            .group_by(r.client_key)
            .order_by(sa.func.count().desc(), r.client_key)
        )
        if program is not None:
            query = query.where(r.program == program)
        with self.engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        return [{**dict(row), "first": _utc(row["first"]), "last": _utc(row["last"])} for row in rows]

    def void(
        self,
        *,
        since: datetime,
        until: datetime,
        reason: str,
        program: str | None = None,
        client_key: str | None = None,
        now: datetime | None = None,
    ) -> int:
        """Take every response sent in [since, until) (of one program, from one address hash, when given) out
        of the index, with a reason. Returns how many; 0 writes nothing. Responses already voided stay in the
        void that took them first."""
        reason = reason.strip()
        if not reason:
            raise ValueError("a void needs a reason")
        if until <= since:
            raise ValueError("the window must end after it starts")
        r = responses.c
        match = sa.select(r.id).where(r.created_at >= since, r.created_at < until, _not_voided())
        if program is not None:
            match = match.where(r.program == program)
        if client_key is not None:
            match = match.where(r.client_key == client_key)
        with self.engine.begin() as conn:
            ids = list(conn.execute(match).scalars())
            if not ids:
                return 0
            void_id = conn.execute(
                voids.insert().values(
                    voided_at=now or _now(),
                    reason=reason,
                    since=since,
                    until=until,
                    program=program,
                    client_key=client_key,
                )
            ).inserted_primary_key[0]
            conn.execute(voided.insert(), [{"response_id": i, "void_id": void_id} for i in ids])
        return len(ids)

    def voids(self) -> list[dict[str, Any]]:
        """Every void, newest first, with how many responses it took per program (for the results page)."""
        v = voids.c
        with self.engine.connect() as conn:
            found = conn.execute(sa.select(voids).order_by(v.voided_at.desc(), v.id.desc())).mappings().all()
            per_program = conn.execute(
                sa.select(voided.c.void_id, responses.c.program, sa.func.count().label("n"))
                .join(responses, responses.c.id == voided.c.response_id)
                .group_by(voided.c.void_id, responses.c.program)
            ).all()
        counts: dict[int, dict[str, int]] = {}
        for void_id, program, n in per_program:
            counts.setdefault(int(void_id), {})[str(program)] = int(n)
        out = []
        for row in found:
            item = dict(row)
            for key in ("voided_at", "since", "until"):
                item[key] = _utc(item[key])
            item["per_program"] = counts.get(int(row["id"]), {})
            item["count"] = sum(item["per_program"].values())
            out.append(item)
        return out

    def voided_ids(self) -> set[str]:
        """The ids of every voided response: still in the store, for the audit."""
        with self.engine.connect() as conn:
            return set(conn.execute(sa.select(voided.c.response_id)).scalars())

    # -- the mirror's outbox ------------------------------------------------------------------

    def due(self, now: datetime, limit: int = 100) -> list[OutboxEntry]:
        """Responses not yet mirrored whose next attempt is due, oldest first."""
        query = (
            sa.select(responses, outbox.c.attempts)
            .join(outbox, outbox.c.response_id == responses.c.id)
            .where(outbox.c.mirrored_at.is_(None), outbox.c.next_attempt_at <= now)
            .order_by(responses.c.created_at, responses.c.id)
            .limit(limit)
        )
        with self.engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        return [
            OutboxEntry({k: v for k, v in _response_row(row).items() if k != "attempts"}, row["attempts"])
            for row in rows
        ]

    def mark_mirrored(self, response_ids: list[str], now: datetime) -> None:
        if not response_ids:
            return
        with self.engine.begin() as conn:
            conn.execute(
                outbox.update()
                .where(outbox.c.response_id.in_(response_ids))
                .values(mirrored_at=now, last_error=None, attempts=outbox.c.attempts + 1)
            )

    def mark_failed(self, response_ids: list[str], now: datetime, error: str, retry_at: datetime) -> None:
        if not response_ids:
            return
        with self.engine.begin() as conn:
            conn.execute(
                outbox.update()
                .where(outbox.c.response_id.in_(response_ids))
                .values(attempts=outbox.c.attempts + 1, last_error=error[:500], next_attempt_at=retry_at)
            )

    def outbox_status(self) -> OutboxStatus:
        o = outbox.c
        with self.engine.connect() as conn:
            waiting = conn.execute(sa.select(sa.func.count()).where(o.mirrored_at.is_(None))).scalar_one()
            mirrored = conn.execute(sa.select(sa.func.count()).where(o.mirrored_at.is_not(None))).scalar_one()
            oldest = conn.execute(
                sa.select(sa.func.min(responses.c.created_at))
                .join(outbox, o.response_id == responses.c.id)
                .where(o.mirrored_at.is_(None))
            ).scalar_one()
            error = conn.execute(
                sa.select(o.last_error)
                .where(o.mirrored_at.is_(None), o.last_error.is_not(None))
                .order_by(o.next_attempt_at.desc())
                .limit(1)
            ).scalar_one_or_none()
        return OutboxStatus(int(waiting), int(mirrored), error, _utc(oldest))


def response_row(response: Response, *, session_key: str, client_key: str | None, now: datetime) -> dict[str, Any]:
    """The stored columns of a response, id aside: what the store inserts, and what the spool keeps."""
    return {
        "created_at": now,
        "questionnaire_version": response.questionnaire_version,
        "program": response.program,
        "knows": response.knows,
        "used": response.used,
        **response.answers,
        "manfaat": response.benefit,
        "suggestion": response.suggestion,
        "suggestion_masked": response.masked_suggestion,
        "suggestion_status": "pending" if response.suggestion else "none",
        **{key: response.profile.get(key) for key in PROFILE_KEYS},
        "contact": response.contact,
        "session_key": session_key,
        "client_key": client_key,
        "fingerprint": response.fingerprint(),
    }


def _not_voided() -> sa.ColumnElement[bool]:
    return ~sa.exists().where(voided.c.response_id == responses.c.id)


def _insert(conn: Connection, response_id: str, row: dict[str, Any]) -> None:
    # A response and its outbox entry, always together.
    conn.execute(responses.insert().values(id=response_id, **row))
    conn.execute(outbox.insert().values(response_id=response_id, attempts=0, next_attempt_at=row["created_at"]))


def _response_row(row: Any) -> dict[str, Any]:
    out = dict(row)
    for key in ("created_at", "moderated_at"):
        if key in out:
            out[key] = _utc(out[key])
    return out
