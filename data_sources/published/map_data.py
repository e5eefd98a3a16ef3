"""What the map page reads: the latest sites and programs, already split into public sites and home counts.

The split (``core.site_map``) happens here, on the server, before anything is handed to a page, so
a page cannot pass a home's stored row to the browser by mistake.

Both the split and each filtered view are computed once per set of snapshots (and per filter) and
shared by every session of the process (``PublishedData.memo``, shelves "map_split" and "map_view"): at
100.000 sites the split alone takes seconds.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

from core.site_map import MapFilter, MapView, PrivateCount, PublicSite, map_view, private_site_counts, public_sites
from core.sources import SourceState
from data_sources.config.portal_config import Config
from data_sources.published.published_data import PublishedData


@dataclass(frozen=True)
class MapData:
    public: list[PublicSite]
    private: list[PrivateCount]
    programs: list[dict[str, Any]]
    key: Hashable  # PublishedData.snapshot_key: the store and each source's snapshot with its reading time


def map_data(data: PublishedData, states: list[SourceState] | None = None) -> MapData:
    """Public sites, homes counted per program and kelurahan, and the program rows, from the latest snapshots."""
    states = data.source_states() if states is None else states
    key = data.snapshot_key(states)

    def split() -> MapData:
        sites = data.latest_rows("lokasi", states)
        programs = data.latest_rows("program", states)
        return MapData(public_sites(sites, programs), private_site_counts(sites, programs), programs, key)

    return data.memo.get(key, split, shelf="map_split")


def filtered_view(data: PublishedData, sites: MapData, chosen: MapFilter) -> MapView:
    """What the map draws for these filters: sites one by one, or counted per kelurahan when there are many."""
    limits = data.config.map
    return data.memo.get(
        (sites.key, chosen, limits.site_limit, limits.home_group_limit),
        lambda: configured_view(data.config, sites.public, sites.private, chosen),
        shelf="map_view",
    )


def configured_view(
    config: Config, public: list[PublicSite], private: list[PrivateCount], chosen: MapFilter
) -> MapView:
    """``map_view`` with the limits of ``[map]``: the public map and the SKPD preview draw alike."""
    limits = config.map
    return map_view(public, private, chosen, site_limit=limits.site_limit, home_group_limit=limits.home_group_limit)


def program_sites(data: PublishedData, code: str) -> MapView:
    """One program's sites and homes, as its page's picture draws them (one view object per snapshot set)."""
    return filtered_view(data, map_data(data), MapFilter.of(programs=[code]))
