"""Regenerate the six bundled sample workbooks, one per SKPD (DATA CONTOH / SAMPLE DATA).

Run from the repo root, either way::

    .venv/bin/python sample_data/generate.py [--out FOLDER]
    .venv/bin/python -m sample_data.generate [--out FOLDER]

The figures are illustrative, not official, except the facts cited in ``sample_data/README.md``.
Everything is deterministic (fixed seeds, fixed dates, fixed workbook properties and zip timestamps),
so a rerun writes byte-identical files and ``tests/test_sample_data.py`` can tell a stale one.

The clean workbooks deliberately differ in how they are typed (aliased headers and worksheet names,
Indonesian text numbers and dates, native dates and percent-formatted cells, decimal-comma
coordinates) so that the sample exercises every parser; ``diskop_baiman_store.xlsx`` alone carries
deliberate clerk mistakes, listed in ``Book.problems``.
"""

from __future__ import annotations

import argparse
import calendar
import copy
import io
import itertools
import math
import random
import sys
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

if __package__ in (None, ""):
    # Run as a script, Python puts sample_data/ (not the repo root) on the path; core lives at the root.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core import contract
from core.table import Cell
from core.values import normalise_key, parse_date
from core.wilayah import KELURAHAN, Kelurahan

SAMPLE_DIR = Path(__file__).resolve().parent
YEAR_END = date(2024, 12, 31)
# Workbook properties and zip entry times: a fixed moment, so reruns do not change the files.
FIXED_TIME = datetime(2025, 1, 15, 8, 0, 0)
HOMEPAGE = "https://banjarmasinkota.go.id/"
CREATOR = "Portal Transparansi Quick Win — data contoh (sample data)"

Value = str | int | float | date | datetime | None
Point = tuple[float, float]

MONTHS_ID = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip
MONTHS_ID_SHORT = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")

CANONICAL_HEADERS: dict[str, list[str]] = {
    "program": [
        "kode_program", "nama_program", "dimensi", "skpd", "deskripsi", "indikator", "satuan", "target",
        "anggaran", "tanggal_mulai", "tanggal_selesai", "lokasi_pribadi", "tautan",
    ],
    "capaian": [
        "kode_program", "tanggal", "rencana_persen", "realisasi_persen", "capaian_indikator",
        "realisasi_anggaran", "status", "keterangan", "bukti",
    ],
    "lokasi": [
        "kode_lokasi", "kode_program", "nama_lokasi", "jenis", "koordinat", "kelurahan", "kecamatan",
        "status", "realisasi_persen", "tanggal_update", "keterangan",
    ],
}  # fmt: skip

# Rivers from shared/reference/FACTS.md (approximate, ±100–300 m; Pekapuran, Kelayan, Andai ±0,5 km).
RIVERS: dict[str, list[Point]] = {
    "Martapura": [
        (-3.3104, 114.6292), (-3.3033, 114.6221), (-3.3037, 114.6142), (-3.3070, 114.6077),
        (-3.3134, 114.6090), (-3.3168, 114.6052), (-3.3139, 114.5997), (-3.3094, 114.5950),
        (-3.3130, 114.5931), (-3.3170, 114.5930), (-3.3214, 114.5937), (-3.3243, 114.5968),
        (-3.3277, 114.5947), (-3.3293, 114.5884), (-3.3342, 114.5815), (-3.3415, 114.5862),
        (-3.3393, 114.5756), (-3.3473, 114.5644), (-3.3388, 114.5614), (-3.3365, 114.5479),
    ],
    "Kuin": [
        (-3.2935, 114.5663), (-3.2958, 114.5768), (-3.3037, 114.5865), (-3.3044, 114.5916), (-3.3094, 114.5949),
    ],
    "Veteran": [
        (-3.3207, 114.5950), (-3.3212, 114.6000), (-3.3204, 114.6049), (-3.3199, 114.6165), (-3.3227, 114.6256),
    ],
    "Pekapuran": [(-3.3262, 114.5956), (-3.3283, 114.6035), (-3.3371, 114.6133)],
    "Kelayan": [(-3.3278, 114.5945), (-3.3370, 114.5955), (-3.3557, 114.5984)],
    "Andai": [(-3.303, 114.612), (-3.295, 114.612), (-3.281, 114.614)],
    "Alalak": [
        (-3.2706, 114.5666), (-3.2762, 114.5774), (-3.2732, 114.5848), (-3.2784, 114.5924), (-3.2875, 114.5987),
    ],
}  # fmt: skip


# --- the shape of a workbook ----------------------------------------------------------------


@dataclass
class Sheet:
    title: str
    headers: list[str]
    rows: list[list[Value]] = field(default_factory=list)
    # Header -> xlsx number format for every data cell of that column.
    formats: dict[str, str] = field(default_factory=dict)

    def add(self, record: dict[str, Value]) -> int:
        """Append a row given by header; returns the row number the sheet shows."""
        unknown = set(record) - set(self.headers)
        if unknown:
            raise KeyError(f"{self.title}: no column {sorted(unknown)}")
        self.rows.append([record.get(h) for h in self.headers])
        return len(self.rows) + 1

    def ref(self, header: str, row: int) -> str:
        return f"{get_column_letter(self.headers.index(header) + 1)}{row}"


@dataclass(frozen=True)
class Problem:
    """A deliberate clerk mistake: where it is and what validation must say about it."""

    severity: str
    worksheet: str
    cell: str
    description: str


@dataclass
class Book:
    file_name: str
    code: str
    title: str
    sheets: list[Sheet]
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class Report:
    day: date
    plan: float
    real: float
    output: int
    spent: int
    status: str


# --- arithmetic shared by the programs ------------------------------------------------------


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def month_ends(first: date, last: date = YEAR_END) -> list[date]:
    days = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        days.append(month_end(year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return days


def twice_monthly(first: date, last: date = YEAR_END) -> list[date]:
    days = []
    for end in month_ends(first, last):
        mid = end.replace(day=15)
        days.extend(d for d in (mid, end) if d >= first)
    return days


def s_curve(fraction: float, steepness: float = 8.0) -> float:
    """Kurva S: a logistic curve rescaled so that 0 -> 0 % and 1 -> exactly 100 %."""

    def logistic(x: float) -> float:
        return 1.0 / (1.0 + math.exp(-steepness * (x - 0.5)))

    x = min(max(fraction, 0.0), 1.0)
    return 100.0 * (logistic(x) - logistic(0.0)) / (logistic(1.0) - logistic(0.0))


def elapsed(day: date, start: date, end: date) -> float:
    return (day - start).days / (end - start).days


def status_for(plan: float, real: float) -> str:
    """The delay rule of Indonesian works monitoring (FACTS.md): >10 points behind below 70 %, >5 above."""
    if real >= 100:
        return "Selesai"
    if real <= 0:
        return "Belum dimulai"
    lag = plan - real
    if (plan < 70 and lag > 10) or (plan >= 70 and lag > 5):
        return "Terhambat"
    return "Berjalan"


def spend(budget: int, reals: Sequence[float], rng: random.Random, ratio: tuple[float, float]) -> list[int]:
    """Cumulative money spent, trailing physical progress (payments follow verified work)."""
    spent, previous = [], 0
    for real in reals:
        amount = round(budget * real / 100 * rng.uniform(*ratio) / 1_000_000) * 1_000_000
        previous = min(max(previous, amount), budget)
        spent.append(previous)
    return spent


def on_track(
    days: Sequence[date],
    start: date,
    target: float,
    budget: int,
    final: float,
    rng: random.Random,
) -> list[Report]:
    """Realisation close to the S-curve plan, never going down, ending at ``final`` (< 100)."""
    plans = [round(s_curve(elapsed(d, start, YEAR_END)), 1) for d in days]
    reals: list[float] = []
    previous = 0.0
    for i, plan in enumerate(plans):
        if i == len(plans) - 1:
            real = final
        else:
            real = round(plan * rng.uniform(0.95, 1.01), 1)
            # Stay clear of the delay rule: these programs are on track.
            real = max(real, round(plan - (4.0 if plan >= 70 else 8.0), 1))
            real = min(real, final)
        previous = max(previous, real)
        reals.append(previous)
    spent = spend(budget, reals, rng, (0.90, 0.97))
    return [
        Report(d, p, r, round(r / 100 * target), s, status_for(p, r))
        for d, p, r, s in zip(days, plans, reals, spent, strict=True)
    ]


def nearest_kelurahan(lat: float, lon: float) -> Kelurahan:
    # Same measure as the portal's validation, so the filled-in name is the one it would pick.
    return min(KELURAHAN, key=lambda k: math.hypot(k.lat - lat, (k.lon - lon) * math.cos(math.radians(lat))))


def kelurahan_named(name: str) -> Kelurahan:
    return next(k for k in KELURAHAN if k.nama == name)


def jitter(rng: random.Random, lat: float, lon: float, max_metres: float) -> Point:
    distance = rng.uniform(0.15, 1.0) * max_metres
    bearing = rng.uniform(0.0, 2 * math.pi)
    dlat = distance * math.cos(bearing) / 111_320
    dlon = distance * math.sin(bearing) / (111_320 * math.cos(math.radians(lat)))
    return (round(lat + dlat, 5), round(lon + dlon, 5))


def distance_km(a: Point, b: Point) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def line_km(points: Sequence[Point]) -> float:
    return sum(distance_km(a, b) for a, b in itertools.pairwise(points))


# --- how clerks type values -----------------------------------------------------------------


def id_number(value: float, decimals: int = 1) -> str:
    """``45,5``: decimal comma, at most two decimals, so no value reads two ways (``1,250``)."""
    if decimals > 2:
        raise ValueError("three decimals after one separator are ambiguous in the contract")
    text = f"{value:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def id_percent(value: float) -> str:
    return id_number(value, 1) + "%"


def rupiah(amount: int, spaced: bool = False, dash: bool = False) -> str:
    """``Rp1.250.000`` (or ``Rp 1.250.000,-``)."""
    grouped = f"{amount:,}".replace(",", ".")
    if grouped.count(".") == 1:
        # "250.000" could be 250 with decimals; ",00" makes it unambiguous, as clerks often write.
        grouped += ",00"
    return f"Rp{' ' if spaced else ''}{grouped}{',-' if dash else ''}"


def id_date(day: date, short: bool = False) -> str:
    names = MONTHS_ID_SHORT if short else MONTHS_ID
    return f"{day.day} {names[day.month - 1]} {day.year}"


def dmy(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def latlon(point: Point, decimal_comma: bool = False) -> str:
    if decimal_comma:
        return f"{point[0]:.5f}".replace(".", ",") + ", " + f"{point[1]:.5f}".replace(".", ",")
    return f"{point[0]:.4f}, {point[1]:.4f}"


def polyline(points: Sequence[Point]) -> str:
    return "; ".join(f"{lat:.4f} {lon:.4f}" for lat, lon in points)


def canonical_sheets() -> dict[str, Sheet]:
    return {name: Sheet(name, list(headers)) for name, headers in CANONICAL_HEADERS.items()}


# --- the six programs -----------------------------------------------------------------------


def si_mantab() -> Book:
    """DPMPTSP: aliased worksheet names and headers, non-standard column order, dd/mm/yyyy text dates."""
    rng = random.Random(2024_01)
    code, start, target, budget = "QW24-DPMPTSP-01", date(2024, 1, 2), 2400, 850_000_000
    program = Sheet(
        "Program Quick Win",
        [
            "Kode Program", "Program", "Perangkat Daerah", "Dimensi Smart City", "Indikator Kinerja",
            "Target Fisik", "Satuan", "Pagu Anggaran", "Tgl Mulai", "Tgl Selesai", "Uraian", "Link",
        ],
    )  # fmt: skip
    program.add(
        {
            "Kode Program": code,
            "Program": "Si Mantab — pengantaran dokumen perizinan gratis",
            "Perangkat Daerah": "DPMPTSP",
            # A common misnomer; the contract accepts it and stores "Smart Governance".
            "Dimensi Smart City": "Smart Government",
            "Indikator Kinerja": "Dokumen izin diantar",
            "Target Fisik": target,
            "Satuan": "dokumen",
            "Pagu Anggaran": budget,
            "Tgl Mulai": dmy(start),
            "Tgl Selesai": dmy(YEAR_END),
            "Uraian": (
                "Dokumen perizinan yang sudah terbit diantar gratis ke alamat pemohon oleh petugas "
                "DPMPTSP, sehingga pemohon tidak perlu kembali ke loket Mal Pelayanan Publik."
            ),
            "Link": HOMEPAGE,
        }
    )
    capaian = Sheet(
        "Laporan Capaian",
        [
            "Tanggal Laporan", "Kode Program", "Rencana (%)", "Realisasi (%)", "Capaian", "Serapan Anggaran",
            "Status Program", "Catatan", "Link Bukti",
        ],
    )  # fmt: skip
    for i, r in enumerate(on_track(twice_monthly(start), start, target, budget, 98.5, rng)):
        capaian.add(
            {
                "Tanggal Laporan": dmy(r.day),
                "Kode Program": code,
                "Rencana (%)": r.plan,
                "Realisasi (%)": r.real,
                "Capaian": r.output,
                "Serapan Anggaran": r.spent,
                # "Sedang berjalan" is an accepted spelling of Berjalan.
                "Status Program": "Sedang berjalan" if r.status == "Berjalan" else r.status,
                "Catatan": "Rekap dua mingguan loket MPP" if i % 2 == 0 else "Rekap akhir bulan",
                "Link Bukti": HOMEPAGE if r.day.day != 15 else None,
            }
        )
    lokasi = Sheet(
        "Titik Lokasi",
        [
            "ID Lokasi", "Nama Tempat", "Kode Program", "Lat Lon", "Tipe", "Desa/Kelurahan", "Kecamatan",
            "Status Lokasi", "Tgl Update", "Catatan",
        ],
    )  # fmt: skip
    counters: list[tuple[str, Point, str]] = [
        ("Mal Pelayanan Publik Kota Banjarmasin", (-3.3272, 114.5893), "Loket utama pengajuan dan pengantaran"),
        ("Loket Si Mantab Balai Kota", (-3.3281, 114.5884), "Loket informasi di Balai Kota"),
        ("Loket Si Mantab Kantor Pos Lambung Mangkurat", (-3.3196, 114.5912), "Titik titip antar dokumen"),
        ("Loket Si Mantab Kecamatan Banjarmasin Tengah", (-3.3236, 114.5925), "Loket kecamatan"),
        ("Loket Si Mantab Pasar Lama", (-3.3092, 114.5909), "Loket kecamatan pembantu"),
    ]
    for n, (name, point, note) in enumerate(counters, start=1):
        area = nearest_kelurahan(*point)
        lokasi.add(
            {
                "ID Lokasi": f"SMT-{n:02d}",
                "Nama Tempat": name,
                "Kode Program": code,
                "Lat Lon": latlon(point),
                "Tipe": "Titik",
                "Desa/Kelurahan": area.nama,
                # "Tengah" for "Banjarmasin Tengah", as clerks write it.
                "Kecamatan": area.kecamatan.removeprefix("Banjarmasin "),
                "Status Lokasi": "Berjalan",
                "Tgl Update": dmy(YEAR_END),
                "Catatan": note,
            }
        )
    return Book("dpmptsp_si_mantab.xlsx", code, "Si Mantab", [program, capaian, lokasi])


# Which stretches of which river, and how far each got by 31 December 2024 (illustrative).
PUPR_SEGMENTS: list[tuple[str, str, int, int, float, str]] = [
    ("Martapura", "hulu, Sungai Lulut–Banua Anyar", 0, 3, 100.0, "Siring dan titian kayu selesai"),
    ("Martapura", "Sungai Bilu–Pasar Lama", 4, 8, 100.0, "Penataan bantaran selesai"),
    ("Martapura", "Siring Tendean–Menara Pandang", 9, 13, 85.0, "Pengecatan dan lampu taman"),
    ("Martapura", "hilir, Teluk Tiram–Basirih", 15, 18, 40.0, "Pasang surut tinggi menghambat pemancangan"),
    ("Kuin", "muara Barito–Kuin Utara", 0, 2, 100.0, "Selesai bersama wisata Pasar Terapung"),
    ("Kuin", "Kuin Selatan–muara Martapura", 2, 4, 70.0, "Pembersihan eceng gondok berkala"),
    ("Veteran", "tahap awal ±1 km", 0, 2, 35.0, "Normalisasi dengan dukungan Bank Dunia, tahap awal"),
    ("Pekapuran", "Pekapuran Laut–Pekapuran Raya", 0, 2, 100.0, "Pengerukan sedimen selesai"),
    ("Kelayan", "Kelayan Luar–Kelayan Timur", 0, 2, 55.0, "Penertiban bangunan di bantaran belum tuntas"),
    ("Andai", "Sungai Andai", 0, 2, 0.0, "Menunggu penyelesaian desain"),
    ("Alalak", "Alalak Utara–Sungai Miai", 0, 4, 90.0, "Titian dan taman tepi sungai"),
]


def _pupr_segments() -> list[tuple[str, list[Point], float, float, str]]:
    """(name, points, km, realisation %, note) per river segment."""
    out = []
    for river, stretch, first, last, real, note in PUPR_SEGMENTS:
        points = RIVERS[river][first : last + 1]
        out.append((f"Ruas Sungai {river} ({stretch})", points, line_km(points), real, note))
    return out


def _segment_status(real: float) -> str:
    if real >= 100:
        return "Selesai"
    if real <= 0:
        return "Belum dimulai"
    return "Berjalan" if real >= 70 else "Terhambat"


def sungaiku_baiman() -> Book:
    """Dinas PUPR: everything typed as Indonesian text ("45,5%", "31 Maret 2024", "Rp1.250.000")."""
    rng = random.Random(2024_02)
    code, start, budget = "QW24-PUPR-01", date(2024, 3, 1), 14_750_000_000
    segments = _pupr_segments()
    target = round(sum(km for _, _, km, _, _ in segments), 1)
    # The year ends where the segments stand: the length-weighted progress of all segments.
    final = round(sum(km * real for _, _, km, real, _ in segments) / sum(km for _, _, km, _, _ in segments), 1)
    sheets = canonical_sheets()
    sheets["program"].add(
        {
            "kode_program": code,
            "nama_program": "Sungaiku Baiman",
            "dimensi": "Smart Branding",
            "skpd": "Dinas PUPR",
            "deskripsi": (
                "Penataan ruas sungai kota: siring, titian, pengerukan sedimen dan penertiban bantaran, "
                "agar sungai kembali menjadi wajah Kota Seribu Sungai."
            ),
            "indikator": "Ruas sungai ditata",
            "satuan": "km",
            "target": id_number(target, 1),
            "anggaran": rupiah(budget),
            "tanggal_mulai": id_date(start),
            "tanggal_selesai": id_date(YEAR_END),
            "lokasi_pribadi": "tidak",
            "tautan": HOMEPAGE,
        }
    )
    days = month_ends(start)
    delay = 0.17  # the contract was signed about two months late
    plans = [round(s_curve(elapsed(d, start, YEAR_END)), 1) for d in days]
    reals = []
    for i, d in enumerate(days):
        x = (elapsed(d, start, YEAR_END) - delay) / (1 - delay)
        real = final if i == len(days) - 1 else round(final * s_curve(x, 7.0) / 100 * rng.uniform(0.97, 1.0), 1)
        reals.append(max(real, reals[-1] if reals else 0.0))
    spent = spend(budget, reals, rng, (0.80, 0.90))
    notes = {
        "Belum dimulai": "Kontrak belum ditandatangani; lelang ulang",
        "Berjalan": "Pekerjaan berjalan sesuai jadwal",
        "Terhambat": "Terlambat: pasang surut tinggi dan penertiban bantaran belum tuntas",
    }
    for d, plan, real, money in zip(days, plans, reals, spent, strict=True):
        status = status_for(plan, real)
        sheets["capaian"].add(
            {
                "kode_program": code,
                "tanggal": id_date(d),
                "rencana_persen": id_percent(plan),
                "realisasi_persen": id_percent(real),
                "capaian_indikator": id_number(real / 100 * target, 2),
                "realisasi_anggaran": rupiah(money),
                "status": status,
                "keterangan": notes[status],
                "bukti": HOMEPAGE if real > 0 else None,
            }
        )
    for n, (name, points, km, real, note) in enumerate(segments, start=1):
        middle = points[len(points) // 2]
        area = nearest_kelurahan(*middle)
        sheets["lokasi"].add(
            {
                "kode_lokasi": f"SB-{n:02d}",
                "kode_program": code,
                "nama_lokasi": name,
                "jenis": "ruas",
                "koordinat": polyline(points),
                "kelurahan": area.nama,
                "kecamatan": area.kecamatan,
                "status": _segment_status(real),
                "realisasi_persen": id_percent(real),
                "tanggal_update": id_date(YEAR_END),
                "keterangan": f"±{id_number(km, 1)} km; {note}",
            }
        )
    return Book("pupr_sungaiku_baiman.xlsx", code, "Sungaiku Baiman", list(sheets.values()))


def baiman_store() -> Book:
    """Dinas Koperasi dan UMK: native dates and numbers, and the sample's deliberate clerk mistakes."""
    rng = random.Random(2024_03)
    code, start, target, budget = "QW24-DISKOP-01", date(2024, 2, 1), 250, 1_200_000_000
    sheets = canonical_sheets()
    lokasi = sheets["lokasi"]
    # A personal-data column a clerk added for the outlets' contact persons.
    lokasi.headers.insert(lokasi.headers.index("nama_lokasi") + 1, "No. HP")
    problems: list[Problem] = [
        Problem("warning", "lokasi", lokasi.ref("No. HP", 1), "kolom data pribadi 'No. HP' / personal-data column"),
    ]
    sheets["program"].add(
        {
            "kode_program": code,
            "nama_program": "Baiman Store",
            "dimensi": "Smart Economy",
            "skpd": "Dinas Koperasi dan UMK",
            "deskripsi": (
                "Gerai produk UMKM lokal Banjarmasin (sasirangan, kuliner khas, kerajinan) di titik ramai "
                "kota, dengan kurasi produk dan pendampingan pemasaran daring."
            ),
            "indikator": "UMKM bergabung",
            "satuan": "UMKM",
            "target": target,
            "anggaran": budget,
            "tanggal_mulai": start,
            "tanggal_selesai": YEAR_END,
            "lokasi_pribadi": "tidak",
            "tautan": HOMEPAGE,
        }
    )
    capaian = sheets["capaian"]
    reports = on_track(month_ends(start), start, target, budget, 97.2, rng)
    # The first plan with a decimal above 10, so that losing its comma takes it past 100.
    comma_lost = next(r for r in reports if r.plan > 10 and not r.plan.is_integer())
    duplicate: dict[str, Value] = {}
    previous: Report | None = None
    for r in reports:
        here = len(capaian.rows) + 2
        record: dict[str, Value] = {
            "kode_program": code,
            "tanggal": r.day,
            "rencana_persen": r.plan,
            "realisasi_persen": r.real,
            "capaian_indikator": r.output,
            "realisasi_anggaran": r.spent,
            "status": r.status,
            "keterangan": f"{r.output} UMKM terkurasi dan bergabung",
            "bukti": HOMEPAGE,
        }
        if r is comma_lost:
            record["rencana_persen"] = round(r.plan * 10)
            problems.append(
                Problem(
                    "error",
                    "capaian",
                    capaian.ref("rencana_persen", here),
                    f"rencana_persen {record['rencana_persen']} ({id_number(r.plan)} typed without its decimal comma)",
                )
            )
        if r.day.month == 6:
            # The evidence sits on the office file server, which the public cannot open.
            record["bukti"] = "ftp://10.10.1.5/laporan/baiman-store-juni-2024.pdf"
            problems.append(Problem("error", "capaian", capaian.ref("bukti", here), "bukti with an ftp:// link"))
        if r.day.month == 8 and previous is not None:
            # This month's new UMKM only, not the cumulative figure: the realisation goes down.
            joined = r.output - previous.output
            record["realisasi_persen"] = round(r.real - previous.real, 1)
            record["capaian_indikator"] = joined
            record["keterangan"] = f"{joined} UMKM baru bulan ini"
            problems.append(
                Problem(
                    "warning",
                    "capaian",
                    capaian.ref("realisasi_persen", here),
                    f"realisasi_persen {record['realisasi_persen']}: August's increase, not the cumulative figure",
                )
            )
        if r.day.month == 9:
            # Re-entered at the bottom with an "updated" figure instead of editing the row.
            duplicate = {**record, "capaian_indikator": r.output + 2, "keterangan": "Revisi data September"}
        capaian.add(record)
        previous = r
    row = capaian.add(duplicate)
    problems.append(Problem("error", "capaian", capaian.ref("tanggal", row), "a second report dated 30 Sep 2024"))

    outlets: list[tuple[str, Point, str, str | None]] = [
        ("Gerai Baiman Store Balai Kota", (-3.3283, 114.5881), "Berjalan", None),
        ("Gerai Baiman Store Menara Pandang", (-3.3197, 114.5928), "Berjalan", None),
        ("Gerai Baiman Store Pasar Lama", (-3.3081, 114.5921), "Berjalan", None),
        ("Gerai Baiman Store Kayu Tangi", (-3.2958, 114.5861), "Berjalan", None),
        ("Gerai Baiman Store Kelayan", (-3.3448, 114.5890), "Berjalan", "Kelayan Selatn"),
        ("Gerai Baiman Store Sungai Bilu", (-3.3172, 114.6095), "Berjalan", "swapped"),
        ("Gerai Baiman Store Kuin", (-3.3049, 114.5745), "Berjalan", None),
        ("Gerai Baiman Store Pemurus", (-3.3416, 114.6120), "Belum dimulai", None),
        ("Gerai Baiman Store Bandara Syamsudin Noor", (-3.4424, 114.7625), "Berjalan", "outside"),
    ]
    for n, (name, point, status, mistake) in enumerate(outlets, start=1):
        inside = mistake != "outside"
        area = nearest_kelurahan(*point) if inside else None
        record = {
            "kode_lokasi": f"BS-{n:02d}",
            "kode_program": code,
            "nama_lokasi": name,
            "No. HP": f"0812-xxxx-x{n:03d}",
            "jenis": "titik",
            "koordinat": latlon(point),
            "kelurahan": area.nama if area else None,
            "kecamatan": area.kecamatan if area else None,
            "status": status,
            "tanggal_update": YEAR_END,
            "keterangan": "Gerai mitra di area publik" if status == "Berjalan" else "Menunggu kesiapan tempat",
        }
        row = len(lokasi.rows) + 2
        if mistake == "Kelayan Selatn":
            record["kelurahan"] = mistake
            problems.append(Problem("warning", "lokasi", lokasi.ref("kelurahan", row), "kelurahan 'Kelayan Selatn'"))
        elif mistake == "swapped":
            record["koordinat"] = f"{point[1]:.4f}, {point[0]:.4f}"
            problems.append(Problem("error", "lokasi", lokasi.ref("koordinat", row), "coordinates as lon, lat"))
        elif mistake == "outside":
            # The airport outlet is in Banjarbaru, outside the city.
            problems.append(Problem("error", "lokasi", lokasi.ref("koordinat", row), "a point outside the city"))
        lokasi.add(record)
    # Native dates shown day first, as an Indonesian spreadsheet shows them.
    sheets["program"].formats.update({"tanggal_mulai": "dd/mm/yyyy", "tanggal_selesai": "dd/mm/yyyy"})
    sheets["capaian"].formats["tanggal"] = "dd/mm/yyyy"
    lokasi.formats["tanggal_update"] = "dd/mm/yyyy"
    return Book("diskop_baiman_store.xlsx", code, "Baiman Store", list(sheets.values()), problems)


def sampah_energi() -> Book:
    """DLH: native xlsx dates and percent-formatted cells (0.455 shown as 45.5%). Finished in October."""
    rng = random.Random(2024_04)
    code, start, done, target, budget = "QW24-DLH-01", date(2024, 2, 1), date(2024, 10, 31), 60, 1_850_000_000
    sheets = canonical_sheets()
    sheets["program"].add(
        {
            "kode_program": code,
            "nama_program": "Sampah Menjadi Energi (gas metana TPA Basirih)",
            "dimensi": "Smart Environment",
            "skpd": "DLH",
            "deskripsi": (
                "Gas metana dari timbunan sampah TPA Basirih ditangkap dan dialirkan gratis lewat pipa ke "
                "rumah warga sekitar untuk memasak; bank sampah mengurangi sampah yang masuk ke TPA."
            ),
            "indikator": "Rumah tersambung gas metana",
            "satuan": "rumah",
            "target": target,
            "anggaran": budget,
            "tanggal_mulai": start,
            "tanggal_selesai": YEAR_END,
            "lokasi_pribadi": "tidak",
            "tautan": HOMEPAGE,
        }
    )
    days = month_ends(start)
    plans = [round(s_curve(elapsed(d, start, YEAR_END)), 1) for d in days]
    # Ahead of plan: the connections were finished by the end of October.
    reals = [100.0 if d >= done else round(s_curve(elapsed(d, start, done), 6.0), 1) for d in days]
    spent = spend(budget, reals, rng, (0.92, 0.95))
    for d, plan, real, money in zip(days, plans, reals, spent, strict=True):
        homes = round(real / 100 * target)
        sheets["capaian"].add(
            {
                "kode_program": code,
                "tanggal": d,
                "rencana_persen": round(plan / 100, 4),
                "realisasi_persen": round(real / 100, 4),
                "capaian_indikator": homes,
                "realisasi_anggaran": money,
                "status": status_for(plan, real),
                "keterangan": "Seluruh 60 rumah tersambung; pemeliharaan rutin"
                if real >= 100
                else f"{homes} rumah tersambung pipa gas",
                "bukti": HOMEPAGE,
            }
        )
    basirih_selatan = kelurahan_named("Basirih Selatan")
    # The TPA lies a few hundred metres south-west of Basirih Selatan's reference point.
    tpa = (round(basirih_selatan.lat - 0.0017, 4), round(basirih_selatan.lon - 0.0026, 4))
    sites: list[tuple[str, Point, str]] = [
        ("TPA Basirih (instalasi penangkap gas metana)", tpa, "TPA 43 ha, sekitar 600 ton sampah per hari"),
    ]
    for kelurahan in ("Basirih", "Kelayan Selatan", "Pemurus Dalam"):
        sites.append((f"Bank Sampah Unit {kelurahan}", jitter(rng, *_point(kelurahan), 250), "Bank sampah unit"))
    sites.append(("Bank Sampah Induk Kota", jitter(rng, *_point("Teluk Dalam"), 250), "Bank sampah induk"))
    for n, (name, point, note) in enumerate(sites, start=1):
        area = nearest_kelurahan(*point)
        sheets["lokasi"].add(
            {
                "kode_lokasi": f"DLH-{n:02d}",
                "kode_program": code,
                "nama_lokasi": name,
                "jenis": "titik",
                "koordinat": latlon(point),
                "kelurahan": area.nama,
                "kecamatan": area.kecamatan,
                "status": "Selesai",
                "realisasi_persen": 1.0,
                "tanggal_update": done,
                "keterangan": note,
            }
        )
    book = Book("dlh_sampah_energi.xlsx", code, "Sampah Menjadi Energi", list(sheets.values()))
    date_format = "dd/mm/yyyy"
    sheets["program"].formats.update(
        {"tanggal_mulai": date_format, "tanggal_selesai": date_format, "anggaran": "#,##0"}
    )
    sheets["capaian"].formats.update(
        {"tanggal": date_format, "rencana_persen": "0.0%", "realisasi_persen": "0.0%", "realisasi_anggaran": "#,##0"}
    )
    sheets["lokasi"].formats.update({"realisasi_persen": "0%", "tanggal_update": date_format})
    return book


def _point(name: str) -> Point:
    area = kelurahan_named(name)
    return (area.lat, area.lon)


# Homes per kelurahan: most in the Kelayan and Basirih areas, as the 2024 allocation was (FACTS.md).
RTLH_HOMES: dict[str, int] = {
    "Kelayan Selatan": 14, "Kelayan Barat": 8, "Kelayan Tengah": 7, "Kelayan Dalam": 8, "Kelayan Timur": 12,
    "Basirih Selatan": 12, "Basirih": 12, "Pekauman": 5, "Murung Raya": 5, "Mantuil": 4,
    "Teluk Tiram": 5, "Telaga Biru": 4, "Pelambuan": 4,
}  # fmt: skip
RTLH_WORKS = ("Rehab atap dan dinding", "Rehab lantai dan jamban", "Rehab total rumah panggung", "Rehab atap")


def bakawan_rtlh() -> Book:
    """Disperkim: decimal-comma coordinates, "31 Des 2024" dates, "Rp9,2 miliar"; homes are private."""
    rng = random.Random(2024_05)
    code, start, target, unit_cost = "QW24-PERKIM-01", date(2024, 3, 1), 460, 20_000_000
    budget = target * unit_cost
    sheets = canonical_sheets()
    sheets["program"].add(
        {
            "kode_program": code,
            "nama_program": "Bakawan RTLH — rehabilitasi rumah tidak layak huni",
            "dimensi": "Smart Living",
            "skpd": "Disperkim",
            "deskripsi": (
                "Rehabilitasi 460 unit rumah tidak layak huni tahun 2024 dengan bantuan Rp20 juta per unit, "
                "terutama di kawasan Kelayan dan Basirih. Lokasi rumah ditampilkan per kelurahan saja."
            ),
            "indikator": "Rumah direhabilitasi",
            "satuan": "unit",
            "target": str(target),
            "anggaran": "Rp9,2 miliar",
            "tanggal_mulai": id_date(start, short=True),
            "tanggal_selesai": id_date(YEAR_END, short=True),
            "lokasi_pribadi": "ya",
            "tautan": HOMEPAGE,
        }
    )
    reports = on_track(month_ends(start), start, target, budget, 96.1, rng)
    for r in reports:
        units = r.output
        sheets["capaian"].add(
            {
                "kode_program": code,
                "tanggal": id_date(r.day, short=True),
                "rencana_persen": id_number(r.plan),
                "realisasi_persen": id_number(r.real),
                "capaian_indikator": units,
                # Paid per finished home.
                "realisasi_anggaran": rupiah(units * unit_cost, spaced=True, dash=True),
                "status": r.status,
                "keterangan": f"{units} dari {target} unit selesai direhabilitasi",
                "bukti": HOMEPAGE,
            }
        )
    homes = [name for name, count in RTLH_HOMES.items() for _ in range(count)]
    # Sample homes finish as the whole program did: home k is done by the first report past k/N.
    order = list(range(len(homes)))
    rng.shuffle(order)
    done_count, running_count = 94, 4
    finished_on: dict[int, date] = {}
    for rank, home in enumerate(order[:done_count]):
        finished_on[home] = next(r.day for r in reports if r.real / 100 * len(homes) >= rank + 1 or r is reports[-1])
    running = set(order[done_count : done_count + running_count])
    for n, name in enumerate(homes):
        area = kelurahan_named(name)
        if n in finished_on:
            status, progress, updated = "Selesai", 100.0, finished_on[n]
        elif n in running:
            status, progress, updated = "Berjalan", round(rng.uniform(35, 90) / 5) * 5.0, YEAR_END
        else:
            status, progress, updated = "Belum dimulai", 0.0, YEAR_END
        sheets["lokasi"].add(
            {
                "kode_lokasi": f"RTLH24-{n + 1:03d}",
                "kode_program": code,
                "nama_lokasi": f"Rumah RTLH {n + 1:03d}",
                "jenis": "titik",
                "koordinat": latlon(jitter(rng, area.lat, area.lon, 280), decimal_comma=True),
                "kelurahan": area.nama,
                "kecamatan": area.kecamatan,
                "status": status,
                "realisasi_persen": id_number(progress),
                "tanggal_update": id_date(updated, short=True),
                "keterangan": rng.choice(RTLH_WORKS),
            }
        )
    return Book("disperkim_bakawan_rtlh.xlsx", code, "Bakawan RTLH", list(sheets.values()))


def portal_pendidikan() -> Book:
    """Disdik: the contract's own headers, ISO text dates; no sites, so lokasi holds only its header."""
    rng = random.Random(2024_06)
    code, start, target, budget = "QW24-DISDIK-01", date(2024, 1, 15), 300, 675_000_000
    sheets = canonical_sheets()
    sheets["program"].add(
        {
            "kode_program": code,
            "nama_program": "Portal Pendidikan",
            "dimensi": "Smart Society",
            "skpd": "Disdik",
            "deskripsi": (
                "Satu portal untuk informasi sekolah, penerimaan murid baru dan layanan guru; setiap "
                "sekolah dihubungkan dan operatornya dilatih mengisi data."
            ),
            "indikator": "Sekolah terhubung portal",
            "satuan": "sekolah",
            "target": target,
            "anggaran": budget,
            "tanggal_mulai": start.isoformat(),
            "tanggal_selesai": YEAR_END.isoformat(),
            "lokasi_pribadi": "tidak",
            "tautan": HOMEPAGE,
        }
    )
    for r in on_track(month_ends(start), start, target, budget, 98.0, rng):
        sheets["capaian"].add(
            {
                "kode_program": code,
                "tanggal": r.day.isoformat(),
                "rencana_persen": r.plan,
                "realisasi_persen": r.real,
                "capaian_indikator": r.output,
                "realisasi_anggaran": r.spent,
                "status": r.status,
                "keterangan": f"{r.output} sekolah terhubung",
                "bukti": None,
            }
        )
    return Book("disdik_portal_pendidikan.xlsx", code, "Portal Pendidikan", list(sheets.values()))


def build_books() -> list[Book]:
    return [si_mantab(), sungaiku_baiman(), baiman_store(), sampah_energi(), bakawan_rtlh(), portal_pendidikan()]


# --- earlier versions: the built-in sample history ------------------------------------------
#
# The sample's own history: each workbook as it stood on these days (only the reports dated by then),
# with one story of an edit after publication each, so that the history page and the program pages'
# change notes show every kind on a fresh install. data_sources/jobs/sample_history.py loads them into an
# empty store, dated by their file names, before the first sync.

HISTORY_FOLDER = "riwayat"
HISTORY_DATES = (date(2024, 4, 1), date(2024, 6, 3), date(2024, 9, 2), date(2024, 11, 4))
TARGET_LOWERED_ON = date(2024, 6, 3)
END_DATE_MOVED_ON = date(2024, 9, 2)
SITE_ADDED_ON = date(2024, 9, 2)


def _worksheet(book: Book, name: str) -> Sheet:
    spec = next(w for w in contract.WORKSHEETS if w.name == name)
    return next(s for s in book.sheets if spec.matches_title(s.title))


def _header(sheet: Sheet, worksheet: str, column: str) -> str:
    """The header, as this workbook spells it, that the contract reads as ``column``."""
    spec = next(w for w in contract.WORKSHEETS if w.name == worksheet)
    spellings = spec.column(column).spellings()
    return next(h for h in sheet.headers if normalise_key(h) in spellings)


def _cell(sheet: Sheet, worksheet: str, row: list[Value], column: str) -> Value:
    return row[sheet.headers.index(_header(sheet, worksheet, column))]


def _set(sheet: Sheet, worksheet: str, row: list[Value], column: str, value: Value) -> None:
    row[sheet.headers.index(_header(sheet, worksheet, column))] = value


def _report_day(sheet: Sheet, row: list[Value]) -> date:
    return parse_date(Cell(_cell(sheet, "capaian", row, "tanggal"))).value


def _report(book: Book, day: date) -> list[Value]:
    capaian = _worksheet(book, "capaian")
    return next(r for r in capaian.rows if _report_day(capaian, r) == day)


def _rtlh_history(book: Book, day: date) -> None:
    """The target was lowered from 500 to 460 homes on 3 June 2024, and the budget with it (Rp20 juta a home)."""
    if day >= TARGET_LOWERED_ON:
        return
    program = _worksheet(book, "program")
    row = program.rows[0]
    _set(program, "program", row, "target", "500")
    _set(program, "program", row, "anggaran", "Rp10 miliar")
    description = str(_cell(program, "program", row, "deskripsi"))
    _set(program, "program", row, "deskripsi", description.replace("460 unit", "500 unit"))


def _pupr_history(book: Book, day: date) -> None:
    """The late river program's end date was moved from 30 November to 31 December 2024 on 2 September."""
    if day < END_DATE_MOVED_ON:
        program = _worksheet(book, "program")
        _set(program, "program", program.rows[0], "tanggal_selesai", id_date(date(2024, 11, 30)))


def _si_mantab_history(book: Book, day: date) -> None:
    """The 31 May report first counted 35 documents twice (corrected by 2 September); a counter opened then."""
    if day == date(2024, 6, 3):
        capaian = _worksheet(book, "capaian")
        row = _report(book, date(2024, 5, 31))
        _set(
            capaian, "capaian", row, "capaian_indikator", int(_cell(capaian, "capaian", row, "capaian_indikator")) + 35
        )
    if day < SITE_ADDED_ON:
        lokasi = _worksheet(book, "lokasi")
        lokasi.rows = [r for r in lokasi.rows if _cell(lokasi, "lokasi", r, "kode_lokasi") != "SMT-05"]


def _dlh_history(book: Book, day: date) -> None:
    """A mid-May report was published on 3 June and had disappeared by 2 September."""
    if day != date(2024, 6, 3):
        return
    capaian = _worksheet(book, "capaian")
    april, may = _report(book, date(2024, 4, 30)), _report(book, date(2024, 5, 31))
    middle = copy.copy(april)

    def between(column: str, digits: int) -> float:
        low, high = (float(_cell(capaian, "capaian", r, column)) for r in (april, may))  # type: ignore[arg-type]
        return round((low + high) / 2, digits)

    plan, real = between("rencana_persen", 4), between("realisasi_persen", 4)
    homes = round(between("capaian_indikator", 1))
    _set(capaian, "capaian", middle, "tanggal", date(2024, 5, 15))
    _set(capaian, "capaian", middle, "rencana_persen", plan)
    _set(capaian, "capaian", middle, "realisasi_persen", real)
    _set(capaian, "capaian", middle, "capaian_indikator", homes)
    _set(capaian, "capaian", middle, "realisasi_anggaran", round(between("realisasi_anggaran", 0) / 1e6) * 1_000_000)
    _set(capaian, "capaian", middle, "status", status_for(plan * 100, real * 100))
    _set(capaian, "capaian", middle, "keterangan", f"{homes} rumah tersambung pipa gas (laporan tengah bulan)")
    capaian.rows.insert(capaian.rows.index(may), middle)


def _portal_pendidikan_history(book: Book, day: date) -> None:
    """The 31 August report first claimed 6 points more progress; it was lowered by 4 November."""
    if day == date(2024, 9, 2):
        capaian = _worksheet(book, "capaian")
        row = _report(book, date(2024, 8, 31))
        real = float(_cell(capaian, "capaian", row, "realisasi_persen"))  # type: ignore[arg-type]
        _set(capaian, "capaian", row, "realisasi_persen", round(real + 6, 1))


# Baiman Store needs no story of its own: its August report, lower than July's, appears on 2 September.
HISTORY_EDITS: dict[str, Callable[[Book, date], None]] = {
    "QW24-PERKIM-01": _rtlh_history,
    "QW24-PUPR-01": _pupr_history,
    "QW24-DPMPTSP-01": _si_mantab_history,
    "QW24-DLH-01": _dlh_history,
    "QW24-DISDIK-01": _portal_pendidikan_history,
}


def earlier_version(book: Book, day: date) -> Book:
    """The workbook as it stood on ``day``: reports dated after it left out, and its story's edit applied."""
    version = copy.deepcopy(book)
    version.title = f"{book.title} (versi {day.isoformat()})"
    version.problems = []  # the deliberate mistakes are documented for the current workbook only
    capaian = _worksheet(version, "capaian")
    capaian.rows = [r for r in capaian.rows if _report_day(capaian, r) <= day]
    if edit := HISTORY_EDITS.get(book.code):
        edit(version, day)
    return version


def history_path(out_dir: Path, book: Book, day: date) -> Path:
    """``<out>/riwayat/<workbook stem>/<YYYY-MM-DD>.xlsx``: where data_sources/jobs/sample_history.py looks."""
    return out_dir / HISTORY_FOLDER / Path(book.file_name).stem / f"{day.isoformat()}.xlsx"


# --- writing --------------------------------------------------------------------------------


def _column_width(sheet: Sheet, index: int) -> float:
    longest = max((len(str(row[index])) for row in sheet.rows if row[index] is not None), default=0)
    return min(max(len(sheet.headers[index]), longest, 8) + 2, 60)


def write_book(book: Book, path: Path) -> None:
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in book.sheets:
        ws = wb.create_sheet(sheet.title)
        ws.append(sheet.headers)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in sheet.rows:
            ws.append(row)
        for index, header in enumerate(sheet.headers):
            letter = get_column_letter(index + 1)
            ws.column_dimensions[letter].width = _column_width(sheet, index)
            if number_format := sheet.formats.get(header):
                for row_number in range(2, len(sheet.rows) + 2):
                    ws[f"{letter}{row_number}"].number_format = number_format
        ws.freeze_panes = "A2"
    props = wb.properties
    props.creator = props.lastModifiedBy = CREATOR
    props.title = f"{book.code} {book.title} — data contoh"
    props.created = props.modified = FIXED_TIME
    # openpyxl's save() stamps "modified" with the current time; writing through ExcelWriter does not.
    raw = io.BytesIO()
    archive = zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED)
    ExcelWriter(wb, archive).save()
    # Zip entries carry their write time too; rewrite them with a fixed one.
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))


def write_all(out_dir: Path = SAMPLE_DIR) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for book in build_books():
        path = out_dir / book.file_name
        write_book(book, path)
        paths.append(path)
        for day in HISTORY_DATES:
            path = history_path(out_dir, book, day)
            path.parent.mkdir(parents=True, exist_ok=True)
            write_book(earlier_version(book, day), path)
            paths.append(path)
    return paths


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Regenerate the sample SKPD workbooks (data contoh).")
    parser.add_argument("--out", type=Path, default=SAMPLE_DIR, help=f"output folder (default: {SAMPLE_DIR})")
    args = parser.parse_args(argv)
    for path in write_all(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
