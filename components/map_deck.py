"""The map of program sites (pydeck), its legend, the clicked site's details, its filters and its table.

Colours are Okabe–Ito (safe for colour-blind readers) and every colour is repeated with its word in
the legend, the tooltip, the details and the table: status is never told by colour alone. Sheet
text reaches the browser only as data: in layer data read by the ``text`` tooltip (shown as text,
never as HTML), through ``escape_markdown`` in the details, and as cells of ``st.dataframe``.
"""

from __future__ import annotations

import contextlib
import functools
import json
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

import pandas as pd
import pydeck as pdk
import streamlit as st
from pydeck.bindings.json_tools import default_serialize
from streamlit.errors import StreamlitPageNotFoundError

from components.charts import picture
from core.basemap_style import STYLE_PATH as BASEMAP_STYLE_PATH
from core.contract import DIMENSIONS, site_status_word
from core.formatting import escape_markdown, number, percent
from core.i18n import t
from core.map_camera import LABEL_SIZE_PX, Camera, Label, area_camera, metres_per_pixel, spaced_labels
from core.map_caption import picture_caption
from core.map_style import (
    HOMES_COLOUR,
    KELURAHAN_LABEL_COLOUR,
    RGB,
    RIVER_COLOUR,
    SITE_AREA_COLOUR,
    STATUS_COLOURS,
    UNKNOWN_STATUS_COLOUR,
    hex_colour,
)
from core.rivers import RIVERS
from core.site_map import (
    HOME_AREA,
    SITE_LIMIT,
    STATUS_ORDER,
    AreaCount,
    MapFilter,
    MapView,
    PrivateCount,
    PublicSite,
)
from core.text import DEFAULT_LANGUAGE, LANGUAGES
from core.wilayah import KECAMATAN, KELURAHAN
from data_sources.published.memo import SnapshotMemo

# A shape beside each status word, so the legend and details do not lean on colour either.
STATUS_ICONS: dict[str, str] = {
    "Belum dimulai": ":material/hourglass_empty:",
    "Berjalan": ":material/construction:",
    "Terhambat": ":material/warning:",
    "Selesai": ":material/check_circle:",
}

# Layer ids: st.pydeck_chart needs them to keep a selection across reruns.
RIVERS_LAYER = "rivers"
KELURAHAN_LAYER = "kelurahan-names"
SEGMENTS_LAYER = "site-segments"
POINTS_LAYER = "site-points"
SITE_AREAS_LAYER = "sites-per-kelurahan"
HOMES_LAYER = "homes-per-kelurahan"
HOMES_COUNT_LAYER = "homes-per-kelurahan-count"
HOME_AREAS_LAYER = "homes-per-kelurahan-total"

# Counts per kelurahan are labels ("160 lokasi", "32 rumah"): sites' just above the point, homes' just below.
SITE_BADGE_OFFSET, HOME_BADGE_OFFSET = -11, 11

# Names grow with the map up to this size when zoomed in (and shrink with it when zoomed out: core.map_camera).
LABEL_MAX_PX = 16
# deck.gl draws text with a font of the reader's system (a family name with a digit breaks its font string).
_FONT = '"Helvetica, Arial, sans-serif"'


def status_badge(status: str, lang: str) -> str:
    """Icon, colour swatch and word, for markdown (the word is escaped: an unknown status is sheet text)."""
    icon = STATUS_ICONS.get(status, ":material/help:")
    swatch = _swatch(STATUS_COLOURS.get(status, UNKNOWN_STATUS_COLOUR))
    return f"{swatch} {icon} {escape_markdown(site_status_word(status, lang))}"


def _swatch(rgb: RGB, shape: str = r"\blacksquare") -> str:
    # KaTeX colours the exact Okabe–Ito shade; no HTML needed. Only our own constants go in here.
    return f"$\\textcolor{{{hex_colour(rgb)}}}{{{shape}}}$"


def _rgba(rgb: RGB, alpha: int = 255) -> list[int]:
    return [*rgb, alpha]


def dimension_label(dimension: str | None, lang: str) -> str:
    choice = next((d for d in DIMENSIONS if d.canonical == dimension), None)
    if choice is None:
        return dimension or "-"
    # The ministry's English names are what Indonesian readers know too (as on the overview).
    return choice.canonical if lang == "en" else f"{choice.label.id} · {choice.canonical}"


def _area(site: PublicSite | PrivateCount | AreaCount, lang: str) -> str:
    unknown = t("map.unknown_area", lang)
    return t("map.details.area", lang, kelurahan=site["kelurahan"] or unknown, kecamatan=site["kecamatan"] or unknown)


# --- the deck --------------------------------------------------------------------------------


def _public_tooltip(site: PublicSite, lang: str) -> str:
    status = site_status_word(site["status"], lang)
    if site["realisation"] is not None:
        status += " · " + t("map.realisation", lang, value=percent(site["realisation"], lang))
    return "\n".join([site["name"], site["program_name"], status])


def _status_lines(counts: Mapping[str, int], key: str, lang: str) -> list[str]:
    return [t(key, lang, status=site_status_word(s, lang), count=number(n, lang)) for s, n in counts.items() if n]


def _private_tooltip(group: PrivateCount, lang: str) -> str:
    lines = [group["program_name"], _area(group, lang), t("map.homes", lang, count=number(group["count"], lang))]
    return "\n".join(lines + _status_lines(group["status_counts"], "map.homes.status", lang))


def _area_tooltip(area: AreaCount, lang: str) -> str:
    programs = number(area["programs"], lang)
    if area["kind"] == HOME_AREA:
        lines = [t("map.area.homes", lang, count=number(area["count"], lang), programs=programs)]
        status_key = "map.homes.status"
    else:
        lines = [t("map.area.sites", lang, count=number(area["count"], lang), programs=programs)]
        status_key = "map.area.status"
    return "\n".join([_area(area, lang), *lines, *_status_lines(area["status_counts"], status_key, lang)])


def _home_radius(count: int) -> float:
    # The radius grows with the square root, so the circle's area follows the count; pixels keep it legible.
    return round(7 + 3 * math.sqrt(count), 1)


def _context_layers(home_radius: Mapping[str, float], camera: Camera, focus: MapFilter) -> list[pdk.Layer]:
    """Rivers and kelurahan names from bundled data: the map still says where things are without tiles."""
    rivers = [{"name": r.name, "path": [[lon, lat] for lat, lon in r.points]} for r in RIVERS]
    # A kelurahan's name sits just below its homes' circle, if it has one, so the count stays readable.
    labels = [Label(k.nama, k.lon, k.lat, home_radius.get(k.nama, 0) + 4) for k in KELURAHAN]
    shown = spaced_labels(labels, camera, focus.kecamatan, focus.kelurahan)
    names = [{"name": n.name, "position": [n.longitude, n.latitude], "offset": [0, n.offset_px]} for n in shown]
    return [
        pdk.Layer(
            "PathLayer",
            id=RIVERS_LAYER,
            data=rivers,
            get_path="path",
            get_color=_rgba(RIVER_COLOUR, 200),
            get_width=3,
            width_units='"pixels"',
            cap_rounded=True,
            joint_rounded=True,
            pickable=False,
        ),
        pdk.Layer(
            "TextLayer",
            id=KELURAHAN_LAYER,
            data=names,
            get_position="position",
            get_text="name",
            # In metres: LABEL_SIZE_PX at the camera's zoom, so names spaced there never overlap at another zoom
            # (core.map_camera); never larger than LABEL_MAX_PX when zoomed in.
            get_size=round(LABEL_SIZE_PX * metres_per_pixel(camera.latitude, camera.zoom), 1),
            size_units='"meters"',
            size_max_pixels=LABEL_MAX_PX,
            get_color=_rgba(KELURAHAN_LABEL_COLOUR, 220),
            get_pixel_offset="offset",
            get_alignment_baseline='"top"',
            get_text_anchor='"middle"',
            font_family=_FONT,
            # Small and grey, and only the names that do not overlap (core.map_camera.spaced_labels): deck.gl's
            # CollisionFilterExtension would thin them out too, but drew no name at all in headless Chromium's
            # software WebGL, so it is not relied on.
            pickable=False,
        ),
    ]


def _public_layer_data(sites: Sequence[PublicSite], lang: str) -> list[dict[str, Any]]:
    # Only what the layers draw and a click needs to be looked up: the rest is in the details and the table.
    return [
        {
            "code": site["code"],
            "program": site["program"],
            "status": site["status"],
            **({"path": site["path"]} if site["path"] else {"position": site["position"]}),
            "color": _rgba(STATUS_COLOURS.get(site["status"], UNKNOWN_STATUS_COLOUR)),
            "tooltip": _public_tooltip(site, lang),
        }
        for site in sites
    ]


def _private_layer_data(counts: Sequence[PrivateCount], lang: str) -> list[dict[str, Any]]:
    return [
        {
            "program": group["program"],
            "kelurahan": group["kelurahan"],
            "kecamatan": group["kecamatan"],
            "count": group["count"],
            "position": group["position"],
            "radius": _home_radius(group["count"]),
            "label": str(group["count"]),
            "tooltip": _private_tooltip(group, lang),
        }
        for group in counts
        if group["position"] is not None
    ]


def _area_layer_data(areas: Sequence[AreaCount], lang: str) -> list[dict[str, Any]]:
    return [
        {
            "area": area["kind"],
            "kelurahan": area["kelurahan"],
            "kecamatan": area["kecamatan"],
            "count": area["count"],
            "position": area["position"],
            # The word says what is counted, so the badge is never told by its colour alone.
            "label": t(f"map.badge.{area['kind']}", lang, count=number(area["count"], lang)),
            "tooltip": _area_tooltip(area, lang),
        }
        for area in areas
        if area["position"] is not None
    ]


def _badges(layer_id: str, data: list[dict[str, Any]], fill: RGB, offset: int) -> pdk.Layer:
    """Counts per kelurahan as labels on a coloured box: side by side they stay readable where circles overlap."""
    return pdk.Layer(
        "TextLayer",
        id=layer_id,
        data=data,
        get_position="position",
        get_text="label",
        get_size=12,
        get_color=[0, 0, 0, 255],
        font_weight='"bold"',
        font_family=_FONT,
        background=True,
        get_background_color=_rgba(fill, 235),
        get_border_color=[0, 0, 0, 200],
        get_border_width=1,
        background_padding=[4, 2],
        get_pixel_offset=[0, offset],
        get_text_anchor='"middle"',
        get_alignment_baseline='"center"',
        pickable=True,
        auto_highlight=True,
    )


def _counted_circles(layer_id: str, text_layer_id: str, data: list[dict[str, Any]], fill: list[int]) -> list[pdk.Layer]:
    """Homes per program and kelurahan: a circle whose area follows the count, the count written inside."""
    return [
        pdk.Layer(
            "ScatterplotLayer",
            id=layer_id,
            data=data,
            get_position="position",
            get_radius="radius",
            radius_units='"pixels"',
            get_fill_color=fill,
            get_line_color=[0, 0, 0, 200],
            stroked=True,
            line_width_min_pixels=1,
            pickable=True,
            auto_highlight=True,
        ),
        pdk.Layer(
            "TextLayer",
            id=text_layer_id,
            # Only what the label needs: the circle's layer already carries the rest (sent once, not twice).
            data=[{"position": d["position"], "label": d["label"]} for d in data],
            get_position="position",
            get_text="label",
            get_size=13,
            get_color=[0, 0, 0, 255],
            font_weight='"bold"',
            font_family=_FONT,
            get_text_anchor='"middle"',
            get_alignment_baseline='"center"',
            pickable=False,
        ),
    ]


class CompactDeck(pdk.Deck):
    """A deck serialised without pydeck's indentation (about 40 % fewer bytes per page view), once.

    A deck is not changed after it is built, so its JSON is computed on the first ``to_json`` and kept:
    a rerun of the page does not serialise the map again.
    """

    _json: str | None = None

    def to_json(self) -> str:
        if self._json is None:
            self._json = json.dumps(self, sort_keys=True, default=default_serialize, separators=(",", ":"))
        return self._json


def site_deck(
    view: MapView,
    lang: str,
    *,
    focus: MapFilter | None = None,
    height: int = 520,
    memo: SnapshotMemo | None = None,
    basemap: str = "carto",
) -> pdk.Deck:
    """The map: context, then sites one by one (or counted per kelurahan), then homes counted per kelurahan.

    Every layer is always there (empty when it has nothing to draw), so a selection keeps its layer id.
    ``focus`` is the reader's filter: with a kecamatan or kelurahan in it the map opens on that area and names its
    kelurahan first (``core.map_camera``). With ``memo`` (the published data's, for views it made) the deck is
    built and serialised once per view, area, language and height; without (an SKPD's draft, seen once) it is
    built for this run only. ``basemap`` is ``[map] basemap`` in effect: "carto", "pmtiles" for the basemap the
    portal serves itself, or "none" for the portal's own context layers only (no third-party request).
    """
    area = MapFilter.of(kecamatan=focus.kecamatan, kelurahan=focus.kelurahan) if focus else MapFilter()

    def build() -> CompactDeck:
        deck = _build_deck(view, lang, height, basemap, area)
        deck.to_json()
        return deck

    if memo is None:
        return build()
    # A view is compared by identity: the memo's views are shared objects, one per snapshot set and filter.
    return memo.get((view, area, lang, height, basemap), build, shelf="map_deck")


def _drawn_points(layers: Sequence[Sequence[Mapping[str, Any]]]) -> list[tuple[float, float]]:
    """Every [lon, lat] the layers draw: points, and each vertex of a segment."""
    points: list[tuple[float, float]] = []
    for data in layers:
        for d in data:
            for lon, lat in d.get("path") or ([d["position"]] if d.get("position") else []):
                points.append((float(lon), float(lat)))
    return points


def _basemap_style(basemap: str) -> dict[str, Any]:
    """The deck's basemap: Carto's style, the portal's own (``/peta-dasar/style.json``, server/basemap.py, asked
    by the page at the portal's own address, under Streamlit's base path), or none.

    No basemap: no provider and pydeck's own default style, which Streamlit reads as "none". (An explicit
    ``map_style=None`` would make Streamlit fall back to Carto's.) The rivers and kelurahan still give context.
    """
    if basemap == "carto":
        return {"map_provider": "carto", "map_style": pdk.map_styles.CARTO_LIGHT}
    if basemap == "pmtiles":
        prefix = str(st.get_option("server.baseUrlPath") or "").strip("/")
        return {"map_provider": None, "map_style": (f"/{prefix}" if prefix else "") + BASEMAP_STYLE_PATH}
    return {"map_provider": None}


def _build_deck(view: MapView, lang: str, height: int, basemap: str, area: MapFilter) -> CompactDeck:
    sites = _public_layer_data(view.sites, lang)
    homes = _private_layer_data(view.homes, lang)
    home_areas = _area_layer_data(view.home_areas, lang)
    home_radius: dict[str, float] = {}
    for h in homes:  # two private programs in one kelurahan: the name goes below the larger circle
        home_radius[str(h["kelurahan"])] = max(home_radius.get(str(h["kelurahan"]), 0.0), float(h["radius"]))
    for h in home_areas:  # below the homes' badge
        home_radius[str(h["kelurahan"])] = HOME_BADGE_OFFSET + 8.0
    site_areas = _area_layer_data(view.site_areas, lang)
    camera = area_camera(area.kecamatan, area.kelurahan, _drawn_points([sites, homes, home_areas, site_areas]))
    layers = [
        *_context_layers(home_radius, camera, area),
        pdk.Layer(
            "PathLayer",
            id=SEGMENTS_LAYER,
            data=[s for s in sites if "path" in s],
            get_path="path",
            get_color="color",
            get_width=6,
            width_units='"pixels"',
            cap_rounded=True,
            joint_rounded=True,
            pickable=True,
            auto_highlight=True,
        ),
        pdk.Layer(
            "ScatterplotLayer",
            id=POINTS_LAYER,
            data=[s for s in sites if s.get("position")],
            get_position="position",
            get_fill_color="color",
            get_line_color=[255, 255, 255],
            get_radius=7,
            radius_units='"pixels"',
            stroked=True,
            line_width_min_pixels=1.5,
            pickable=True,
            auto_highlight=True,
        ),
        *_counted_circles(HOMES_LAYER, HOMES_COUNT_LAYER, homes, _rgba(HOMES_COLOUR, 190)),
        _badges(SITE_AREAS_LAYER, site_areas, SITE_AREA_COLOUR, SITE_BADGE_OFFSET),
        _badges(HOME_AREAS_LAYER, home_areas, HOMES_COLOUR, HOME_BADGE_OFFSET),
    ]
    return CompactDeck(
        layers=layers,
        # The chosen area, fitted to a phone's map (core.map_camera); the city around the town hall otherwise.
        initial_view_state=pdk.ViewState(latitude=camera.latitude, longitude=camera.longitude, zoom=camera.zoom),
        **_basemap_style(basemap),
        # The text form: deck.gl shows it as text, so a site name from a sheet can never become HTML.
        tooltip={"text": "{tooltip}"},  # on a narrow screen, along the map's bottom edge: TOOLTIP_STYLE
        height=height,
    )


def picked_object(selection: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The one object the reader clicked, as the browser reported it (untrusted: resolve it before use)."""
    if not selection:
        return None
    objects = selection.get("objects") or {}
    for layer in (POINTS_LAYER, SEGMENTS_LAYER, SITE_AREAS_LAYER, HOME_AREAS_LAYER, HOMES_LAYER):
        found = objects.get(layer) or []
        if found and isinstance(found[0], dict):
            return found[0]
    return None


# --- beside and below the map ----------------------------------------------------------------


_CIRCLE = r"\bullet"
_WAVE = r"\boldsymbol{\sim}"
# What the legend says of the basemap, and the credit its data need (OpenStreetMap's ODbL).
LEGEND_BASEMAP = {"carto": "map.legend.basemap", "pmtiles": "map.legend.own_basemap"}


def legend(lang: str, basemap: str = "carto") -> None:
    lines = [f"**{t('map.legend.title', lang)}**", "", t("map.legend.status", lang), ""]
    lines += [f"- {status_badge(status, lang)}" for status in STATUS_ORDER]
    lines += [
        f"- {_swatch(HOMES_COLOUR, _CIRCLE)} :material/home: {t('map.legend.homes', lang)}",
        f"- {_swatch(SITE_AREA_COLOUR)} :material/location_on: {t('map.legend.site_areas', lang)}",
        f"- {_swatch(HOMES_COLOUR)} :material/home: {t('map.legend.home_areas', lang)}",
        f"- {_swatch(RIVER_COLOUR, _WAVE)} :material/water: {t('map.legend.river', lang)}",
        f"- :material/location_city: {t('map.legend.kelurahan', lang)}",
    ]
    st.markdown("\n".join(lines))
    st.caption(t(LEGEND_BASEMAP.get(basemap, "map.legend.no_basemap"), lang))


def _http_link(url: Any) -> str | None:
    """Only an http(s) link with a host is ever offered: never javascript:, data: or the like."""
    if not isinstance(url, str):
        return None
    parts = urlsplit(url.strip())
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def site_details(
    selected: PublicSite | PrivateCount | AreaCount | None,
    lang: str,
    program: Mapping[str, Any] | None = None,
) -> None:
    """The clicked site (a resolved server record, never the browser's object), sheet text escaped."""
    st.header(t("map.details", lang), anchor=False)
    if selected is None:
        st.caption(t("map.details.hint", lang))
        return
    if "programs" in selected:  # only an AreaCount has it
        _area_details(selected, lang)  # type: ignore[arg-type]
        return
    if "count" in selected:
        _home_details(selected, lang)  # type: ignore[arg-type]
    else:
        _site_details(selected, lang)  # type: ignore[arg-type]
    if program is not None:
        if program.get("skpd"):
            st.caption(t("map.details.source", lang, skpd=escape_markdown(str(program["skpd"]))))
        _program_page_link(str(program["kode_program"]), lang)
        link = _http_link(program.get("tautan"))
        if link:
            st.link_button(t("map.details.link", lang), link, icon=":material/open_in_new:")


def _program_page_link(code: str, lang: str) -> None:
    """To the program's own page (S-curve, reports), when the app has that page."""
    params = {"program": code} | ({"lang": lang} if lang != DEFAULT_LANGUAGE else {})
    # When this page runs on its own (a test, or an app without the program page) there is no link to offer.
    with contextlib.suppress(StreamlitPageNotFoundError):
        st.page_link(
            "app_pages/program.py", label=t("program.open", lang), icon=":material/arrow_forward:", query_params=params
        )


def _site_details(site: PublicSite, lang: str) -> None:
    st.markdown(f"**{escape_markdown(site['name'])}**")
    st.markdown(status_badge(site["status"], lang))
    if site["realisation"] is not None:
        value = min(max(site["realisation"] / 100, 0.0), 1.0)
        st.progress(value, text=t("map.realisation", lang, value=percent(site["realisation"], lang)))
    else:
        st.caption(t("map.details.no_progress", lang))
    st.caption(
        "  \n".join(
            [
                t("map.details.program", lang, program=escape_markdown(site["program_name"])),
                escape_markdown(_area(site, lang)),
                t("map.details.kind", lang, kind=t(f"map.kind.{site['kind']}", lang)),
                t("map.details.code", lang, code=escape_markdown(site["code"])),
            ]
        )
    )


def _area_details(area: AreaCount, lang: str) -> None:
    st.markdown(f"**{escape_markdown(_area(area, lang))}**")
    count, programs = number(area["count"], lang), number(area["programs"], lang)
    if area["kind"] == HOME_AREA:
        st.markdown(f":material/home: {t('map.area.homes', lang, count=count, programs=programs)}")
    else:
        st.markdown(f":material/location_on: {t('map.area.sites', lang, count=count, programs=programs)}")
    st.markdown(
        "\n".join(f"- {status_badge(s, lang)}: {number(n, lang)}" for s, n in area["status_counts"].items() if n)
    )
    if area["kelurahan"]:
        st.button(
            t("map.area.show", lang),
            icon=":material/zoom_in:",
            on_click=_choose_kelurahan,
            args=(area["kelurahan"],),
            key="map_area_show",
        )
    if area["kind"] == HOME_AREA:
        st.caption(t("map.homes.note", lang))


def _choose_kelurahan(kelurahan: str) -> None:
    # A callback runs before the next run draws the filter, so the bound widget (and the URL) take the value.
    st.session_state[KELURAHAN_PARAM] = [kelurahan]


def _home_details(group: PrivateCount, lang: str) -> None:
    st.markdown(f"**{escape_markdown(group['program_name'])}**")
    st.markdown(f":material/home: {t('map.homes', lang, count=number(group['count'], lang))}")
    st.caption(escape_markdown(_area(group, lang)))
    st.markdown(
        "\n".join(f"- {status_badge(s, lang)}: {number(n, lang)}" for s, n in group["status_counts"].items() if n)
    )
    st.caption(t("map.homes.note", lang))


def counted_notice(view: MapView, lang: str, limit: int = SITE_LIMIT) -> None:
    """Said above the map whenever sites are counted per kelurahan rather than drawn one by one."""
    if view.sites_counted:
        st.info(
            t("map.counted", lang, count=number(view.matching_sites, lang), limit=number(limit, lang)),
            icon=":material/bubble_chart:",
        )


TABLES_KEY = "map_tables"


def _pinned_kelurahan(lang: str) -> dict[str, Any]:
    """The kelurahan column stays at the left while a narrow screen scrolls the others."""
    return {t("map.col.kelurahan", lang): st.column_config.TextColumn(pinned=True)}


def site_tables(view: MapView, lang: str) -> None:
    """The map's content as tables, for screen readers, small screens and copying; homes only as counts.

    What a resident looks for comes first (issue #26, item 4): where (the kelurahan, pinned), then what and how far
    (the site, its status and progress, or the homes' count per status); the kecamatan, program, kind and code
    follow. A table of one program's homes no longer opens with that program's name on every row.
    """
    st.header(t("map.table.title", lang), anchor=False)
    # The tables are sent when asked for (issue 23): a phone then neither downloads the grid's code nor draws it
    # for a reader who came for the map; the picture's caption says the same figures in words.
    if not (view.sites or view.site_areas or view.homes or view.home_areas):
        return
    if not st.toggle(t("map.table.show", lang), key=TABLES_KEY):
        return
    unknown = t("map.unknown_area", lang)
    if view.sites:
        st.markdown(f"**{t('map.table.sites', lang)}**")
        rows = [
            {
                t("map.col.kelurahan", lang): s["kelurahan"] or unknown,
                t("map.col.name", lang): s["name"],
                t("map.col.status", lang): site_status_word(s["status"], lang),
                t("map.col.realisation", lang): s["realisation"],
                t("map.col.program", lang): s["program_name"],
                t("map.col.kecamatan", lang): s["kecamatan"] or unknown,
                t("map.col.kind", lang): t(f"map.kind.{s['kind']}", lang),
                t("map.col.code", lang): s["code"],
            }
            for s in view.sites
        ]
        # st.dataframe shows cell text as text, never as markup.
        st.dataframe(pd.DataFrame(rows), hide_index=True, column_config=_pinned_kelurahan(lang))
    if view.site_areas:
        st.markdown(f"**{t('map.table.site_areas', lang)}**")
        frame = _area_frame(view.site_areas, "map.col.sites", lang)
        st.dataframe(frame, hide_index=True, column_config=_pinned_kelurahan(lang))
    if view.homes:
        st.markdown(f"**{t('map.table.homes', lang)}**")
        rows = [
            {
                t("map.col.kelurahan", lang): g["kelurahan"] or unknown,
                t("map.col.homes", lang): g["count"],
                **{site_status_word(s, lang): n for s, n in g["status_counts"].items()},
                t("map.col.program", lang): g["program_name"],
                t("map.col.kecamatan", lang): g["kecamatan"] or unknown,
            }
            for g in view.homes
        ]
        st.dataframe(pd.DataFrame(rows), hide_index=True, column_config=_pinned_kelurahan(lang))
    if view.home_areas:
        st.markdown(f"**{t('map.table.homes', lang)}**")
        frame = _area_frame(view.home_areas, "map.col.homes", lang)
        st.dataframe(frame, hide_index=True, column_config=_pinned_kelurahan(lang))


def _area_frame(areas: Sequence[AreaCount], count_key: str, lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                t("map.col.kelurahan", lang): a["kelurahan"] or t("map.unknown_area", lang),
                t(count_key, lang): a["count"],
                **{site_status_word(s, lang): n for s, n in a["status_counts"].items()},
                t("map.col.programs", lang): a["programs"],
                t("map.col.kecamatan", lang): a["kecamatan"] or t("map.unknown_area", lang),
            }
            for a in areas
        ]
    )


# --- filters bound to the URL ----------------------------------------------------------------

# URL parameter names: each filter widget's key is also its query parameter (bind="query-params", but for the
# program filter, which the page keeps in the URL itself: _program_filter).
# Not "program": the program page sets that parameter itself, and Streamlit refuses to set a
# parameter that a widget (even on another page of the session) is bound to.
DIMENSION_PARAM, PROGRAM_PARAM, STATUS_PARAM = "dimensi", "nama_program", "status"
KECAMATAN_PARAM, KELURAHAN_PARAM = "kecamatan", "kelurahan"
FILTER_PARAMS = (DIMENSION_PARAM, PROGRAM_PARAM, STATUS_PARAM, KECAMATAN_PARAM, KELURAHAN_PARAM)

# Our own fixed text, no data in it (drawn with st.html, which Streamlit applies as a style without showing it).
# - deck.gl writes the tapped site's words at the finger, so on a phone a site near the right edge had them cut
#   off (issue #26, item 5d): on a narrow screen they sit along the map's bottom edge, the map's full width;
#   anywhere, a long site name wraps instead of running out of the map.
# - A chosen filter value is written whole, on more lines if need be, not shortened to "Banj…" (item 5e).
_FILTER_KEYS = ", ".join(f".st-key-{key}" for key in FILTER_PARAMS)
MAP_STYLE = f"""<style>
[data-testid="stDeckGlJsonChart"] .deck-tooltip {{
  max-width: min(22rem, calc(100% - 1rem)); white-space: pre-line; overflow-wrap: anywhere;
}}
@media (max-width: 640px) {{
  [data-testid="stDeckGlJsonChart"] .deck-tooltip {{
    transform: none !important; top: auto !important; left: 0.5rem !important; right: 0.5rem; bottom: 0.5rem;
    max-width: none;
  }}
}}
:is({_FILTER_KEYS}) [data-tag] {{ height: auto; max-width: 100%; }}
:is({_FILTER_KEYS}) [data-tag] > span[title] {{ white-space: normal; overflow: visible; text-overflow: clip; }}
</style>"""


_KELURAHAN_NAMES = sorted(k.nama for k in KELURAHAN)


def _program_options(programs: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """kode_program -> the name shown (and written in the URL); a name used twice gets its code added."""
    names = {str(p["kode_program"]): str(p.get("nama_program") or p["kode_program"]) for p in programs}
    seen = list(names.values())
    return {
        code: f"{name} ({code})" if seen.count(name) > 1 else name
        for code, name in sorted(names.items(), key=lambda item: item[1].lower())
    }


def _read_link(param: str, label: str, options: Sequence[str], show: Callable[[str, str], str], lang: str) -> None:
    """Make a link's filter values work in either language, and say which ones were not understood.

    Streamlit seeds a bound widget from the URL by the option's shown label, which depends on the
    language; a link copied before a language switch holds the other language's label (or the
    canonical value). Those are translated into the widget's state before it is drawn. Anything
    else is dropped by Streamlit (never an error); the note says so instead of silently showing all.
    """
    asked = [v for v in st.query_params.get_all(param) if v]
    if not asked:
        return
    current = {show(o, lang) for o in options}
    known = {o: o for o in options} | {show(o, other): o for other in LANGUAGES for o in options}
    unknown = [v for v in asked if v not in known]
    if unknown:
        st.info(
            t("map.filter.unknown", lang, filter=escape_markdown(label), values=escape_markdown(", ".join(unknown))),
            icon=":material/link_off:",
        )
    if param not in st.session_state and any(v not in current for v in asked if v in known):
        st.session_state[param] = list(dict.fromkeys(known[v] for v in asked if v in known))


def _shown_in(show: Callable[[str, str], str], lang: str, value: str) -> str:
    return show(value, lang)


# The program codes the program filter last put in the URL (or took from it): a URL that differs was changed from
# outside the page (the browser's back and forward buttons), and then the URL decides the filter.
_PROGRAM_IN_URL = "map_filter_program_in_url"


def _program_filter(label: str, program_names: Mapping[str, str], lang: str) -> list[str]:
    """The program filter, kept in the URL by program code (``nama_program=QW24-PERKIM-01``, the program page's
    link): a code is what stays true when a sheet renames its program. A name (the filter's label) is understood.

    Not bound to the URL by Streamlit like the other filters: Streamlit keeps only an option's shown label in
    the URL, so it dropped the program page's code from the address bar on the first run (while the filter,
    translated from the code, still held the program), and the next filter change, the citation and a copied
    address lost the program. Here the page reads the URL and writes the codes back itself, as the language does.
    """
    asked = [v for v in st.query_params.get_all(PROGRAM_PARAM) if v]
    known = {name: code for code, name in program_names.items()} | {code: code for code in program_names}
    unknown = [v for v in asked if v not in known]
    if unknown:
        st.info(
            t("map.filter.unknown", lang, filter=escape_markdown(label), values=escape_markdown(", ".join(unknown))),
            icon=":material/link_off:",
        )
    wanted = list(dict.fromkeys(known[v] for v in asked if v in known))
    if PROGRAM_PARAM not in st.session_state or st.session_state.get(_PROGRAM_IN_URL) != asked:
        st.session_state[PROGRAM_PARAM] = wanted
    chosen: list[str] = st.multiselect(
        label,
        list(program_names),
        format_func=program_names.__getitem__,
        key=PROGRAM_PARAM,
        placeholder=t("map.filter.all", lang),
        wrap=True,
    )
    if chosen != asked:
        if chosen:
            st.query_params[PROGRAM_PARAM] = chosen
        elif PROGRAM_PARAM in st.query_params:
            del st.query_params[PROGRAM_PARAM]
    st.session_state[_PROGRAM_IN_URL] = chosen
    return chosen


# Where each filter is drawn: the first three on one row (the program's names are the longest), the area on the
# next. The order is the order they are made in, and the order of FILTER_PARAMS.
_FILTER_ROWS: tuple[tuple[int, ...], ...] = ((2, 3, 2), (1, 1))


def _kelurahan_of(kecamatan: Sequence[str]) -> list[str]:
    """The Kelurahan filter's options: those of the chosen kecamatan (of every kecamatan when none is chosen)."""
    return sorted(k.nama for k in KELURAHAN if not kecamatan or k.kecamatan in kecamatan) or _KELURAHAN_NAMES


def _narrow_kelurahan(options: Sequence[str], kecamatan: Sequence[str], lang: str) -> None:
    """A kelurahan chosen (or in the link) outside the chosen kecamatan is taken off the filter, and the page says so.

    Kept, it would make the map empty (a kelurahan and a kecamatan it is not in match nothing), and the list
    below it could not show it; the reader who changed the kecamatan is looking somewhere else now.
    """
    if KELURAHAN_PARAM in st.session_state:
        held = list(st.session_state[KELURAHAN_PARAM] or [])
    else:  # a link's first run: Streamlit would drop such a value from its options without a word
        held = [v for v in st.query_params.get_all(KELURAHAN_PARAM) if v in _KELURAHAN_NAMES]
    outside = [k for k in held if k not in options]
    if not outside:
        return
    st.session_state[KELURAHAN_PARAM] = [k for k in held if k in options]
    st.info(
        t(
            "map.filter.outside",
            lang,
            kelurahan=escape_markdown(", ".join(outside)),
            kecamatan=escape_markdown(", ".join(kecamatan)),
        ),
        icon=":material/move_location:",
    )


def map_filters(programs: Sequence[Mapping[str, Any]], lang: str) -> MapFilter:
    """Five filters, each kept in its URL parameter; an empty filter means "all".

    The Kelurahan filter offers only the chosen kecamatan's kelurahan (issue #26, item 5a). Chosen values are
    written whole: their chips wrap onto more lines rather than shortening a name to "Banj…" (item 5e).
    """
    st.html(MAP_STYLE)  # only a style: Streamlit applies it without drawing anything
    program_names = _program_options(programs)
    specs: list[tuple[str, str, list[str], Callable[[str, str], str]]] = [
        (DIMENSION_PARAM, t("map.filter.dimension", lang), [d.canonical for d in DIMENSIONS], dimension_label),
        (PROGRAM_PARAM, t("map.filter.program", lang), list(program_names), lambda v, _: program_names[v]),
        (STATUS_PARAM, t("map.filter.status", lang), list(STATUS_ORDER), site_status_word),
        (KECAMATAN_PARAM, t("map.filter.kecamatan", lang), list(KECAMATAN), lambda v, _: v),
        (KELURAHAN_PARAM, t("map.filter.kelurahan", lang), _KELURAHAN_NAMES, lambda v, _: v),
    ]
    columns = [column for widths in _FILTER_ROWS for column in st.columns(widths)]
    chosen: dict[str, list[str]] = {}
    for column, (param, label, options, show) in zip(columns, specs, strict=True):
        with column:
            if param == PROGRAM_PARAM:
                chosen[param] = _program_filter(label, program_names, lang)
                continue
            _read_link(param, label, options, show, lang)
            if param == KELURAHAN_PARAM:
                options = _kelurahan_of(chosen[KECAMATAN_PARAM])
                _narrow_kelurahan(options, chosen[KECAMATAN_PARAM], lang)
            chosen[param] = st.multiselect(
                label,
                options,
                format_func=functools.partial(_shown_in, show, lang),
                key=param,
                bind="query-params",
                placeholder=t("map.filter.all", lang),
                wrap=True,
            )
    return MapFilter.of(*(chosen[param] for param in FILTER_PARAMS))


# --- the picture first, the interactive map when asked for (issue 23) ----------------------------------------------

# Set by the "open the interactive map" button; the map stays open for the rest of the session.
INTERACTIVE_KEY = "map_interactive"


def interactive_map_open() -> bool:
    return bool(st.session_state.get(INTERACTIVE_KEY))


def _open_interactive_map() -> None:
    st.session_state[INTERACTIVE_KEY] = True


def view_picture(view: MapView, url: str, lang: str) -> None:
    """The view drawn on the server (``url``: the page's picture of these filters) with its figures in words, and
    the button that loads the interactive map (deck.gl: about 800 KB and seconds of a phone's processor)."""
    alt = t("map.alt", lang, sites=view.matching_sites, homes=view.matching_homes)
    caption = escape_markdown(picture_caption(view, lang))  # an unknown status is sheet text
    st.markdown(picture(alt, url) + (f"\n\n{caption}" if caption else ""))
    st.button(
        t("map.open", lang),
        icon=":material/map:",
        on_click=_open_interactive_map,
        key="map_open",
        type="primary",
    )
