"""Which signed checkpoint each published snapshot first appeared in: the checkpoint line its Atom entry carries.

A sync appends one leaf per new snapshot and then signs one checkpoint over the whole log
(``data_sources.jobs.checkpoint_signing``), so the checkpoint of a snapshot's sync is the smallest stored one whose
tree holds its leaf. A snapshot whose leaf no checkpoint holds yet (no key, a signing refused) has no line.
"""

from __future__ import annotations

import base64
import bisect
from collections.abc import Iterable

from data_sources.store.snapshot_store import Store
from data_sources.store.transparency_log import StoredCheckpoint


def checkpoint_line(checkpoint: StoredCheckpoint) -> str:
    """``<origin> <size> <base64 root>``: the tlog-checkpoint body's three lines on one (the origin has no space)."""
    return f"{checkpoint.origin} {checkpoint.size} {base64.b64encode(checkpoint.root).decode('ascii')}"


def sync_checkpoints(store: Store, snapshot_ids: Iterable[int]) -> dict[int, str]:
    """Per snapshot id, the checkpoint line of the sync that published it (left out: none holds it yet)."""
    log = store.log
    checkpoints = log.checkpoints()  # smallest tree first
    sizes = [c.size for c in checkpoints]
    lines: dict[int, str] = {}
    for snapshot_id, index in log.leaf_indexes(snapshot_ids).items():
        # The first checkpoint whose size exceeds the leaf's index: the first tree that holds it.
        found = bisect.bisect_right(sizes, index)
        if found < len(checkpoints):
            lines[snapshot_id] = checkpoint_line(checkpoints[found])
    return lines
