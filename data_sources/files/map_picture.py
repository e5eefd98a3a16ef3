"""A map of one view's sites as a picture drawn on the server (SVG), for the program page.

The program page used to embed the interactive map: deck.gl's bundle (809 KB on the wire, about 6 s of a phone's
main thread) and a basemap fetched from a third party (every reader's address sent to it). The picture draws the
same ``MapView`` as the interactive map, with the same colours and privacy: public sites one by one (or counted per
kelurahan), homes only as a number per kelurahan at its reference point, and the bundled rivers and kelurahan
points as context. The interactive map, with every site's details and the table, is one link away on /peta.

Drawn with Altair (Vega-Lite, Mercator projection fitted to the city) and rendered by vl-convert, like the other
pictures (``share_images``).
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from core.contract import site_status_word
from core.formatting import number
from core.i18n import t
from core.map_style import (
    HOMES_COLOUR,
    KELURAHAN_LABEL_COLOUR,
    RIVER_COLOUR,
    SITE_AREA_COLOUR,
    STATUS_COLOURS,
    UNKNOWN_STATUS_COLOUR,
    hex_colour,
)
from core.rivers import RIVERS
from core.site_map import STATUS_ORDER, MapView
from core.wilayah import KELURAHAN
from data_sources.files.share_images import INK, PAGE_FONT, PAGE_WIDTH

# Banjarmasin is a little taller than wide; the picture keeps the phone's width of the home page's pictures.
HEIGHT = round(PAGE_WIDTH * 1.05)
_LON_LAT = {"longitude": "lon:Q", "latitude": "lat:Q"}


# Legends go one under another below the map, each from the left edge with its labels whole: Vega would put them
# side by side and cut their labels. A row is one line of a legend.
LEGEND_ROW = PAGE_FONT + 8


def _legend(row: int, column: int = 0, **options: object) -> alt.Legend:
    return alt.Legend(
        orient="none",
        legendX=column * PAGE_WIDTH // 2,
        legendY=HEIGHT + 12 + row * LEGEND_ROW,
        title=None,
        labelFontSize=PAGE_FONT - 1,
        labelLimit=PAGE_WIDTH,
        **options,
    )


def _counted(view: MapView, lang: str) -> pd.DataFrame:
    """Homes (per program and kelurahan, or per kelurahan) and sites counted per kelurahan: one circle each."""
    groups = [(t("map.picture.homes_legend", lang), g) for g in [*view.homes, *view.home_areas]]
    groups += [(t("map.picture.areas_legend", lang), a) for a in view.site_areas]
    rows = [
        {
            "kind": kind,
            "count": g["count"],
            "label": number(g["count"], lang),
            "lon": g["position"][0],
            "lat": g["position"][1],
        }
        for kind, g in groups
        if g["position"] is not None
    ]
    return pd.DataFrame(rows, columns=["kind", "count", "label", "lon", "lat"])


def site_picture(view: MapView, lang: str) -> alt.TopLevelMixin:
    """Rivers and kelurahan points, then the sites coloured by status, then the counted circles with their number.

    Status is never told by colour alone: the legend says each colour's word and the caption under the picture
    (``core.map_caption``) gives the figures per status.
    """
    rivers = pd.DataFrame(
        [
            {"kind": t("map.picture.river", lang), "name": r.name, "order": i, "lon": lon, "lat": lat}
            for r in RIVERS
            for i, (lat, lon) in enumerate(r.points)
        ]
    )
    kelurahan = t("map.picture.kelurahan", lang)
    points = pd.DataFrame([{"kind": kelurahan, "lon": k.lon, "lat": k.lat} for k in KELURAHAN])
    statuses = [s for s in STATUS_ORDER if any(site["status"] == s for site in view.sites)]
    others = sorted({site["status"] for site in view.sites} - set(STATUS_ORDER))  # sheet text, kept as it is
    words = [site_status_word(s, lang) for s in [*statuses, *others]]
    colours = [hex_colour(STATUS_COLOURS[s]) for s in statuses] + [hex_colour(UNKNOWN_STATUS_COLOUR)] * len(others)
    status = alt.Color(
        "status:N",
        scale=alt.Scale(domain=words, range=colours),
        # Lines only: the legend shows a line; with points, a filled dot (the points' mark fills its legend symbol).
        legend=_legend(
            1,
            columns=2,
            symbolSize=100,
            symbolType="circle" if any(site["position"] for site in view.sites) else "stroke",
            symbolStrokeWidth=5,
        ),
    )
    segments = pd.DataFrame(
        [
            {"code": s["code"], "status": site_status_word(s["status"], lang), "order": i, "lon": p[0], "lat": p[1]}
            for s in view.sites
            if s["path"]
            for i, p in enumerate(s["path"])
        ],
        columns=["code", "status", "order", "lon", "lat"],
    )
    dots = pd.DataFrame(
        [
            {"status": site_status_word(s["status"], lang), "lon": s["position"][0], "lat": s["position"][1]}
            for s in view.sites
            if s["position"]
        ],
        columns=["status", "lon", "lat"],
    )
    counted = _counted(view, lang)
    kinds = list(dict.fromkeys(counted["kind"]))
    fills = [
        hex_colour(HOMES_COLOUR if kind == t("map.picture.homes_legend", lang) else SITE_AREA_COLOUR) for kind in kinds
    ]
    river_legend = _legend(0, symbolType="stroke", symbolStrokeWidth=3)
    layers = [
        alt.Chart(rivers)
        .mark_line(strokeWidth=3, strokeCap="round", strokeJoin="round")
        .encode(
            **_LON_LAT,
            detail="name:N",
            order="order:Q",
            stroke=alt.Stroke("kind:N", scale=alt.Scale(range=[hex_colour(RIVER_COLOUR)]), legend=river_legend),
        ),
        alt.Chart(points)
        .mark_point(size=10, opacity=1, filled=True)
        .encode(
            **_LON_LAT,
            shape=alt.Shape("kind:N", scale=alt.Scale(range=["circle"]), legend=_legend(0, 1, symbolSize=30)),
            color=alt.value(hex_colour(KELURAHAN_LABEL_COLOUR)),
        ),
    ]
    # A layer with no rows would still ask for a legend and a scale domain, and an empty one breaks the drawing.
    if not segments.empty:
        layers.append(
            alt.Chart(segments)
            .mark_line(strokeWidth=5, strokeCap="round", strokeJoin="round")
            .encode(**_LON_LAT, detail="code:N", order="order:Q", color=status)
        )
    if not dots.empty:
        layers.append(
            alt.Chart(dots)
            .mark_circle(size=70, opacity=1, stroke="white", strokeWidth=1.5)
            .encode(**_LON_LAT, color=status)
        )
    if not counted.empty:
        layers += [
            alt.Chart(counted)
            .mark_circle(opacity=0.9, stroke=INK, strokeWidth=1)
            .encode(
                **_LON_LAT,
                # The circle's area follows the count, as on the interactive map.
                size=alt.Size("count:Q", scale=alt.Scale(range=[150, 800]), legend=None),
                fill=alt.Fill(
                    "kind:N",
                    scale=alt.Scale(domain=kinds, range=fills),
                    legend=_legend(1 + (len(words) + 1) // 2, symbolType="circle"),
                ),
            ),
            alt.Chart(counted)
            .mark_text(fontSize=PAGE_FONT - 2, fontWeight="bold", color=INK)
            .encode(**_LON_LAT, text="label:N"),
        ]
    chart = alt.layer(*layers).properties(width=PAGE_WIDTH, height=HEIGHT, projection=alt.Projection(type="mercator"))
    return chart.configure(background="white", padding=4, autosize="pad", font="sans-serif").configure_view(stroke=None)
