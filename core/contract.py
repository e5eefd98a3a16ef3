"""The sheet contract, v1: the one definition of what an SKPD sheet holds.

Validation reads its columns, types and rules from here; the store derives its tables from here;
``docs/kontrak-sheet.md`` is rendered from here (a test fails when the document is stale).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from enum import Enum

from core.text import Text
from core.values import normalise_key

CONTRACT_VERSION = 1


class Kind(Enum):
    TEXT = "teks / text"
    NUMBER = "angka / number"
    PERCENT = "persen 0–100 / percent 0–100"
    RUPIAH = "Rupiah"
    DATE = "tanggal / date"
    CHOICE = "pilihan / choice"
    URL = "tautan http(s) / http(s) link"
    COORDINATES = "koordinat / coordinates"


@dataclass(frozen=True)
class Choice:
    canonical: str
    label: Text
    spellings: tuple[str, ...] = ()


@functools.cache
def choice_map(choices: tuple[Choice, ...]) -> dict[str, str]:
    """Normalised spelling -> canonical value, for ``values.parse_choice``.

    Built once per tuple of choices (it was rebuilt for every cell) and shared: callers only read it.
    """
    out: dict[str, str] = {}
    for c in choices:
        for spelling in (c.canonical, c.label.id, c.label.en, *c.spellings):
            out[normalise_key(spelling)] = c.canonical
    return out


DIMENSIONS: tuple[Choice, ...] = (
    Choice(
        "Smart Governance",
        Text("Tata Kelola", "Governance"),
        ("governance", "smart government", "government", "tata kelola pemerintahan", "pemerintahan"),
    ),
    Choice(
        "Smart Branding",
        Text("Pencitraan Daerah", "Branding"),
        ("branding", "pencitraan", "citra daerah", "branding daerah"),
    ),
    Choice("Smart Economy", Text("Ekonomi", "Economy"), ("economy", "ekonomi", "smart ekonomi")),
    Choice(
        "Smart Environment",
        Text("Lingkungan", "Environment"),
        ("environment", "lingkungan", "smart lingkungan"),
    ),
    Choice(
        "Smart Society",
        Text("Masyarakat", "Society"),
        ("society", "masyarakat", "sosial", "kemasyarakatan"),
    ),
    Choice(
        "Smart Living",
        Text("Tata Kehidupan", "Living"),
        ("living", "kehidupan", "smart kehidupan"),
    ),
)

STATUSES: tuple[Choice, ...] = (
    Choice("Belum dimulai", Text("Belum dimulai", "Not started"), ("belum mulai", "belum")),
    Choice("Berjalan", Text("Berjalan", "In progress"), ("sedang berjalan", "on going", "ongoing")),
    Choice("Terhambat", Text("Terhambat", "Delayed"), ("hambatan", "terlambat", "blocked")),
    Choice("Selesai", Text("Selesai", "Completed"), ("done", "finished", "complete", "tuntas")),
)
STATUS_DONE = "Selesai"

YES_NO: tuple[Choice, ...] = (
    Choice("ya", Text("ya", "yes"), ("iya", "y", "true", "1", "benar")),
    Choice("tidak", Text("tidak", "no"), ("t", "n", "false", "0", "salah")),
)

SITE_KINDS: tuple[Choice, ...] = (
    Choice("titik", Text("titik", "point"), ("point",)),
    Choice("ruas", Text("ruas", "segment"), ("line", "garis", "segmen")),
)


def site_status_word(status: str, lang: str) -> str:
    """A status in the reader's language; a value that is not one of ``STATUSES`` (sheet text) is kept as it is."""
    return next((c.label.get(lang) for c in STATUSES if c.canonical == status), status)


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    required: bool
    rule: Text
    aliases: tuple[str, ...] = ()
    minimum: float | None = None
    minimum_exclusive: bool = False
    maximum: float | None = None
    choices: tuple[Choice, ...] = ()
    default: str | None = None

    def spellings(self) -> set[str]:
        return {normalise_key(s) for s in (self.name, *self.aliases)}


@dataclass(frozen=True)
class Worksheet:
    name: str
    purpose: Text
    columns: tuple[Column, ...]
    aliases: tuple[str, ...] = ()
    # Rules that span rows or columns; validation implements each, the document lists each.
    rules: tuple[Text, ...] = field(default_factory=tuple)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    def matches_title(self, title: str) -> bool:
        """Worksheet titles match like headers: case, spacing and aliases do not matter."""
        return normalise_key(title) in {normalise_key(s) for s in (self.name, *self.aliases)}


_STATUS_RULE = Text(
    "Wajib: Belum dimulai, Berjalan, Terhambat, atau Selesai (huruf besar/kecil dan spasi bebas).",
    "Required: Belum dimulai, Berjalan, Terhambat or Selesai (any case or spacing; "
    "Not started, In progress, Delayed, Completed are accepted too).",
)

PROGRAM = Worksheet(
    name="program",
    aliases=("programs", "daftar program", "program quick win"),
    purpose=Text("Satu baris per program.", "One row per program."),
    columns=(
        Column(
            "kode_program",
            Kind.TEXT,
            True,
            Text(
                "Wajib, unik di semua sumber (mis. `QW24-PERKIM-01`).",
                "Required, unique across all sources (e.g. `QW24-PERKIM-01`).",
            ),
            aliases=("kode", "kode program", "id program", "program code"),
        ),
        Column(
            "nama_program",
            Kind.TEXT,
            True,
            Text("Wajib.", "Required."),
            aliases=("program", "program name", "judul program"),
        ),
        Column(
            "dimensi",
            Kind.CHOICE,
            True,
            Text(
                "Wajib; salah satu dari enam dimensi Smart City. Ejaan umum diterima "
                "(`Smart Governance`, `smart government`, `Tata Kelola`, …) dan disimpan dalam "
                "bentuk baku.",
                "Required; one of the six Smart City dimensions. Common spellings are accepted "
                "(`Smart Governance`, `smart government`, `Tata Kelola`, …) and stored in the "
                "canonical form.",
            ),
            aliases=("dimensi smart city", "dimension"),
            choices=DIMENSIONS,
        ),
        Column(
            "skpd",
            Kind.TEXT,
            True,
            Text("Wajib: nama singkat SKPD (mis. `Disperkim`).", "Required: short name (e.g. `Disperkim`)."),
            aliases=("opd", "perangkat daerah", "dinas"),
        ),
        Column("deskripsi", Kind.TEXT, False, Text("Opsional.", "Optional."), aliases=("uraian", "description")),
        Column(
            "indikator",
            Kind.TEXT,
            True,
            Text(
                "Wajib: apa yang dihitung (mis. `Rumah direhabilitasi`).",
                "Required: what is counted (e.g. `Rumah direhabilitasi`).",
            ),
            aliases=("indikator kinerja", "indicator"),
        ),
        Column(
            "satuan",
            Kind.TEXT,
            True,
            Text(
                "Wajib: satuan (`unit`, `km`, `dokumen`, `ton/hari`, …).",
                "Required: unit (`unit`, `km`, `dokumen`, `ton/hari`, …).",
            ),
            aliases=("unit",),
        ),
        Column(
            "target",
            Kind.NUMBER,
            True,
            Text("Wajib, angka lebih dari 0.", "Required number greater than 0."),
            aliases=("target indikator", "target fisik"),
            minimum=0,
            minimum_exclusive=True,
        ),
        Column(
            "anggaran",
            Kind.RUPIAH,
            False,
            Text("Opsional, Rupiah ≥ 0.", "Optional Rupiah ≥ 0."),
            aliases=("pagu", "pagu anggaran", "anggaran rp", "budget"),
            minimum=0,
        ),
        Column(
            "tanggal_mulai",
            Kind.DATE,
            True,
            Text("Wajib, tanggal.", "Required date."),
            aliases=("mulai", "tgl mulai", "start date"),
        ),
        Column(
            "tanggal_selesai",
            Kind.DATE,
            True,
            Text("Wajib, tanggal; tidak sebelum tanggal_mulai.", "Required date; not before tanggal_mulai."),
            aliases=("selesai", "tgl selesai", "end date"),
        ),
        Column(
            "lokasi_pribadi",
            Kind.CHOICE,
            False,
            Text(
                "Opsional `ya`/`tidak` (bawaan `tidak`). `ya` berarti lokasi program adalah rumah "
                "pribadi (RTLH): koordinat rumah tidak disimpan, hanya kelurahannya.",
                "Optional `ya`/`tidak` (default `tidak`). `ya` means the program's sites are private "
                "homes (RTLH): the homes' coordinates are not stored, only their kelurahan.",
            ),
            aliases=("pribadi", "rumah pribadi", "private sites"),
            choices=YES_NO,
            default="tidak",
        ),
        Column(
            "tautan",
            Kind.URL,
            False,
            Text(
                "Opsional tautan http(s); skema lain ditolak.",
                "Optional http(s) link; any other scheme is rejected.",
            ),
            aliases=("link", "url", "situs"),
        ),
    ),
    rules=(
        Text(
            "`kode_program` tidak boleh muncul dua kali; baris kedua ditolak.",
            "A `kode_program` may appear only once; the second row is rejected.",
        ),
        Text(
            "`tanggal_selesai` tidak boleh sebelum `tanggal_mulai`.",
            "`tanggal_selesai` may not be before `tanggal_mulai`.",
        ),
    ),
)

CAPAIAN = Worksheet(
    name="capaian",
    aliases=("progres", "progress", "realisasi", "laporan capaian"),
    purpose=Text(
        "Satu baris per program per tanggal laporan (angka kumulatif).",
        "One row per program per reporting date (cumulative figures).",
    ),
    columns=(
        Column(
            "kode_program",
            Kind.TEXT,
            True,
            Text("Wajib; harus ada di worksheet `program`.", "Required; must exist in `program`."),
            aliases=("kode", "kode program", "program code"),
        ),
        Column(
            "tanggal",
            Kind.DATE,
            True,
            Text(
                "Wajib, tanggal; tidak boleh setelah hari pemeriksaan.",
                "Required date; not after the day of the check.",
            ),
            aliases=("tanggal laporan", "tgl", "per tanggal", "date"),
        ),
        Column(
            "rencana_persen",
            Kind.PERCENT,
            True,
            Text(
                "Wajib 0–100: rencana progres fisik kumulatif.",
                "Required 0–100: planned cumulative physical progress.",
            ),
            aliases=("rencana", "rencana fisik", "target persen", "plan"),
            minimum=0,
            maximum=100,
        ),
        Column(
            "realisasi_persen",
            Kind.PERCENT,
            True,
            Text(
                "Wajib 0–100: realisasi progres fisik kumulatif.",
                "Required 0–100: actual cumulative physical progress.",
            ),
            aliases=("realisasi", "realisasi fisik", "progres fisik", "actual"),
            minimum=0,
            maximum=100,
        ),
        Column(
            "capaian_indikator",
            Kind.NUMBER,
            False,
            Text(
                "Opsional angka ≥ 0: jumlah kumulatif indikator.",
                "Optional number ≥ 0: cumulative count of the indicator.",
            ),
            aliases=("capaian", "jumlah", "output"),
            minimum=0,
        ),
        Column(
            "realisasi_anggaran",
            Kind.RUPIAH,
            False,
            Text("Opsional Rupiah ≥ 0, kumulatif terpakai.", "Optional Rupiah ≥ 0, cumulative spent."),
            aliases=("realisasi keuangan", "serapan anggaran", "spent"),
            minimum=0,
        ),
        Column("status", Kind.CHOICE, True, _STATUS_RULE, aliases=("status program",), choices=STATUSES),
        Column("keterangan", Kind.TEXT, False, Text("Opsional.", "Optional."), aliases=("catatan", "notes")),
        Column(
            "bukti",
            Kind.URL,
            False,
            Text("Opsional tautan http(s) ke bukti.", "Optional http(s) link to evidence."),
            aliases=("tautan bukti", "link bukti", "evidence"),
        ),
    ),
    rules=(
        Text(
            "Baris kedua untuk program dan tanggal yang sama adalah kesalahan.",
            "A second row for the same program and date is an error.",
        ),
        Text(
            "Realisasi yang lebih rendah dari laporan sebelumnya diberi peringatan.",
            "A realisation lower than the previous report's is a warning.",
        ),
        Text(
            "`Selesai` dengan realisasi di bawah 100, atau realisasi 100 tanpa `Selesai`, diberi peringatan.",
            "`Selesai` with realisation under 100, or 100 without `Selesai`, is a warning.",
        ),
    ),
)

LOKASI = Worksheet(
    name="lokasi",
    aliases=("lokasi program", "sites", "titik lokasi"),
    purpose=Text("Satu baris per lokasi.", "One row per site."),
    columns=(
        Column(
            "kode_lokasi",
            Kind.TEXT,
            True,
            Text("Wajib, unik.", "Required, unique."),
            aliases=("id lokasi", "site code"),
        ),
        Column(
            "kode_program",
            Kind.TEXT,
            True,
            Text("Wajib; harus ada di worksheet `program`.", "Required; must exist in `program`."),
            aliases=("kode", "kode program", "program code"),
        ),
        Column(
            "nama_lokasi",
            Kind.TEXT,
            True,
            Text("Wajib.", "Required."),
            aliases=("lokasi", "nama tempat", "site name"),
        ),
        Column(
            "jenis",
            Kind.CHOICE,
            False,
            Text(
                "`titik` (satu titik) atau `ruas` (garis, mis. segmen sungai). Jika kosong: `titik` "
                "untuk satu titik, `ruas` untuk dua titik atau lebih.",
                "`titik` (a point) or `ruas` (a line, such as a river segment). When empty: `titik` "
                "for one point, `ruas` for two or more.",
            ),
            aliases=("jenis lokasi", "tipe", "type"),
            choices=SITE_KINDS,
        ),
        Column(
            "koordinat",
            Kind.COORDINATES,
            True,
            Text(
                "Wajib. `titik`: `lintang, bujur`; `ruas`: dua titik atau lebih "
                "`lintang bujur; lintang bujur; …`. Desimal titik atau koma diterima. Titik di luar "
                "Kota Banjarmasin ditolak; pasangan yang tertukar diberi pesan khusus.",
                "Required. `titik`: `lat, lon`; `ruas`: two or more points `lat lon; lat lon; …`. "
                "Decimal point or comma. Points outside Banjarmasin are errors; a pair that is inside "
                "only when swapped gets a message saying lat and lon look swapped.",
            ),
            aliases=("koordinat lokasi", "latlon", "lat lon", "coordinates"),
        ),
        Column(
            "kelurahan",
            Kind.TEXT,
            False,
            Text(
                "Opsional; dicocokkan dengan daftar resmi 52 kelurahan. Nama yang tidak dikenal "
                "diberi peringatan dengan nama resmi terdekat.",
                "Optional; checked against the official list of 52 kelurahan. An unknown name is a "
                "warning naming the closest official one.",
            ),
            aliases=("desa", "desa kelurahan"),
        ),
        Column(
            "kecamatan",
            Kind.TEXT,
            False,
            Text(
                "Opsional; dicocokkan dengan 5 kecamatan resmi (`Selatan` berarti `Banjarmasin Selatan`).",
                "Optional; checked against the 5 official kecamatan (`Selatan` means `Banjarmasin Selatan`).",
            ),
            aliases=("district",),
        ),
        Column("status", Kind.CHOICE, True, _STATUS_RULE, aliases=("status lokasi",), choices=STATUSES),
        Column(
            "realisasi_persen",
            Kind.PERCENT,
            False,
            Text("Opsional 0–100.", "Optional 0–100."),
            aliases=("realisasi", "progres", "progress"),
            minimum=0,
            maximum=100,
        ),
        Column(
            "tanggal_update",
            Kind.DATE,
            False,
            Text("Opsional, tanggal.", "Optional date."),
            aliases=("tanggal", "update", "tgl update", "diperbarui"),
        ),
        Column("keterangan", Kind.TEXT, False, Text("Opsional.", "Optional."), aliases=("catatan", "notes")),
    ),
    rules=(
        Text("`kode_lokasi` tidak boleh muncul dua kali.", "A `kode_lokasi` may appear only once."),
        Text(
            "`ruas` butuh dua titik atau lebih; `titik` tepat satu.",
            "`ruas` needs two or more points; `titik` exactly one.",
        ),
        Text(
            "Untuk program dengan `lokasi_pribadi` = `ya`: koordinat, nama lokasi dan keterangan "
            "tidak disimpan; lokasi ditampilkan di titik kelurahannya (dari kolom kelurahan, atau "
            "kelurahan terdekat).",
            "For a program with `lokasi_pribadi` = `ya`: coordinates, site name and remarks are not "
            "stored; the site is shown at its kelurahan's point (from the kelurahan column, or the "
            "nearest kelurahan).",
        ),
    ),
)

WORKSHEETS: tuple[Worksheet, ...] = (PROGRAM, CAPAIAN, LOKASI)

# Columns that hold personal data: never stored or shown, whatever sheet they appear in.
# Matched after normalising the header (see ``values.normalise_key``).
PERSONAL_DATA_COLUMNS: tuple[str, ...] = (
    "nik",
    "no_nik",
    "nomor_nik",
    "no_kk",
    "nomor_kk",
    "kk",
    "nama",
    "nama_penerima",
    "penerima",
    "nama_kepala_keluarga",
    "nama_kk",
    "nama_pemilik",
    "pemilik",
    "no_hp",
    "nomor_hp",
    "hp",
    "no_telp",
    "no_telepon",
    "telepon",
    "telp",
    "whatsapp",
    "no_wa",
    "wa",
    "alamat",
    "alamat_rumah",
    "alamat_lengkap",
    "email",
    "e_mail",
    "tanggal_lahir",
    "tgl_lahir",
    "foto_rumah",
)
# A header containing any of these parts is personal too ("NIK Penerima", "No. HP Pemilik").
PERSONAL_DATA_PARTS: tuple[str, ...] = ("nik", "hp", "telp", "telepon", "alamat", "email", "wa", "kk")


def is_personal_column(header: str) -> bool:
    key = normalise_key(header)
    if key in PERSONAL_DATA_COLUMNS:
        return True
    return any(part in key.split("_") for part in PERSONAL_DATA_PARTS)
