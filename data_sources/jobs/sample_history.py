"""A built-in history for the sample data, so that a new user's history page shows real changes.

Next to each sample workbook, ``riwayat/<workbook stem>/<YYYY-MM-DD>.xlsx`` holds earlier versions of it
(written by ``sample_data/generate.py``). On the very first sync of an empty store, each version is
validated and saved as a sync on that day would have done it, dated that day at 08:00 WITA, oldest first;
the first real sync then stores the current workbooks on top. Only sources marked ``sample = true``
are seeded, and never a store that already holds a snapshot.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path

from core.validation import reject_codes_owned_elsewhere, structural_problem, validate_workbook
from core.wilayah import CITY_TIMEZONE
from data_sources.config.portal_config import Config, SourceConfig
from data_sources.readers.protocol import SourceUnreadable
from data_sources.readers.workbook import read_workbook
from data_sources.store.snapshot_store import Fence, Store

HISTORY_FOLDER = "riwayat"
# The hour a sample version counts as read, in the city's time.
READ_AT = time(8, 0)


def history_folder(workbook: Path) -> Path:
    """Where the earlier versions of a sample workbook live: ``<folder>/riwayat/<stem>/``."""
    return workbook.parent / HISTORY_FOLDER / workbook.stem


def _versions(config: Config) -> list[tuple[date, int, SourceConfig, Path]]:
    found = []
    for order, spec in enumerate(config.sources):
        if not spec.sample or spec.kind != "workbook" or not spec.path:
            continue
        folder = history_folder(config.resolve(spec.path))
        for path in sorted(folder.glob("*.xlsx")) if folder.is_dir() else ():
            try:
                day = date.fromisoformat(path.stem)
            except ValueError:
                continue  # not a dated version
            found.append((day, order, spec, path))
    # Oldest first; on one day, in the config's order (earlier sources own their program codes, as in a sync).
    return sorted(found, key=lambda v: (v[0], v[1]))


def read_at(day: date) -> datetime:
    """08:00 WITA on ``day``, in UTC as the store keeps it."""
    return datetime.combine(day, READ_AT, CITY_TIMEZONE).astimezone(UTC)


def seed_sample_history(config: Config, store: Store, fence: Fence | None = None) -> int:
    """Save the sample versions as snapshots when the store is empty; returns how many were new.

    Call it with the sync lock held (``run_sync`` does, passing its ``fence``), so that two first starts cannot
    both seed: a write after the lock was taken over raises ``LeaseLost`` and is not committed.
    """
    if not store.is_empty():
        return 0
    saved = 0
    owners: dict[str, str] = {}
    current: date | None = None
    for day, _order, spec, path in _versions(config):
        if day != current:
            # Each day is a sync of its own: ownership of program codes is decided afresh.
            current, owners = day, {}
        try:
            book = read_workbook(path, spec.locale)
        except SourceUnreadable:
            continue  # a broken sample version is simply not part of the history
        # The file's place relative to its workbook, never the server's path.
        book.origin = f"{HISTORY_FOLDER}/{path.parent.name}/{path.name}"
        result = validate_workbook(book, day)
        if structural_problem(result):
            continue  # a sync would have kept the previous snapshot
        reject_codes_owned_elsewhere(result, owners)
        for row in result.rows["program"]:
            owners.setdefault(row["kode_program"], spec.name)
        outcome, _ = store.save(spec.name, result, started_at=read_at(day), fence=fence)
        saved += outcome == "new"
    return saved
