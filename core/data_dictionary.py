"""The data dictionary: every published column, its meaning and unit, in both languages.

Generated from the sheet contract (``core.contract``) so it cannot drift from what is validated and
stored; the few columns the portal adds to a download (where a row came from, the date its figures describe,
when the portal read it) are listed here once, for every download and open-data file to use.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from core.contract import SITE_KINDS, STATUSES, WORKSHEETS, Column, Kind
from core.snapshot_history import CHANGE_WORDS, SHEETS
from core.text import Text
from core.wilayah import CITY_TIMEZONE, LAT_MAX, LAT_MIN, LON_MAX, LON_MIN

UNITS: dict[Kind, Text] = {
    Kind.TEXT: Text("teks", "text"),
    Kind.NUMBER: Text("angka; satuan menurut kolom `satuan` programnya", "number; unit as in the program's `satuan`"),
    Kind.PERCENT: Text("persen, 0–100", "percent, 0–100"),
    Kind.RUPIAH: Text("Rupiah (IDR)", "Rupiah (IDR)"),
    Kind.DATE: Text("tanggal, YYYY-MM-DD", "date, YYYY-MM-DD"),
    Kind.CHOICE: Text("salah satu pilihan", "one of the choices"),
    Kind.URL: Text("tautan http(s)", "http(s) link"),
    Kind.COORDINATES: Text(
        "koordinat WGS84 [lintang, bujur]; ruas: daftar titik",
        "WGS84 coordinates [lat, lon]; a segment: a list of points",
    ),
}

T = Text
# What each published column means, for a reader of the data (the contract's rules say how a clerk
# fills it). A test fails when a contract column has no meaning here, or a meaning has no column.
MEANINGS: dict[tuple[str, str], Text] = {
    ("program", "kode_program"): T("Kode unik program Quick Win", "The Quick Win program's unique code"),
    ("program", "nama_program"): T("Nama program", "The program's name"),
    ("program", "dimensi"): T("Dimensi Smart City program", "The program's Smart City dimension"),
    ("program", "skpd"): T("SKPD (perangkat daerah) pemilik program", "The city office (SKPD) that owns the program"),
    ("program", "deskripsi"): T("Uraian singkat program", "A short description of the program"),
    ("program", "indikator"): T("Apa yang dihitung sebagai hasil program", "What is counted as the program's output"),
    ("program", "satuan"): T("Satuan indikator", "The indicator's unit"),
    ("program", "target"): T("Target indikator sampai program selesai", "The indicator's target by the end"),
    ("program", "anggaran"): T("Pagu anggaran program", "The program's budget"),
    ("program", "tanggal_mulai"): T("Tanggal program dimulai", "When the program starts"),
    ("program", "tanggal_selesai"): T("Tanggal program dijadwalkan selesai", "When the program is due to finish"),
    ("program", "lokasi_pribadi"): T(
        "`ya`: lokasinya rumah pribadi, hanya ditampilkan sebagai jumlah per kelurahan",
        "`ya`: its sites are private homes, shown only as counts per kelurahan",
    ),
    ("program", "tautan"): T("Tautan ke halaman resmi program", "A link to the program's official page"),
    ("capaian", "kode_program"): T("Program yang dilaporkan", "The program reported on"),
    ("capaian", "tanggal"): T("Tanggal laporan", "The report's date"),
    ("capaian", "rencana_persen"): T("Rencana progres fisik kumulatif", "Planned cumulative physical progress"),
    ("capaian", "realisasi_persen"): T("Realisasi progres fisik kumulatif", "Actual cumulative physical progress"),
    ("capaian", "capaian_indikator"): T("Jumlah kumulatif indikator", "Cumulative count of the indicator"),
    ("capaian", "realisasi_anggaran"): T("Anggaran terpakai kumulatif", "Cumulative budget spent"),
    ("capaian", "status"): T("Status program menurut laporan", "The program's status as reported"),
    ("capaian", "keterangan"): T("Catatan SKPD pada laporan", "The office's note on the report"),
    ("capaian", "bukti"): T("Tautan ke bukti (foto, dokumen)", "A link to evidence (photos, documents)"),
    ("lokasi", "kode_lokasi"): T("Kode unik lokasi", "The site's unique code"),
    ("lokasi", "kode_program"): T("Program pemilik lokasi", "The program the site belongs to"),
    ("lokasi", "nama_lokasi"): T("Nama lokasi", "The site's name"),
    ("lokasi", "jenis"): T("`titik` (satu titik) atau `ruas` (garis)", "`titik` (a point) or `ruas` (a line)"),
    ("lokasi", "koordinat"): T(
        "Letak lokasi; untuk rumah pribadi hanya titik kelurahannya",
        "Where the site is; for a private home only its kelurahan's point",
    ),
    ("lokasi", "kelurahan"): T("Kelurahan lokasi", "The site's kelurahan"),
    ("lokasi", "kecamatan"): T("Kecamatan lokasi", "The site's kecamatan"),
    ("lokasi", "status"): T("Status pekerjaan di lokasi", "The status of the work at the site"),
    ("lokasi", "realisasi_persen"): T("Realisasi progres fisik di lokasi", "Actual physical progress at the site"),
    ("lokasi", "tanggal_update"): T("Tanggal data lokasi diperbarui", "When the site's data were updated"),
    ("lokasi", "keterangan"): T("Catatan SKPD tentang lokasi", "The office's note on the site"),
}

# Columns a download or open-data file adds to the contract's, the same in every table.
ADDED: tuple[tuple[str, Text, Text], ...] = (
    (
        "sumber",
        Text("SKPD dan sheet asal baris ini", "The office (SKPD) and sheet the row comes from"),
        Text("teks", "text"),
    ),
    (
        "data_per",
        Text(
            "Tanggal yang digambarkan angka baris ini: tanggal laporannya (capaian), atau laporan terbaru programnya",
            "The date the row's figures describe: its report's date (capaian), or its program's newest report",
        ),
        Text("tanggal, YYYY-MM-DD", "date, YYYY-MM-DD"),
    ),
    (
        "dibaca_pada",
        Text("Waktu portal membaca sheet asal (WITA)", "When the portal read the source sheet (WITA, UTC+8)"),
        Text("tanggal dan jam, ISO 8601 dengan +08:00", "date and time, ISO 8601 with +08:00"),
    ),
)


# The download of /riwayat's comparison between two dates: one row per line the page shows (a changed field, or a
# program, report or site added or removed), in the page's order.
COMPARISON_TABLE = "perubahan"
_DATE = Text("tanggal, YYYY-MM-DD", "date, YYYY-MM-DD")
_VALUE_UNIT = Text(
    "menurut kolom `kolom`: angka (bilangan bulat tanpa `.0`), tanggal YYYY-MM-DD, atau teks",
    "as the column named in `kolom`: a number (a whole one without `.0`), a date YYYY-MM-DD, or text",
)
COMPARISON: tuple[tuple[str, Text, Text, tuple[str, ...]], ...] = (
    (
        "perubahan",
        T("Apa yang terjadi di antara kedua tanggal", "What happened between the two dates"),
        UNITS[Kind.CHOICE],
        tuple(CHANGE_WORDS[c] for c in CHANGE_WORDS),
    ),
    (
        "tabel",
        T(
            "Tabel baris yang berubah: program, laporan capaian, atau lokasi",
            "The table of the row: program, report, site",
        ),
        UNITS[Kind.CHOICE],
        SHEETS,
    ),
    ("kode_program", T("Program yang berubah", "The program that changed"), UNITS[Kind.TEXT], ()),
    (
        "nama_program",
        T("Nama program (yang terakhir terbit)", "The program's name (as last published)"),
        UNITS[Kind.TEXT],
        (),
    ),
    (
        "tanggal_laporan",
        T("Tanggal laporan, untuk baris tabel capaian", "The report's date, for a report's row"),
        _DATE,
        (),
    ),
    (
        "kode_lokasi",
        T("Kode lokasi, untuk baris tabel lokasi", "The site's code, for a site's row"),
        UNITS[Kind.TEXT],
        (),
    ),
    (
        "kolom",
        T(
            "Kolom yang berubah; untuk baris yang ditambah atau dihapus, angka yang mewakilinya",
            "The column that changed; for a row added or removed, the figure that stands for it",
        ),
        UNITS[Kind.TEXT],
        (),
    ),
    ("nilai_lama", T("Nilai pada akhir tanggal `dari`", "The value at the end of the `dari` date"), _VALUE_UNIT, ()),
    (
        "nilai_baru",
        T("Nilai pada akhir tanggal `sampai`", "The value at the end of the `sampai` date"),
        _VALUE_UNIT,
        (),
    ),
    (
        "dari",
        T("Tanggal pertama perbandingan (akhir hari, WITA)", "The comparison's first date (end of day, WITA)"),
        _DATE,
        (),
    ),
    (
        "sampai",
        T("Tanggal kedua perbandingan (akhir hari, WITA)", "The comparison's second date (end of day, WITA)"),
        _DATE,
        (),
    ),
    (
        "data_per",
        T(
            "Tanggal yang digambarkan angkanya: tanggal laporan itu, atau laporan terbaru programnya",
            "The date the figures describe: that report's date, or the program's latest report's",
        ),
        _DATE,
        (),
    ),
    (
        "sumber",
        T("SKPD dan sheet yang menerbitkan perubahan ini", "The office (SKPD) and sheet that published the change"),
        UNITS[Kind.TEXT],
        (),
    ),
    (
        "dibaca_pada",
        T(
            "Waktu portal membaca sheet yang menerbitkan perubahan ini",
            "When the portal read the sheet that published it",
        ),
        Text(
            "tanggal dan jam, ISO 8601 dengan zona (+08:00, WITA)",
            "date and time, ISO 8601 with its offset (+08:00, WITA)",
        ),
        (),
    ),
    (
        "id_snapshot",
        T("Snapshot yang menerbitkan perubahan ini", "The snapshot that published the change"),
        Text("bilangan bulat", "whole number"),
        (),
    ),
)


# --- the open-data files' own columns -------------------------------------------------------------

# A file that lists the sites (lokasi.csv, lokasi.geojson, the map's downloads) counts private homes per kelurahan in
# rows of this kind; each status gets its own whole-number column there, so that ``status`` stays one of the four
# words the contract allows (issue 25: the counts were once written as text into ``status``).
HOME_COUNT_KIND = "jumlah_rumah"
HOME_STATUS_COLUMNS: dict[str, str] = {s.canonical: "jumlah_" + s.canonical.lower().replace(" ", "_") for s in STATUSES}
SITE_ROW_KINDS: tuple[str, ...] = (*(c.canonical for c in SITE_KINDS), HOME_COUNT_KIND)


@dataclass(frozen=True)
class FileColumn:
    """A column a published file has beyond the sheet contract's: its words, its kind and its bounds."""

    meaning: Text
    unit: Text
    kind: Kind
    integer: bool = False
    minimum: float | None = None
    maximum: float | None = None


_WGS84 = Text("derajat desimal WGS84", "decimal degrees, WGS84")
_HOMES = Text("rumah", "homes")


def _coordinate(word_id: str, word_en: str, minimum: float, maximum: float) -> FileColumn:
    """A point site's latitude or longitude in lokasi.csv, bounded by Banjarmasin's box."""
    meaning = T(
        f"{word_id} titik lokasi (kosong untuk ruas: garisnya ada di lokasi.geojson); untuk baris "
        "`jumlah_rumah`: titik acuan kelurahannya, bukan letak rumah",
        f"{word_en} of a point site (empty for a segment: its line is in lokasi.geojson); for a "
        "`jumlah_rumah` row: its kelurahan's reference point, not a home",
    )
    return FileColumn(meaning, _WGS84, Kind.NUMBER, minimum=minimum, maximum=maximum)


# (file table, column) -> what it is. lokasi.csv is the map's view of a site (a point's latitude and longitude in
# two columns, homes counted), riwayat.csv adds the snapshot each reading came from.
FILE_COLUMNS: dict[tuple[str, str], FileColumn] = {
    ("lokasi", "lintang"): _coordinate("Lintang", "Latitude", LAT_MIN, LAT_MAX),
    ("lokasi", "bujur"): _coordinate("Bujur", "Longitude", LON_MIN, LON_MAX),
    ("lokasi", "jumlah_rumah"): FileColumn(
        T(
            "Untuk baris `jumlah_rumah`: banyaknya rumah pribadi program di kelurahan itu",
            "For a `jumlah_rumah` row: how many of the program's private homes are in that kelurahan",
        ),
        _HOMES,
        Kind.NUMBER,
        integer=True,
        minimum=0,
    ),
    **{
        ("lokasi", column): FileColumn(
            T(
                f"Untuk baris `jumlah_rumah`: banyaknya rumah itu yang berstatus `{status}`",
                f"For a `jumlah_rumah` row: how many of those homes have the status `{status}`",
            ),
            _HOMES,
            Kind.NUMBER,
            integer=True,
            minimum=0,
        )
        for status, column in HOME_STATUS_COLUMNS.items()
    },
    ("riwayat", "id_snapshot"): FileColumn(
        T(
            "Nomor snapshot: satu pembacaan sheet SKPD yang isinya berubah",
            "Snapshot number: one read of an office's sheet whose content changed",
        ),
        Text("bilangan bulat", "whole number"),
        Kind.NUMBER,
        integer=True,
        minimum=1,
    ),
}
# lokasi.csv's kind, status and codes mean a little more than the contract's, because of the count rows.
_EMPTY_ON_COUNT_ROWS = ("kode_lokasi", "nama_lokasi", "status")
_SITE_NOTES: dict[str, Text] = {
    "jenis": T(
        "`titik`, `ruas`, atau `jumlah_rumah` (baris jumlah rumah pribadi per kelurahan)",
        "`titik`, `ruas`, or `jumlah_rumah` (a row counting private homes per kelurahan)",
    ),
    "status": T(
        "Status pekerjaan di lokasi; kosong untuk `jumlah_rumah` (jumlah per status ada di kolom `jumlah_…`)",
        "The status of the work at the site; empty for `jumlah_rumah` (the counts per status are in `jumlah_…`)",
    ),
    "kode_lokasi": T(
        "Kode unik lokasi; kosong untuk `jumlah_rumah` (rumah tidak diterbitkan satu per satu)",
        "The site's unique code; empty for `jumlah_rumah` (homes are never published one by one)",
    ),
    "nama_lokasi": T(
        "Nama lokasi; kosong untuk `jumlah_rumah` (rumah tidak diterbitkan satu per satu)",
        "The site's name; empty for `jumlah_rumah` (homes are never published one by one)",
    ),
}


@dataclass(frozen=True)
class Entry:
    table: str
    column: str
    meaning: Text
    unit: Text
    required: bool
    choices: tuple[str, ...] = ()
    # What a machine-readable schema needs beyond the words (``core.data_package``): the contract's kind and bounds.
    kind: Kind = Kind.TEXT
    minimum: float | None = None
    maximum: float | None = None


def _entry(table: str, column: Column) -> Entry:
    return Entry(
        table=table,
        column=column.name,
        meaning=MEANINGS[(table, column.name)],
        unit=UNITS[column.kind],
        required=column.required,
        choices=tuple(c.canonical for c in column.choices),
        kind=column.kind,
        minimum=column.minimum,
        maximum=column.maximum,
    )


def data_dictionary() -> list[Entry]:
    """Every published column of every table, in contract order, then the added columns per table."""
    entries: list[Entry] = []
    for sheet in WORKSHEETS:
        entries += [_entry(sheet.name, c) for c in sheet.columns]
        entries += [Entry(sheet.name, name, meaning, unit, False) for name, meaning, unit in ADDED]
    entries += [Entry(COMPARISON_TABLE, *column, False, choices) for *column, choices in COMPARISON]
    return entries


# --- values as the dictionary writes them, for every download -------------------------------------


class Format(Enum):
    TEXT = "text"
    NUMBER = "number"
    INTEGER = "integer"
    DATE = "date"
    DATETIME = "datetime"


# The dictionary's words for yes and no (as ``lokasi_pribadi`` has them).
YES, NO = "ya", "tidak"
_KIND_FORMATS = {Kind.NUMBER: Format.NUMBER, Kind.PERCENT: Format.NUMBER, Kind.RUPIAH: Format.NUMBER}
_KIND_FORMATS[Kind.DATE] = Format.DATE
# A column's format by its name: a name shared by tables means the same in each (``data_per`` is a date everywhere:
# the date the figures describe; the time a sheet was read is ``dibaca_pada``).
FORMATS: dict[str, Format] = {
    **{c.name: _KIND_FORMATS.get(c.kind, Format.TEXT) for sheet in WORKSHEETS for c in sheet.columns},
    **{name: Format.DATE for name in ("tanggal_laporan", "dari", "sampai", "data_per")},
    "dibaca_pada": Format.DATETIME,
    **{column: Format.INTEGER for (_, column), spec in FILE_COLUMNS.items() if spec.integer},
    **{column: Format.NUMBER for (_, column), spec in FILE_COLUMNS.items() if not spec.integer},
}


def export_value(value: Any, format: Format | None = None) -> Any:
    """One value as a download writes it: a date as YYYY-MM-DD, a moment as ISO 8601 in WITA with its offset and
    no fraction of a second, a yes/no as ``ya``/``tidak``, a whole number without ``.0``; empty as None.

    ``format`` is the column's (``FORMATS``): a moment in a date column is written as its day in the city.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, datetime):
        local = value.astimezone(CITY_TIMEZONE) if value.tzinfo else value
        if format is Format.DATE:
            return local.date().isoformat()
        return local.replace(microsecond=0).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def export_text(column: str, value: Any) -> Any:
    """A value of a contract column (``column``) as a download writes it in a column of mixed values (the
    history's ``nilai_lama``/``nilai_baru``): formatted by its own column, coordinates as "lat, lon; …"."""
    if isinstance(value, list | tuple):
        return "; ".join(
            ", ".join(str(export_value(v)) for v in point) for point in value if isinstance(point, list | tuple)
        )
    return export_value(value, FORMATS.get(column))


def published_dictionary() -> list[Entry]:
    """``data_dictionary()`` and then the columns only the published tables have (``FILE_COLUMNS``: the map's view
    of a site, the history's snapshot number): every column a download or an open-data file can hold."""
    return [*data_dictionary(), *(_file_entry(table, column, spec) for (table, column), spec in FILE_COLUMNS.items())]


def _file_entry(table: str, column: str, spec: FileColumn) -> Entry:
    return Entry(table, column, spec.meaning, spec.unit, False, (), spec.kind, spec.minimum, spec.maximum)


def dictionary_rows(lang: str) -> list[dict[str, str]]:
    """The dictionary as table rows in one language (for a page, a CSV or a JSON file), every published column."""
    labels = {
        "id": ("tabel", "kolom", "arti", "satuan", "wajib", "pilihan"),
        "en": ("table", "column", "meaning", "unit", "required", "choices"),
    }[lang if lang == "en" else "id"]
    yes, no = ("ya", "tidak") if lang != "en" else ("yes", "no")
    rows = []
    for e in published_dictionary():
        values = (e.table, e.column, e.meaning.get(lang), e.unit.get(lang), yes if e.required else no)
        rows.append(dict(zip(labels, (*values, ", ".join(e.choices)), strict=True)))
    return rows


def file_entries(table: str, columns: Sequence[str]) -> list[Entry]:
    """Every column of one published table file (``table``: its name without extension), in the file's order.

    The contract's own columns and the added ones come from ``data_dictionary()``; ``riwayat`` holds the progress
    reports' columns; ``FILE_COLUMNS`` the rest. A column found nowhere raises ``KeyError``: a file must never
    publish a column the dictionary cannot explain.
    """
    known: dict[tuple[str, str], Entry] = {(e.table, e.column): e for e in data_dictionary()}
    sheet = "capaian" if table == "riwayat" else table
    out: list[Entry] = []
    for column in columns:
        spec = FILE_COLUMNS.get((table, column))
        if spec is not None:
            out.append(_file_entry(table, column, spec))
            continue
        entry = known[(sheet, column)]
        if table == "lokasi" and column in _SITE_NOTES:
            # The count rows leave a site's code, name and status empty, so those are required no more; every row
            # has a kind, and the count rows' own word is one of its choices.
            choices = SITE_ROW_KINDS if column == "jenis" else entry.choices
            required = column == "jenis" or (entry.required and column not in _EMPTY_ON_COUNT_ROWS)
            entry = replace(entry, meaning=_SITE_NOTES[column], choices=choices, required=required)
        out.append(replace(entry, table=table))
    return out
