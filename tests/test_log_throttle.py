"""core.log_throttle: one message per interval, the rest counted."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.log_throttle import Throttle, held_back

T0 = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


def test_the_first_failure_speaks_then_the_interval_is_quiet_and_the_next_line_counts_what_was_held() -> None:
    throttle = Throttle(timedelta(minutes=1))
    assert throttle.speak(T0) == 0
    assert [throttle.speak(T0 + timedelta(seconds=s)) for s in (1, 30, 59)] == [None, None, None]
    assert throttle.speak(T0 + timedelta(seconds=60)) == 3
    assert throttle.speak(T0 + timedelta(seconds=200)) == 0


def test_the_held_back_tail_is_empty_when_nothing_was_held() -> None:
    assert held_back(0) == ""
    assert held_back(11) == " (11 more since the last message, not logged)"
