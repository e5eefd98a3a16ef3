"""The transparency log in the store: one leaf per published snapshot, in publication order, and the signed
checkpoints over it (issue 24).

Two tables beside the snapshots, on SQLite and PostgreSQL alike:

- ``log_leaves``: ``leaf_index`` (0, 1, 2, ...), the ``snapshot_id`` it records (unique), the ``leaf`` bytes
  (``core.log_leaf.snapshot_leaf``: canonical JSON of source, SKPD, read time, contract version and the SHA-256
  of the snapshot's canonical rows) and its RFC 6962 ``leaf_hash``;
- ``log_checkpoints``: one row per signed checkpoint, keyed by its ``tree_size``, with its ``root`` and the
  signed note's text (C2SP ``tlog-checkpoint`` in a ``signed-note``).

A leaf is appended in the transaction that writes its snapshot (``Store.save`` calls ``append_pending``), so a
snapshot is never published without its leaf and publication order is snapshot id order. A store made before
the log existed gains it when it is opened: ``TransparencyLog.backfill`` appends a leaf for every snapshot
after the last one logged, in id order; it is the same function, so the leaves are those appending would
have made, and running it again appends nothing. Two processes doing it at once cannot both succeed: the
leaf index is the primary key and the snapshot id is unique, and on PostgreSQL an advisory lock held to the
end of the transaction queues them (so snapshot ids are also handed out in log order).

Every field of a leaf is recomputed from the store as it stands (``expected_leaves``): the SKPD and the rows'
hash are read back from the row tables, never taken from what the sync had in memory, so the start-up check
(``data_sources/store/log_audit.py``) compares like with like on both databases. The SKPD is the program rows'
own ``skpd`` column: stored with every snapshot and never changed afterwards, unlike ``[[sources]] skpd`` in
portal.toml, which an admin may rename (and which a store opened without its configuration does not know).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from core import contract
from core.contract import Kind
from core.log_leaf import snapshot_leaf
from core.merkle_tree import leaf_hash
from data_sources.store.snapshot_tables import metadata, row_tables, snapshots, utc

log_leaves = sa.Table(
    "log_leaves",
    metadata,
    sa.Column("leaf_index", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("snapshot_id", sa.Integer, sa.ForeignKey("snapshots.id"), nullable=False, unique=True),
    sa.Column("leaf", sa.LargeBinary, nullable=False),
    sa.Column("leaf_hash", sa.LargeBinary(32), nullable=False),
    sa.Column("appended_at", sa.DateTime(timezone=True), nullable=False),
)

log_checkpoints = sa.Table(
    "log_checkpoints",
    metadata,
    sa.Column("tree_size", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("root", sa.LargeBinary(32), nullable=False),
    sa.Column("note", sa.Text, nullable=False),
    sa.Column("signed_at", sa.DateTime(timezone=True), nullable=False),
)

# pg_advisory_xact_lock's key for "appending to the log" ("portallg" in ASCII): one appender at a time.
_APPEND_LOCK = 0x706F7274616C6C67
# Snapshots whose rows are read in one query while leaves are recomputed.
_BATCH = 200
_CENT = Decimal("0.01")


@dataclass(frozen=True)
class StoredCheckpoint:
    size: int
    root: bytes
    note: str  # the signed note's text, exactly as signed (what /log/checkpoint serves)
    signed_at: datetime

    @property
    def origin(self) -> str:
        """The log's origin: the checkpoint body's first line (C2SP tlog-checkpoint)."""
        return self.note.split("\n", 1)[0]


@dataclass(frozen=True)
class LoggedLeaf:
    index: int
    snapshot_id: int
    leaf: bytes
    leaf_hash: bytes


# -- the canonical rows of a snapshot ----------------------------------------------------------------------


def _canonical_value(kind: Kind, value: Any) -> Any:
    """One stored value in the one form both databases give back the same way."""
    if value is None:
        return None
    if kind is Kind.RUPIAH:
        # Numeric(20, 2): a Decimal from PostgreSQL, a Decimal rebuilt from a float by SQLite's driver. Two
        # decimals in a string, so no float rounding decides the hash.
        return str(Decimal(str(value)).quantize(_CENT))
    if kind in (Kind.NUMBER, Kind.PERCENT):
        return float(value)
    if kind is Kind.DATE:
        return value.isoformat() if isinstance(value, date) else str(value)
    if kind is Kind.COORDINATES:
        return [[float(c) for c in point] for point in value]
    return str(value)


def canonical_rows(rows: Mapping[str, Iterable[Mapping[str, Any]]]) -> bytes:
    """The canonical JSON of a snapshot's stored rows, as ``rows_sha256`` hashes it.

    ``rows``: worksheet name -> rows as the row tables hold them (``sheet_row`` and the contract's columns; any
    other key, such as ``snapshot_id``, is left out). Every worksheet of the contract is present (an empty list
    when it has no rows), each row lists ``sheet_row`` and every contract column of its worksheet (null when
    empty) and rows are in ``sheet_row`` order. Rupiah is a string with two decimals, numbers and percentages are
    JSON numbers, dates ``YYYY-MM-DD``, coordinates ``[[lat, lon], ...]``. UTF-8, sorted keys, no whitespace.
    """
    canonical: dict[str, list[dict[str, Any]]] = {}
    for spec in contract.WORKSHEETS:
        kept = []
        for row in rows.get(spec.name, ()):
            values = {col.name: _canonical_value(col.kind, row.get(col.name)) for col in spec.columns}
            kept.append({"sheet_row": int(row["sheet_row"]), **values})
        canonical[spec.name] = sorted(kept, key=lambda r: r["sheet_row"])
    return json.dumps(canonical, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def rows_sha256(rows: Mapping[str, Iterable[Mapping[str, Any]]]) -> str:
    """SHA-256 (hex) of ``canonical_rows``. Not ``content_hash``: that one decides "unchanged" over the rows a
    sync read (positions left out); this one is recomputed later from the rows as stored."""
    return hashlib.sha256(canonical_rows(rows)).hexdigest()


def skpd_of(program_rows: Iterable[Mapping[str, Any]]) -> str:
    """The SKPD a snapshot names: its program rows' ``skpd`` values, distinct, sorted, joined by "; " (one SKPD
    per sheet is the rule, so almost always one name; "" for a snapshot without program rows)."""
    return "; ".join(sorted({str(r["skpd"]).strip() for r in program_rows if r.get("skpd")} - {""}))


def _stored_rows(conn: Connection, snapshot_ids: Sequence[int]) -> dict[int, dict[str, list[dict[str, Any]]]]:
    found: dict[int, dict[str, list[dict[str, Any]]]] = {
        i: {s.name: [] for s in contract.WORKSHEETS} for i in snapshot_ids
    }
    for sheet, table in row_tables.items():
        query = sa.select(table).where(table.c.snapshot_id.in_(snapshot_ids))
        for row in conn.execute(query).mappings():
            found[row["snapshot_id"]][sheet].append(dict(row))
    return found


def expected_leaves(conn: Connection, snapshot_ids: Sequence[int]) -> dict[int, bytes]:
    """The leaf each of these snapshots has, computed from the store as it stands (a missing snapshot is left out).

    The one function behind appending, backfilling and the start-up check."""
    leaves: dict[int, bytes] = {}
    for start in range(0, len(snapshot_ids), _BATCH):
        batch = list(snapshot_ids[start : start + _BATCH])
        rows = _stored_rows(conn, batch)
        query = sa.select(snapshots.c.id, snapshots.c.source, snapshots.c.read_at, snapshots.c.contract_version).where(
            snapshots.c.id.in_(batch)
        )
        for snap in conn.execute(query):
            leaves[snap.id] = snapshot_leaf(
                source=snap.source,
                skpd=skpd_of(rows[snap.id]["program"]),
                read_at=utc(snap.read_at).astimezone(UTC),
                contract_version=int(snap.contract_version),
                rows_sha256=rows_sha256(rows[snap.id]),
            )
    return leaves


# -- appending -----------------------------------------------------------------------------------------------


def lock_appends(conn: Connection) -> None:
    """Until this transaction ends, no other one appends (PostgreSQL: an advisory lock; SQLite serialises every
    writer already). Taken before a snapshot is inserted, so snapshot ids are handed out in log order."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_APPEND_LOCK)))


def append_pending(conn: Connection) -> list[int]:
    """In the caller's transaction: a leaf for every snapshot after the last one logged, in id order; the
    indexes given. Nothing to do (the usual case, and every "unchanged" sync): nothing written.

    A snapshot below the last logged one and without a leaf is not appended: that is a snapshot the log did not
    see in its order (or a leaf deleted), which the start-up check reports instead.
    """
    lock_appends(conn)
    last = conn.execute(sa.select(sa.func.max(log_leaves.c.leaf_index), sa.func.max(log_leaves.c.snapshot_id))).one()
    next_index = 0 if last[0] is None else int(last[0]) + 1
    query = sa.select(snapshots.c.id).order_by(snapshots.c.id)
    if last[1] is not None:
        query = query.where(snapshots.c.id > last[1])
    pending = list(conn.execute(query).scalars())
    if not pending:
        return []
    leaves = expected_leaves(conn, pending)
    now = datetime.now(UTC)
    values = [
        {
            "leaf_index": next_index + offset,
            "snapshot_id": snapshot_id,
            "leaf": leaves[snapshot_id],
            "leaf_hash": leaf_hash(leaves[snapshot_id]),
            "appended_at": now,
        }
        for offset, snapshot_id in enumerate(pending)
    ]
    conn.execute(log_leaves.insert(), values)
    return [v["leaf_index"] for v in values]


def _checkpoint(row: Any) -> StoredCheckpoint:
    return StoredCheckpoint(int(row.tree_size), bytes(row.root), row.note, utc(row.signed_at))


class TransparencyLog:
    """The log's tables in one store (also ``Store.log``). Reads for the routes, ``verify`` and the check; the
    writers are ``append_pending`` (inside ``Store.save``), ``backfill`` and ``add_checkpoint``."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # -- reading ---------------------------------------------------------------------------------------

    def size(self) -> int:
        """How many leaves the log holds."""
        with self.engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(log_leaves)).scalar_one())

    def leaves(self, start: int, end: int) -> list[bytes]:
        """The leaf bytes of indexes ``start`` to ``end - 1``."""
        query = (
            sa.select(log_leaves.c.leaf)
            .where(log_leaves.c.leaf_index >= start, log_leaves.c.leaf_index < end)
            .order_by(log_leaves.c.leaf_index)
        )
        with self.engine.connect() as conn:
            return [bytes(leaf) for leaf in conn.execute(query).scalars()]

    def leaf_hashes(self, size: int | None = None) -> list[bytes]:
        """The leaf hashes of the first ``size`` leaves (all of them when None), in index order."""
        query = sa.select(log_leaves.c.leaf_hash).order_by(log_leaves.c.leaf_index)
        if size is not None:
            query = query.limit(size)
        with self.engine.connect() as conn:
            return [bytes(h) for h in conn.execute(query).scalars()]

    def leaf_index_of(self, snapshot_id: int) -> int | None:
        """The index of the leaf that records this snapshot (None: not in the log)."""
        return self.leaf_indexes([snapshot_id]).get(snapshot_id)

    def leaf_indexes(self, snapshot_ids: Iterable[int]) -> dict[int, int]:
        """The leaf index of each of these snapshots that the log records, in one query (a feed asks for 50)."""
        wanted = sorted(set(snapshot_ids))
        if not wanted:
            return {}
        query = sa.select(log_leaves.c.snapshot_id, log_leaves.c.leaf_index).where(log_leaves.c.snapshot_id.in_(wanted))
        with self.engine.connect() as conn:
            return {int(r.snapshot_id): int(r.leaf_index) for r in conn.execute(query)}

    def entries(self) -> list[LoggedLeaf]:
        """Every stored leaf with the snapshot it names, in index order (for the start-up check)."""
        query = sa.select(log_leaves).order_by(log_leaves.c.leaf_index)
        with self.engine.connect() as conn:
            return [
                LoggedLeaf(int(r.leaf_index), int(r.snapshot_id), bytes(r.leaf), bytes(r.leaf_hash))
                for r in conn.execute(query)
            ]

    def latest_checkpoint(self) -> StoredCheckpoint | None:
        query = sa.select(log_checkpoints).order_by(log_checkpoints.c.tree_size.desc()).limit(1)
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        return None if row is None else _checkpoint(row)

    def checkpoint_at(self, size: int) -> StoredCheckpoint | None:
        query = sa.select(log_checkpoints).where(log_checkpoints.c.tree_size == size)
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        return None if row is None else _checkpoint(row)

    def checkpoints(self) -> list[StoredCheckpoint]:
        """Every stored checkpoint, smallest tree first."""
        with self.engine.connect() as conn:
            return [_checkpoint(r) for r in conn.execute(sa.select(log_checkpoints).order_by("tree_size"))]

    def expected_leaves(self, snapshot_ids: Sequence[int]) -> dict[int, bytes]:
        """``expected_leaves`` on this store."""
        with self.engine.connect() as conn:
            return expected_leaves(conn, snapshot_ids)

    def snapshot_ids(self) -> list[int]:
        """Every snapshot's id, ascending."""
        with self.engine.connect() as conn:
            return [int(i) for i in conn.execute(sa.select(snapshots.c.id).order_by(snapshots.c.id)).scalars()]

    # -- writing ---------------------------------------------------------------------------------------

    def backfill(self, attempts: int = 10) -> int:
        """Append a leaf for every snapshot the log lacks after its last one (a store from before the log, or
        snapshots written by an older process); how many. Run whenever the store is opened: idempotent.

        Two processes opening one store at once: the one whose insert collides (the same leaf index or snapshot
        id) or finds the database busy rolls back, tries again and then finds nothing left to do.
        """
        for attempt in range(attempts):
            try:
                with self.engine.begin() as conn:
                    return len(append_pending(conn))
            except sa.exc.DBAPIError:
                if attempt == attempts - 1:
                    raise
                time.sleep(0.05 * (attempt + 1))
        return 0

    def add_checkpoint(self, conn: Connection, size: int, root: bytes, note: str, signed_at: datetime) -> bool:
        """Store a signed checkpoint in the caller's transaction (which holds the sync lock's fence); False when
        one of that size, or of a larger one, is already there (another process signed meanwhile)."""
        newer = conn.execute(
            sa.select(log_checkpoints.c.tree_size).where(log_checkpoints.c.tree_size >= size).limit(1)
        ).first()
        if newer is not None:
            return False
        conn.execute(log_checkpoints.insert().values(tree_size=size, root=root, note=note, signed_at=signed_at))
        return True
