"""The official SKPD workbook: ``python -m data_sources template OUT.xlsx [--skpd NAME]``.

Everything in it is derived from ``core.contract``: the worksheets and their headers in contract
order, each column's kind (number format, width), its choices (drop-down lists) and its rule (input
hint, instructions). A column added to the contract appears in the template without touching this
file, so the two cannot drift apart. The only things kept here are what the contract has no place
for: one example value per column (tests check it is complete and passes validation), the wording
of the instruction sheet, and which official place list a text column is checked against (the same
coupling by column name that ``core/validation.py`` has).

The workbook holds, in order: ``petunjuk`` (instructions in Indonesian with English lines), the
three contract worksheets, ``status_portal`` (where the portal writes its check report when the source has
``write_back``), and ``daftar``, a hidden worksheet with the drop-down lists (a list over
255 characters, like the 52 kelurahan, can only come from a range). Validation ignores worksheets
that are not in the contract, so the extra three neither err nor warn.

No cell is ever a formula: every text cell is stored as a string, even one starting with ``=``.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterable
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import Cell as XlCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet as XlSheet

from core import contract
from core.contract import Column, Kind, Worksheet
from core.safe_cells import FORMULA_TRIGGERS
from core.sheet_feedback import STATUS_WORKSHEET
from core.text import Text
from core.wilayah import KECAMATAN, KELURAHAN

GUIDE_SHEET = "petunjuk"
LIST_SHEET = "daftar"
# Formats, drop-downs and hints cover rows 2 to LAST_ROW: generous for a year of reports.
LAST_ROW = 1000
AUTHOR = "Portal Transparansi Quick Win"

# Excel refuses (and "repairs" away) validations whose texts exceed these lengths.
_TITLE_MAX = 32
_MESSAGE_MAX = 255

# How each kind is shown. Text-like columns are "@" (text) so that Excel does not turn a code such
# as 01-02 into a date or drop a leading zero. Percent cells are left "General" (issue #26): a cell
# formatted as percent turns a typed 10 into 1000% in Google Sheets and LibreOffice (and in Excel without
# its automatic percent entry), where the hint says 0–100. In a General cell a typed 10 stays 10, which the
# portal reads as 10 %, and a typed 10% becomes 0.1 with a percent format of the spreadsheet's own choosing,
# which the portal reads as 10 % too; a typed 4500 or 4500% is an error naming the cell, never a silent
# wrong figure. Dates are day first, as Indonesian sheets are.
NUMBER_FORMATS: dict[Kind, str] = {
    Kind.TEXT: "@",
    Kind.NUMBER: "General",
    Kind.PERCENT: "General",
    Kind.RUPIAH: "#,##0",
    Kind.DATE: "dd/mm/yyyy",
    Kind.CHOICE: "@",
    Kind.URL: "@",
    Kind.COORDINATES: "@",
}

# Column widths in characters, by kind; never narrower than the header.
_WIDTHS: dict[Kind, int] = {
    Kind.TEXT: 28,
    Kind.NUMBER: 12,
    Kind.PERCENT: 12,
    Kind.RUPIAH: 18,
    Kind.DATE: 13,
    Kind.CHOICE: 12,
    Kind.URL: 34,
    Kind.COORDINATES: 34,
}

# Accepted ways of writing each kind, for the instruction sheet (what validation's parsers take).
_FORMATS: dict[Kind, Text] = {
    Kind.TEXT: Text("Teks bebas.", "Free text."),
    Kind.NUMBER: Text(
        "Angka; koma untuk desimal, titik untuk ribuan: 460, 28,5, 1.250.000.",
        "A number; Indonesian sheets use a decimal comma and a thousands dot: 460, 28,5, 1.250.000.",
    ),
    Kind.PERCENT: Text(
        "Persen 0–100: ketik 45,5 atau 45,5%; keduanya dibaca 45,5 %.",
        "Percent 0–100: type 45,5 or 45,5%; both are read as 45.5 %.",
    ),
    Kind.RUPIAH: Text(
        "Rupiah tanpa sen: 9200000000, Rp9.200.000.000, atau Rp9,2 miliar (juta, miliar, triliun).",
        "Rupiah without cents: 9200000000, Rp9.200.000.000, or Rp9,2 miliar (juta, miliar, triliun).",
    ),
    Kind.DATE: Text(
        "Tanggal, hari dulu: 31/12/2024, 31 Desember 2024, 31 Des 2024, atau 2024-12-31.",
        "A date, day first: 31/12/2024, 31 Desember 2024, 31 Des 2024, or 2024-12-31.",
    ),
    Kind.URL: Text("Tautan lengkap diawali https:// atau http://.", "A full link starting with https:// or http://."),
    Kind.COORDINATES: Text(
        "Lintang dulu, lalu bujur: -3.3278, 114.5887 (titik). Ruas: dua titik atau lebih dipisah titik koma: "
        "-3.3207 114.5950; -3.3212 114.6000. Koma desimal juga diterima.",
        "Latitude first, then longitude: -3.3278, 114.5887 (a point). A segment: two or more points separated "
        "by semicolons: -3.3207 114.5950; -3.3212 114.6000. A decimal comma is accepted too.",
    ),
}

# One example per column, as a clerk would type it. They describe one consistent (illustrative)
# program, so the example rows pass validation together; tests check both that and completeness.
EXAMPLES: dict[str, dict[str, str]] = {
    "program": {
        "kode_program": "QW24-PUPR-01",
        "nama_program": "Sungaiku Baiman",
        "dimensi": "Smart Branding",
        "skpd": "Dinas PUPR",
        "deskripsi": "Penataan ruas sungai kota: siring, titian dan pengerukan",
        "indikator": "Ruas sungai ditata",
        "satuan": "km",
        "target": "28,5",
        "anggaran": "Rp14.750.000.000",
        "tanggal_mulai": "01/03/2024",
        "tanggal_selesai": "31/12/2024",
        "lokasi_pribadi": "tidak",
        "tautan": "https://banjarmasinkota.go.id/",
    },
    "capaian": {
        "kode_program": "QW24-PUPR-01",
        "tanggal": "30/06/2024",
        "rencana_persen": "50%",
        "realisasi_persen": "45,5%",
        "capaian_indikator": "12,5",
        "realisasi_anggaran": "Rp6.200.000.000",
        "status": "Berjalan",
        "keterangan": "Pengerukan ruas Veteran sesuai jadwal",
        "bukti": "https://banjarmasinkota.go.id/",
    },
    "lokasi": {
        "kode_lokasi": "SB-01",
        "kode_program": "QW24-PUPR-01",
        "nama_lokasi": "Ruas Sungai Veteran",
        "jenis": "ruas",
        "koordinat": "-3.3207 114.5950; -3.3212 114.6000",
        "kelurahan": "Melayu",
        "kecamatan": "Banjarmasin Tengah",
        "status": "Berjalan",
        "realisasi_persen": "40%",
        "tanggal_update": "30/06/2024",
        "keterangan": "Siring sisi utara selesai",
    },
}

_HEADER_FILL = PatternFill("solid", fgColor="D9E2F3")
_REQUIRED_FILL = PatternFill("solid", fgColor="FFE699")
_WARNING_FILL = PatternFill("solid", fgColor="F8CBAD")
_TABLE_FILL = PatternFill("solid", fgColor="D9E2F3")
_THIN = Side(style="thin", color="808080")
_THICK = Side(style="thick", color="C00000")
_WRAP = Alignment(wrap_text=True, vertical="top")

# The instruction sheet's columns: column name, required, meaning, example, accepted formats, English.
_GUIDE_WIDTHS = (24, 11, 58, 30, 46, 58)


def _plain(text: str) -> str:
    """Contract texts are Markdown; a cell shows them without the backticks."""
    return text.replace("`", "")


def _fit(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, at a sentence end when one fits (Excel's hard limits)."""
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    stop = head.rfind(". ")
    return head[: stop + 1] if stop > limit // 3 else head.rstrip() + "…"


def check_skpd_name(skpd: str | None) -> str | None:
    """The SKPD name to prefill, stripped; a name a spreadsheet could read as a formula is refused."""
    if skpd is None:
        return None
    name = skpd.strip()
    if not name:
        raise ValueError("nama SKPD kosong / the SKPD name is empty")
    if name.startswith(FORMULA_TRIGGERS) or re.search(r"[\x00-\x1f\x7f]", name):
        raise ValueError(
            f"nama SKPD tidak boleh diawali = + - @ atau memuat karakter kendali / "
            f"the SKPD name may not start with = + - @ or hold control characters: {name!r}"
        )
    return name


def example(sheet: str, column: Column, skpd: str | None = None) -> str:
    """The example value shown for a column; the SKPD's own name for ``skpd`` when it is known."""
    if column.name == "skpd" and skpd:
        return skpd
    if found := EXAMPLES.get(sheet, {}).get(column.name):
        return found
    # A column new to the contract still gets something sensible (a test asks for a real example).
    return column.choices[0].canonical if column.choices else ""


def drop_down_lists(skpd: str | None = None) -> dict[str, tuple[str, ...]]:
    """Column name -> the values of its drop-down list.

    Choice columns list the contract's canonical values; ``kecamatan`` and ``kelurahan`` (free text
    in the contract) the official lists validation checks them against, kelurahan alphabetically so
    a clerk finds a name quickly; ``skpd`` the one name given with ``--skpd``.
    """
    lists: dict[str, tuple[str, ...]] = {}
    for spec in contract.WORKSHEETS:
        for column in spec.columns:
            if not column.choices:
                continue
            values = tuple(c.canonical for c in column.choices)
            if lists.setdefault(column.name, values) != values:
                raise ValueError(f"column {column.name} has different choices in different worksheets")
    lists["kecamatan"] = KECAMATAN
    lists["kelurahan"] = tuple(sorted(k.nama for k in KELURAHAN))
    if skpd:
        lists["skpd"] = (skpd,)
    return lists


def _error_style(column: Column) -> str:
    """Mirror the portal's severity: a value outside a choice list is an error there, so "stop"; an
    unofficial place name or another SKPD name is at most a warning there, so only "warning"."""
    return "stop" if column.choices else "warning"


def _put(ws: XlSheet, row: int, col: int, value: object) -> XlCell:
    cell = ws.cell(row=row, column=col, value=value)
    if isinstance(value, str):
        # openpyxl turns a string starting with "=" into a formula; a template never holds one.
        cell.data_type = "s"
    return cell


# --- the hidden list sheet -------------------------------------------------------------------


def _write_lists(ws: XlSheet, lists: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """One column per list under its column name; returns column name -> absolute range reference."""
    refs: dict[str, str] = {}
    kecamatan_of = {k.nama: k.kecamatan for k in KELURAHAN}
    col = 0
    for name, values in lists.items():
        col += 1
        letter = get_column_letter(col)
        _put(ws, 1, col, name).font = Font(bold=True)
        for offset, value in enumerate(values):
            _put(ws, offset + 2, col, value)
        refs[name] = f"{LIST_SHEET}!${letter}$2:${letter}${len(values) + 1}"
        ws.column_dimensions[letter].width = max(len(name), *(len(v) for v in values)) + 2
        if name == "kelurahan":
            # Beside the kelurahan, its kecamatan: a clerk who unhides the list can look it up.
            col += 1
            _put(ws, 1, col, "kecamatan_kelurahan").font = Font(bold=True)
            for offset, value in enumerate(values):
                _put(ws, offset + 2, col, kecamatan_of[value])
            ws.column_dimensions[get_column_letter(col)].width = 22
    ws.sheet_state = "hidden"
    # Locked against accidental edits (no password: this guards against slips, not people).
    ws.protection.sheet = True
    return refs


# --- the three contract worksheets -----------------------------------------------------------


def _prompt(spec: Worksheet, column: Column, lists: dict[str, tuple[str, ...]], skpd: str | None) -> tuple[str, str]:
    """The input hint: the rule, how to write the value, an example; a part that does not fit is left out."""
    need = "wajib" if column.required else "opsional"
    title = _fit(f"{column.name} ({need})", _TITLE_MAX)
    parts = [_plain(column.rule.id)]
    if column.name == "skpd" and skpd:
        parts.insert(0, f"Tulis: {skpd}.")
    if column.kind is not Kind.TEXT and not column.choices and column.name not in lists:
        parts.append(_formats(column, lists).id)
    if sample := example(spec.name, column, skpd):
        parts.append(f"Contoh: {sample}")
    text = parts[0]
    for part in parts[1:]:
        if len(text) + 1 + len(part) <= _MESSAGE_MAX:
            text = f"{text} {part}"
    return title, _fit(text, _MESSAGE_MAX)


def _list_error(column: Column, values: tuple[str, ...]) -> tuple[str, str]:
    if column.choices:
        message = "Pilih salah satu dari daftar: " + ", ".join(values) + "."
    elif column.name == "skpd":
        message = f"Nama SKPD sheet ini adalah {values[0]}. Yakin ingin menulis nama lain?"
    else:
        message = (
            f"Nama ini tidak ada di daftar resmi {column.name} Kota Banjarmasin. Portal tetap menerimanya "
            "dengan peringatan; sebaiknya pilih dari daftar."
        )
    return _fit(f"{column.name}: bukan pilihan", _TITLE_MAX), _fit(message, _MESSAGE_MAX)


def _width(column: Column, lists: dict[str, tuple[str, ...]]) -> int:
    width = _WIDTHS[column.kind]
    if column.name in lists:
        width = max(len(v) for v in lists[column.name]) + 4
    return max(width, len(column.name) + 3)


def _write_sheet(
    ws: XlSheet, spec: Worksheet, lists: dict[str, tuple[str, ...]], refs: dict[str, str], skpd: str | None
) -> None:
    for index, column in enumerate(spec.columns, start=1):
        letter = get_column_letter(index)
        cell = _put(ws, 1, index, column.name)
        cell.font = Font(bold=True)
        cell.fill = _REQUIRED_FILL if column.required else _HEADER_FILL
        cell.border = Border(bottom=_THIN)
        need = Text("wajib", "required") if column.required else Text("opsional", "optional")
        # The full rule on the header, also where Google Sheets keeps it (as a note) after import.
        note = (
            f"{column.name} ({need.id} / {need.en})\n\n{_plain(column.rule.id)}\n\n{_plain(column.rule.en)}\n\n"
            f"Contoh / example: {example(spec.name, column, skpd)}"
        )
        comment = Comment(note, AUTHOR)
        comment.width, comment.height = 320, 220
        cell.comment = comment
        ws.column_dimensions[letter].width = _width(column, lists)
        number_format = NUMBER_FORMATS[column.kind]
        for row in range(2, LAST_ROW + 1):
            ws.cell(row=row, column=index).number_format = number_format

        title, prompt = _prompt(spec, column, lists, skpd)
        if column.name in refs:
            error_title, error = _list_error(column, lists[column.name])
            validation = DataValidation(
                type="list",
                formula1=refs[column.name],
                allow_blank=True,
                showErrorMessage=True,
                errorStyle=_error_style(column),
                errorTitle=error_title,
                error=error,
            )
        else:
            # No rule to enforce here (the portal's parsers are more forgiving than Excel's): the
            # validation only carries the input hint shown when a cell is selected.
            validation = DataValidation(allow_blank=True)
        validation.showInputMessage = True
        validation.promptTitle, validation.prompt = title, prompt
        validation.add(f"{letter}2:{letter}{LAST_ROW}")
        ws.add_data_validation(validation)
    ws.freeze_panes = "A2"
    ws.row_dimensions[1].height = 20


# --- the instruction sheet -------------------------------------------------------------------


class _Guide:
    """Writes the instruction sheet top to bottom; prose spans all its columns."""

    def __init__(self, ws: XlSheet) -> None:
        self.ws = ws
        self.row = 1
        self.span = len(_GUIDE_WIDTHS)
        for index, width in enumerate(_GUIDE_WIDTHS, start=1):
            ws.column_dimensions[get_column_letter(index)].width = width

    def _height(self, texts: Iterable[tuple[str, int]], size: int = 11) -> float:
        """Excel grows no merged row to fit, so the height is set: lines each text needs at its width."""
        lines = 1
        for text, width in texts:
            chars = max(width * 11 / size - 2, 8)
            lines = max(lines, sum(max(1, math.ceil(len(part) / chars)) for part in text.split("\n")))
        return round(lines * size * 1.4 + 4, 1)

    def prose(self, text: str, *, font: Font | None = None, fill: PatternFill | None = None, gap: int = 0) -> None:
        cell = _put(self.ws, self.row, 1, text)
        cell.alignment = _WRAP
        if font:
            cell.font = font
        if fill:
            for col in range(1, self.span + 1):
                self.ws.cell(row=self.row, column=col).fill = fill
        self.ws.merge_cells(start_row=self.row, start_column=1, end_row=self.row, end_column=self.span)
        size = int(font.sz) if font and font.sz else 11
        self.ws.row_dimensions[self.row].height = self._height([(text, sum(_GUIDE_WIDTHS))], size)
        self.row += 1 + gap

    def heading(self, text: Text) -> None:
        self.row += 1
        self.prose(text.id, font=Font(bold=True, sz=14, color="1F3864"))
        if text.en != text.id:
            self.prose(text.en, font=Font(italic=True, color="595959"))

    def bullets(self, items: Iterable[Text]) -> None:
        for item in items:
            self.prose(f"• {item.id}")
            self.prose(f"  {item.en}", font=Font(italic=True, color="595959"))

    def table_row(self, values: list[str], *, header: bool = False) -> None:
        for col, value in enumerate(values, start=1):
            cell = _put(self.ws, self.row, col, value)
            cell.alignment = _WRAP
            cell.border = Border(top=_THIN, bottom=_THIN, left=_THIN, right=_THIN)
            if header:
                cell.font = Font(bold=True)
                cell.fill = _TABLE_FILL
        self.ws.row_dimensions[self.row].height = self._height(zip(values, _GUIDE_WIDTHS, strict=True))
        self.row += 1


def _formats(column: Column, lists: dict[str, tuple[str, ...]]) -> Text:
    if column.choices:
        values = ", ".join(c.canonical for c in column.choices)
        return Text(f"Pilih dari daftar: {values}.", f"Pick from the list: {values}.")
    if column.name in lists and column.name != "skpd":
        count = len(lists[column.name])
        return Text(
            f"Pilih dari daftar resmi ({count} {column.name}) atau ketik namanya.",
            f"Pick from the official list ({count} {column.name}) or type the name.",
        )
    return _FORMATS[column.kind]


def _column_table(guide: _Guide, spec: Worksheet, lists: dict[str, tuple[str, ...]], skpd: str | None) -> None:
    guide.table_row(
        [
            "Kolom / column",
            "Wajib? / required?",
            "Arti dan aturan",
            "Contoh / example",
            "Cara menulis",
            "Meaning, rule and formats (English)",
        ],
        header=True,
    )
    for column in spec.columns:
        formats = _formats(column, lists)
        guide.table_row(
            [
                column.name,
                "wajib / required" if column.required else "opsional / optional",
                _plain(column.rule.id),
                example(spec.name, column, skpd),
                formats.id,
                f"{_plain(column.rule.en)} {formats.en}",
            ]
        )


def _personal_data_box(guide: _Guide) -> None:
    box = _WARNING_FILL
    guide.row += 1
    top = guide.row
    guide.prose(
        "JANGAN PERNAH MENULIS: nama penerima, NIK, nomor KK, nomor telepon / HP / WhatsApp, alamat rumah, "
        "email, tanggal lahir, foto rumah.",
        font=Font(bold=True, sz=13, color="9C0006"),
        fill=box,
    )
    guide.prose(
        "NEVER TYPE: beneficiaries' names, NIK, family card (KK) numbers, phone / WhatsApp numbers, home "
        "addresses, email, dates of birth, photos of homes.",
        font=Font(bold=True, italic=True, color="9C0006"),
        fill=box,
    )
    guide.prose(
        "Itu data pribadi (UU No. 27 Tahun 2022 tentang Pelindungan Data Pribadi; NIK dan KK juga UU Administrasi "
        "Kependudukan). Sheet ini dibaca portal publik dan dapat dibaca siapa pun yang memegang tautannya. Portal "
        "membuang kolom data pribadi dan memberi peringatan, tetapi yang sudah diketik tetap ada di sheet: jangan "
        "diketik sama sekali.",
        fill=box,
    )
    guide.prose(
        "Rumah penerima (mis. RTLH): tulis ya di kolom lokasi_pribadi worksheet program. Koordinat, nama lokasi dan "
        "keterangan rumah itu tidak disimpan; rumah hanya ditampilkan pada titik kelurahannya. Kode dan nama lokasi "
        "jangan memuat nama penghuni: tulis RTLH24-001, bukan nama pemilik.",
        fill=box,
    )
    guide.prose(
        "Judul kolom yang dianggap data pribadi dan dibuang: "
        + ", ".join(contract.PERSONAL_DATA_COLUMNS)
        + "; juga setiap judul yang memuat bagian "
        + ", ".join(contract.PERSONAL_DATA_PARTS)
        + ". / These headers are personal data and are dropped.",
        font=Font(italic=True),
        fill=box,
    )
    for row in range(top, guide.row):
        for col in range(1, guide.span + 1):
            guide.ws.cell(row=row, column=col).border = Border(
                left=_THICK if col == 1 else None,
                right=_THICK if col == guide.span else None,
                top=_THICK if row == top else None,
                bottom=_THICK if row == guide.row - 1 else None,
            )


_ERRORS: tuple[Text, ...] = (
    Text(
        "Setiap baris diperiksa sendiri. Sel yang salah hanya menolak barisnya sendiri; baris lain tetap terbit.",
        "Every row is checked on its own. A wrong cell rejects only its own row; the other rows are still published.",
    ),
    Text(
        "Setiap masalah dilaporkan dengan worksheet, nomor baris, sel (mis. capaian D7), nilai yang tertulis dan "
        "pesan cara memperbaikinya. Setelah sel diperbaiki, sinkronisasi berikutnya menerbitkan baris itu.",
        "Every problem is reported with its worksheet, row number, cell (e.g. capaian D7), the value as written "
        "and a message saying how to fix it. Once the cell is fixed, the next sync publishes the row.",
    ),
    Text(
        "Kesalahan (error): baris tidak terbit sampai diperbaiki. Peringatan (warning): baris tetap terbit tetapi "
        "ditandai, mis. nama kelurahan yang tidak ada di daftar resmi, realisasi yang turun dari laporan "
        "sebelumnya, atau angka yang bisa dibaca dua cara.",
        "Error: the row is not published until fixed. Warning: the row is published but flagged, e.g. a kelurahan "
        "not in the official list, a realisation lower than the previous report, or a number that reads two ways.",
    ),
    Text(
        "Jangan mengganti nama worksheet dan jangan mengubah atau menghapus baris judul (baris 1). Jika worksheet "
        "tidak ditemukan atau kolom wajib hilang dari baris judul, tidak ada baris worksheet itu yang terbit. Urutan "
        "kolom boleh diubah; kolom tambahan diabaikan dengan peringatan.",
        "Do not rename the worksheets and do not change or delete the header row (row 1). When a worksheet is "
        "missing or a required column is absent from its header row, none of its rows is published. Columns may "
        "be reordered; extra columns are ignored with a warning.",
    ),
    Text(
        "Jangan menulis rumus (=...): tulis nilainya. Jangan menggabungkan sel. Satu baris untuk satu data, mulai "
        "baris 2; baris kosong dilewati. Worksheet petunjuk dan daftar (tersembunyi, berisi pilihan drop-down) "
        "diabaikan portal; jangan dihapus.",
        "Do not type formulas (=...): type the value. Do not merge cells. One row per record, from row 2; empty "
        "rows are skipped. The petunjuk and (hidden) daftar worksheets are ignored by the portal; keep them.",
    ),
    Text(
        "Memeriksa sebelum terbit: buka halaman Pratinjau SKPD di portal (unggah .xlsx atau tempel tautan Google "
        "Sheet), atau minta tim Smart City menjalankan: python -m data_sources check <berkas .xlsx atau URL sheet>. "
        "Kode keluar 0 berarti tidak ada kesalahan (peringatan boleh ada).",
        "Checking before publishing: open the portal's SKPD preview page (upload the .xlsx or paste the Google "
        "Sheet link), or ask the Smart City team to run: python -m data_sources check <.xlsx file or sheet URL>. "
        "Exit code 0 means no errors (warnings may remain).",
    ),
    Text(
        "Bila tim Smart City mengaktifkan tulis-balik untuk sheet Google Anda, portal menaruh catatan pada setiap sel "
        "bermasalah (dimulai dengan baris '⚑ Catatan otomatis Portal Transparansi Quick Win') dan menulis tab "
        f"{STATUS_WORKSHEET}. Catatan Anda sendiri di sel itu tetap utuh; catatan portal hilang sendiri setelah sel "
        "diperbaiki. Jangan mengisi tab status_portal: portal menimpanya.",
        "When the Smart City team turns write-back on for your Google Sheet, the portal puts a note on every problem "
        "cell (starting with the line '⚑ Catatan otomatis Portal Transparansi Quick Win') and writes the "
        f"{STATUS_WORKSHEET} tab. Your own note on that cell stays intact; the portal's note goes away once the cell "
        "is fixed. Do not type in the status_portal tab: the portal overwrites it.",
    ),
)


def _write_guide(ws: XlSheet, lists: dict[str, tuple[str, ...]], skpd: str | None) -> None:
    guide = _Guide(ws)
    guide.prose(
        "Petunjuk pengisian sheet SKPD — Portal Transparansi Quick Win Kota Banjarmasin",
        font=Font(bold=True, sz=16, color="1F3864"),
    )
    guide.prose(
        "Instructions for the SKPD sheet — Quick Win Transparency Portal, City of Banjarmasin",
        font=Font(italic=True, color="595959"),
    )
    guide.prose(f"Kontrak sheet versi {contract.CONTRACT_VERSION} / sheet contract version {contract.CONTRACT_VERSION}")
    if skpd:
        guide.prose(
            f"SKPD: {skpd} — tulis nama ini di kolom skpd worksheet program (tersedia di drop-down). "
            f"/ Write this name in the skpd column of the program worksheet (it is in the drop-down).",
            font=Font(bold=True),
        )

    guide.heading(Text("Cara mengisi", "How to fill it in"))
    guide.bullets(
        (
            Text(
                "Isi tiga worksheet. "
                + "; ".join(f"{spec.name}: {spec.purpose.id.rstrip('.').lower()}" for spec in contract.WORKSHEETS)
                + ".",
                "Fill in three worksheets. "
                + "; ".join(f"{spec.name}: {spec.purpose.en.rstrip('.').lower()}" for spec in contract.WORKSHEETS)
                + ".",
            ),
            Text(
                "Judul kolom berwarna kuning wajib diisi di setiap baris; yang biru opsional. Pilih sel untuk "
                "melihat petunjuk kolomnya; arahkan ke judul kolom untuk aturan lengkapnya.",
                "Yellow headers are required in every row; blue ones are optional. Select a cell to see its "
                "column's hint; hover over a header for the full rule.",
            ),
            Text(
                "Kolom dengan daftar pilihan (drop-down): "
                + ", ".join(name for name in lists if name != "skpd")
                + ". Klik panah di sel dan pilih.",
                "Columns with a drop-down list: "
                + ", ".join(name for name in lists if name != "skpd")
                + ". Click the arrow in the cell and pick.",
            ),
            Text(
                "Contoh di tabel di bawah hanya ilustrasi (data contoh), bukan angka resmi.",
                "The examples in the tables below are illustrations (sample data), not official figures.",
            ),
        )
    )

    _personal_data_box(guide)

    for spec in contract.WORKSHEETS:
        guide.heading(Text(f"Worksheet {spec.name}", f"Worksheet {spec.name}"))
        guide.prose(f"{spec.purpose.id} / {spec.purpose.en}")
        _column_table(guide, spec, lists, skpd)
        if spec.rules:
            guide.row += 1
            guide.prose("Aturan antarbaris / rules across rows:", font=Font(bold=True))
            guide.bullets(Text(_plain(r.id), _plain(r.en)) for r in spec.rules)

    guide.heading(Text("Bagaimana portal menangani kesalahan", "How the portal treats mistakes"))
    guide.bullets(_ERRORS)
    ws.sheet_view.showGridLines = False
    ws.sheet_properties.tabColor = "1F3864"


def _write_status_placeholder(ws: XlSheet) -> None:
    """The tab the portal writes its check report into (sources with write_back); validation ignores it."""
    _put(ws, 1, 1, "Status Portal Transparansi Quick Win").font = Font(bold=True)
    _put(
        ws,
        2,
        1,
        "Tab ini diisi otomatis oleh portal setelah setiap sinkronisasi (bila tulis-balik aktif); isinya akan ditimpa. "
        "/ The portal fills this tab after every sync (when write-back is on); what is typed here is overwritten.",
    )
    ws.column_dimensions["A"].width = 40
    ws.sheet_properties.tabColor = "7F7F7F"


def write_template(path: Path | str, skpd: str | None = None) -> Path:
    """Write the official SKPD workbook to ``path`` and return it.

    ``skpd`` (the SKPD's short name) is offered in a drop-down of the ``skpd`` column and named in the
    instructions; it is never written into a data row, which would make a half-filled row.
    """
    path = Path(path)
    _template_book(skpd).save(path)
    return path


def template_bytes(skpd: str | None = None) -> bytes:
    """The same workbook as ``write_template``, as the bytes of an .xlsx file (the preview page's download)."""
    buffer = io.BytesIO()
    _template_book(skpd).save(buffer)
    return buffer.getvalue()


def _template_book(skpd: str | None) -> Workbook:
    name = check_skpd_name(skpd)
    lists = drop_down_lists(name)
    book = Workbook()
    guide = book.active
    guide.title = GUIDE_SHEET
    sheets = {spec.name: book.create_sheet(spec.name) for spec in contract.WORKSHEETS}
    _write_status_placeholder(book.create_sheet(STATUS_WORKSHEET))
    refs = _write_lists(book.create_sheet(LIST_SHEET), lists)
    _write_guide(guide, lists, name)
    for spec in contract.WORKSHEETS:
        _write_sheet(sheets[spec.name], spec, lists, refs, name)
    book.active = 0
    book.properties.title = f"Sheet SKPD {name}" if name else "Sheet SKPD"
    book.properties.subject = f"Kontrak sheet v{contract.CONTRACT_VERSION}"
    book.properties.creator = AUTHOR
    return book
