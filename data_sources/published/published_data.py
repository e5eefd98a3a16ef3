"""What pages and files read: the configured store's latest snapshots, and answers derived from them.

``PublishedData`` never calls Google and starts no thread: public traffic reads the store only. Everything
derived from the published snapshots is remembered in its one memo (``data_sources.published.memo``), which
the other modules of this package are handed rather than keeping memos of their own. The per-process object
that adds the background work (sync, warm-up, the feedback mirror) lives at the app's edge, ``server.portal``.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from core.progress import ProgramProgress, program_progress
from core.snapshot_history import masked_row
from core.sources import SourceState
from core.text import Text
from core.wilayah import city_today
from data_sources.config.portal_config import Config, SourceConfig
from data_sources.published.memo import SnapshotMemo
from data_sources.store.snapshot_store import RunInfo, SnapshotInfo, Store

T = TypeVar("T")

# How many answers the memo's default shelf keeps (overviews, charts, S-curves per program and language).
KEEP_ANSWERS = 256


@dataclass(frozen=True)
class Overview:
    progress: list[ProgramProgress]
    sources: list[SourceState]
    # kode_program -> the source it was published from
    program_source: dict[str, SourceState]
    # every published progress report, oldest first
    reports: list[dict[str, Any]]
    # kode_program -> its reports, oldest first (the same rows as ``reports``, grouped once)
    by_program: dict[str, list[dict[str, Any]]] = field(default_factory=dict, repr=False, compare=False)

    def program(self, code: str) -> ProgramProgress | None:
        return next((p for p in self.progress if p.code == code), None)

    def reports_of(self, code: str) -> list[dict[str, Any]]:
        if self.by_program or not self.reports:
            return list(self.by_program.get(code, ()))
        return [r for r in self.reports if r["kode_program"] == code]


@dataclass(frozen=True)
class _Published:
    """The part of an overview that only the snapshots (and the city's date) decide: computed once per set."""

    progress: list[ProgramProgress]
    # kode_program -> id of the snapshot it was published in
    program_snapshot: dict[str, int]
    reports: list[dict[str, Any]]
    by_program: dict[str, list[dict[str, Any]]]


class PublishedData:
    """The store's latest snapshots as the pages, the downloads and the open-data files read them."""

    def __init__(self, config: Config, store: Store | None = None, memo: SnapshotMemo | None = None) -> None:
        self.config = config
        self.store = store or Store(config.database_url)
        # Answers derived from the published snapshots (overview, charts, map, history), shared by every session.
        self.memo = memo or SnapshotMemo(keep=KEEP_ANSWERS)

    def source_states(self) -> list[SourceState]:
        return source_states(self.config, self.store)

    def latest_rows(self, sheet: str, states: Sequence[SourceState]) -> list[dict[str, Any]]:
        """Rows of the given snapshots. Snapshots never change, so their rows are kept in memory by id."""
        ids = tuple(sorted(s.snapshot_id for s in states if s.snapshot_id is not None))
        if not ids:
            return []
        key = (str(self.store.engine.url), sheet, ids)
        # Masked on the way out too: a snapshot stored by an older portal may hold what validation now masks.
        return self.memo.get(
            key, lambda: [masked_row(sheet, row) for row in self.store.rows(sheet, list(ids))], shelf="rows"
        )

    def snapshot_key(self, states: Sequence[SourceState] | None = None) -> Hashable:
        """What names the published data: the store, and each source's latest snapshot with its reading time.

        Snapshots are never changed, so anything computed from this key stays true until a sync publishes a
        new snapshot (a new key). The reading time is in it too, so that a store wiped and filled again
        (ids starting over) never meets an old answer.
        """
        states = self.source_states() if states is None else states
        published = sorted((s.name, s.snapshot_id, s.read_at) for s in states if s.snapshot_id is not None)
        return (str(self.store.engine.url), tuple(published))

    def remember(
        self,
        what: Hashable,
        compute: Callable[[], T],
        states: Sequence[SourceState] | None = None,
        shelf: str | None = None,
    ) -> T:
        """``compute()`` once per set of published snapshots and ``what`` (say, a chart, its program and language).

        ``compute`` must depend on nothing but the latest snapshots and what ``what`` names; its answer is shared
        by every session of the process, so nobody may change it afterwards.
        """
        key = (self.snapshot_key(states), what)
        return self.memo.get(key, compute) if shelf is None else self.memo.get(key, compute, shelf)

    def overview(self) -> Overview:
        statuses = self.source_states()
        # The sources' states are read on every call (a failed sync shows at once); the rest is remembered.
        today = city_today(datetime.now(UTC))
        published = self.remember(("overview", today), lambda: self._published(statuses, today), statuses)
        by_snapshot = {s.snapshot_id: s for s in statuses if s.snapshot_id is not None}
        program_source = {code: by_snapshot[i] for code, i in published.program_snapshot.items() if i in by_snapshot}
        return Overview(published.progress, statuses, program_source, published.reports, published.by_program)

    def _published(self, statuses: Sequence[SourceState], today: date) -> _Published:
        states = list(statuses)
        programs = self.latest_rows("program", states)
        reports = self.latest_rows("capaian", states)
        ordered = sorted(reports, key=lambda r: (r["kode_program"], r["tanggal"]))
        by_program: dict[str, list[dict[str, Any]]] = {}
        for report in ordered:
            by_program.setdefault(report["kode_program"], []).append(report)
        return _Published(
            program_progress(programs, reports, today),
            {p["kode_program"]: p["snapshot_id"] for p in programs},
            ordered,
            by_program,
        )


def source_states(config: Config, store: Store) -> list[SourceState]:
    """Each configured source with its latest snapshot and its latest sync attempt."""
    snapshots = store.latest_snapshots()
    runs = store.latest_runs()
    return [_state(spec, snapshots.get(spec.name), runs.get(spec.name)) for spec in config.sources]


def _state(spec: SourceConfig, snapshot: SnapshotInfo | None, run: RunInfo | None) -> SourceState:
    counts = snapshot.counts if snapshot else {}
    return SourceState(
        name=spec.name,
        skpd=spec.skpd,
        sample=spec.sample,
        snapshot_id=snapshot.id if snapshot else None,
        origin=snapshot.origin if snapshot else None,
        read_at=snapshot.read_at if snapshot else None,
        accepted=sum(c["accepted"] for c in counts.values()),
        rejected=sum(c["rejected"] for c in counts.values()),
        last_attempt_at=run.finished_at if run else None,
        last_outcome=run.outcome if run else None,
        last_message=run.message if run else Text("", ""),
        last_requests=run.cost.requests if run else 0,
        last_bytes=run.cost.bytes_read if run else 0,
        last_duration_ms=run.cost.duration_ms if run else 0,
    )
