"""The store's snapshots as a history: every snapshot with its rows, and the state at a moment.

Snapshots are never updated or deleted, so a history built from a set of snapshot ids stays true for
as long as no new snapshot arrives: it is computed once per set and kept in the memo it is handed
(``PublishedData.memo``, shelves "history" and "edits").
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from core.snapshot_history import (
    PROGRAM_SHEETS,
    SHEETS,
    Edit,
    History,
    Snapshot,
    State,
    masked_row,
    retroactive_edits,
)
from data_sources.published.memo import SnapshotMemo
from data_sources.store.snapshot_store import Store, snapshots

# SQLite allows a limited number of bound parameters per statement; rows are fetched in chunks of ids.
_CHUNK = 500


def _utc(value: datetime) -> datetime:
    # SQLite hands back naive datetimes; the store writes UTC.
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def snapshot_ids(store: Store) -> tuple[int, ...]:
    """Every snapshot id, oldest reading first (ties by id)."""
    query = sa.select(snapshots.c.id).order_by(snapshots.c.read_at, snapshots.c.id)
    with store.engine.connect() as conn:
        return tuple(int(i) for i in conn.execute(query).scalars())


def snapshot_ids_at(store: Store, moment: datetime) -> dict[str, int]:
    """Per source, the id of its newest snapshot read at or before ``moment``: the state published then."""
    query = (
        sa.select(snapshots.c.source, snapshots.c.id)
        .where(snapshots.c.read_at <= moment.astimezone(UTC))
        .order_by(snapshots.c.read_at, snapshots.c.id)
    )
    with store.engine.connect() as conn:
        return {source: int(snapshot_id) for source, snapshot_id in conn.execute(query)}


def load_snapshots(store: Store, ids: Sequence[int] | None = None, program: str | None = None) -> list[Snapshot]:
    """The given snapshots (all when ``ids`` is None), oldest reading first, with their rows per worksheet.

    ``program``: only that program's row and reports (no sites), for what concerns one program alone.
    """
    query = sa.select(snapshots.c.id, snapshots.c.source, snapshots.c.read_at, snapshots.c.origin).order_by(
        snapshots.c.read_at, snapshots.c.id
    )
    if ids is not None:
        if not ids:
            return []
        query = query.where(snapshots.c.id.in_(list(ids)))
    with store.engine.connect() as conn:
        found = conn.execute(query).all()
    chosen = [int(r.id) for r in found]
    sheets = SHEETS if program is None else PROGRAM_SHEETS
    rows: dict[int, dict[str, list[dict[str, Any]]]] = {i: {sheet: [] for sheet in sheets} for i in chosen}
    for sheet in sheets:
        for start in range(0, len(chosen), _CHUNK):
            for row in store.rows(sheet, chosen[start : start + _CHUNK], program):
                rows[row["snapshot_id"]][sheet].append(masked_row(sheet, row))
    return [Snapshot(int(r.id), r.source, _utc(r.read_at), rows[int(r.id)], r.origin) for r in found]


def state_at(store: Store, moment: datetime) -> State:
    """What was published at ``moment``, read straight from the store (only the snapshots needed)."""
    ids = snapshot_ids_at(store, moment)
    return State({s.source: s for s in load_snapshots(store, list(ids.values()))})


def load_history(store: Store, memo: SnapshotMemo) -> History:
    """The whole history, computed once per set of snapshots and kept in ``memo``.

    Readers arriving together after a sync wait for one computation of the new history, not one each.
    """
    ids = snapshot_ids(store)
    return memo.get(
        ("history", str(store.engine.url), ids), lambda: History(tuple(load_snapshots(store, ids))), shelf="history"
    )


def program_edits(store: Store, memo: SnapshotMemo, code: str) -> list[Edit]:
    """The edits after publication of one program (``History.edits_of``), from that program's rows alone.

    A program's edits depend on its own row and reports only, so a program page need not load and replay
    every row of every snapshot (the whole history) to tell them; computed once per snapshot set and program.
    """
    ids = snapshot_ids(store)

    def compute() -> tuple[Edit, ...]:
        return tuple(retroactive_edits(load_snapshots(store, ids, program=code)))

    return list(memo.get(("edits", str(store.engine.url), ids, code), compute, shelf="edits"))
