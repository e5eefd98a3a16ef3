"""The store: every accepted snapshot of every source, and a log of every sync attempt.

SQLAlchemy Core over a SQLite file by default; any SQLAlchemy URL (PostgreSQL for replicas)
works. The row tables are derived from the sheet contract, so a contract column is a store
column without a second definition. Snapshots are never updated or deleted: history and
"what changed" are built on them.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import socket
import threading
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from core import contract
from core.text import Text
from core.validation import Row, ValidationResult
from data_sources.store.snapshot_tables import metadata, row_tables, snapshots, utc
from data_sources.store.transparency_log import TransparencyLog, append_pending, lock_appends

sync_runs = sa.Table(
    "sync_runs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("source", sa.String(100), nullable=False, index=True),
    sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
    # "new": a snapshot was written; "unchanged": same content as the latest; "failed".
    sa.Column("outcome", sa.String(20), nullable=False),
    sa.Column("snapshot_id", sa.Integer, sa.ForeignKey("snapshots.id"), nullable=True),
    sa.Column("message", sa.Text, nullable=False, default=""),
    sa.Column("message_en", sa.Text, nullable=True),
    sa.Column("counts", sa.JSON, nullable=True),
    sa.Column("report", sa.JSON, nullable=True),
    # What the read cost: requests sent (retries included), bytes received, wall time.
    sa.Column("requests", sa.Integer, nullable=True),
    sa.Column("bytes_read", sa.Integer, nullable=True),
    sa.Column("duration_ms", sa.Integer, nullable=True),
)

# One row per lock held: "one sync at a time" across sessions, processes and replicas. A lock is a lease:
# its holder renews ``expires_at`` while it works, so one that died (killed, out of memory, its machine
# restarted) stops renewing and its lock lapses within one lease, however long its work would have taken.
locks = sa.Table(
    "locks",
    metadata,
    sa.Column("name", sa.String(100), primary_key=True),
    sa.Column("holder", sa.String(200), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    # Who holds it and since when, for the admin page. Nullable: a store made by an earlier version gains
    # them when it is opened (``_add_missing_columns``), and a row it wrote has none of them.
    sa.Column("host", sa.String(255), nullable=True),
    sa.Column("pid", sa.Integer, nullable=True),
    sa.Column("acquired_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("renewed_at", sa.DateTime(timezone=True), nullable=True),
    # The fencing token: a number that grows with every acquisition of this lock (``lock_generations``). A write
    # made on behalf of a lock commits only while the row still names its holder and generation (``Fence``).
    sa.Column("generation", sa.Integer, nullable=True),
)

# The last generation handed out per lock name. Kept apart from ``locks`` because a released lock's row is
# deleted, and the next holder's generation must still be greater than every earlier one.
lock_generations = sa.Table(
    "lock_generations",
    metadata,
    sa.Column("name", sa.String(100), primary_key=True),
    sa.Column("generation", sa.Integer, nullable=False),
)


def _now() -> datetime:
    return datetime.now(UTC)


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def content_hash(rows: dict[str, list[Row]]) -> str:
    """A hash of the accepted content only: moving a row or fixing a warning is not a change."""
    canonical = {
        sheet: sorted(
            json.dumps({k: _jsonable(v) for k, v in row.items() if not k.startswith("_")}, sort_keys=True)
            for row in sheet_rows
        )
        for sheet, sheet_rows in sorted(rows.items())
    }
    return hashlib.sha256(json.dumps(canonical, sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True)
class SnapshotInfo:
    id: int
    source: str
    origin: str
    read_at: datetime
    content_hash: str
    counts: dict[str, Any]
    report: dict[str, Any]


@dataclass(frozen=True)
class RunCost:
    requests: int = 0
    bytes_read: int = 0
    duration_ms: int = 0


@dataclass(frozen=True)
class RunInfo:
    source: str
    started_at: datetime
    finished_at: datetime
    outcome: str
    snapshot_id: int | None
    message: Text
    report: dict[str, Any] | None
    cost: RunCost


@dataclass(frozen=True)
class LockHolder:
    """Who holds a lock, as the store saw it at ``checked_at`` (the store's clock)."""

    name: str
    holder: str
    host: str | None
    pid: int | None
    acquired_at: datetime | None
    renewed_at: datetime | None
    expires_at: datetime
    checked_at: datetime
    generation: int | None = None  # None: a row an earlier version wrote

    @property
    def expired(self) -> bool:
        """Its holder stopped renewing it (it died, or lost the store): the next sync takes it over."""
        return self.expires_at <= self.checked_at

    def who(self) -> str:
        """Who holds it, as "host H (pid P) at <acquired_at>", for a log line or a message."""
        host = self.host or self.holder
        pid = f" (pid {self.pid})" if self.pid is not None else ""
        since = f" at {self.acquired_at.isoformat(timespec='seconds')}" if self.acquired_at else ""
        return f"{host}{pid}{since}"


@dataclass(frozen=True)
class Fence:
    """What a write made on behalf of a lock carries: the lock's name, its holder and the generation it got.

    ``Store.save`` and ``Store.record_failure`` given one commit only if, in their own transaction, the lock row
    still names this holder and generation; else they write nothing and raise ``LeaseLost``.
    """

    name: str
    holder: str
    generation: int


class LeaseLost(Exception):
    """A write on behalf of a lock was refused: its lease lapsed and the lock was taken over (or released).

    ``source``: the source whose write was refused (None for a check made outside a write); ``holder``: who
    holds the lock now, as the refusing transaction saw it (None: nobody).
    """

    def __init__(self, fence: Fence, holder: LockHolder | None, source: str | None = None) -> None:
        self.fence, self.holder, self.source = fence, holder, source
        super().__init__(self.reason())

    def reason(self) -> str:
        if self.holder is None:
            return f"the {self.fence.name} lock is no longer held by this process (its lease lapsed and was released)"
        generation = f" (generation {self.holder.generation})" if self.holder.generation is not None else ""
        return (
            f"the {self.fence.name} lock was taken over by {self.holder.who()}{generation} "
            f"after this process's lease (generation {self.fence.generation}) lapsed"
        )


def _utc(value: datetime) -> datetime:
    return utc(value)


class Store:
    def __init__(self, url: str) -> None:
        url = database_url(url)
        if url.startswith("sqlite:///"):
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        # SQLite serialises writers; many sessions submitting feedback at once wait their turn
        # (up to 30 s) instead of failing with "database is locked".
        connect_args = {"timeout": 30} if url.startswith("sqlite") else {}
        # A server database (PostgreSQL) may restart under running replicas: test a pooled connection
        # before handing it out instead of failing the page that drew a dead one.
        options: dict[str, Any] = {} if url.startswith("sqlite") else {"pool_pre_ping": True}
        self.engine: Engine = sa.create_engine(url, connect_args=connect_args, **options)
        if self.engine.dialect.name == "sqlite":
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
        # The locks taken through this Store and not yet released (name -> fence): closing it releases them.
        self._held: dict[str, Fence] = {}
        self._held_guard = threading.Lock()
        create_tables(self.engine)
        _add_missing_columns(self.engine)
        # The transparency log (issue 24); a store from before it gains its leaves now, once.
        self.log = TransparencyLog(self.engine)
        self.log.backfill()

    def close(self) -> None:
        with self._held_guard:
            held = list(self._held.values())
        for fence in held:
            with contextlib.suppress(sa.exc.DBAPIError):  # the database is gone: the lease lapses by itself
                self.release_lock(fence.name, fence.holder, fence.generation)
        self.engine.dispose()

    # -- writing --------------------------------------------------------------------------

    def save(
        self,
        source: str,
        result: ValidationResult,
        started_at: datetime,
        cost: RunCost | None = None,
        fence: Fence | None = None,
    ) -> tuple[str, int | None]:
        """Write a snapshot if the accepted content changed, with its leaf in the transparency log, and log the run.
        One transaction.

        Returns ("new", id) or ("unchanged", id of the latest snapshot). With a ``fence``, nothing is written
        unless the lock still names its holder and generation (``LeaseLost``).
        """
        digest = content_hash(result.rows)
        report = result.report()
        counts = report["counts"]
        with self.engine.begin() as conn:
            _hold(conn, fence, source)
            latest = conn.execute(
                sa.select(snapshots.c.id, snapshots.c.content_hash)
                .where(snapshots.c.source == source)
                .order_by(snapshots.c.id.desc())
                .limit(1)
            ).first()
            if latest is not None and latest.content_hash == digest:
                outcome, snapshot_id = "unchanged", latest.id
            else:
                # Before the snapshot gets its id: appends are queued, so ids are handed out in log order.
                lock_appends(conn)
                snapshot_id = conn.execute(
                    snapshots.insert().values(
                        source=source,
                        origin=result.origin,
                        read_at=started_at,
                        content_hash=digest,
                        contract_version=contract.CONTRACT_VERSION,
                        counts=counts,
                        report=report,
                    )
                ).inserted_primary_key[0]
                for sheet, rows in result.rows.items():
                    if rows:
                        conn.execute(row_tables[sheet].insert(), [_store_row(snapshot_id, r) for r in rows])
                # Its leaf, from the rows as just written (read back in this transaction): published together.
                append_pending(conn)
                outcome = "new"
            conn.execute(
                sync_runs.insert().values(
                    source=source,
                    started_at=started_at,
                    finished_at=_now(),
                    outcome=outcome,
                    snapshot_id=snapshot_id,
                    message="",
                    counts=counts,
                    report=report,
                    **_cost(cost),
                )
            )
        return outcome, snapshot_id

    def record_failure(
        self,
        source: str,
        started_at: datetime,
        message: Text,
        cost: RunCost | None = None,
        report: dict[str, Any] | None = None,
        fence: Fence | None = None,
    ) -> None:
        """A failed read: logged beside the last good snapshot, which stays the latest. With a ``fence``, only
        while the lock still names its holder and generation (``LeaseLost``)."""
        with self.engine.begin() as conn:
            _hold(conn, fence, source)
            conn.execute(
                sync_runs.insert().values(
                    source=source,
                    started_at=started_at,
                    finished_at=_now(),
                    outcome="failed",
                    message=message.id,
                    message_en=message.en,
                    report=report,
                    counts=report["counts"] if report else None,
                    **_cost(cost),
                )
            )

    # -- the sync lock ---------------------------------------------------------------------

    def try_lock(self, name: str, holder: str, ttl: timedelta) -> bool:
        """Take the lock for ``ttl`` unless someone holds it and it has not expired (``acquire_lock``)."""
        return self.acquire_lock(name, holder, ttl) is not None

    def acquire_lock(self, name: str, holder: str, ttl: timedelta) -> Fence | None:
        """Take the lock for ``ttl`` unless someone holds it and it has not expired; its fence, or None.

        The same on SQLite and PostgreSQL: a row in ``locks`` whose lease the holder extends with
        ``renew_lock`` while it works (``data_sources/store/lease.py`` does it in a thread). Times are the
        database's clock on PostgreSQL, so replicas whose clocks differ still agree on when a lease lapsed.
        The row also says who holds it (this process's host and pid) and since when, for the admin page, and
        the generation of this acquisition, one more than the last one of this lock: the fencing token that
        writes made on behalf of the lock carry (``Fence``).
        """
        with self.engine.begin() as conn:
            now = _db_now(conn)
        values = {
            "holder": holder,
            "expires_at": now + ttl,
            "host": socket.gethostname()[:255],
            "pid": os.getpid(),
            "acquired_at": now,
            "renewed_at": now,
        }
        fence: Fence | None = None
        with self.engine.begin() as conn:
            if _insert_lock(conn, {"name": name, **values}):
                fence = _next_generation(conn, name, holder)
        if fence is None:
            # Held; take it over only if its lease lapsed. One UPDATE: of two processes taking over at once,
            # the second finds the row already renewed and changes nothing.
            with self.engine.begin() as conn:
                taken = conn.execute(
                    locks.update().where(locks.c.name == name, locks.c.expires_at < now).values(**values)
                ).rowcount
                if taken == 1:
                    fence = _next_generation(conn, name, holder)
        if fence is not None:
            with self._held_guard:
                self._held[name] = fence
        return fence

    def renew_lock(self, name: str, holder: str, ttl: timedelta, generation: int | None = None) -> bool:
        """Extend ``holder``'s lease to ``ttl`` from now; False when it no longer holds the lock (another took
        it over after the lease lapsed, or it was released). ``generation``: only that acquisition's lease."""
        with self.engine.begin() as conn:
            now = _db_now(conn)
            renewed = conn.execute(
                locks.update().where(*_names(name, holder, generation)).values(expires_at=now + ttl, renewed_at=now)
            ).rowcount
        return renewed == 1

    def release_lock(self, name: str, holder: str, generation: int | None = None) -> None:
        """Only the holder releases (``generation``: only that acquisition of it)."""
        with self.engine.begin() as conn:
            conn.execute(locks.delete().where(*_names(name, holder, generation)))
        with self._held_guard:
            mine = self._held.get(name)
            if mine is not None and mine.holder == holder and generation in (None, mine.generation):
                del self._held[name]

    def check_fence(self, fence: Fence) -> None:
        """Raise ``LeaseLost`` unless the lock still names ``fence``'s holder and generation.

        For work that cannot share a transaction with the lock row (files): a check just before it.
        """
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(locks.c.name).where(*_fenced(fence))).first()
            if row is None:
                raise LeaseLost(fence, _lock_holder(conn, fence.name))

    def lock_holder(self, name: str) -> LockHolder | None:
        """Who holds the lock ``name`` (None: nobody); an expired one is still shown until it is taken over."""
        with self.engine.connect() as conn:
            return _lock_holder(conn, name)

    def last_attempt_at(self) -> datetime | None:
        """When the newest sync attempt of any source finished, for "is a sync due?"."""
        with self.engine.connect() as conn:
            value = conn.execute(sa.select(sa.func.max(sync_runs.c.finished_at))).scalar_one()
        return _utc(value) if value is not None else None

    def attempted_sources(self) -> set[str]:
        """The sources with at least one sync attempt logged: a source missing here was never read (its first
        sync was killed before reaching it)."""
        with self.engine.connect() as conn:
            return set(conn.execute(sa.select(sync_runs.c.source).distinct()).scalars())

    # -- reading --------------------------------------------------------------------------

    def is_empty(self) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(sa.select(snapshots.c.id).limit(1)).first() is None

    def latest_snapshots(self) -> dict[str, SnapshotInfo]:
        """The newest snapshot of each source."""
        newest = sa.select(sa.func.max(snapshots.c.id)).group_by(snapshots.c.source).scalar_subquery()
        with self.engine.connect() as conn:
            found = conn.execute(sa.select(snapshots).where(snapshots.c.id.in_(newest))).all()
        return {r.source: _snapshot_info(r) for r in found}

    def latest_runs(self) -> dict[str, RunInfo]:
        """The newest sync attempt of each source, successful or not."""
        newest = sa.select(sa.func.max(sync_runs.c.id)).group_by(sync_runs.c.source).scalar_subquery()
        with self.engine.connect() as conn:
            found = conn.execute(sa.select(sync_runs).where(sync_runs.c.id.in_(newest))).all()
        return {
            r.source: RunInfo(
                r.source,
                _utc(r.started_at),
                _utc(r.finished_at),
                r.outcome,
                r.snapshot_id,
                Text(r.message, r.message_en or r.message),
                r.report,
                RunCost(r.requests or 0, r.bytes_read or 0, r.duration_ms or 0),
            )
            for r in found
        }

    def rows(self, sheet: str, snapshot_ids: list[int], program: str | None = None) -> list[dict[str, Any]]:
        """Accepted rows of one worksheet from the given snapshots, with their snapshot id (``program``: only the
        rows of that kode_program)."""
        table = row_tables[sheet]
        query = sa.select(table).where(table.c.snapshot_id.in_(snapshot_ids))
        if program is not None:
            query = query.where(table.c.kode_program == program)
        with self.engine.connect() as conn:
            found = conn.execute(query.order_by(table.c.snapshot_id, table.c.sheet_row)).mappings()
            return [_read_row(dict(r)) for r in found]


def database_url(url: str) -> str:
    """``postgresql://`` and ``postgres://`` (the forms hosting panels and libpq use) mean psycopg 3, the
    PostgreSQL driver the portal installs; SQLAlchemy alone would look for psycopg2."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def _names(name: str, holder: str, generation: int | None) -> list[sa.ColumnElement[bool]]:
    where = [locks.c.name == name, locks.c.holder == holder]
    return where if generation is None else [*where, locks.c.generation == generation]


def _fenced(fence: Fence) -> list[sa.ColumnElement[bool]]:
    return _names(fence.name, fence.holder, fence.generation)


def _next_generation(conn: Connection, name: str, holder: str) -> Fence:
    """In the transaction that just took the lock ``name``: hand out its next generation and write it in the lock
    row. Only the one taking the lock gets here, so the counter row is never raced for."""
    bumped = conn.execute(
        lock_generations.update()
        .where(lock_generations.c.name == name)
        .values(generation=lock_generations.c.generation + 1)
    ).rowcount
    if bumped != 1:
        conn.execute(lock_generations.insert().values(name=name, generation=1))
    generation = conn.execute(
        sa.select(lock_generations.c.generation).where(lock_generations.c.name == name)
    ).scalar_one()
    conn.execute(locks.update().where(locks.c.name == name).values(generation=generation))
    return Fence(name, holder, generation)


def _hold(conn: Connection, fence: Fence | None, source: str | None) -> None:
    """The fence of a write, as the first statement of its transaction: raise ``LeaseLost`` (and so roll the write
    back) unless the lock row still names the fence's holder and generation.

    An UPDATE that changes nothing, not a SELECT: it takes the lock row's row lock in PostgreSQL and the database's
    write lock in SQLite, so no one can take the lock over between this check and the commit (a takeover waits for
    the commit, then finds the lease renewed or not; either way the write is one holder's alone).
    """
    if fence is None:
        return
    held = conn.execute(locks.update().where(*_fenced(fence)).values(generation=locks.c.generation)).rowcount
    if held != 1:
        raise LeaseLost(fence, _lock_holder(conn, fence.name), source)


def hold_fence(conn: Connection, fence: Fence | None, source: str | None) -> None:
    """``_hold`` for the store's other tables: a write of theirs made by a sync carries its fence too."""
    _hold(conn, fence, source)


def _lock_holder(conn: Connection, name: str) -> LockHolder | None:
    now = _db_now(conn)
    row = conn.execute(sa.select(locks).where(locks.c.name == name)).first()
    if row is None:
        return None
    host, pid = row.host, row.pid
    if host is None:
        # A row an earlier version wrote: its holder reads "host:pid:random".
        parts = row.holder.rsplit(":", 2)
        if len(parts) == 3 and parts[1].isdecimal():
            host, pid = parts[0], int(parts[1])
    return LockHolder(
        name=row.name,
        holder=row.holder,
        host=host,
        pid=pid,
        acquired_at=_utc(row.acquired_at) if row.acquired_at else None,
        renewed_at=_utc(row.renewed_at) if row.renewed_at else None,
        expires_at=_utc(row.expires_at),
        checked_at=now,
        generation=row.generation,
    )


def _insert_lock(conn: Connection, values: dict[str, Any]) -> bool:
    """Insert a lock row unless one exists; True when inserted. ``ON CONFLICT DO NOTHING`` where the database
    has it, so a lock found taken (every due check while a sync runs) is no error in PostgreSQL's log."""
    dialect = conn.dialect.name
    if dialect == "postgresql":
        # RETURNING: the row count SQLAlchemy reports for this statement through psycopg is not the rows inserted.
        statement = postgresql.insert(locks).values(**values).on_conflict_do_nothing(index_elements=[locks.c.name])
        return conn.execute(statement.returning(locks.c.name)).first() is not None
    if dialect == "sqlite":
        # No RETURNING here (SQLite 3.35+ only); sqlite3's row count of an upsert is exact.
        statement = sqlite.insert(locks).values(**values).on_conflict_do_nothing(index_elements=[locks.c.name])
        return conn.execute(statement).rowcount == 1
    try:
        with conn.begin_nested():
            conn.execute(locks.insert().values(**values))
        return True
    except sa.exc.IntegrityError:
        return False


def _db_now(conn: Connection) -> datetime:
    """The clock leases are measured on: the database server's on PostgreSQL (shared by every replica), this
    machine's on SQLite (a file on this machine)."""
    if conn.dialect.name == "postgresql":
        return _utc(conn.execute(sa.select(sa.func.clock_timestamp())).scalar_one())
    return _now()


def _store_row(snapshot_id: int, row: Row) -> dict[str, Any]:
    values = {k: v for k, v in row.items() if not k.startswith("_")}
    if values.get("koordinat") is not None:
        values["koordinat"] = [list(p) for p in values["koordinat"]]
    return {"snapshot_id": snapshot_id, "sheet_row": row["_row"], **values}


def _read_row(row: dict[str, Any]) -> dict[str, Any]:
    for key in ("anggaran", "realisasi_anggaran"):
        if row.get(key) is not None:
            row[key] = float(row[key])
    return row


def _snapshot_info(r: Any) -> SnapshotInfo:
    return SnapshotInfo(r.id, r.source, r.origin, _utc(r.read_at), r.content_hash, r.counts, r.report)


def _cost(cost: RunCost | None) -> dict[str, int]:
    cost = cost or RunCost()
    return {"requests": cost.requests, "bytes_read": cost.bytes_read, "duration_ms": cost.duration_ms}


def create_tables(engine: Engine, tables: sa.MetaData = metadata, attempts: int = 10) -> None:
    """Create what is missing. Processes starting together (replicas) race between "does it exist?"
    and "create it"; the loser tries again and then finds the table there."""
    for attempt in range(attempts):
        try:
            tables.create_all(engine)
            return
        except sa.exc.DBAPIError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.05 * (attempt + 1))


def _add_missing_columns(engine: Engine) -> None:
    """A store made by an earlier version gains the nullable columns added since (no data change)."""
    for table in metadata.sorted_tables:
        present = {c["name"] for c in sa.inspect(engine).get_columns(table.name)}
        for column in table.columns:
            if column.name in present or not column.nullable:
                continue
            kind = column.type.compile(dialect=engine.dialect)
            try:
                with engine.begin() as conn:
                    conn.execute(sa.text(f'ALTER TABLE {table.name} ADD COLUMN "{column.name}" {kind}'))
            except sa.exc.DBAPIError:
                # Another process added it a moment ago: fine, as long as it is there now.
                if column.name not in {c["name"] for c in sa.inspect(engine).get_columns(table.name)}:
                    raise


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets pages read while a sync writes; foreign keys are off by default in SQLite.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
