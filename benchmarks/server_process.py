"""A real server for a measurement or a test: a free port, whether a URL answers, waiting for it, stopping it.

One home for what was written three times: ``benchmarks.concurrency`` (the server N readers load) and
``benchmarks.web.portal_process`` (a tree's portal for the browser) start ``streamlit run`` through
``streamlit_run``; the tests' servers (tests/servers.py: streamlit, nginx) take the port, the probe, the wait and
the stop from here. The standard library only, so a test importing it loads nothing of the benchmarks.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path


class DidNotStart(RuntimeError):
    """The server exited, or did not answer in time; the message ends with what it printed."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def answers(url: str) -> bool:
    """True when ``url`` answers 200 now."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def wait_until_answers(url: str, process: subprocess.Popen, output: Callable[[], str], timeout: float) -> None:
    """Until ``url`` answers; ``DidNotStart`` with the server's ``output()`` if it exits or the time runs out."""
    deadline = time.monotonic() + timeout
    while not answers(url):
        if process.poll() is not None:
            raise DidNotStart(f"{url}: the server exited ({process.returncode}):\n{output()}")
        if time.monotonic() > deadline:
            raise DidNotStart(f"{url} did not answer in {timeout:g} s:\n{output()}")
        time.sleep(0.2)


def stop(process: subprocess.Popen, sig: signal.Signals = signal.SIGTERM, timeout: float = 10) -> None:
    """Ask the server to end (``sig``), and kill it if it has not within ``timeout`` seconds."""
    process.send_signal(sig)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def streamlit_run(
    script: Path | str,
    *,
    cwd: Path,
    env: dict[str, str],
    options: Sequence[str] = (),
    log: Path | None = None,
    timeout: float = 60,
    start_new_session: bool = False,
) -> Iterator[tuple[subprocess.Popen, int]]:
    """``streamlit run script`` in ``cwd`` on a free port of 127.0.0.1, headless, no usage statistics, plus
    ``options``; yields (process, port) once ``/_stcore/health`` answers, and stops the server after.

    Its output goes to ``log`` (stdout and stderr) when given; else stdout is dropped and stderr kept for the
    message of ``DidNotStart`` (read once the server has ended: a pipe is not read while it runs).
    """
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", str(script), "--server.address", "127.0.0.1"]
    command += ["--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    command += options
    if log is not None:
        with open(log, "wb") as out:
            process = subprocess.Popen(
                command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=start_new_session
            )

        def output() -> str:
            return log.read_text(encoding="utf-8", errors="replace")[-3000:]

    else:
        process = subprocess.Popen(
            command,
            cwd=cwd,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=start_new_session,
        )

        def output() -> str:
            if process.poll() is None or process.stderr is None:
                return "(still running; its stderr is read once it ends)"
            return process.stderr.read().decode(errors="replace")[-2000:]

    try:
        try:
            wait_until_answers(f"http://127.0.0.1:{port}/_stcore/health", process, output, timeout)
        except DidNotStart as error:
            raise DidNotStart(f"`streamlit run {script}` in {cwd} did not start: {error}") from None
        yield process, port
    finally:
        stop(process)
