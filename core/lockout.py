"""When repeated sign-in failures lock a key (an address or a session) out, and for how long.

The rule: when ``max_failures`` failures happened within ``lockout_minutes`` of each other, the key
is locked until the newest of them plus ``lockout_minutes``. It is applied to every run of failures
in the history, not only to the ones before ``now``: a lockout therefore lasts its full length after
the failure that caused it, instead of ending early when the oldest failure of the run ages out of a
sliding window. Attempts made while locked are not checked (and not counted), so a guesser gets at
most ``max_failures`` tries per ``lockout_minutes``.

Pure: the caller reads the failures from the store (``history_start`` says from when) and passes
``now``; nothing here reads a clock.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta


def _window(lockout_minutes: int) -> timedelta:
    return timedelta(minutes=max(0, lockout_minutes))


def history_start(now: datetime, lockout_minutes: int) -> datetime:
    """The oldest failure that can still matter at ``now``.

    A run that locks until after ``now`` ends after ``now - lockout_minutes`` and began less than
    ``lockout_minutes`` before its end, so nothing older than twice the window can take part.
    """
    return now - 2 * _window(lockout_minutes)


def locked_until(
    failures: Iterable[datetime], now: datetime, max_failures: int, lockout_minutes: int
) -> datetime | None:
    """The moment the key unlocks, or None when it is not locked at ``now``.

    ``failures`` may be in any order and may hold more history than needed. ``max_failures``
    below 1 counts as 1 (the lockout cannot be switched off by a typo); ``lockout_minutes`` of 0
    or less means no lockout.
    """
    window = _window(lockout_minutes)
    if not window:
        return None
    needed = max(1, max_failures)
    times = sorted(failures)
    until: datetime | None = None
    # times[i - needed + 1 .. i] are `needed` consecutive failures; within the window means
    # the oldest of them is less than `lockout_minutes` older than the newest.
    for i in range(needed - 1, len(times)):
        newest, oldest = times[i], times[i - needed + 1]
        if newest - oldest < window and newest + window > now:
            until = newest + window
    return until


def attempts_left(failures: Iterable[datetime], now: datetime, max_failures: int, lockout_minutes: int) -> int:
    """How many more failures, starting now, would lock the key: what the sign-in form may tell."""
    window = _window(lockout_minutes)
    recent = sum(1 for f in failures if now - f < window)
    return max(0, max(1, max_failures) - recent)
