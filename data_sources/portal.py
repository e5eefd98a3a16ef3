"""What pages read: the configured store's latest data, and the first-start sync.

Pages call this module and nothing below it; it never calls Google (public traffic reads the
store only). ``get_portal`` keeps one ``Portal`` per process.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import streamlit as st

from core.progress import ProgramProgress, program_progress
from core.sources import SourceState
from data_sources.config import Config, SourceConfig, load_config
from data_sources.store import RunInfo, SnapshotInfo, Store
from data_sources.sync import SyncOutcome, sync_all

_sync_lock = threading.Lock()


@dataclass(frozen=True)
class Overview:
    progress: list[ProgramProgress]
    sources: list[SourceState]
    # kode_program -> the source it was published from
    program_source: dict[str, SourceState]


class Portal:
    def __init__(self, config: Config) -> None:
        self.config = config
        self.store = Store(config.database_url)

    def sync_if_empty(self) -> list[SyncOutcome]:
        """First start: fill an empty store from the configured sources, one sync at a time."""
        with _sync_lock:
            if not self.store.is_empty():
                return []
            return sync_all(self.config, self.store)

    def source_states(self) -> list[SourceState]:
        snapshots = self.store.latest_snapshots()
        runs = self.store.latest_runs()
        return [_state(spec, snapshots.get(spec.name), runs.get(spec.name)) for spec in self.config.sources]

    def latest_rows(self, sheet: str, states: list[SourceState]) -> list[dict[str, Any]]:
        ids = [s.snapshot_id for s in states if s.snapshot_id is not None]
        return self.store.rows(sheet, ids) if ids else []

    def overview(self) -> Overview:
        statuses = self.source_states()
        by_snapshot = {s.snapshot_id: s for s in statuses if s.snapshot_id is not None}
        programs = self.latest_rows("program", statuses)
        reports = self.latest_rows("capaian", statuses)
        program_source = {p["kode_program"]: by_snapshot[p["snapshot_id"]] for p in programs}
        return Overview(program_progress(programs, reports), statuses, program_source)


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
        last_attempt_failed=bool(run and run.outcome == "failed"),
        last_message=run.message if run else "",
    )


@st.cache_resource(show_spinner=False)
def _portal_for(config_path: str) -> Portal:
    portal = Portal(load_config(Path(config_path) if config_path else None))
    portal.sync_if_empty()
    return portal


def get_portal() -> Portal:
    """One portal per process and configuration file (``PORTAL_CONFIG`` picks the file)."""
    return _portal_for(os.environ.get("PORTAL_CONFIG", ""))
