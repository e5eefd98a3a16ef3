"""What the first readers after a start or a sync would wait for, computed ahead in the background.

At 100.000 sites the overview, the map's split of public sites and home counts, and the history take
seconds to build from a new set of snapshots. They are built here, in a background thread, as soon as
a process sees a new set (its own sync, another replica's, or its first page run), so that readers
find them ready; a reader arriving meanwhile waits for the same computation (``SnapshotMemo``), never
a second one. A failure here is only logged: pages then compute on demand, as they always can.
"""

from __future__ import annotations

import logging

from core.site_map import MapFilter
from data_sources.history import load_history
from data_sources.portal import Portal
from data_sources.site_data import filtered_view, map_data

logger = logging.getLogger("portal")


def warm(portal: Portal) -> None:
    """The overview, the map's split and its unfiltered view, and the whole history, into their memos."""
    try:
        states = portal.source_states()
        portal.overview()
        filtered_view(portal, map_data(portal, states), MapFilter())
        load_history(portal.store)
    except Exception:
        logger.exception("building the published data ahead failed; pages build it when asked")
