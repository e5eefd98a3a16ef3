"""Peta / Map: where each program's sites are and how far along; homes only as counts per kelurahan.

Every view is a link: the filters are bound to the URL, ``?dimensi=Smart+Branding&status=Terhambat
&kecamatan=Banjarmasin+Selatan&kelurahan=Kelayan+Selatan&nama_program=Sungaiku+Baiman`` (repeat a
parameter for several values; a value in either language, or a canonical value or program code, is
understood; an unknown one is ignored with a note). When more than ``[map] site_limit`` sites (1.000 by
default) match, the map counts them per kelurahan; a narrower filter draws each one.

Finding one's kelurahan (issue #26): the Kelurahan filter offers only the chosen kecamatan's kelurahan, and one
chosen outside a newly chosen kecamatan is taken off with a note (kept, it would empty the map); the map opens on
the chosen area; the tables start with the kelurahan, pinned, so a phone shows it without a sideways scroll.

A phone first (issue 23): the view is first a picture the server draws of the same filters (``/grafik/peta-kota.svg``,
the page's own filter parameters), with its figures in words, in the first screen; the interactive map (deck.gl)
loads when the reader asks for it, and the tables and the downloads when the reader opens them. The filters come after
the map.
"""

from __future__ import annotations

import streamlit as st

from components.cite import current_view_url
from components.downloads import data_section
from components.language import current_language
from components.map_deck import (
    counted_notice,
    interactive_map_open,
    legend,
    map_filters,
    picked_object,
    site_deck,
    site_details,
    site_tables,
    view_picture,
)
from components.notices import sample_data_notice
from core.i18n import t
from core.page_params import known_values, map_filter_params, page_view
from core.site_map import resolve_selection
from core.sitemap import page_path
from data_sources.published.map_data import filtered_view, map_data
from data_sources.published.tables import page_about, published_tables, sites_frame
from server.pictures import MAP_PATH, MAP_PICTURE
from server.portal import get_portal

lang = current_language()
portal = get_portal()
states = portal.source_states()
data = map_data(portal, states)

st.title(t("map.title", lang), anchor=False)
if portal.config.has_sample_sources:
    sample_data_notice(lang)
st.markdown(t("map.intro", lang))

# The map comes first on the screen (a phone's first screen, issue 23), the filters after it; but the filters are
# read first, since the map draws what they choose.
map_area = st.container()
chosen = map_filters(data.programs, lang)
view = filtered_view(portal, data, chosen)
with map_area:
    if not view.matching_sites and not view.matching_homes:
        st.info(t("map.empty", lang), icon=":material/filter_alt_off:")
    counted_notice(view, lang, portal.config.map.site_limit)
    if not interactive_map_open():
        # A picture the server draws of these same filters; deck.gl loads when the reader asks for the map.
        known = known_values(MAP_PATH, [p["kode_program"] for p in data.programs], [])
        params = page_view(MAP_PATH, map_filter_params(chosen), known).params
        view_picture(view, page_path(MAP_PICTURE, lang, params), lang)
    else:
        # Map and details side by side on a wide screen; Streamlit stacks the columns on a phone.
        map_column, details_column = st.columns([3, 1])
        with map_column:
            event = st.pydeck_chart(
                site_deck(view, lang, focus=chosen, memo=portal.memo, basemap=portal.config.map.basemap),
                on_select="rerun",
                selection_mode="single-object",
                key="site_map",
                alt=t("map.alt", lang, sites=view.matching_sites, homes=view.matching_homes),
            )
        with details_column:
            # The browser's object only names what was clicked; the details come from the server's own records.
            selected = resolve_selection(picked_object(event.selection), view)
            code = selected.get("program") if selected else None
            program = next((p for p in data.programs if code and p["kode_program"] == code), None)
            site_details(selected, lang, program)
        legend(lang, portal.config.map.basemap)

site_tables(view, lang)
by_snapshot = {s.snapshot_id: s for s in states if s.snapshot_id is not None}
sources = {p["kode_program"]: state for p in data.programs if (state := by_snapshot.get(p.get("snapshot_id", -1)))}
# "Data per" (issue #26, item 7): each program's newest report date; the view's is the newest among its programs.
reported = {p.code: p.as_of for p in portal.overview().progress if p.as_of is not None}
shown = {s["program"] for s in view.matching_public} | {g["program"] for g in view.matching_private}
data_section(
    "map",
    "lokasi",
    lambda: sites_frame(view.matching_public, view.matching_private, sources, reported),
    lambda: published_tables(portal),
    page_about(
        portal.config,
        t("map.download_title", lang),
        list(sources.values()),
        current_view_url(),
        [reported.get(code) for code in shown],
    ),
    portal.config.title.get(lang),
    lang,
    folded=True,
)
