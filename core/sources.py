"""A source as the public sees it: when its data were last read, and whether the last read failed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class SourceState:
    name: str
    skpd: str
    sample: bool
    # The latest good snapshot: where it was read from, when, and how many rows it published.
    snapshot_id: int | None
    origin: str | None
    read_at: datetime | None
    accepted: int
    rejected: int
    # The latest attempt, good or not.
    last_attempt_at: datetime | None
    last_attempt_failed: bool
    last_message: str

    @property
    def has_data(self) -> bool:
        return self.snapshot_id is not None
