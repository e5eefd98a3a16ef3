"""Data health (Kesehatan Data): how each SKPD source is doing, and which programs stopped reporting.

Pure: it works on what the store already keeps (the source's state, the validation reports of its
runs and snapshots) and never reads a source itself.

Staleness rule: a program that is not finished (``Track.DONE``: status ``Selesai`` or realisation
100 %) is stale when its newest ``capaian`` report is more than ``stale_days`` days old. A program
with no report at all counts from its start date: it is stale once it has been running for more
than ``stale_days`` days without a single report, and never before it starts. Exactly
``stale_days`` days is not stale yet; the day after is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum
from typing import Any

from core.progress import ProgramProgress, Track
from core.sources import SourceState
from core.text import Text, normalise_key

DEFAULT_STALE_DAYS = 30
GOOGLE_SHEETS = "https://docs.google.com/spreadsheets/d/"

_KEY_IN_URL = re.compile(r"/spreadsheets/d/([a-zA-Z0-9_-]{20,})")
_BARE_KEY = re.compile(r"[a-zA-Z0-9_-]{20,}")
_A1 = re.compile(r"[A-Z]{1,3}[1-9][0-9]*")


def cell_link(sheet_url_or_key: str | None, gid: int | None, a1: str | None) -> str | None:
    """The address that opens a Google Sheet on one cell, or None when any part is unknown.

    ``https://docs.google.com/spreadsheets/d/<key>/edit#gid=<gid>&range=<A1>``; a local workbook
    (a file path) has no such address.
    """
    if not sheet_url_or_key or gid is None or not a1 or not _A1.fullmatch(a1):
        return None
    text = sheet_url_or_key.strip()
    match = _KEY_IN_URL.search(text)
    key = match.group(1) if match else (text if _BARE_KEY.fullmatch(text) else None)
    if key is None:
        return None
    return f"{GOOGLE_SHEETS}{key}/edit#gid={gid}&range={a1}"


# --- one source ----------------------------------------------------------------------------------


class SourceCondition(Enum):
    """What a source's heading says first; every page shows it with an icon and a word."""

    OK = "ok"
    WARNINGS = "warnings"
    REJECTED = "rejected"
    # Read fine, but a program it publishes has no recent report: the program page calls it late (issue #26).
    STALE = "stale"
    FAILED = "failed"
    NEVER_READ = "never_read"


@dataclass(frozen=True)
class WorksheetCounts:
    worksheet: str
    rows: int
    accepted: int
    rejected: int


@dataclass(frozen=True)
class HealthIssue:
    severity: str  # "error" (the row is rejected) or "warning" (published, but check it)
    worksheet: str
    row: int | None
    column: str | None
    cell: str | None
    value: str
    message: Text
    # Opens the sheet at the cell (Google sources whose worksheet id is known); None otherwise.
    link: str | None


@dataclass(frozen=True)
class SheetWrite:
    """How the last write of a source's check report into its own sheet went (``write_back``)."""

    outcome: str  # "written", "unchanged", "refused" (403) or "failed"
    message: Text | None
    attempt_at: datetime | None
    written_at: datetime | None
    # The service account's address: whom to share the sheet with as Editor.
    account: str | None = None

    @property
    def refused(self) -> bool:
        return self.outcome == "refused"

    @property
    def failed(self) -> bool:
        return self.outcome in ("refused", "failed")


@dataclass(frozen=True)
class SourceHealth:
    name: str
    skpd: str
    sample: bool
    origin: str | None
    # The newest read that did not fail (its content may or may not have changed).
    last_good_read: datetime | None
    # When the published content last changed: the newest snapshot's read time.
    last_change: datetime | None
    last_attempt: datetime | None
    last_outcome: str | None  # "new", "unchanged", "failed" or None (never tried)
    last_message: Text
    counts: tuple[WorksheetCounts, ...]
    issues: tuple[HealthIssue, ...]
    # When the report the counts and issues come from was made.
    checked_at: datetime | None
    # How writing the report into the SKPD's own sheet last went (None: the source does not write back).
    sheet: SheetWrite | None = None

    @property
    def label(self) -> str:
        return self.skpd or self.name

    @property
    def failed(self) -> bool:
        return self.last_outcome == "failed"

    @property
    def has_data(self) -> bool:
        return self.last_change is not None

    @property
    def errors(self) -> list[HealthIssue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[HealthIssue]:
        return [i for i in self.issues if i.severity != "error"]

    @property
    def rejected(self) -> int:
        return sum(c.rejected for c in self.counts)

    @property
    def condition(self) -> SourceCondition:
        """The condition of the reads alone; a page that knows the source's stale programs uses
        ``condition_with_stale``."""
        return self.condition_with_stale(0)

    def condition_with_stale(self, stale_programs: int) -> SourceCondition:
        """The word for the source, given how many of its programs are stale (``stale_programs``).

        A source whose program the program page marks as late is never "Baik": a failed read, no data and rejected
        rows say more urgent things first; a stale program outranks warnings, which are published and current.
        """
        if self.failed:
            return SourceCondition.FAILED
        if not self.has_data:
            return SourceCondition.NEVER_READ
        if self.rejected or self.errors:
            return SourceCondition.REJECTED
        if stale_programs:
            return SourceCondition.STALE
        if self.warnings:
            return SourceCondition.WARNINGS
        return SourceCondition.OK


def report_issues(report: Mapping[str, Any] | None) -> list[HealthIssue]:
    """The issues of a stored validation report, each with a link to its cell when one can be made."""
    if not report:
        return []
    origin = report.get("source")
    ids: Mapping[str, int] = report.get("worksheet_ids") or {}
    found = []
    for issue in report.get("issues", []):
        worksheet = str(issue.get("worksheet") or "")
        message_id = str(issue.get("message") or "")
        found.append(
            HealthIssue(
                severity=str(issue.get("severity") or "error"),
                worksheet=worksheet,
                row=issue.get("row"),
                column=issue.get("column"),
                cell=issue.get("cell"),
                value=str(issue.get("value") or ""),
                message=Text(message_id, str(issue.get("message_en") or message_id)),
                link=cell_link(origin, ids.get(worksheet), issue.get("cell")),
            )
        )
    return found


def report_counts(report: Mapping[str, Any] | None) -> list[WorksheetCounts]:
    if not report:
        return []
    return [
        WorksheetCounts(name, int(c.get("rows", 0)), int(c.get("accepted", 0)), int(c.get("rejected", 0)))
        for name, c in (report.get("counts") or {}).items()
    ]


def source_health(
    state: SourceState,
    *,
    last_report: Mapping[str, Any] | None = None,
    good_read_at: datetime | None = None,
    good_report: Mapping[str, Any] | None = None,
    snapshot_report: Mapping[str, Any] | None = None,
    sheet: SheetWrite | None = None,
) -> SourceHealth:
    """One source's health from what the store keeps.

    ``last_report``: the newest attempt's report (a read that failed outright has none; a sheet
    missing a worksheet or a required column has one, naming the problem). ``good_read_at`` and
    ``good_report``: the newest attempt that did not fail. ``snapshot_report``: the newest
    snapshot's. The counts and issues come from the newest of these that exists, so a clerk sees
    what the portal found the last time it could look.
    """
    if last_report:
        report, checked_at = last_report, state.last_attempt_at
    elif good_report:
        report, checked_at = good_report, good_read_at
    else:
        report, checked_at = snapshot_report, state.read_at if snapshot_report else None
    return SourceHealth(
        name=state.name,
        skpd=state.skpd,
        sample=state.sample,
        origin=state.origin or (str(report["source"]) if report and report.get("source") else None),
        # A snapshot is only written by a good read, so there was one at least that recent.
        last_good_read=good_read_at or state.read_at,
        last_change=state.read_at,
        last_attempt=state.last_attempt_at,
        last_outcome=state.last_outcome,
        last_message=state.last_message,
        counts=tuple(report_counts(report)),
        issues=tuple(report_issues(report)),
        checked_at=checked_at,
        sheet=sheet,
    )


# --- the SKPD filter -----------------------------------------------------------------------------


def skpd_options(sources: Iterable[SourceHealth]) -> list[str]:
    """Each SKPD once, in config order (one office may keep more than one sheet)."""
    return list(dict.fromkeys(s.label for s in sources))


def resolve_skpd(asked: Iterable[str], sources: Iterable[SourceHealth]) -> tuple[list[str], list[str]]:
    """The SKPDs a link asks for, and the values it gives that match none.

    A value matches an SKPD as shown or a source's name, whatever its case and spacing, so both
    ``?skpd=Dinas PUPR`` and ``?skpd=pupr`` bookmark that office's view.
    """
    by_key: dict[str, str] = {}
    for source in sources:
        by_key.setdefault(normalise_key(source.label), source.label)
        by_key.setdefault(normalise_key(source.name), source.label)
    chosen: list[str] = []
    unknown: list[str] = []
    for value in asked:
        label = by_key.get(normalise_key(value))
        if label is None:
            unknown.append(value)
        elif label not in chosen:
            chosen.append(label)
    return chosen, unknown


# --- staleness -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StaleProgram:
    code: str
    name: str
    skpd: str
    # The newest capaian report's date; None when there is none and ``days`` counts from ``since``.
    last_report: date | None
    # The day ``days`` counts from: the newest report's date, else the program's start date.
    since: date
    days: int


def _stale(item: ProgramProgress, today: date, stale_days: int) -> StaleProgram | None:
    if item.track is Track.DONE:
        return None  # a finished program has nothing left to report
    since = item.as_of or item.program.get("tanggal_mulai")
    if not isinstance(since, date):
        return None
    days = (today - since).days
    if days <= stale_days:
        return None
    return StaleProgram(
        code=item.code,
        name=str(item.program.get("nama_program") or item.code),
        skpd=str(item.program.get("skpd") or ""),
        last_report=item.as_of,
        since=since,
        days=days,
    )


def stale_programs(progress: Iterable[ProgramProgress], today: date, stale_days: int) -> list[StaleProgram]:
    """The programs that stopped reporting (see the module docstring), in the order given.

    ``ProgramProgress.latest`` is already each program's newest report by date, so the reports
    themselves are not needed here.
    """
    found = (_stale(item, today, stale_days) for item in progress)
    return [s for s in found if s is not None]


def stale_by_code(progress: Iterable[ProgramProgress], today: date, stale_days: int) -> dict[str, StaleProgram]:
    return {s.code: s for s in stale_programs(progress, today, stale_days)}


# How many days ahead an SKPD is told that a program will go stale (its sheet's status tab and its e-mail).
REMIND_DAYS = 7


@dataclass(frozen=True)
class StaleNotice:
    """A program that is stale, or will be within ``REMIND_DAYS``: what an SKPD is reminded of.

    ``stale_on`` is the first day the program counts as stale (the day after ``stale_days`` have passed since
    ``since``); it does not move from one day to the next, so a reminder is told once, not daily.
    """

    code: str
    name: str
    last_report: date | None
    since: date
    stale_on: date

    def stale(self, today: date) -> bool:
        return today >= self.stale_on


def stale_reminders(
    progress: Iterable[ProgramProgress], today: date, stale_days: int, within_days: int = REMIND_DAYS
) -> list[StaleNotice]:
    """The programs stale today or by ``within_days`` from today, by the same rule as ``stale_programs``."""
    horizon = today + timedelta(days=within_days)
    found = (_stale(item, horizon, stale_days) for item in progress)
    return [
        StaleNotice(s.code, s.name, s.last_report, s.since, s.since + timedelta(days=stale_days + 1))
        for s in found
        if s is not None
    ]
