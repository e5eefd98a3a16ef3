"""What pages read: the configured store's latest data, and the first-start sync.

Pages call this module and nothing below it; it never calls Google (public traffic reads the
store only). ``get_portal`` keeps one ``Portal`` per process.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import streamlit as st

from core.progress import ProgramProgress, program_progress
from core.sources import SourceState
from core.text import Text
from data_sources.config import Config, SourceConfig, load_config
from data_sources.feedback import Feedback
from data_sources.memo import SnapshotMemo
from data_sources.store.feedback_store import FeedbackStore
from data_sources.store.snapshot_store import RunInfo, SnapshotInfo, Store
from data_sources.sync import SyncOutcome, city_today, run_sync

logger = logging.getLogger("portal")

# How often a page run may ask the store whether a sync is due: cheap, but not on every click.
DUE_CHECK_SECONDS = 30.0

T = TypeVar("T")


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


class Portal:
    def __init__(self, config: Config) -> None:
        self.config = config
        self.store = Store(config.database_url)
        self.feedback_store = FeedbackStore(self.store.engine)
        self.feedback = Feedback(config, self.feedback_store)
        self._background: threading.Thread | None = None
        self._mirroring: threading.Thread | None = None
        self._checked_at = float("-inf")
        self._guard = threading.Lock()
        self._warming: threading.Thread | None = None
        self._warmed_key: Hashable | None = None
        self._rows: dict[tuple[str, tuple[int, ...]], list[dict[str, Any]]] = {}
        # Answers derived from the published snapshots (overview, charts), shared by every session.
        self.memo = SnapshotMemo(keep=256)

    def sync_if_empty(self) -> list[SyncOutcome] | None:
        """First start: fill an empty store before the first page draws (None: another sync runs).

        With a store already filled, the open-data files are checked instead: a missing or stale set (a new
        folder, a wiped disk) is written now rather than at the next sync.
        """
        if not self.store.is_empty():
            from data_sources.open_data import publish_open_data  # it reads tables through this module

            publish_open_data(self.config, self.store, changed=False)
            return []
        return run_sync(self.config, self.store)

    def sync_now(self) -> list[SyncOutcome] | None:
        """The admin's "refresh now"; None when another sync is already running."""
        return run_sync(self.config, self.store)

    def sync_due(self, now: datetime | None = None) -> bool:
        last = self.store.last_attempt_at()
        interval = timedelta(minutes=self.config.sync.interval_minutes)
        return last is None or (now or datetime.now(UTC)) - last >= interval

    def sync_in_background_if_due(self) -> threading.Thread | None:
        """Start a sync in a background thread when the last one is older than the interval.

        Pages keep serving the stored snapshot meanwhile; the store lock keeps it to one sync
        across processes, the guard to one thread in this process.
        """
        with self._guard:
            if self._background is not None and self._background.is_alive():
                return None
            if time.monotonic() - self._checked_at < DUE_CHECK_SECONDS:
                return None
            self._checked_at = time.monotonic()
            self._warm_if_new()
            if not self.sync_due():
                return None
            self._background = threading.Thread(target=self._sync_and_mirror, name="portal-sync", daemon=True)
            self._background.start()
            return self._background

    def _sync_and_mirror(self) -> None:
        outcomes = self.sync_now()
        if outcomes and any(o.outcome == "new" for o in outcomes):
            with self._guard:
                self._warm_if_new()
        # Responses whose mirroring failed are retried here too, so they arrive even without new visitors.
        if self.config.feedback.mirror_sheet:
            self._mirror_quietly()

    def warm_in_background_if_new(self) -> threading.Thread | None:
        """Build what the first readers of a new set of snapshots would wait for (``data_sources.warm``)."""
        with self._guard:
            return self._warm_if_new()

    def wait_until_warm(self, timeout: float | None = None) -> bool:
        """Until the data built ahead are ready (True), or the timeout passes (False). For benchmarks and tests."""
        thread = self._warming
        if thread is not None:
            thread.join(timeout)
        return thread is None or not thread.is_alive()

    def _warm_if_new(self) -> threading.Thread | None:
        # Called with the guard held. A new key: this process started, or some process published a sync.
        key = self.snapshot_key()
        if key == self._warmed_key or (self._warming is not None and self._warming.is_alive()):
            return None
        self._warmed_key = key
        from data_sources.warm import warm  # it imports the page data modules, which import this one

        self._warming = threading.Thread(target=warm, args=(self,), name="portal-warm", daemon=True)
        self._warming.start()
        return self._warming

    def mirror_now(self) -> Any:
        """Append waiting feedback responses to the Google Sheet mirror (None when none is configured)."""
        from data_sources.feedback_mirror import mirror_pending

        return mirror_pending(self.config, self.store, self.feedback_store)

    def mirror_in_background(self) -> threading.Thread | None:
        """After a response is committed: mirror it without making the respondent wait for Google."""
        if not self.config.feedback.mirror_sheet:
            return None
        with self._guard:
            if self._mirroring is not None and self._mirroring.is_alive():
                return None  # the running one picks up everything due, this response included
            self._mirroring = threading.Thread(target=self._mirror_quietly, name="feedback-mirror", daemon=True)
            self._mirroring.start()
            return self._mirroring

    def _mirror_quietly(self) -> None:
        try:
            self.mirror_now()
        except Exception:
            # The response is safe in the store and its outbox entry stays; the next attempt retries.
            logger.exception("feedback mirror failed")

    def source_states(self) -> list[SourceState]:
        return source_states(self.config, self.store)

    def latest_rows(self, sheet: str, states: list[SourceState]) -> list[dict[str, Any]]:
        """Rows of the given snapshots. Snapshots never change, so their rows are kept in memory by id."""
        ids = tuple(sorted(s.snapshot_id for s in states if s.snapshot_id is not None))
        if not ids:
            return []
        cached = self._rows.get((sheet, ids))
        if cached is None:
            cached = self.store.rows(sheet, list(ids))
            if len(self._rows) > 64:  # a new sync makes new ids; old entries are dropped wholesale
                self._rows.clear()
            self._rows[(sheet, ids)] = cached
        return cached

    def snapshot_key(self, states: Sequence[SourceState] | None = None) -> Hashable:
        """What names the published data: the store, and each source's latest snapshot with its reading time.

        Snapshots are never changed, so anything computed from this key stays true until a sync publishes a
        new snapshot (a new key). The reading time is in it too, so that a store wiped and filled again
        (ids starting over) never meets an old answer.
        """
        states = self.source_states() if states is None else states
        published = sorted((s.name, s.snapshot_id, s.read_at) for s in states if s.snapshot_id is not None)
        return (str(self.store.engine.url), tuple(published))

    def remember(self, what: Hashable, compute: Callable[[], T], states: Sequence[SourceState] | None = None) -> T:
        """``compute()`` once per set of published snapshots and ``what`` (say, a chart, its program and language).

        ``compute`` must depend on nothing but the latest snapshots and what ``what`` names; its answer is shared
        by every session of the process, so nobody may change it afterwards.
        """
        return self.memo.get((self.snapshot_key(states), what), compute)

    def overview(self) -> Overview:
        statuses = self.source_states()
        # The sources' states are read on every call (a failed sync shows at once); the rest is remembered.
        today = city_today()
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


@st.cache_resource(show_spinner=False)
def _portal_for(config_path: str) -> Portal:
    portal = Portal(load_config(Path(config_path) if config_path else None))
    portal.sync_if_empty()
    return portal


def get_portal() -> Portal:
    """One portal per process and configuration file (``PORTAL_CONFIG`` picks the file)."""
    return _portal_for(os.environ.get("PORTAL_CONFIG", ""))
