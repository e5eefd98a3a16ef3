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
from data_sources.published.map_data import filtered_view, map_data
from data_sources.published.published_data import PublishedData
from data_sources.published.stored_history import load_history

logger = logging.getLogger("portal")


def warm(data: PublishedData) -> None:
    """The overview, the map's split and its unfiltered view, and the whole history, into the data's memo."""
    try:
        states = data.source_states()
        data.overview()
        filtered_view(data, map_data(data, states), MapFilter())
        load_history(data.store, data.memo)
    except Exception:
        logger.exception("building the published data ahead failed; pages build it when asked")
