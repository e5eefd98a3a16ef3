"""Answers derived from a set of snapshots, computed once per process and shared by every session.

Snapshots are never updated or deleted, so anything computed from a given set of snapshot ids (the
map's layers, a program's progress, a history) stays true until a sync publishes a new set. A key
therefore names the store, the snapshot ids and whatever else the answer depends on (the language,
a filter, the city's date); a new sync simply makes new keys, and the oldest entries are dropped.

When many readers arrive at once after a sync, the first computes and the others wait for its
answer instead of computing the same thing in parallel (which would multiply the time and memory).

One memo per process holds every such answer (``PublishedData.memo``), on shelves: each shelf keeps
its own number of entries, because a whole history at scale L weighs hundreds of megabytes and only
the newest few are worth keeping, while a program's edits are small and there are hundreds of programs.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from typing import Any, TypeVar

T = TypeVar("T")

DEFAULT_SHELF = "answers"

# How many entries each shelf keeps (least recently used go first). A shelf not named here keeps ``keep``.
SHELVES: dict[str, int] = {
    # Rows of a set of snapshots per worksheet: three per set, a few sets (older syncs) at most.
    "rows": 12,
    # The whole history: only the newest sets of snapshots (a handful of stores at most per process).
    "history": 4,
    # A program's edits: per snapshot set and program, every program of a large portal.
    "edits": 2048,
    # The map's split into public sites and home counts, per snapshot set.
    "map_split": 4,
    # The map's views per snapshot set and filter: the map's few common filters plus one per program page.
    "map_view": 1024,
    # The map's serialised decks per view, language and height.
    "map_deck": 512,
    # Each public URL's HTML (server.pages), per path, known parameters (core.page_params), language and allowed
    # address (core.site_base): a shelf of its own, so that the map's many filter sets cannot push the overview out.
    "page_html": 512,
    # The link previews' pictures: the city's and one per program, per language (300 programs at scale L).
    "share_image": 640,
    # The map page's pictures (server.pictures.map_picture), per canonical filter set and language: on their own,
    # so that the map's many filter sets cannot push the link previews out.
    "map_picture": 256,
    # The Atom feed's XML and page per allowed address and language (server.feeds): like the pages', on their own.
    "atom_feed": 64,
    # The embeds' HTML (server.embeds): one per program and language, plus every program's, per language (300
    # programs at scale L, two languages). Keyed by known program codes only: an unknown one is never kept.
    "embed": 640,
    # The sitemap per allowed address (server.feeds): on its own, so that it never pushes the charts or the feed out.
    "sitemap": 8,
}


class SnapshotMemo:
    """A bounded, thread-safe memo: ``get(key, compute, shelf=...)``; least recently used entries go first."""

    def __init__(self, keep: int = 64, shelves: Mapping[str, int] | None = None) -> None:
        self.keep = keep
        self.shelves = dict(SHELVES if shelves is None else shelves)
        self._values: dict[str, OrderedDict[Hashable, Any]] = {}
        self._computing: dict[tuple[str, Hashable], threading.Lock] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], T], shelf: str = DEFAULT_SHELF) -> T:
        with self._lock:
            values = self._values.setdefault(shelf, OrderedDict())
            if key in values:
                values.move_to_end(key)
                return values[key]
            # One lock per key being computed: a second asker waits for the first one's answer.
            computing = self._computing.setdefault((shelf, key), threading.Lock())
        with computing:
            with self._lock:
                if key in values:
                    return values[key]
            try:
                value = compute()
            finally:
                with self._lock:
                    self._computing.pop((shelf, key), None)
            with self._lock:
                values[key] = value
                limit = self.shelves.get(shelf, self.keep)
                while len(values) > limit:
                    values.popitem(last=False)
            return value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()

    def entries(self, shelf: str) -> int:
        """How many entries ``shelf`` holds now (the benchmarks and tests watch a shelf stay bounded)."""
        with self._lock:
            return len(self._values.get(shelf, ()))

    def __len__(self) -> int:
        return sum(len(values) for values in self._values.values())
