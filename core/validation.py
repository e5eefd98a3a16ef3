"""Validate a raw workbook against the sheet contract, cell by cell.

One bad row never blocks the rest: every row is judged on its own and valid rows are accepted.
Every problem names its worksheet, its row and A1 cell as the sheet shows them, the raw value,
and a message in Indonesian and English a clerk can act on.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from core import contract, personal_data
from core.contract import Column, Kind, Worksheet
from core.formatting import long_date, number, percent
from core.table import Cell, RawSheet, RawWorkbook, column_letter
from core.text import Text, clean_text
from core.values import (
    POINT_FORM,
    CellProblem,
    Parsed,
    normalise_key,
    parse_choice,
    parse_coordinates,
    parse_date,
    parse_number,
    parse_percent,
    parse_rupiah,
    parse_text,
    parse_url,
)
from core.wilayah import KECAMATAN, KELURAHAN, closest_name, nearest_kelurahan, official_kecamatan, official_kelurahan

Severity = Literal["error", "warning"]
Row = dict[str, Any]

# Shown instead of a raw value that would reveal a private home (lokasi_pribadi = ya).
HIDDEN = "(disembunyikan: lokasi pribadi)"
# Identifiers: personal data in them cannot be masked (the masked code would join the wrong rows), so the
# row is rejected instead.
CODE_COLUMNS = ("kode_program", "kode_lokasi")
# What a link may not carry: an address or a phone number (a WhatsApp link is one).
LINK_PERSONAL_KINDS = (personal_data.Kind.EMAIL, personal_data.Kind.PHONE)


@dataclass(frozen=True)
class Issue:
    severity: Severity
    worksheet: str
    row: int | None
    column: str | None
    cell: str | None
    value: str
    message: Text

    def as_dict(self) -> dict[str, Any]:
        return {
            "severity": self.severity,
            "worksheet": self.worksheet,
            "row": self.row,
            "column": self.column,
            "cell": self.cell,
            "value": self.value,
            "message": self.message.id,
            "message_en": self.message.en,
        }


@dataclass
class Counts:
    rows: int = 0
    accepted: int = 0
    rejected: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"rows": self.rows, "accepted": self.accepted, "rejected": self.rejected}


@dataclass
class ValidationResult:
    origin: str
    # Accepted rows per worksheet, keyed by contract column name; "_row" is the sheet row and
    # "_refs" the A1 reference of each column's cell (keys starting with "_" are not content).
    rows: dict[str, list[Row]]
    counts: dict[str, Counts]
    issues: list[Issue] = field(default_factory=list)
    # Google's worksheet id (the URL's gid) per worksheet, keyed like ``Issue.worksheet``: by the
    # contract's name, which may differ from the title as typed ("Program ", an alias). Only the
    # worksheets whose id the reader knew; empty for local workbooks.
    worksheet_ids: dict[str, int] = field(default_factory=dict)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "warning"]

    def report(self) -> dict[str, Any]:
        """The report in the shape ``check --json`` prints.

        ``worksheet_ids`` is there only when at least one worksheet id is known (Google sources).
        """
        report: dict[str, Any] = {
            "source": self.origin,
            "counts": {name: c.as_dict() for name, c in self.counts.items()},
            "issues": [i.as_dict() for i in self.issues],
        }
        if self.worksheet_ids:
            report["worksheet_ids"] = dict(self.worksheet_ids)
        return report


# --- reading one worksheet into rows of cells keyed by column -------------------------------


@dataclass
class _Located:
    """A sheet row with each contract column's cell and its A1 reference."""

    number: int
    cells: dict[str, tuple[Cell, str]]
    errors: int = 0
    values: Row = field(default_factory=dict)


class _Report:
    def __init__(self) -> None:
        self.issues: list[Issue] = []

    def add(
        self,
        severity: Severity,
        sheet: str,
        row: int | None,
        column: str | None,
        cell: str | None,
        value: str,
        message: Text,
    ) -> None:
        # A report is published (the health page, check --json): a value or a message that echoes a cell
        # never carries the personal data or the bidi controls the cell held.
        shown = personal_data.mask_personal_data(clean_text(value))
        told = Text(personal_data.mask_personal_data(message.id), personal_data.mask_personal_data(message.en))
        self.issues.append(Issue(severity, sheet, row, column, cell, shown, told))


def _find_sheet(workbook: RawWorkbook, spec: Worksheet) -> RawSheet | None:
    return next((s for s in workbook.sheets if spec.matches_title(s.title)), None)


def _map_headers(sheet: RawSheet, spec: Worksheet, report: _Report) -> dict[str, int] | None:
    """Column name -> index; None when a required column is missing or doubled (the error is reported)."""
    found = _read_header(sheet, spec, report)
    duplicated = _drop_duplicated(found)
    if any(spec.column(name).required for name in duplicated):
        return None  # already reported as a duplicate; a required column read from a guess is worse
    if _report_missing_required(sheet, spec, found, report):
        return None
    return found


def _read_header(sheet: RawSheet, spec: Worksheet, report: _Report) -> dict[str, int]:
    """Contract column name -> index of its header cell, -1 for a column found twice.

    Personal-data and unknown headers are reported and skipped, in the order the header shows them.
    """
    header = sheet.rows[0] if sheet.rows else []
    by_spelling = {spelling: col.name for col in spec.columns for spelling in col.spellings()}
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        if cell.is_blank:
            continue
        raw = cell.shown().strip()
        key = normalise_key(raw)
        ref = f"{column_letter(index)}1"
        if key in contract.PERSONAL_DATA_COLUMNS or (key not in by_spelling and contract.is_personal_column(raw)):
            report.add(
                "warning",
                spec.name,
                1,
                raw,
                ref,
                raw,
                Text(
                    f"Kolom '{raw}' berisi data pribadi dan tidak disimpan maupun ditampilkan. "
                    "Hapus kolom ini dari sheet publik.",
                    f"Column '{raw}' holds personal data and is neither stored nor shown. "
                    "Remove it from the public sheet.",
                ),
            )
            continue
        name = by_spelling.get(key)
        if name is None:
            report.add(
                "warning",
                spec.name,
                1,
                raw,
                ref,
                raw,
                Text(
                    f"Kolom '{raw}' tidak dikenal dan diabaikan. Lihat kontrak sheet untuk nama kolom.",
                    f"Column '{raw}' is not part of the contract and is ignored. "
                    "See the sheet contract for column names.",
                ),
            )
            continue
        if name in found:
            report.add(
                "error",
                spec.name,
                1,
                name,
                ref,
                raw,
                Text(
                    f"Kolom '{name}' muncul dua kali (juga di {column_letter(found[name])}1). "
                    "Hapus salah satunya; kolom ini tidak dibaca sampai diperbaiki.",
                    f"Column '{name}' appears twice (also at {column_letter(found[name])}1). "
                    "Remove one; the column is not read until this is fixed.",
                ),
            )
            found[name] = -1
            continue
        found[name] = index
    return found


def _drop_duplicated(found: dict[str, int]) -> list[str]:
    """Remove the columns ``_read_header`` found twice from ``found``; return their names."""
    # Neither copy is read: which one the clerk meant is a guess.
    duplicated = [name for name, index in found.items() if index < 0]
    for name in duplicated:
        del found[name]
    return duplicated


def _report_missing_required(sheet: RawSheet, spec: Worksheet, found: dict[str, int], report: _Report) -> bool:
    """Report the required columns absent from ``found`` in one error; True when there were any."""
    missing = [c.name for c in spec.columns if c.required and c.name not in found]
    if not missing:
        return False
    names = ", ".join(missing)
    report.add(
        "error",
        spec.name,
        1,
        missing[0],
        None,
        "",
        Text(
            f"Kolom wajib tidak ada di baris judul worksheet '{sheet.title}': {names}. "
            "Tambahkan kolom tersebut; tidak ada baris yang diterbitkan sampai ada.",
            f"Required column(s) missing from the header row of worksheet '{sheet.title}': "
            f"{names}. Add them; no row is published until they exist.",
        ),
    )
    return True


def _locate_rows(sheet: RawSheet, columns: dict[str, int]) -> list[_Located]:
    located = []
    for offset, cells in enumerate(sheet.rows[1:]):
        if all(c.is_blank for c in cells):
            continue
        number = offset + 2
        row: dict[str, tuple[Cell, str]] = {}
        for name, index in columns.items():
            cell = cells[index] if index < len(cells) else Cell(None)
            row[name] = (cell, f"{column_letter(index)}{number}")
        located.append(_Located(number, row))
    return located


# --- parsing cells --------------------------------------------------------------------------


def _parse(column: Column, cell: Cell, locale: str, certain: bool) -> Parsed[Any]:
    if column.kind is Kind.TEXT:
        return parse_text(cell)
    if column.kind is Kind.NUMBER:
        return parse_number(cell, locale, certain)
    if column.kind is Kind.PERCENT:
        return parse_percent(cell, locale, certain)
    if column.kind is Kind.RUPIAH:
        return parse_rupiah(cell, locale, certain)
    if column.kind is Kind.DATE:
        return parse_date(cell, locale)
    if column.kind is Kind.URL:
        return parse_url(cell)
    if column.kind is Kind.COORDINATES:
        return parse_coordinates(cell)
    allowed = [c.canonical for c in column.choices]
    return parse_choice(cell, contract.choice_map(column.choices), allowed)


def _bounds_problem(column: Column, value: float) -> Text | None:
    if not isinstance(value, float):
        return None
    low, high = column.minimum, column.maximum
    too_low = low is not None and (value <= low if column.minimum_exclusive else value < low)
    too_high = high is not None and value > high
    if not (too_low or too_high):
        return None
    name = column.name
    got_id, got_en = number(value, "id", 4), number(value, "en", 4)
    if low is not None and high is not None:
        return Text(
            f"{name} berisi {got_id}; nilainya harus antara {low:g} dan {high:g}.",
            f"{name} holds {got_en}; it must be between {low:g} and {high:g}.",
        )
    if column.minimum_exclusive:
        return Text(
            f"{name} berisi {got_id}; nilainya harus lebih dari {low:g}.",
            f"{name} holds {got_en}; it must be greater than {low:g}.",
        )
    return Text(
        f"{name} berisi {got_id}; nilainya tidak boleh kurang dari {low:g}.",
        f"{name} holds {got_en}; it may not be less than {low:g}.",
    )


class _SheetCheck:
    """Parses and checks the rows of one worksheet, collecting issues as it goes."""

    def __init__(self, spec: Worksheet, rows: list[_Located], report: _Report, workbook: RawWorkbook) -> None:
        self.spec, self.rows, self.report = spec, rows, report
        self.locale, self.locale_known = workbook.locale, workbook.locale_known
        # Whether a row's site is a private home, whose raw values must not be echoed.
        self.hide: Callable[[_Located], bool] = lambda row: False

    def shown(self, row: _Located, column: str, cell: Cell) -> str:
        if column in ("koordinat", "nama_lokasi", "keterangan") and self.hide(row):
            return HIDDEN
        return cell.shown()

    def flag(self, severity: Severity, row: _Located, column: str, message: Text) -> None:
        cell, ref = row.cells.get(column, (Cell(None), None))
        if column == "koordinat" and self.hide(row):
            # The parser's message quotes the point, which here is somebody's home.
            message = Text(
                "Koordinat lokasi pribadi ini tidak dapat dipakai (tidak terbaca, tertukar, atau di "
                f"luar Kota Banjarmasin). Periksa sel ini; nilainya tidak ditampilkan demi privasi. {POINT_FORM.id}",
                "The coordinates of this private site cannot be used (unreadable, swapped or outside "
                f"Banjarmasin). Check this cell; its value is not shown, for privacy. {POINT_FORM.en}",
            )
        self.report.add(severity, self.spec.name, row.number, column, ref, self.shown(row, column, cell), message)
        if severity == "error":
            row.errors += 1

    def parse_cells(self) -> None:
        for row in self.rows:
            for column in self.spec.columns:
                if column.name not in row.cells:
                    row.values[column.name] = column.default
                    continue
                cell, _ = row.cells[column.name]
                if cell.is_blank:
                    row.values[column.name] = column.default
                    if column.required:
                        self.flag(
                            "error",
                            row,
                            column.name,
                            Text(
                                f"Kolom '{column.name}' wajib diisi.",
                                f"Column '{column.name}' must be filled in.",
                            ),
                        )
                    continue
                try:
                    parsed = _parse(column, cell, self.locale, self.locale_known)
                except CellProblem as problem:
                    row.values[column.name] = None
                    self.flag("error", row, column.name, problem.message)
                    continue
                row.values[column.name] = parsed.value
                if column.kind is Kind.TEXT and personal_data.may_hold(parsed.value):
                    row.values[column.name] = self.without_personal_data(row, column.name, parsed.value)
                if column.kind is Kind.URL and personal_data.may_hold(parsed.value):
                    row.values[column.name] = self.link_without_personal_data(row, column.name, parsed.value)
                if parsed.warning:
                    self.flag("warning", row, column.name, parsed.warning)
                if bounds := _bounds_problem(column, parsed.value):
                    self.flag("error", row, column.name, bounds)

    def without_personal_data(self, row: _Located, column: str, text: str) -> str:
        """``text`` with NIKs, phone numbers and e-mail addresses masked, and the cell told why.

        Masked here, on the way in, so every page, download, open-data file, OC4IDS record and the
        history read the masked text from the snapshot. A code holding them is rejected instead.
        """
        masked, kinds = personal_data.masked_kinds(text)
        if not kinds:
            return text
        ref = row.cells[column][1]
        what = personal_data.describe(kinds)
        if column in CODE_COLUMNS:
            self.flag(
                "error",
                row,
                column,
                Text(
                    f"Sel {ref} ({column}) berisi data pribadi: {what.id}. Kode tidak boleh memuat NIK, nomor "
                    "telepon atau alamat e-mail (UU 27/2022 Perlindungan Data Pribadi); baris ini ditolak. "
                    "Pakai kode lain, mis. RTLH-001.",
                    f"Cell {ref} ({column}) holds personal data: {what.en}. A code may not contain a NIK, a "
                    "phone number or an e-mail address (Indonesia's personal data protection law, UU 27/2022); "
                    "this row is rejected. Use another code, e.g. RTLH-001.",
                ),
            )
            return masked
        self.flag(
            "warning",
            row,
            column,
            Text(
                f"Sel {ref} ({column}) berisi data pribadi: {what.id}. Bagian itu diganti {personal_data.MASK} "
                "sebelum diterbitkan, karena data pribadi tidak boleh tampil di portal publik (UU 27/2022 "
                "Perlindungan Data Pribadi). Hapus dari sel ini.",
                f"Cell {ref} ({column}) holds personal data: {what.en}. It was replaced by {personal_data.MASK} "
                "before publishing, because personal data may not appear on the public portal (Indonesia's "
                "personal data protection law, UU 27/2022). Remove it from this cell.",
            ),
        )
        return masked

    def link_without_personal_data(self, row: _Located, column: str, url: str) -> str | None:
        """A link that carries an e-mail address or a phone number (``wa.me/62812…``, ``?email=…``) is not
        published, and the cell is told why. A link cannot be masked and still work. Long numbers alone are left:
        a post's id on Facebook or Instagram looks like a NIK and is not one."""
        found = [f for f in personal_data.find_personal_data(url) if f.kind in LINK_PERSONAL_KINDS]
        if not found:
            return url
        ref = row.cells[column][1]
        what = personal_data.describe(Counter(f.kind for f in found))
        self.flag(
            "warning",
            row,
            column,
            Text(
                f"Sel {ref} ({column}) memuat data pribadi di tautannya: {what.id}. Tautan ini tidak diterbitkan "
                "(UU 27/2022 Perlindungan Data Pribadi); ganti dengan tautan tanpa nomor telepon atau e-mail.",
                f"Cell {ref} ({column}) carries personal data in its link: {what.en}. The link is not published "
                "(Indonesia's personal data protection law, UU 27/2022); use a link without a phone number or "
                "an e-mail address.",
            ),
        )
        return None

    def unique(self, column: str) -> None:
        seen: dict[Any, int] = {}
        for row in self.rows:
            value = row.values.get(column)
            if value in (None, ""):
                continue
            if value in seen:
                self.flag(
                    "error",
                    row,
                    column,
                    Text(
                        f"'{value}' sudah dipakai di baris {seen[value]}. Setiap {column} harus unik.",
                        f"'{value}' is already used in row {seen[value]}. Each {column} must be unique.",
                    ),
                )
            else:
                seen[value] = row.number

    def program_exists(self, accepted: set[str], rejected: set[str]) -> None:
        for row in self.rows:
            code = row.values.get("kode_program")
            if not code or code in accepted:
                continue
            if code in rejected:
                message = Text(
                    f"Program '{code}' ada di worksheet program tetapi barisnya ditolak. "
                    "Perbaiki baris program tersebut dulu.",
                    f"Program '{code}' is in the program worksheet but its row was rejected. "
                    "Fix that program row first.",
                )
            else:
                message = Text(
                    f"Program '{code}' tidak ada di worksheet program. Periksa ejaan kode_program.",
                    f"Program '{code}' is not in the program worksheet. Check the kode_program spelling.",
                )
            self.flag("error", row, "kode_program", message)

    def accepted(self) -> list[Row]:
        return [
            {**r.values, "_row": r.number, "_refs": {name: ref for name, (_, ref) in r.cells.items()}}
            for r in self.rows
            if r.errors == 0
        ]


# --- worksheet-specific rules ---------------------------------------------------------------


def _program_rules(check: _SheetCheck) -> None:
    check.unique("kode_program")
    for row in check.rows:
        start, end = row.values.get("tanggal_mulai"), row.values.get("tanggal_selesai")
        if isinstance(start, date) and isinstance(end, date) and end < start:
            check.flag(
                "error",
                row,
                "tanggal_selesai",
                Text(
                    f"Tanggal selesai ({long_date(end, 'id')}) sebelum tanggal mulai ({long_date(start, 'id')}).",
                    f"The end date ({long_date(end, 'en')}) is before the start date ({long_date(start, 'en')}).",
                ),
            )


def _capaian_rules(check: _SheetCheck, today: date) -> None:
    _check_capaian_dates(check, today)
    # Dates first: a row they reject is neither warned about nor compared with later reports.
    _check_status_against_realisation(check)
    _check_realisation_never_falls(check)


def _check_capaian_dates(check: _SheetCheck, today: date) -> None:
    """Each report date is in the past and appears once per program."""
    seen: dict[tuple[str, date], int] = {}
    for row in check.rows:
        code, when = row.values.get("kode_program"), row.values.get("tanggal")
        if not isinstance(when, date):
            continue
        if when > today:
            check.flag(
                "error",
                row,
                "tanggal",
                Text(
                    f"Tanggal {long_date(when, 'id')} belum terjadi (hari ini {long_date(today, 'id')}). "
                    "Laporan capaian hanya untuk tanggal yang sudah lewat.",
                    f"The date {long_date(when, 'en')} is in the future (today is {long_date(today, 'en')}). "
                    "Progress can only be reported for past dates.",
                ),
            )
        if code and (code, when) in seen:
            check.flag(
                "error",
                row,
                "tanggal",
                Text(
                    f"Program '{code}' sudah punya laporan bertanggal {long_date(when, 'id')} "
                    f"di baris {seen[(code, when)]}. Hapus salah satunya.",
                    f"Program '{code}' already has a report dated {long_date(when, 'en')} in row "
                    f"{seen[(code, when)]}. Remove one of them.",
                ),
            )
        elif code:
            seen[(code, when)] = row.number


def _check_status_against_realisation(check: _SheetCheck) -> None:
    """Warn where 'Selesai' and a realisation of 100 % do not go together, on rows without errors."""
    for row in check.rows:
        status, real = row.values.get("status"), row.values.get("realisasi_persen")
        if row.errors or not isinstance(real, float):
            continue
        if status == contract.STATUS_DONE and real < 100:
            check.flag(
                "warning",
                row,
                "status",
                Text(
                    f"Status 'Selesai' tetapi realisasi {percent(real, 'id')}. Periksa status atau realisasinya.",
                    f"Status 'Selesai' but the realisation is {percent(real, 'en')}. "
                    "Check the status or the realisation.",
                ),
            )
        elif real >= 100 and status != contract.STATUS_DONE:
            check.flag(
                "warning",
                row,
                "status",
                Text(
                    f"Realisasi 100% tetapi status '{status}'. Jika sudah selesai, tulis 'Selesai'.",
                    f"The realisation is 100% but the status is '{status}'. If it is finished, write 'Selesai'.",
                ),
            )


def _check_realisation_never_falls(check: _SheetCheck) -> None:
    """Warn on an accepted report whose realisation is below the program's previous one, by date."""
    # Journalists want to see a figure that went down; it is published, and flagged.
    previous: dict[str, _Located] = {}
    ordered = sorted((r for r in check.rows if r.errors == 0), key=lambda r: r.values["tanggal"])
    for row in ordered:
        code = row.values["kode_program"]
        before = previous.get(code)
        if before and row.values["realisasi_persen"] < before.values["realisasi_persen"]:
            was, now = before.values["realisasi_persen"], row.values["realisasi_persen"]
            then = before.values["tanggal"]
            check.flag(
                "warning",
                row,
                "realisasi_persen",
                Text(
                    f"Realisasi turun dari {percent(was, 'id')} ({long_date(then, 'id')}, baris {before.number}) "
                    f"menjadi {percent(now, 'id')}. Angka kumulatif biasanya tidak turun; jika ini koreksi, "
                    "jelaskan di keterangan.",
                    f"The realisation went down from {percent(was, 'en')} ({long_date(then, 'en')}, "
                    f"row {before.number}) to {percent(now, 'en')}. Cumulative figures rarely go down; "
                    "if this is a correction, explain it in keterangan.",
                ),
            )
        previous[code] = row


def _lokasi_rules(check: _SheetCheck, private_programs: set[str]) -> None:
    check.unique("kode_lokasi")
    for row in check.rows:
        points = row.values.get("koordinat")
        kind = row.values.get("jenis")
        if isinstance(points, list):
            if kind is None:
                row.values["jenis"] = kind = "ruas" if len(points) > 1 else "titik"
            if kind == "titik" and len(points) != 1:
                check.flag(
                    "error",
                    row,
                    "koordinat",
                    Text(
                        f"Jenis 'titik' butuh tepat satu koordinat, ada {len(points)}. "
                        "Untuk garis, tulis jenis 'ruas'.",
                        f"Kind 'titik' needs exactly one coordinate pair, found {len(points)}. "
                        "For a line, write kind 'ruas'.",
                    ),
                )
            elif kind == "ruas" and len(points) < 2:
                check.flag(
                    "error",
                    row,
                    "koordinat",
                    Text(
                        "Jenis 'ruas' butuh dua titik atau lebih, dipisah titik koma: -3.31 114.62; -3.30 114.62.",
                        "Kind 'ruas' needs two or more points, separated by semicolons: -3.31 114.62; -3.30 114.62.",
                    ),
                )
        _check_area(check, row)
        if row.values.get("kode_program") in private_programs:
            _coarsen_private_site(row)


def _check_area(check: _SheetCheck, row: _Located) -> None:
    kec = row.values.get("kecamatan")
    if kec:
        official = official_kecamatan(kec)
        if official:
            row.values["kecamatan"] = official
        else:
            suggestion = closest_name(kec, list(KECAMATAN))
            check.flag(
                "warning",
                row,
                "kecamatan",
                Text(
                    f"Kecamatan '{kec}' tidak ada di daftar resmi. Mungkin maksudnya '{suggestion}'?",
                    f"Kecamatan '{kec}' is not in the official list. Did you mean '{suggestion}'?",
                ),
            )
    kel = row.values.get("kelurahan")
    if not kel:
        return
    official_kel = official_kelurahan(kel)
    if official_kel is None:
        suggestion = closest_name(kel, [k.nama for k in KELURAHAN])
        check.flag(
            "warning",
            row,
            "kelurahan",
            Text(
                f"Kelurahan '{kel}' tidak ada di daftar resmi. Mungkin maksudnya '{suggestion}'?",
                f"Kelurahan '{kel}' is not in the official list. Did you mean '{suggestion}'?",
            ),
        )
        return
    row.values["kelurahan"] = official_kel
    home = next(k.kecamatan for k in KELURAHAN if k.nama == official_kel)
    if row.values.get("kecamatan") in KECAMATAN and row.values["kecamatan"] != home:
        check.flag(
            "warning",
            row,
            "kecamatan",
            Text(
                f"Kelurahan {official_kel} berada di kecamatan {home}, bukan {row.values['kecamatan']}.",
                f"Kelurahan {official_kel} is in kecamatan {home}, not {row.values['kecamatan']}.",
            ),
        )
    elif not row.values.get("kecamatan"):
        row.values["kecamatan"] = home


def _coarsen_private_site(row: _Located) -> None:
    """A private home is kept only as its kelurahan: its exact point, name and notes are dropped."""
    points = row.values.get("koordinat")
    official = official_kelurahan(row.values.get("kelurahan") or "")
    if official is None and isinstance(points, list) and points:
        official = nearest_kelurahan(*points[0])
    area = next((k for k in KELURAHAN if k.nama == official), None)
    row.values["koordinat"] = [(area.lat, area.lon)] if area else None
    row.values["jenis"] = "titik"
    row.values["kelurahan"] = area.nama if area else None
    row.values["kecamatan"] = area.kecamatan if area else row.values.get("kecamatan")
    row.values["nama_lokasi"] = f"Rumah {row.values.get('kode_lokasi')}"
    row.values["keterangan"] = None


# --- the whole workbook ---------------------------------------------------------------------


def _missing_sheet(report: _Report, spec: Worksheet, workbook: RawWorkbook) -> None:
    present = ", ".join(s.title for s in workbook.sheets) or "-"
    report.add(
        "error",
        spec.name,
        None,
        None,
        None,
        "",
        Text(
            f"Worksheet '{spec.name}' tidak ditemukan (yang ada: {present}). Tambahkan worksheet "
            f"bernama '{spec.name}' sesuai kontrak sheet.",
            f"Worksheet '{spec.name}' was not found (present: {present}). Add a worksheet named "
            f"'{spec.name}' as the sheet contract describes.",
        ),
    )


def _private_codes(program_rows: list[_Located]) -> set[str]:
    """Programs whose sites are homes, judged on the raw rows so even a rejected row protects them.

    A ``lokasi_pribadi`` cell that is filled but unreadable counts as private: when in doubt, hide.
    """
    codes = set()
    for row in program_rows:
        cell = row.cells.get("lokasi_pribadi", (Cell(None), ""))[0]
        unreadable = not cell.is_blank and row.values.get("lokasi_pribadi") is None
        if (row.values.get("lokasi_pribadi") == "ya" or unreadable) and row.values.get("kode_program"):
            codes.add(row.values["kode_program"])
    return codes


def validate_workbook(workbook: RawWorkbook, today: date) -> ValidationResult:
    report = _Report()
    rows: dict[str, list[Row]] = {}
    counts: dict[str, Counts] = {}
    checks: dict[str, _SheetCheck] = {}
    readable: dict[str, bool] = {}
    worksheet_ids: dict[str, int] = {}

    for spec in contract.WORKSHEETS:
        sheet = _find_sheet(workbook, spec)
        if sheet is not None and sheet.sheet_id is not None:
            worksheet_ids[spec.name] = sheet.sheet_id
        located: list[_Located] = []
        columns: dict[str, int] | None = None
        if sheet is None:
            _missing_sheet(report, spec, workbook)
        else:
            columns = _map_headers(sheet, spec, report)
            if columns is None:
                located = _locate_rows(sheet, {})
                for row in located:
                    row.errors += 1
            else:
                located = _locate_rows(sheet, columns)
        checks[spec.name] = _SheetCheck(spec, located, report, workbook)
        counts[spec.name] = Counts(rows=len(located))
        readable[spec.name] = sheet is not None and columns is not None

    program = checks["program"]
    program.parse_cells()
    _program_rules(program)
    accepted_programs = {r.values["kode_program"] for r in program.rows if r.errors == 0}
    all_programs = {r.values["kode_program"] for r in program.rows if r.values.get("kode_program")}
    private = _private_codes(program.rows)
    program_readable = readable["program"]

    def hide(row: _Located) -> bool:
        code = row.values.get("kode_program")
        return code in private or code not in all_programs

    lokasi, capaian = checks["lokasi"], checks["capaian"]
    lokasi.hide = hide
    for check in (capaian, lokasi):
        # kode_program first, so that every later message knows whether the row is private.
        for row in check.rows:
            if "kode_program" in row.cells:
                row.values["kode_program"] = row.cells["kode_program"][0].shown().strip() or None
        check.parse_cells()
        if program_readable:
            check.program_exists(accepted_programs, all_programs - accepted_programs)
        elif check.rows:
            _unverifiable(report, check)
    _capaian_rules(capaian, today)
    _lokasi_rules(lokasi, private)

    for name, check in checks.items():
        rows[name] = check.accepted()
        counts[name].accepted = len(rows[name])
        counts[name].rejected = counts[name].rows - counts[name].accepted
    return ValidationResult(workbook.origin, rows, counts, _in_sheet_order(report.issues), worksheet_ids)


def _in_sheet_order(issues: list[Issue]) -> list[Issue]:
    order = {spec.name: i for i, spec in enumerate(contract.WORKSHEETS)}
    return sorted(issues, key=lambda i: (order[i.worksheet], i.row or 0))


def _unverifiable(report: _Report, check: _SheetCheck) -> None:
    """Without a readable program sheet no row can be matched to its program: one error, not one per row."""
    for row in check.rows:
        row.errors += 1
    report.add(
        "error",
        check.spec.name,
        None,
        "kode_program",
        None,
        "",
        Text(
            f"Baris di worksheet '{check.spec.name}' tidak dapat diperiksa karena worksheet 'program' tidak "
            "terbaca (lihat kesalahan di worksheet program). Perbaiki worksheet program dulu.",
            f"Rows of worksheet '{check.spec.name}' cannot be checked because the 'program' worksheet cannot "
            "be read (see the errors on the program worksheet). Fix the program worksheet first.",
        ),
    )


def reject_codes_owned_elsewhere(result: ValidationResult, owners: dict[str, str]) -> None:
    """``kode_program`` is unique across all sources: rows of a program another source owns are rejected.

    ``owners`` maps codes to the source that claimed them first (config order decides).
    """
    taken = {
        r["kode_program"]: owners[r["kode_program"]] for r in result.rows["program"] if r["kode_program"] in owners
    }
    if not taken:
        return
    for sheet, sheet_rows in result.rows.items():
        kept = []
        for row in sheet_rows:
            code = row.get("kode_program")
            if code not in taken:
                kept.append(row)
                continue
            result.issues.append(
                Issue(
                    "error",
                    sheet,
                    row["_row"],
                    "kode_program",
                    row["_refs"].get("kode_program"),
                    code,
                    Text(
                        f"Kode program '{code}' sudah dipakai oleh sumber '{taken[code]}'. "
                        "Kode program harus unik di semua SKPD; pakai kode lain.",
                        f"Program code '{code}' is already used by source '{taken[code]}'. "
                        "Program codes must be unique across all SKPDs; use another code.",
                    ),
                )
            )
            result.counts[sheet].accepted -= 1
            result.counts[sheet].rejected += 1
        result.rows[sheet] = kept
    result.issues = _in_sheet_order(result.issues)


def structural_problem(result: ValidationResult) -> Text | None:
    """A missing worksheet or required column: the source is broken, not just a row in it.

    A sync then keeps the source's last good snapshot rather than publishing a worksheet emptied by it.
    """
    for issue in result.errors:
        if issue.row in (None, 1):
            return issue.message
    return None
