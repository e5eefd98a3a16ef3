"""The data dictionary: every published column, its meaning and unit, in both languages.

Generated from the sheet contract (``core.contract``) so it cannot drift from what is validated and
stored; the few columns the portal adds to a download (where a row came from, the date its figures describe,
when the portal read it) are listed here once, for every download and open-data file to use.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.contract import WORKSHEETS, Column, Kind
from core.text import Text

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


@dataclass(frozen=True)
class Entry:
    table: str
    column: str
    meaning: Text
    unit: Text
    required: bool
    choices: tuple[str, ...] = ()


def _entry(table: str, column: Column) -> Entry:
    return Entry(
        table=table,
        column=column.name,
        meaning=MEANINGS[(table, column.name)],
        unit=UNITS[column.kind],
        required=column.required,
        choices=tuple(c.canonical for c in column.choices),
    )


def data_dictionary() -> list[Entry]:
    """Every published column of every table, in contract order, then the added columns per table."""
    entries: list[Entry] = []
    for sheet in WORKSHEETS:
        entries += [_entry(sheet.name, c) for c in sheet.columns]
        entries += [Entry(sheet.name, name, meaning, unit, False) for name, meaning, unit in ADDED]
    return entries


def dictionary_rows(lang: str) -> list[dict[str, str]]:
    """The dictionary as table rows in one language (for a page, a CSV or a JSON file)."""
    labels = {
        "id": ("tabel", "kolom", "arti", "satuan", "wajib", "pilihan"),
        "en": ("table", "column", "meaning", "unit", "required", "choices"),
    }[lang if lang == "en" else "id"]
    yes, no = ("ya", "tidak") if lang != "en" else ("yes", "no")
    rows = []
    for e in data_dictionary():
        values = (e.table, e.column, e.meaning.get(lang), e.unit.get(lang), yes if e.required else no)
        rows.append(dict(zip(labels, (*values, ", ".join(e.choices)), strict=True)))
    return rows
