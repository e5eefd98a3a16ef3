"""The retry policy on its own: which answers are retried, how long it waits, when it gives up.

Time is injected (a fake clock and sleep) so the waits can be checked exactly; the same policy
against real HTTP is in tests/test_google_sources.py.
"""

from __future__ import annotations

import pytest
import requests

from data_sources.readers.http_retry import Metrics, RetriesExhausted, RetryPolicy, send_with_retries


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def answer(status: int, retry_after: str | None = None, body: bytes = b"{}") -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response._content = body
    if retry_after is not None:
        response.headers["Retry-After"] = retry_after
    return response


def run(
    answers: list[requests.Response | Exception], policy: RetryPolicy, fake: FakeTime
) -> tuple[requests.Response, Metrics]:
    queue = list(answers)
    metrics = Metrics()

    def send() -> requests.Response:
        item = queue.pop(0)
        if isinstance(item, Exception):
            raise item
        return item

    response = send_with_retries(send, policy, metrics, sleep=fake.sleep, clock=fake.clock, jitter=lambda: 1.0)
    return response, metrics


def test_a_429_is_retried_after_the_time_google_asks_for() -> None:
    fake = FakeTime()
    response, metrics = run([answer(429, "7"), answer(200, body=b"ok")], RetryPolicy(base=1, budget=60), fake)
    assert response.status_code == 200
    assert fake.slept == [7.0]
    assert metrics.requests == 2 and metrics.retries == 1 and metrics.bytes_read == len(b"{}") + len(b"ok")


@pytest.mark.parametrize("status", [408, 500, 502, 503, 504])
def test_timeouts_and_server_errors_are_retried_with_exponential_backoff(status: int) -> None:
    fake = FakeTime()
    answers = [answer(status), answer(status), answer(status), answer(200)]
    response, _ = run(answers, RetryPolicy(base=1, cap=32, budget=60), fake)
    assert response.status_code == 200
    assert fake.slept == [1.0, 2.0, 4.0]


def test_backoff_is_capped() -> None:
    fake = FakeTime()
    answers = [answer(503)] * 7 + [answer(200)]
    run(answers, RetryPolicy(base=1, cap=8, budget=600), fake)
    assert fake.slept == [1.0, 2.0, 4.0, 8.0, 8.0, 8.0, 8.0]


@pytest.mark.parametrize("status", [200, 400, 401, 403, 404])
def test_other_answers_are_final_at_once(status: int) -> None:
    fake = FakeTime()
    response, metrics = run([answer(status)], RetryPolicy(), fake)
    assert response.status_code == status and metrics.requests == 1 and fake.slept == []


def test_a_dropped_connection_is_retried() -> None:
    fake = FakeTime()
    response, metrics = run([requests.ConnectionError("reset"), answer(200)], RetryPolicy(base=2), fake)
    assert response.status_code == 200 and fake.slept == [2.0] and metrics.requests == 2


def test_a_storm_longer_than_the_budget_gives_up_with_the_last_status() -> None:
    fake = FakeTime()
    with pytest.raises(RetriesExhausted) as caught:
        run([answer(429, "10")] * 50, RetryPolicy(budget=35), fake)
    assert caught.value.last_status == 429
    assert sum(fake.slept) <= 35
    assert fake.slept == [10.0, 10.0, 10.0]


def test_the_wait_is_jittered_between_zero_and_the_backoff() -> None:
    queue = [answer(500), answer(200)]
    slept: list[float] = []
    send_with_retries(
        lambda: queue.pop(0), RetryPolicy(base=4), Metrics(), sleep=slept.append, clock=lambda: 0.0, jitter=lambda: 0.25
    )
    assert slept == [1.0]
