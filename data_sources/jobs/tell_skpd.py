"""After a source is read: tell its SKPD what the check found, where the SKPD works.

For a source with ``write_back`` (its own sheet: notes and the ``status_portal`` tab, see ``sheet_write_back``)
and/or ``notify_email`` (an e-mail when its list of problems or stale programs changed, queued in the store's
mail outbox and sent after the sync). What it was told is remembered per source (``SkpdReports``), so the next
sync knows what is new and what was fixed. Nothing here can fail the sync: the rows are already saved.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from functools import cached_property

from core.health_rules import SheetWrite, stale_reminders
from core.progress import program_progress
from core.sheet_feedback import (
    Changes,
    Known,
    SkpdReport,
    change_mail,
    changes,
    code_column_letters,
    skpd_report,
    wanted_notes,
)
from core.table import RawWorkbook
from core.text import Text
from core.validation import ValidationResult
from data_sources.config.portal_config import Config, SourceConfig
from data_sources.jobs.sheet_write_back import WriteResult, write_report
from data_sources.readers.google_sheets import ServiceAccountSource, sheet_url
from data_sources.readers.protocol import Source
from data_sources.store.mail_outbox import MailOutbox
from data_sources.store.skpd_reports import SkpdReports
from data_sources.store.snapshot_store import Fence, Store

logger = logging.getLogger("portal")

HEALTH_PATH = "/kesehatan-data"


def health_url(config: Config, spec: SourceConfig) -> str:
    """The SKPD's own view of the health page (absolute when ``[open_data] public_url`` is set)."""
    return f"{config.open_data.public_url.rstrip('/')}{HEALTH_PATH}?skpd={spec.name}"


@dataclass(frozen=True)
class Reading:
    """One source as the sync just read and checked it."""

    spec: SourceConfig
    source: Source
    workbook: RawWorkbook
    result: ValidationResult
    read_at: datetime
    today: date

    @cached_property
    def code_letters(self) -> dict[str, str]:
        """Where each worksheet's code column is: both the notes and the report place row problems by it."""
        return code_column_letters(self.workbook)


def build_report(config: Config, reading: Reading, before: Known, broken: Text | None = None) -> SkpdReport:
    spec, source, result, today = reading.spec, reading.source, reading.result, reading.today
    if broken is None:
        progress = program_progress(result.rows["program"], result.rows["capaian"], today)
        notices = stale_reminders(progress, today, config.health.stale_days)
        report_reminders = None
    else:
        # A sheet that cannot be published says nothing new about its programs' reports: keep the reminders.
        notices, report_reminders = [], before.reminders
    report = skpd_report(
        source=spec.name,
        skpd=spec.skpd,
        read_at=reading.read_at,
        origin=result.origin,
        worksheet_ids=result.worksheet_ids,
        counts=result.counts,
        issues=result.issues,
        code_letters=reading.code_letters,
        notices=notices,
        today=today,
        health_url=health_url(config, spec),
        broken=broken.id if broken else "",
        sheet_url=sheet_url(source.key) if isinstance(source, ServiceAccountSource) else "",
    )
    if report_reminders is not None:
        report = replace(report, reminders=report_reminders)
    return report


def tell_skpd(
    config: Config, store: Store, reading: Reading, fence: Fence | None = None, broken: Text | None = None
) -> WriteResult | None:
    """Write the report into the sheet and queue the e-mail, as the source asks; None when it asks for neither.

    ``broken``: why the sheet could not be published at all (a missing worksheet or required column)."""
    spec, source = reading.spec, reading.source
    if not (spec.write_back or spec.notify_email):
        return None
    reports = SkpdReports(store.engine)
    before = reports.state(spec.name)
    known_before = before.known if before else Known()
    report = build_report(config, reading, known_before, broken)
    written: WriteResult | None = None
    sheet: SheetWrite | None = before.sheet if before else None
    fingerprint = before.status_fingerprint if before else None
    if spec.write_back and isinstance(source, ServiceAccountSource):
        if fence is not None:
            store.check_fence(fence)  # a sync taken over writes nothing more, into the sheet neither
        written = write_report(
            source,
            report,
            wanted_notes(reading.result.issues, reading.code_letters),
            last_fingerprint=fingerprint,
            interval_minutes=config.sync.interval_minutes,
        )
        attempt = datetime.now(UTC)
        if written.outcome in ("written", "unchanged"):
            fingerprint = report.fingerprint()
        last_written = attempt if written.outcome == "written" else (sheet.written_at if sheet else None)
        sheet = SheetWrite(written.outcome, written.message, attempt, last_written, source.account)
    found = changes(known_before, report.known())
    if found and spec.notify_email:
        queue_mail(config, store, spec, report, found, fence)
    reports.save(spec.name, report.known(), reading.read_at, fingerprint=fingerprint, sheet=sheet, fence=fence)
    return written


def queue_mail(
    config: Config, store: Store, spec: SourceConfig, report: SkpdReport, found: Changes, fence: Fence | None
) -> None:
    """One e-mail for this source and sync, into the store's outbox; sent after the sync (``notify_mail``).

    Queued before what the SKPD was told is saved: a sync that breaks in between queues it again next time (at
    least once), never not at all. Not queued while ``[notify]`` is off, so turning e-mail on later does not
    send a backlog of old news.
    """
    if not config.notify.enabled:
        logger.info("source %s: its list changed, but [notify] is not set up: no e-mail", spec.name)
        return
    if fence is not None:
        store.check_fence(fence)
    mail = change_mail(report, found, config.portal.title_id)
    MailOutbox(store.engine).enqueue(spec.name, spec.notify_email, mail.subject, mail.body)
