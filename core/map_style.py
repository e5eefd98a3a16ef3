"""The map's colours, shared by the interactive map (pydeck) and the pictures the server draws of it.

Okabe–Ito, safe for colour-blind readers; every colour is repeated with its word wherever it is shown, so status
is never told by colour alone. Sky blue is kept for the rivers and orange for the homes' counts, so neither is a
status.
"""

from __future__ import annotations

RGB = tuple[int, int, int]

STATUS_COLOURS: dict[str, RGB] = {
    "Belum dimulai": (204, 121, 167),  # reddish purple
    "Berjalan": (0, 114, 178),  # blue
    "Terhambat": (213, 94, 0),  # vermillion
    "Selesai": (0, 158, 115),  # bluish green
}
UNKNOWN_STATUS_COLOUR: RGB = (0, 0, 0)
RIVER_COLOUR: RGB = (86, 180, 233)  # sky blue
HOMES_COLOUR: RGB = (230, 159, 0)  # orange
SITE_AREA_COLOUR: RGB = (240, 228, 66)  # yellow: sites counted per kelurahan
KELURAHAN_LABEL_COLOUR: RGB = (96, 96, 96)


def hex_colour(rgb: RGB) -> str:
    return f"#{rgb[0]:02X}{rgb[1]:02X}{rgb[2]:02X}"
