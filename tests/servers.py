"""Real servers for tests (streamlit run, nginx): a free port, waiting until one answers, stopping it.

Shared by the browser tests, the open-data test and the replica tests, which each start their own. The port, the
probe, the wait and the stop live in ``benchmarks/server_process.py`` (the benchmarks start their servers the
same way); here the wait fails the test instead of raising.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable

import pytest

from benchmarks.server_process import DidNotStart, answers, free_port, stop, wait_until_answers

__all__ = ["answers", "free_port", "stop", "wait_healthy"]


def wait_healthy(url: str, process: subprocess.Popen[bytes], output: Callable[[], str], timeout: float = 60) -> None:
    """Until ``url`` answers; fails the test with the server's ``output()`` if it exits or the time runs out."""
    try:
        wait_until_answers(url, process, output, timeout)
    except DidNotStart as error:
        pytest.fail(str(error), pytrace=False)
