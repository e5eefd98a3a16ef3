"""The ministry's Smart City evaluation score of Banjarmasin, with where each figure was reported.

FACTS.md: 2021 2,82; 2022 3,01 as said by the Kadis Kominfotik (another report says 3,06);
2023 3,31; 2024 3,57. The scale's maximum is 4 as far as is known; its category bands were not
confirmed, so the portal shows the numbers and their sources and invents no band. Not to be
mixed with the SPBE index, a different evaluation on a 1–5 scale.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.text import Text


@dataclass(frozen=True)
class IndexScore:
    year: int
    score: float
    note: Text | None = None


SCORES: tuple[IndexScore, ...] = (
    IndexScore(2021, 2.82),
    IndexScore(
        2022,
        3.01,
        Text(
            "Angka yang disebut Kadis Kominfotik; laporan lain menyebut 3,06.",
            "The figure given by the head of Diskominfotik; another report gives 3.06.",
        ),
    ),
    IndexScore(2023, 3.31),
    IndexScore(2024, 3.57),
)

SOURCE = Text(
    "Evaluasi Smart City oleh kementerian, sebagaimana diberitakan media lokal (klikkalsel.com, "
    "kalsel.antaranews.com). Skala maksimum 4 sejauh diketahui; kategori nilainya belum terkonfirmasi "
    "sehingga tidak ditampilkan.",
    "The ministry's Smart City evaluation, as reported by local media (klikkalsel.com, "
    "kalsel.antaranews.com). The scale's maximum is 4 as far as is known; its category bands are "
    "not confirmed, so none is shown.",
)
