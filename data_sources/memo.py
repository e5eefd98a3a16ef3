"""Answers derived from a set of snapshots, computed once per process and shared by every session.

Snapshots are never updated or deleted, so anything computed from a given set of snapshot ids (the
map's layers, a program's progress, a history) stays true until a sync publishes a new set. A key
therefore names the store, the snapshot ids and whatever else the answer depends on (the language,
a filter, the city's date); a new sync simply makes new keys, and the oldest entries are dropped.

When many readers arrive at once after a sync, the first computes and the others wait for its
answer instead of computing the same thing in parallel (which would multiply the time and memory).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")


class SnapshotMemo:
    """A bounded, thread-safe memo: ``get(key, compute)``; least recently used entries go first."""

    def __init__(self, keep: int = 64) -> None:
        self.keep = keep
        self._values: OrderedDict[Hashable, Any] = OrderedDict()
        self._computing: dict[Hashable, threading.Lock] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
            # One lock per key being computed: a second asker waits for the first one's answer.
            computing = self._computing.setdefault(key, threading.Lock())
        with computing:
            with self._lock:
                if key in self._values:
                    return self._values[key]
            try:
                value = compute()
            finally:
                with self._lock:
                    self._computing.pop(key, None)
            with self._lock:
                self._values[key] = value
                while len(self._values) > self.keep:
                    self._values.popitem(last=False)
            return value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()

    def __len__(self) -> int:
        return len(self._values)
