"""What the map page reads: the latest sites and programs, already split into public sites and home counts.

The split (``core.site_map``) happens here, on the server, before anything is handed to a page, so
a page cannot pass a home's stored row to the browser by mistake.

Both the split and each filtered view are computed once per set of snapshots (and per filter) and
shared by every session of the process: at 100.000 sites the split alone takes seconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core import site_map
from core.site_map import MapFilter, MapView, PrivateCount, PublicSite, map_view, private_site_counts, public_sites
from core.sources import SourceState
from data_sources.memo import SnapshotMemo
from data_sources.portal import Portal

# The split per snapshot set, and views per (snapshot set, filter): readers mostly ask for a few filters.
_memo = SnapshotMemo(keep=48)


@dataclass(frozen=True)
class MapData:
    public: list[PublicSite]
    private: list[PrivateCount]
    programs: list[dict[str, Any]]
    snapshot_ids: tuple[int, ...]


def _key(portal: Portal, states: list[SourceState]) -> tuple[str, tuple[int, ...]]:
    ids = tuple(sorted(s.snapshot_id for s in states if s.snapshot_id is not None))
    return (str(portal.store.engine.url), ids)


def map_data(portal: Portal, states: list[SourceState] | None = None) -> MapData:
    """Public sites, homes counted per program and kelurahan, and the program rows, from the latest snapshots."""
    states = portal.source_states() if states is None else states
    store, ids = _key(portal, states)

    def split() -> MapData:
        sites = portal.latest_rows("lokasi", states)
        programs = portal.latest_rows("program", states)
        return MapData(public_sites(sites, programs), private_site_counts(sites, programs), programs, ids)

    return _memo.get(("map_data", store, ids), split)


def filtered_view(portal: Portal, data: MapData, chosen: MapFilter) -> MapView:
    """What the map draws for these filters: sites one by one, or counted per kelurahan when there are many."""
    limits = (site_map.SITE_LIMIT, site_map.HOME_GROUP_LIMIT)
    key = ("map_view", str(portal.store.engine.url), data.snapshot_ids, chosen, limits)
    return _memo.get(key, lambda: map_view(data.public, data.private, chosen))
