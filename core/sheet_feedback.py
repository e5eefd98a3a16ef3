"""What the portal tells an SKPD in its own sheet: a note on every problem cell, and its status worksheet.

Pure: the sync hands in the check report and the notes the sheet holds now; this module says which notes to
write and what the status worksheet shows. The Google calls are ``data_sources/jobs/sheet_write_back.py``.

A note is shared with the clerk. The portal's part always starts with ``MARKER`` on a line of its own and runs
to the end of the note; whatever stands above the marker is the clerk's and is kept word for word. So the
portal can add its part below a clerk's note, replace it, and take it away again without touching their text.

Nothing here ever holds a value validation masks: a note says what is wrong with the cell in the check report's
own message (masked by validation, and again here), so a NIK, phone number or e-mail address is named by its
kind only.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from core import contract
from core.formatting import date_time, long_date
from core.health_rules import StaleNotice, cell_link
from core.personal_data import mask_personal_data
from core.table import RawWorkbook, column_letter
from core.text import normalise_key
from core.validation import Counts, Issue

# The first line of the portal's part of every note it writes: how it knows its own text. Never change it
# without reading the old one too, or notes written before would be left behind as if a clerk wrote them.
MARKER = "⚑ Catatan otomatis Portal Transparansi Quick Win"
NOTE_FOOTER = "Catatan ini ditulis portal dan hilang sendiri pada sinkronisasi berikutnya setelah sel diperbaiki."
STATUS_WORKSHEET = "status_portal"
SEVERITY_WORDS = {
    "error": "Ditolak (baris ini tidak terbit)",
    "warning": "Peringatan (baris tetap terbit, mohon periksa)",
}
# The code column of each worksheet: a problem about a whole row goes on the row's code cell.
CODE_COLUMN = {"program": "kode_program", "capaian": "kode_program", "lokasi": "kode_lokasi"}
# The status worksheet lists at most this many problems; the rest are counted and are on the health page.
STATUS_PROBLEM_LIMIT = 2000


@dataclass(frozen=True, order=True)
class NoteCell:
    """A cell of a data worksheet, by the contract's worksheet name and its A1 reference."""

    worksheet: str
    a1: str


# --- notes ----------------------------------------------------------------------------------------


def code_column_letters(workbook: RawWorkbook) -> dict[str, str]:
    """The column letter of each worksheet's code column as the header shows it (clerks may move columns)."""
    letters: dict[str, str] = {}
    for spec in contract.WORKSHEETS:
        sheet = next((s for s in workbook.sheets if spec.matches_title(s.title)), None)
        spellings = spec.column(CODE_COLUMN[spec.name]).spellings()
        header = sheet.rows[0] if sheet is not None and sheet.rows else []
        for index, cell in enumerate(header):
            if not cell.is_blank and normalise_key(cell.shown()) in spellings:
                letters[spec.name] = column_letter(index)
                break
    return letters


def placed_issues(issues: Iterable[Issue], code_letters: Mapping[str, str]) -> dict[NoteCell, list[Issue]]:
    """Each problem's cell: its own, or for a problem about a whole row the row's code cell (column A when the
    code column cannot be found). A problem about a whole worksheet has no cell: the status worksheet has it."""
    placed: dict[NoteCell, list[Issue]] = {}
    for issue in issues:
        if issue.cell:
            a1 = issue.cell
        elif issue.row:
            a1 = f"{code_letters.get(issue.worksheet, 'A')}{issue.row}"
        else:
            continue
        placed.setdefault(NoteCell(issue.worksheet, a1), []).append(issue)
    return placed


def portal_note(issues: Sequence[Issue]) -> str:
    """The portal's part of one cell's note: the marker, each problem in the health page's words, the footer."""
    lines = [MARKER]
    for issue in issues:
        lines.append(f"{SEVERITY_WORDS.get(issue.severity, issue.severity)}: {mask_personal_data(issue.message.id)}")
    lines.append(NOTE_FOOTER)
    return "\n".join(lines)


def note_problems(note: str) -> list[str]:
    """The lines of the portal's part of a note between its marker and its footer: one per problem."""
    _, portal = split_note(note)
    return [line for line in (portal or "").split("\n")[1:] if line and line != NOTE_FOOTER]


def wanted_notes(issues: Iterable[Issue], code_letters: Mapping[str, str]) -> dict[NoteCell, str]:
    """The portal's part of the note of every problem cell."""
    return {cell: portal_note(found) for cell, found in sorted(placed_issues(issues, code_letters).items())}


def split_note(note: str) -> tuple[str, str | None]:
    """(the clerk's part, the portal's part or None). The portal's part starts at the marker line."""
    lines = note.split("\n")
    for index, line in enumerate(lines):
        if line.strip() == MARKER:
            return "\n".join(lines[:index]).rstrip(), "\n".join(lines[index:])
    return note, None


def merged_note(existing: str, portal: str | None) -> str:
    """The whole note once the portal's part is ``portal`` (None: no part): the clerk's part stays as it is."""
    clerk, _ = split_note(existing)
    if portal is None:
        return clerk
    return f"{clerk}\n\n{portal}" if clerk.strip() else portal


def note_writes(existing: Mapping[NoteCell, str], wanted: Mapping[NoteCell, str]) -> dict[NoteCell, str]:
    """The notes to write (the whole new note; "" clears the cell's note): only where something changes.

    A cell whose note holds a portal part that is no longer wanted loses that part alone; a cell whose note was
    only the portal's ends with no note.
    """
    writes: dict[NoteCell, str] = {}
    for cell in sorted(set(wanted) | {c for c, note in existing.items() if split_note(note)[1] is not None}):
        before = existing.get(cell, "")
        after = merged_note(before, wanted.get(cell))
        if after != before:
            writes[cell] = after
    return writes


# --- the report an SKPD gets ----------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    severity: str
    worksheet: str
    cell: str  # "" when the problem is about a whole worksheet
    message: str
    link: str | None = None

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.severity, self.worksheet, self.cell, self.message)

    def where(self) -> str:
        return f"{self.worksheet}!{self.cell}" if self.cell else self.worksheet

    def as_dict(self) -> dict[str, Any]:
        return {"severity": self.severity, "worksheet": self.worksheet, "cell": self.cell, "message": self.message}


@dataclass(frozen=True)
class Reminder:
    """A program stale now, or soon (``StaleNotice``), as it is remembered between syncs."""

    code: str
    name: str
    last_report: date | None
    stale_on: date
    stale: bool

    @property
    def key(self) -> tuple[str, bool]:
        return (self.code, self.stale)

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "last_report": self.last_report.isoformat() if self.last_report else None,
            "stale_on": self.stale_on.isoformat(),
            "stale": self.stale,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Reminder:
        last = data.get("last_report")
        return cls(
            str(data["code"]),
            str(data.get("name") or data["code"]),
            date.fromisoformat(last) if last else None,
            date.fromisoformat(str(data["stale_on"])),
            bool(data.get("stale")),
        )


def reminders(notices: Iterable[StaleNotice], today: date) -> tuple[Reminder, ...]:
    return tuple(Reminder(n.code, n.name, n.last_report, n.stale_on, n.stale(today)) for n in notices)


@dataclass(frozen=True)
class SkpdReport:
    """Everything the portal tells one SKPD after reading its sheet."""

    source: str
    skpd: str
    read_at: datetime
    counts: Mapping[str, Counts]
    problems: tuple[Problem, ...]
    reminders: tuple[Reminder, ...]
    health_url: str
    # Set when the sheet could not be published at all (a missing worksheet or required column).
    broken: str = ""
    sheet_url: str = ""

    @property
    def outcome(self) -> str:
        if self.broken:
            return (
                "Tidak terbit: sheet tidak dapat dipakai sampai masalah di bawah diperbaiki; data terakhir "
                "tetap tampil."
            )
        if any(p.severity == "error" for p in self.problems):
            return "Sebagian terbit: baris yang ditolak tidak tampil di portal sampai diperbaiki."
        if self.problems:
            return "Terbit, dengan peringatan yang perlu diperiksa."
        return "Terbit: semua baris diterima."

    def known(self) -> Known:
        return Known(tuple(self.problems), self.reminders)

    def fingerprint(self) -> str:
        """What the status worksheet says, without the read time: equal fingerprints need no write."""
        content = {
            "counts": {name: c.as_dict() for name, c in self.counts.items()},
            "problems": [[*p.key, p.link] for p in self.problems],
            "reminders": [r.as_dict() for r in self.reminders],
            "health_url": self.health_url,
            "broken": self.broken,
            "outcome": self.outcome,
        }
        return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def skpd_report(
    *,
    source: str,
    skpd: str,
    read_at: datetime,
    origin: str,
    worksheet_ids: Mapping[str, int],
    counts: Mapping[str, Counts],
    issues: Iterable[Issue],
    code_letters: Mapping[str, str],
    notices: Iterable[StaleNotice],
    today: date,
    health_url: str,
    broken: str = "",
    sheet_url: str = "",
) -> SkpdReport:
    """The report from a sync's check: each problem where its note goes, with a link that opens that cell."""
    problems = []
    for issue in issues:
        placed = placed_issues([issue], code_letters)
        cell = next(iter(placed)).a1 if placed else ""
        problems.append(
            Problem(
                issue.severity,
                issue.worksheet,
                cell,
                mask_personal_data(issue.message.id),
                cell_link(origin, worksheet_ids.get(issue.worksheet), cell or None),
            )
        )
    return SkpdReport(
        source, skpd, read_at, counts, tuple(problems), reminders(notices, today), health_url, broken, sheet_url
    )


# --- the status worksheet -------------------------------------------------------------------------


def status_rows(report: SkpdReport, interval_minutes: int) -> list[list[str]]:
    """The status worksheet's cells, row by row (text only: it is written as text, never as a formula)."""
    rows: list[list[str]] = [
        [
            "Status Portal Transparansi Quick Win",
            "Tab ini ditulis otomatis oleh portal; perubahan di sini akan ditimpa.",
        ],
        ["Sumber", f"{report.skpd} ({report.source})" if report.skpd else report.source],
        ["Isi tab ini dari pembacaan", f"{date_time(report.read_at, 'id')} WITA"],
        [
            "Kapan tab ini berubah",
            f"Portal membaca sheet ini kira-kira setiap {interval_minutes} menit dan menulis ulang tab ini hanya "
            "bila hasil pemeriksaannya berubah. Waktu baca terbaru ada di halaman kesehatan data.",
        ],
        ["Hasil", report.outcome],
        ["Halaman kesehatan data", report.health_url],
        [],
        ["Worksheet", "Baris", "Diterima", "Ditolak"],
    ]
    for name, c in report.counts.items():
        rows.append([name, str(c.rows), str(c.accepted), str(c.rejected)])
    rows += [[], ["Masalah", "Worksheet", "Sel", "Pesan", "Buka sel"]]
    if not report.problems:
        rows.append(["Tidak ada masalah."])
    for problem in report.problems[:STATUS_PROBLEM_LIMIT]:
        rows.append(
            [
                SEVERITY_WORDS.get(problem.severity, problem.severity),
                problem.worksheet,
                problem.cell,
                problem.message,
                problem.link or "",
            ]
        )
    if len(report.problems) > STATUS_PROBLEM_LIMIT:
        rows.append(
            [f"… dan {len(report.problems) - STATUS_PROBLEM_LIMIT} masalah lain: lihat halaman kesehatan data."]
        )
    rows += [
        [],
        ["Program yang laporannya basi atau akan basi dalam 7 hari", "Program", "Laporan terakhir", "Basi sejak"],
    ]
    if not report.reminders:
        rows.append(["Tidak ada."])
    for r in report.reminders:
        rows.append(
            [
                r.code,
                r.name,
                long_date(r.last_report, "id") if r.last_report else "belum ada laporan",
                long_date(r.stale_on, "id") + ("" if r.stale else " (akan datang)"),
            ]
        )
    return rows


# --- what changed since the last sync, and the e-mail that says it ------------------------------------


@dataclass(frozen=True)
class Known:
    """What an SKPD was last told: its problems and its reminders (kept in the store between syncs)."""

    problems: tuple[Problem, ...] = ()
    reminders: tuple[Reminder, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "problems": [p.as_dict() for p in self.problems],
            "reminders": [r.as_dict() for r in self.reminders],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> Known:
        if not data:
            return cls()
        problems = tuple(
            Problem(str(p["severity"]), str(p["worksheet"]), str(p.get("cell") or ""), str(p["message"]))
            for p in data.get("problems", [])
        )
        return cls(problems, tuple(Reminder.from_dict(r) for r in data.get("reminders", [])))


@dataclass(frozen=True)
class Changes:
    new_problems: tuple[Problem, ...] = ()
    fixed_problems: tuple[Problem, ...] = ()
    new_reminders: tuple[Reminder, ...] = ()
    cleared_reminders: tuple[Reminder, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.new_problems or self.fixed_problems or self.new_reminders or self.cleared_reminders)


def changes(before: Known, after: Known) -> Changes:
    """New and fixed problems, and reminders that appeared (or turned from "soon" to "stale") or went away."""
    old_p, new_p = {p.key for p in before.problems}, {p.key for p in after.problems}
    old_r, new_r = {r.key for r in before.reminders}, {r.key for r in after.reminders}
    still_listed = {r.code for r in after.reminders}
    return Changes(
        tuple(p for p in after.problems if p.key not in old_p),
        tuple(p for p in before.problems if p.key not in new_p),
        tuple(r for r in after.reminders if r.key not in old_r),
        # A program that turned from "soon" to "stale" is news under new_reminders, not a cleared one.
        tuple(r for r in before.reminders if r.key not in new_r and r.code not in still_listed),
    )


@dataclass(frozen=True)
class Mail:
    subject: str
    body: str


MAIL_LIST_LIMIT = 200


def _problem_lines(problems: Sequence[Problem], links: bool) -> list[str]:
    lines = []
    for p in problems[:MAIL_LIST_LIMIT]:
        lines.append(f"- {p.where()}: {SEVERITY_WORDS.get(p.severity, p.severity)}. {p.message}")
        if links and p.link:
            lines.append(f"  {p.link}")
    if len(problems) > MAIL_LIST_LIMIT:
        lines.append(f"- … dan {len(problems) - MAIL_LIST_LIMIT} lainnya (lihat halaman kesehatan data).")
    return lines


def _reminder_line(r: Reminder) -> str:
    last = long_date(r.last_report, "id") if r.last_report else "belum ada laporan"
    when = f"basi sejak {long_date(r.stale_on, 'id')}" if r.stale else f"akan basi pada {long_date(r.stale_on, 'id')}"
    return f"- {r.code} {r.name}: laporan terakhir {last}; {when}."


def change_mail(report: SkpdReport, found: Changes, portal_title: str) -> Mail:
    """One plain-text e-mail in Indonesian: what is new and what was fixed, with links; no cell values."""
    who = report.skpd or report.source
    parts = []
    if found.new_problems:
        parts.append(f"{len(found.new_problems)} masalah baru")
    if found.fixed_problems:
        parts.append(f"{len(found.fixed_problems)} sudah diperbaiki")
    if found.new_reminders:
        parts.append(f"{len(found.new_reminders)} pengingat laporan")
    subject = f"[{portal_title}] Sheet {who}: " + (", ".join(parts) or "pengingat selesai")
    lines = [
        f"Yth. pengelola data {who},",
        "",
        f"Portal membaca sheet Anda pada {date_time(report.read_at, 'id')} WITA dan menemukan perubahan sejak "
        "pemeriksaan sebelumnya.",
        f"Hasil: {report.outcome}",
        "",
    ]
    if found.new_problems:
        lines += ["Masalah baru:", *_problem_lines(found.new_problems, links=True), ""]
    if found.fixed_problems:
        lines += ["Sudah diperbaiki (tidak ditemukan lagi):", *_problem_lines(found.fixed_problems, links=False), ""]
    if found.new_reminders:
        lines += ["Program yang laporannya basi atau akan basi:", *(_reminder_line(r) for r in found.new_reminders), ""]
    if found.cleared_reminders:
        lines += ["Pengingat yang selesai (laporan sudah masuk atau program selesai):"]
        lines += [f"- {r.code} {r.name}" for r in found.cleared_reminders]
        lines.append("")
    still = len(report.problems)
    lines.append(
        f"Saat ini ada {still} masalah di sheet Anda." if still else "Saat ini tidak ada masalah di sheet Anda."
    )
    if report.sheet_url:
        lines.append(f"Sheet: {report.sheet_url}")
    lines += [
        f"Halaman kesehatan data: {report.health_url}",
        "",
        "E-mail ini dikirim otomatis oleh portal hanya bila daftar masalah atau pengingat berubah.",
    ]
    # Every message was masked when its Problem was made; links are not masked (a worksheet id is a long
    # number, and masking it would break the link).
    return Mail(subject, "\n".join(lines) + "\n")
