"""The Survei Kepuasan Masyarakat (SKM) index, Peraturan Menteri PANRB No. 14 Tahun 2017.

Nine elements (unsur), each answered 1 (tidak baik) to 4 (sangat baik). Per element,
NRR = sum of answers / number of respondents who answered it (an empty answer, "not applicable",
is left out of that element only). IKM = sum over the elements of NRR x 1/9, on the 1–4 scale;
the unit's IKM is IKM x 25 (25–100), and its quality band (mutu) follows FACTS.md. An element
nobody answered is left out and the weights of the others are renormalised, so IKM stays an
average on the 1–4 scale; the result says which elements had no answer.

The older Kepmenpan 25/2004 method (14 elements, weight 0,071) is superseded and not used.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from core.text import Text

# Keys, not positions, identify the elements: sources differ on the order of the last two.
ELEMENTS: dict[str, Text] = {
    "persyaratan": Text("Persyaratan", "Requirements"),
    "prosedur": Text("Sistem, Mekanisme, dan Prosedur", "Systems, mechanisms and procedures"),
    "waktu": Text("Waktu Penyelesaian", "Time to completion"),
    "biaya": Text("Biaya/Tarif", "Cost/fee"),
    "produk": Text("Produk Spesifikasi Jenis Pelayanan", "Service products"),
    "kompetensi": Text("Kompetensi Pelaksana", "Staff competence"),
    "perilaku": Text("Perilaku Pelaksana", "Staff conduct"),
    "pengaduan": Text("Penanganan Pengaduan, Saran dan Masukan", "Handling of complaints and suggestions"),
    "sarana": Text("Sarana dan Prasarana", "Facilities"),
}
GENERAL = "umum"  # a response about the Quick Win programs in general, not one program


@dataclass(frozen=True)
class Band:
    mutu: str
    kinerja: Text
    low: float  # the lowest converted IKM (25–100) in the band, at two decimals


# FACTS.md: 25,00–64,99 D; 65,00–76,60 C; 76,61–88,30 B; 88,31–100,00 A.
BANDS: tuple[Band, ...] = (
    Band("A", Text("Sangat Baik", "Very good"), 88.31),
    Band("B", Text("Baik", "Good"), 76.61),
    Band("C", Text("Kurang Baik", "Poor"), 65.00),
    Band("D", Text("Tidak Baik", "Bad"), 25.00),
)


def band(converted: float) -> Band:
    """The band of a converted IKM; compared at two decimals, as the regulation writes the bounds."""
    value = round(converted, 2)
    return next((b for b in BANDS if value >= b.low), BANDS[-1])


@dataclass(frozen=True)
class SurveyResult:
    respondents: int
    nrr: dict[str, float]  # element key -> NRR, only for elements someone answered
    ikm: float | None  # 1–4; None when no element was answered
    unanswered: tuple[str, ...]

    @property
    def converted(self) -> float | None:
        return round(self.ikm * 25, 2) if self.ikm is not None else None

    @property
    def band(self) -> Band | None:
        return band(self.converted) if self.converted is not None else None

    def as_dict(self, lang: str = "id") -> dict[str, object]:
        b = self.band
        return {
            "respondents": self.respondents,
            "nrr": {k: round(v, 4) for k, v in self.nrr.items()},
            "ikm": round(self.ikm, 4) if self.ikm is not None else None,
            "ikm_converted": self.converted,
            "mutu": b.mutu if b else None,
            "kinerja": b.kinerja.get(lang) if b else None,
        }


Answers = Mapping[str, int | None]


def ikm(responses: Iterable[Answers]) -> SurveyResult:
    """The index of a set of responses; each maps element keys to 1–4, or None for not applicable."""
    sums = dict.fromkeys(ELEMENTS, 0)
    counts = dict.fromkeys(ELEMENTS, 0)
    respondents = 0
    for response in responses:
        respondents += 1
        for key in ELEMENTS:
            value = response.get(key)
            if value is None:
                continue
            if value not in (1, 2, 3, 4):
                raise ValueError(f"{key} must be 1–4, not {value!r}")
            sums[key] += value
            counts[key] += 1
    nrr = {key: sums[key] / counts[key] for key in ELEMENTS if counts[key]}
    unanswered = tuple(key for key in ELEMENTS if not counts[key])
    # Weight 1/9 each; with elements unanswered, the remaining weights are renormalised to sum to 1.
    index = sum(nrr.values()) / len(nrr) if nrr else None
    return SurveyResult(respondents, nrr, index, unanswered)


def krejcie_morgan(population: int) -> int:
    """The sample size the Krejcie–Morgan table gives for a population (95 % confidence, ±5 %).

    s = X²·N·P(1−P) / (d²(N−1) + X²·P(1−P)), X² = 3,841, P = 0,5, d = 0,05, rounded to the nearest
    whole respondent as the published table is: 300 -> 169, 2.000 -> 322, over 1.000.000 -> 384.
    """
    if population <= 0:
        return 0
    chi2, p, d = 3.841, 0.5, 0.05
    exact = chi2 * population * p * (1 - p) / (d**2 * (population - 1) + chi2 * p * (1 - p))
    return math.floor(exact + 0.5)
