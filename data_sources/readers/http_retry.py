"""Retrying Google's answers within a bounded time, and counting what a sync costs.

Google answers 429 past 60 read requests a minute per service account, and sometimes 408 or
5xx. Those are retried with capped exponential backoff and full jitter, honouring
``Retry-After``; a connection error or timeout is retried the same way. The total time is
bounded: when the next wait would pass the budget, the last answer (or error) is final.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime

import requests

RETRIED_STATUSES = frozenset({408, 429, 500, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    # Seconds to wait for one answer (connect and read); requests' default is to wait forever.
    timeout: float = 30.0
    # Seconds all attempts of one request may take together, waits included.
    budget: float = 120.0
    base: float = 1.0
    cap: float = 32.0


@dataclass
class Metrics:
    """What one sync of one source cost: requests sent (retries included) and bytes received."""

    requests: int = 0
    bytes_read: int = 0
    retries: int = 0
    statuses: list[int] = field(default_factory=list)


class RetriesExhausted(Exception):
    """The budget ran out; ``last_status`` is the final answer's status, or None for a network error."""

    def __init__(self, last_status: int | None, detail: str) -> None:
        super().__init__(detail)
        self.last_status = last_status


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def send_with_retries(
    send: Callable[[], requests.Response],
    policy: RetryPolicy,
    metrics: Metrics,
    *,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
    jitter: Callable[[], float] = random.random,
) -> requests.Response:
    """Send until an answer that is not retried, or until the budget would be passed."""
    started = clock()
    attempt = 0
    while True:
        metrics.requests += 1
        try:
            response = send()
        except (requests.ConnectionError, requests.Timeout) as exc:
            response, failure = None, exc
        else:
            failure = None
            metrics.bytes_read += len(response.content)
            metrics.statuses.append(response.status_code)
            if response.status_code not in RETRIED_STATUSES:
                return response
        backoff = min(policy.cap, policy.base * 2**attempt) * jitter()
        wait = max(backoff, (_retry_after(response) or 0.0) if response is not None else 0.0)
        if clock() - started + wait > policy.budget:
            if response is not None:
                raise RetriesExhausted(
                    response.status_code, f"HTTP {response.status_code} after {attempt + 1} attempts"
                )
            raise RetriesExhausted(None, f"{type(failure).__name__} after {attempt + 1} attempts")
        metrics.retries += 1
        sleep(wait)
        attempt += 1
