"""A source as the public sees it: when its data were last read, and whether the last read failed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.text import Text


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
    # The latest attempt, good or not, and what it cost.
    last_attempt_at: datetime | None
    last_outcome: str | None
    last_message: Text
    last_requests: int = 0
    last_bytes: int = 0
    last_duration_ms: int = 0

    @property
    def last_attempt_failed(self) -> bool:
        return self.last_outcome == "failed"

    @property
    def has_data(self) -> bool:
        return self.snapshot_id is not None
