"""Real servers for tests (streamlit run, nginx): a free port, waiting until one answers, stopping it.

Shared by the browser tests, the open-data test and the replica tests, which each start their own.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable

import pytest


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def answers(url: str) -> bool:
    """True when ``url`` answers 200 now."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def wait_healthy(url: str, process: subprocess.Popen[bytes], output: Callable[[], str], timeout: float = 60) -> None:
    """Until ``url`` answers; fails the test with the server's ``output()`` if it exits or the time runs out."""
    deadline = time.monotonic() + timeout
    while not answers(url):
        if process.poll() is not None:
            pytest.fail(f"{url}: the server exited ({process.returncode}):\n{output()}", pytrace=False)
        if time.monotonic() > deadline:
            pytest.fail(f"{url} did not answer in {timeout:g} s:\n{output()}", pytrace=False)
        time.sleep(0.2)


def stop(process: subprocess.Popen[bytes], sig: signal.Signals = signal.SIGTERM, timeout: float = 10) -> None:
    """Ask the server to end (``sig``), and kill it if it has not within ``timeout`` seconds."""
    process.send_signal(sig)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
