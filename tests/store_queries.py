"""Questions the tests ask the store that the portal itself never needs (so the store does not carry them)."""

from __future__ import annotations

import sqlalchemy as sa

from data_sources.store.snapshot_store import Store, snapshots


def snapshot_count(store: Store, source: str | None = None) -> int:
    """How many snapshots the store holds (of one source, when named)."""
    query = sa.select(sa.func.count()).select_from(snapshots)
    if source is not None:
        query = query.where(snapshots.c.source == source)
    with store.engine.connect() as conn:
        return int(conn.execute(query).scalar_one())
