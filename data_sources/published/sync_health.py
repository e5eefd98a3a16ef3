"""What the data health page reads from the store: each source's health and the stale programs.

``PublishedData.source_states()`` knows the newest attempt of each source; the health page also needs the
newest attempt that did not fail (when the source was last read successfully, and what that read
found), which a failed attempt hides.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from core.health_rules import HealthIssue, SheetWrite, SourceHealth, source_health
from core.personal_data import mask_personal_data
from core.text import Text, clean_text, text_without_folders, without_folders
from data_sources.published.published_data import PublishedData
from data_sources.store.skpd_reports import SkpdReports
from data_sources.store.snapshot_store import Store, sync_runs


@dataclass(frozen=True)
class GoodRun:
    finished_at: datetime
    report: dict[str, Any] | None


def last_good_runs(store: Store) -> dict[str, GoodRun]:
    """The newest attempt of each source whose outcome was not "failed"."""
    newest = (
        sa.select(sa.func.max(sync_runs.c.id))
        .where(sync_runs.c.outcome != "failed")
        .group_by(sync_runs.c.source)
        .scalar_subquery()
    )
    query = sa.select(sync_runs.c.source, sync_runs.c.finished_at, sync_runs.c.report).where(sync_runs.c.id.in_(newest))
    with store.engine.connect() as conn:
        found = conn.execute(query).all()
    # SQLite hands back naive datetimes; everything is written in UTC.
    return {
        r.source: GoodRun(r.finished_at if r.finished_at.tzinfo else r.finished_at.replace(tzinfo=UTC), r.report)
        for r in found
    }


def sources_health(data: PublishedData) -> list[SourceHealth]:
    """Every configured source's health, in config order."""
    runs = data.store.latest_runs()
    snapshots = data.store.latest_snapshots()
    good = last_good_runs(data.store)
    writes = sheet_writes(data.store)
    result = []
    for state in data.source_states():
        run, snap, ok = runs.get(state.name), snapshots.get(state.name), good.get(state.name)
        health = source_health(
            state,
            last_report=run.report if run else None,
            good_read_at=ok.finished_at if ok else None,
            good_report=ok.report if ok else None,
            snapshot_report=snap.report if snap else None,
            sheet=writes.get(state.name),
        )
        result.append(_public(health))
    return result


def sheet_writes(store: Store) -> dict[str, SheetWrite]:
    """How writing each source's report into its sheet last went (only sources with ``write_back``)."""
    return {name: s.sheet for name, s in SkpdReports(store.engine).states().items() if s.sheet is not None}


def _public(health: SourceHealth) -> SourceHealth:
    """What the public health page may show of a source's health.

    Validation masks personal data in a report's values and messages, but a report stored before it did
    keeps the raw cell (a NIK typed into a date column): each value and message is masked again here. A
    failure names the file, not the folder the server keeps it in (the admin page shows the whole path).
    """
    return replace(
        health,
        origin=without_folders(health.origin) if health.origin else health.origin,
        last_message=text_without_folders(health.last_message),
        issues=tuple(_masked(issue) for issue in health.issues),
    )


def _masked(issue: HealthIssue) -> HealthIssue:
    return replace(
        issue,
        value=mask_personal_data(clean_text(issue.value)),
        message=Text(mask_personal_data(issue.message.id), mask_personal_data(issue.message.en)),
    )
