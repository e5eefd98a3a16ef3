"""Read every configured source, validate it, and store a snapshot when its content changed.

One sync runs at a time across sessions, processes and replicas: ``run_sync`` takes a lock in
the store, renews its lease while it works, and does nothing when another sync holds it. Every write it makes
carries the lease's fence (``data_sources/store/lease.py``): a sync that stalled past its lease and was taken
over writes nothing more, and stops with a "lost" outcome naming the source it did not write.
"""

from __future__ import annotations

import logging
import os
import socket
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from core.text import Text
from core.validation import ValidationResult, reject_codes_owned_elsewhere, structural_problem, validate_workbook
from core.wilayah import city_today
from data_sources.config.portal_config import Config, ConfigError, SourceConfig
from data_sources.jobs.checkpoint_signing import Signing, sign_new_checkpoint
from data_sources.jobs.publish_open_data import publish_open_data
from data_sources.jobs.sample_history import seed_sample_history
from data_sources.jobs.sheet_write_back import WriteResult
from data_sources.jobs.tell_skpd import Reading, tell_skpd
from data_sources.readers.protocol import Source, SourceUnreadable
from data_sources.store.lease import Lease
from data_sources.store.snapshot_store import Fence, LeaseLost, RunCost, Store

logger = logging.getLogger("portal")

SYNC_LOCK = "sync"
# The name a "lost" outcome has when the open-data files, not a source, were left unwritten.
OPEN_DATA = "open-data files"
# The name of the outcome that says how signing the transparency log's checkpoint went (issue 24).
LOG = "transparency log"


@dataclass(frozen=True)
class SyncOutcome:
    source: str
    # "new", "unchanged", "failed", or "lost": not written, because the sync lock was taken over by another sync
    # (this one stalled past its lease); the sync stopped there.
    outcome: str
    message: Text | None = None
    result: ValidationResult | None = None
    cost: RunCost = field(default_factory=RunCost)
    # How writing the check report into the SKPD's sheet went (None: the source does not write back).
    sheet: WriteResult | None = None

    @property
    def failed(self) -> bool:
        return self.outcome in ("failed", "lost")

    @property
    def lost(self) -> bool:
        return self.outcome == "lost"

    def line(self) -> str:
        if self.source == LOG and not self.lost:
            return f"{LOG}: {'FAILED: ' if self.failed else ''}{self.message.en if self.message else self.outcome}"
        if self.lost:
            return f"{self.source}: NOT WRITTEN: {self.message.en if self.message else '?'}"
        cost = f"{self.cost.requests} requests, {self.cost.bytes_read} bytes, {self.cost.duration_ms} ms"
        if self.failed:
            reason = self.message.en if self.message else "?"
            return f"{self.source}: FAILED: {reason}{self.sheet_line()} ({cost})"
        assert self.result is not None
        counts = ", ".join(
            f"{sheet} {c.accepted}/{c.rows} accepted" + (f" ({c.rejected} rejected)" if c.rejected else "")
            for sheet, c in self.result.counts.items()
        )
        what = "new snapshot" if self.outcome == "new" else "unchanged"
        issues = f"{len(self.result.errors)} errors, {len(self.result.warnings)} warnings"
        return f"{self.source}: {what}; {counts}; {issues}{self.sheet_line()} ({cost})"

    def sheet_line(self) -> str:
        """What the line says of the report written into the sheet ("" when the source does not write back)."""
        sheet = self.sheet
        if sheet is None:
            return ""
        if sheet.failed:
            return f"; REPORT NOT WRITTEN INTO THE SHEET: {sheet.message.en if sheet.message else sheet.outcome}"
        if sheet.outcome == "unchanged":
            return "; sheet report unchanged (nothing written)"
        tab = ", status tab written" if sheet.status_tab else ""
        return f"; sheet report written ({sheet.notes} notes changed{tab})"


def _cost(source: Source | None, started: float) -> RunCost:
    metrics = getattr(source, "metrics", None)
    duration = int((time.monotonic() - started) * 1000)
    if metrics is not None:
        return RunCost(metrics.requests, metrics.bytes_read, duration)
    path = getattr(source, "path", None)
    size = path.stat().st_size if isinstance(path, Path) and path.exists() else 0
    return RunCost(0, size, duration)


def check_source(
    config: Config, spec: SourceConfig, today: date | None = None, credentials: Path | None = None
) -> ValidationResult:
    source = config.open_source(spec, credentials)
    return validate_workbook(source.read(), today or city_today(datetime.now(UTC)))


def unexpected_failure(exc: BaseException) -> Text:
    """The message for a failure no reader foresaw: its type only (its text may hold a path or a value)."""
    kind = type(exc).__name__
    return Text(
        f"Sumber ini tidak dapat dibaca karena kesalahan yang tidak terduga ({kind}); rinciannya ada di log "
        "server. Data terakhir yang berhasil dibaca tetap tampil.",
        f"This source could not be read because of an unexpected error ({kind}); the details are in the server "
        "log. The last data read successfully stay on the pages.",
    )


def lease_lost(lost: LeaseLost, what: str) -> SyncOutcome:
    """The outcome of a write the fence refused (``what``: the source, or ``OPEN_DATA``), logged in one line."""
    logger.warning("sync stopped: %s was not written: %s", what, lost.reason())
    taken = lost.holder
    if taken is not None:
        why = Text(
            f"Kunci sinkronisasi diambil alih oleh {taken.who()} karena sinkronisasi ini terhenti melewati "
            "masa sewanya",
            f"The sync lock was taken over by {taken.who()} because this sync stalled past its lease",
        )
    else:
        why = Text(
            "Sewa kunci sinkronisasi habis selagi sinkronisasi ini terhenti, dan kuncinya sudah dilepas",
            "The sync lock's lease ran out while this sync was stalled, and the lock has since been released",
        )
    return SyncOutcome(
        what,
        "lost",
        Text(
            f"{why.id}: bagian ini tidak ditulis dan sinkronisasi ini berhenti di sini. Sinkronisasi berikutnya "
            "(atau yang mengambil alih) menulisnya; data terakhir tetap tampil.",
            f"{why.en}: this was not written and this sync stopped here. The next sync (or the one that took over) "
            "writes it; the last data stay on the pages.",
        ),
    )


def sync_source(
    config: Config,
    store: Store,
    spec: SourceConfig,
    owners: dict[str, str],
    today: date | None = None,
    fence: Fence | None = None,
) -> SyncOutcome:
    """``owners``: program codes claimed by sources earlier in the config, updated with this one's.

    ``fence``: the sync lock's, carried by every write (``LeaseLost`` when the lock was taken over meanwhile)."""
    started_at, started = datetime.now(UTC), time.monotonic()
    source: Source | None = None
    today = today or city_today(datetime.now(UTC))
    try:
        source = config.open_source(spec)
        workbook = source.read()
        result = validate_workbook(workbook, today)
    except (SourceUnreadable, ConfigError) as exc:
        # The last good snapshot stays; the failure is logged beside it so pages can show its age.
        message = exc.text if isinstance(exc, SourceUnreadable) else Text(str(exc), str(exc))
        cost = _cost(source, started)
        store.record_failure(spec.name, started_at, message, cost, fence=fence)
        return SyncOutcome(spec.name, "failed", message, cost=cost)
    except Exception as exc:
        # Whatever else breaks while reading or checking this one source is this source's failure alone:
        # the others still sync and the open-data files are still written. The traceback goes to the log
        # only; what the pages show says what happened without it.
        logger.exception("source %s: reading or checking it failed unexpectedly", spec.name)
        message = unexpected_failure(exc)
        cost = _cost(source, started)
        store.record_failure(spec.name, started_at, message, cost, fence=fence)
        return SyncOutcome(spec.name, "failed", message, cost=cost)
    cost = _cost(source, started)
    if problem := structural_problem(result):
        # Publishing would empty a worksheet on the page; keep the last good snapshot instead.
        store.record_failure(spec.name, started_at, problem, cost, result.report(), fence=fence)
        sheet = _tell(config, store, Reading(spec, source, workbook, result, started_at, today), fence, problem)
        return SyncOutcome(spec.name, "failed", problem, result, cost, sheet)
    reject_codes_owned_elsewhere(result, owners)
    for row in result.rows["program"]:
        owners.setdefault(row["kode_program"], spec.name)
    outcome, _ = store.save(spec.name, result, started_at, cost, fence=fence)
    # After the save: the rows are published whatever the sheet write does. Its requests count in the cost shown
    # by the CLI (the stored run keeps the read's own cost).
    sheet = _tell(config, store, Reading(spec, source, workbook, result, started_at, today), fence)
    return SyncOutcome(spec.name, outcome, result=result, cost=_cost(source, started), sheet=sheet)


def _tell(
    config: Config, store: Store, reading: Reading, fence: Fence | None, broken: Text | None = None
) -> WriteResult | None:
    """Tell the SKPD (its sheet, its e-mail); never fails the source, whose rows are saved already."""
    try:
        return tell_skpd(config, store, reading, fence, broken)
    except LeaseLost:
        raise
    except Exception:
        logger.exception("source %s: telling the SKPD what the check found failed unexpectedly", reading.spec.name)
        return None


def sync_all(config: Config, store: Store, today: date | None = None, fence: Fence | None = None) -> list[SyncOutcome]:
    """One source failing does not stop the others. Earlier sources in the config own their codes.

    The lock taken over does: the source whose write the fence refused is the last outcome ("lost"), and the
    sources after it are left to the sync that took over."""
    owners: dict[str, str] = {}
    outcomes: list[SyncOutcome] = []
    for spec in config.sources:
        try:
            outcomes.append(sync_source(config, store, spec, owners, today, fence))
        except LeaseLost as lost:
            outcomes.append(lease_lost(lost, spec.name))
            break
    return outcomes


def lock_ttl(config: Config) -> timedelta:
    """The sync lock's lease (``[sync] lock_lease_seconds``). Renewed while the sync works, so it no longer grows
    with the number of sources and their retry budgets: a holder that died blocks syncing for one lease at most."""
    return timedelta(seconds=config.sync.lock_lease_seconds)


def run_sync(config: Config, store: Store, today: date | None = None) -> list[SyncOutcome] | None:
    """Sync everything unless another sync holds the lock; None when it does.

    When the lock is taken over midway (this sync stalled past its lease), the last outcome is "lost": what it
    names was not written, and nothing after it (sources, open-data files) was either."""
    holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    with Lease(store, SYNC_LOCK, holder, lock_ttl(config)) as lease:
        if not lease.held:
            return None
        fence = lease.fence
        assert fence is not None
        try:
            # First start on sample data: its built-in history goes first.
            seed_sample_history(config, store, fence)
        except LeaseLost as lost:
            return [lease_lost(lost, lost.source or "sample history")]
        outcomes = sync_all(config, store, today, fence)
        if outcomes and outcomes[-1].lost:
            return outcomes
        try:
            # Before the open-data files, which name the checkpoint they belong to.
            signing = sign_new_checkpoint(config, store, fence)
        except LeaseLost as lost:
            return [*outcomes, lease_lost(lost, LOG)]
        if signing.outcome == "signed" or signing.failed:
            outcomes.append(signing_outcome(signing))
        try:
            # Files cannot share the lock row's transaction: checked just before they are written.
            store.check_fence(fence)
        except LeaseLost as lost:
            return [*outcomes, lease_lost(lost, OPEN_DATA)]
        # Still under the lock: one writer of the open-data files at a time. Never raises.
        publish_open_data(config, store, changed=any(o.outcome == "new" for o in outcomes))
        if lease.lost:
            logger.warning(
                "the sync lock was lost while the open-data files were written; its new holder rewrites them"
            )
        return outcomes


def signing_outcome(signing: Signing) -> SyncOutcome:
    """How signing went, as the sync's last outcome: "signed", or "failed" (refused, or no usable key)."""
    return SyncOutcome(LOG, "signed" if signing.outcome == "signed" else "failed", signing.message)


def sign_pending_checkpoint(config: Config, store: Store) -> Signing | None:
    """At start-up: sign a checkpoint when the log outgrew the latest one (a store that gained its log on upgrade,
    or a key configured since the last sync), under the sync lock. None when another sync holds the lock (it
    signs at its end) or nothing needs signing; never raises for a lost lease (the next sync signs)."""
    latest = store.log.latest_checkpoint()
    if config.log_key_file is None or store.log.size() <= (latest.size if latest else 0):
        return None
    holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    with Lease(store, SYNC_LOCK, holder, lock_ttl(config)) as lease:
        if not lease.held:
            return None
        try:
            return sign_new_checkpoint(config, store, lease.fence)
        except LeaseLost as lost:
            logger.warning("transparency log: the start-up checkpoint was not stored: %s", lost.reason())
            return None
