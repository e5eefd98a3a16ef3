"""The 52 kelurahan of Kota Banjarmasin (Kemendagri code 63.71) and the city's extent.

Names and codes: Kepmendagri 300.2.2-2138/2025 as published in the MIT-licensed
``cahyadsn/wilayah`` data set. Points (a point inside each kelurahan) and areas: derived from
the HDX/BPS 2020 kelurahan boundaries. Copied from ``shared/reference/kelurahan_banjarmasin.csv``
into code so that ``core`` stays free of I/O.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from core.text import normalise_key


@dataclass(frozen=True)
class Kelurahan:
    kode: str
    kecamatan: str
    nama: str
    lat: float
    lon: float
    luas_km2: float


KECAMATAN: tuple[str, ...] = (
    "Banjarmasin Selatan",
    "Banjarmasin Timur",
    "Banjarmasin Barat",
    "Banjarmasin Utara",
    "Banjarmasin Tengah",
)

KELURAHAN: tuple[Kelurahan, ...] = (
    Kelurahan("63.71.01.1001", "Banjarmasin Selatan", "Mantuil", -3.3554, 114.5456, 12.09),
    Kelurahan("63.71.01.1002", "Banjarmasin Selatan", "Kelayan Selatan", -3.3443, 114.5881, 1.14),
    Kelurahan("63.71.01.1003", "Banjarmasin Selatan", "Pekauman", -3.3329, 114.5898, 0.37),
    Kelurahan("63.71.01.1004", "Banjarmasin Selatan", "Kelayan Barat", -3.3309, 114.5941, 0.29),
    Kelurahan("63.71.01.1005", "Banjarmasin Selatan", "Kelayan Tengah", -3.3351, 114.5936, 0.20),
    Kelurahan("63.71.01.1006", "Banjarmasin Selatan", "Kelayan Dalam", -3.3351, 114.5979, 0.35),
    Kelurahan("63.71.01.1007", "Banjarmasin Selatan", "Murung Raya", -3.3406, 114.5983, 0.67),
    Kelurahan("63.71.01.1008", "Banjarmasin Selatan", "Kelayan Timur", -3.3593, 114.5924, 4.88),
    Kelurahan("63.71.01.1009", "Banjarmasin Selatan", "Tanjung Pagar", -3.3563, 114.6051, 3.80),
    Kelurahan("63.71.01.1010", "Banjarmasin Selatan", "Pemurus Dalam", -3.3570, 114.6181, 4.32),
    Kelurahan("63.71.01.1011", "Banjarmasin Selatan", "Pemurus Baru", -3.3420, 114.6114, 1.42),
    Kelurahan("63.71.01.1012", "Banjarmasin Selatan", "Basirih Selatan", -3.3594, 114.5742, 8.76),
    Kelurahan("63.71.02.1001", "Banjarmasin Timur", "Kuripan", -3.3276, 114.6204, 1.41),
    Kelurahan("63.71.02.1002", "Banjarmasin Timur", "Kebun Bunga", -3.3295, 114.6144, 1.20),
    Kelurahan("63.71.02.1003", "Banjarmasin Timur", "Karang Mekar", -3.3323, 114.6058, 0.70),
    Kelurahan("63.71.02.1004", "Banjarmasin Timur", "Sungai Bilu", -3.3169, 114.6101, 0.61),
    Kelurahan("63.71.02.1005", "Banjarmasin Timur", "Sungai Lulut", -3.3303, 114.6375, 7.70),
    Kelurahan("63.71.02.1006", "Banjarmasin Timur", "Banua Anyar", -3.3087, 114.6143, 1.99),
    Kelurahan("63.71.02.1007", "Banjarmasin Timur", "Pengambangan", -3.3198, 114.6210, 1.12),
    Kelurahan("63.71.02.1008", "Banjarmasin Timur", "Pekapuran Raya", -3.3336, 114.6104, 0.89),
    Kelurahan("63.71.02.1009", "Banjarmasin Timur", "Pemurus Luar", -3.3413, 114.6272, 2.20),
    Kelurahan("63.71.03.1001", "Banjarmasin Barat", "Belitung Utara", -3.3056, 114.5814, 0.54),
    Kelurahan("63.71.03.1002", "Banjarmasin Barat", "Belitung Selatan", -3.3087, 114.5787, 1.21),
    Kelurahan("63.71.03.1003", "Banjarmasin Barat", "Pelambuan", -3.3186, 114.5662, 1.80),
    Kelurahan("63.71.03.1004", "Banjarmasin Barat", "Telaga Biru", -3.3280, 114.5648, 1.79),
    Kelurahan("63.71.03.1005", "Banjarmasin Barat", "Telawang", -3.3298, 114.5829, 0.60),
    Kelurahan("63.71.03.1006", "Banjarmasin Barat", "Teluk Tiram", -3.3382, 114.5802, 0.65),
    Kelurahan("63.71.03.1007", "Banjarmasin Barat", "Kuin Selatan", -3.3015, 114.5752, 0.66),
    Kelurahan("63.71.03.1008", "Banjarmasin Barat", "Kuin Cerucuk", -3.3053, 114.5693, 2.26),
    Kelurahan("63.71.03.1009", "Banjarmasin Barat", "Basirih", -3.3372, 114.5678, 3.50),
    Kelurahan("63.71.04.1001", "Banjarmasin Utara", "Alalak Tengah", -3.2745, 114.5697, 0.90),
    Kelurahan("63.71.04.1002", "Banjarmasin Utara", "Alalak Utara", -3.2785, 114.5828, 3.10),
    Kelurahan("63.71.04.1003", "Banjarmasin Utara", "Alalak Selatan", -3.2858, 114.5710, 0.91),
    Kelurahan("63.71.04.1004", "Banjarmasin Utara", "Sungai Jingah", -3.2962, 114.6269, 6.45),
    Kelurahan("63.71.04.1005", "Banjarmasin Utara", "Sungai Miai", -3.2954, 114.5947, 1.66),
    Kelurahan("63.71.04.1006", "Banjarmasin Utara", "Surgi Mufti", -3.3022, 114.6007, 1.76),
    Kelurahan("63.71.04.1007", "Banjarmasin Utara", "Pangeran", -3.2953, 114.5852, 1.47),
    Kelurahan("63.71.04.1008", "Banjarmasin Utara", "Antasan Kecil Timur", -3.3015, 114.5950, 0.66),
    Kelurahan("63.71.04.1009", "Banjarmasin Utara", "Kuin Utara", -3.2897, 114.5781, 1.49),
    Kelurahan("63.71.04.1010", "Banjarmasin Utara", "Sungai Andai", -3.2907, 114.6115, 3.70),
    Kelurahan("63.71.05.1001", "Banjarmasin Tengah", "Kertak Baru Ilir", -3.3260, 114.5912, 0.48),
    Kelurahan("63.71.05.1002", "Banjarmasin Tengah", "Kertak Baru Ulu", -3.3233, 114.5919, 0.45),
    Kelurahan("63.71.05.1003", "Banjarmasin Tengah", "Mawar", -3.3264, 114.5815, 0.47),
    Kelurahan("63.71.05.1004", "Banjarmasin Tengah", "Teluk Dalam", -3.3174, 114.5788, 1.82),
    Kelurahan("63.71.05.1005", "Banjarmasin Tengah", "Antasan Besar", -3.3167, 114.5887, 0.80),
    Kelurahan("63.71.05.1006", "Banjarmasin Tengah", "Pasar Lama", -3.3086, 114.5913, 0.47),
    Kelurahan("63.71.05.1007", "Banjarmasin Tengah", "Seberang Mesjid", -3.3130, 114.5962, 0.40),
    Kelurahan("63.71.05.1008", "Banjarmasin Tengah", "Gadang", -3.3185, 114.5962, 0.29),
    Kelurahan("63.71.05.1009", "Banjarmasin Tengah", "Melayu", -3.3196, 114.6010, 0.61),
    Kelurahan("63.71.05.1010", "Banjarmasin Tengah", "Sungai Baru", -3.3245, 114.6003, 0.46),
    Kelurahan("63.71.05.1011", "Banjarmasin Tengah", "Pekapuran Laut", -3.3264, 114.5989, 0.22),
    Kelurahan("63.71.05.1012", "Banjarmasin Tengah", "Kelayan Luar", -3.3293, 114.5980, 0.20),
)

# Older data spell some names differently; these map to the official spelling.
KELURAHAN_ALIASES: dict[str, str] = {
    "benua anyar": "Banua Anyar",
}

# Normalised spelling -> official name: a sync looks a name up for every site row.
_KELURAHAN_BY_KEY: dict[str, str] = {}
for _k in KELURAHAN:
    _KELURAHAN_BY_KEY.setdefault(normalise_key(_k.nama), _k.nama)
_KECAMATAN_BY_KEY: dict[str, str] = {}
for _official in KECAMATAN:  # the first official name a spelling matches wins, as before
    _KECAMATAN_BY_KEY.setdefault(normalise_key(_official), _official)
    _KECAMATAN_BY_KEY.setdefault(normalise_key(_official.removeprefix("Banjarmasin ")), _official)

# The city's extent with a margin of a few hundred metres: every kelurahan point, river point
# and the Barito bank in FACTS.md lie inside it. A site outside it is not in Banjarmasin.
LAT_MIN, LAT_MAX = -3.40, -3.25
LON_MIN, LON_MAX = 114.52, 114.67

# Banjarmasin keeps WITA (UTC+8): times are shown, and "today" is judged, in this zone.
CITY_TIMEZONE = ZoneInfo("Asia/Makassar")


def city_today(now: datetime) -> date:
    """The city's date at ``now`` (an aware time): "today" for the rule "a report is not dated in the future"."""
    return now.astimezone(CITY_TIMEZONE).date()


# Balai Kota, Jl. RE Martadinata No. 1: the centre the maps open on.
CITY_HALL = (-3.3278, 114.5887)


def in_city(lat: float, lon: float) -> bool:
    return LAT_MIN <= lat <= LAT_MAX and LON_MIN <= lon <= LON_MAX


def closest_name(name: str, options: list[str]) -> str | None:
    """The option most like ``name``, to suggest in a message ("did you mean …?")."""
    lowered = {o.lower(): o for o in options}
    match = difflib.get_close_matches(name.lower(), list(lowered), n=1, cutoff=0.0)
    return lowered[match[0]] if match else None


def official_kecamatan(name: str) -> str | None:
    """The official kecamatan name; the short form ``Selatan`` means ``Banjarmasin Selatan``."""
    return _KECAMATAN_BY_KEY.get(normalise_key(name))


def official_kelurahan(name: str) -> str | None:
    """The official spelling of a kelurahan name, whatever its case or older spelling."""
    key = name.strip().lower()
    if key in KELURAHAN_ALIASES:
        return KELURAHAN_ALIASES[key]
    return _KELURAHAN_BY_KEY.get(normalise_key(name))


def nearest_kelurahan(lat: float, lon: float) -> str:
    """The kelurahan whose reference point is nearest (good enough to coarsen a home to its area)."""

    def distance(k: Kelurahan) -> float:
        return math.hypot(k.lat - lat, (k.lon - lon) * math.cos(math.radians(lat)))

    return min(KELURAHAN, key=distance).nama
