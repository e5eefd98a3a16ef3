"""At most one log message per interval for a repeated failure, with the count of those held back.

A failure that every request meets (the store down while residents keep submitting the survey, a full spool under
a flood) would otherwise write one traceback per request: the log fills and the first cause scrolls away. Pure
logic: the caller gives the time and writes the line.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta


class Throttle:
    """``speak(now)`` is the number of messages held back since the last one spoken, or None to stay quiet."""

    def __init__(self, every: timedelta) -> None:
        self.every = every
        self._last: datetime | None = None
        self._held = 0
        self._guard = threading.Lock()  # one Feedback object serves every session of the process

    def speak(self, now: datetime) -> int | None:
        with self._guard:
            if self._last is not None and now - self._last < self.every:
                self._held += 1
                return None
            held, self._held, self._last = self._held, 0, now
            return held


def held_back(count: int) -> str:
    """The tail of a spoken line: how many like it were not written."""
    return f" ({count} more since the last message, not logged)" if count else ""
