"""The main rivers of Banjarmasin as polylines, drawn as context on the map.

Source: the project's reference notes (``shared/reference/FACTS.md``, section "Rivers"), points
in (lat, lon) order. They are approximate: about ±100–300 m for the Martapura, Kuin, Veteran and
the Barito bank, about ±0,5 km for the Pekapuran, Kelayan and Andai, about ±1 km for the Alalak.
Good enough to show where a site lies along a river, not for measuring anything.

Bundled in code (no I/O) so the map gives context even when basemap tiles cannot load.
"""

from __future__ import annotations

from typing import NamedTuple

LatLon = tuple[float, float]


class River(NamedTuple):
    name: str
    # Points in (lat, lon) order, upstream first where FACTS.md gives a direction.
    points: tuple[LatLon, ...]
    # Stated accuracy of the line, in metres (the larger bound FACTS.md gives).
    accuracy_m: int


RIVERS: tuple[River, ...] = (
    River(
        "Sungai Martapura",
        (
            (-3.3104, 114.6292),
            (-3.3033, 114.6221),
            (-3.3037, 114.6142),
            (-3.3070, 114.6077),
            (-3.3134, 114.6090),
            (-3.3168, 114.6052),
            (-3.3139, 114.5997),
            (-3.3094, 114.5950),
            (-3.3130, 114.5931),
            (-3.3170, 114.5930),
            (-3.3214, 114.5937),
            (-3.3243, 114.5968),
            (-3.3277, 114.5947),
            (-3.3293, 114.5884),
            (-3.3342, 114.5815),
            (-3.3415, 114.5862),
            (-3.3393, 114.5756),
            (-3.3473, 114.5644),
            (-3.3388, 114.5614),
            (-3.3365, 114.5479),
        ),
        300,
    ),
    River(
        "Sungai Kuin",
        ((-3.2935, 114.5663), (-3.2958, 114.5768), (-3.3037, 114.5865), (-3.3044, 114.5916), (-3.3094, 114.5949)),
        300,
    ),
    River(
        "Sungai Veteran",
        ((-3.3207, 114.5950), (-3.3212, 114.6000), (-3.3204, 114.6049), (-3.3199, 114.6165), (-3.3227, 114.6256)),
        300,
    ),
    River("Sungai Pekapuran", ((-3.3262, 114.5956), (-3.3283, 114.6035), (-3.3371, 114.6133)), 500),
    River("Sungai Kelayan", ((-3.3278, 114.5945), (-3.3370, 114.5955), (-3.3557, 114.5984)), 500),
    River("Sungai Andai", ((-3.303, 114.612), (-3.295, 114.612), (-3.281, 114.614)), 500),
    River(
        "Sungai Alalak",
        ((-3.2706, 114.5666), (-3.2762, 114.5774), (-3.2732, 114.5848), (-3.2784, 114.5924), (-3.2875, 114.5987)),
        1000,
    ),
    River(
        "Sungai Barito (tepi timur)",
        (
            (-3.2674, 114.5698),
            (-3.2835, 114.5634),
            (-3.2965, 114.5661),
            (-3.3089, 114.5641),
            (-3.3188, 114.5575),
            (-3.3364, 114.5480),
        ),
        300,
    ),
)
