"""Benchmark: N readers against one ``streamlit run`` process, through Streamlit's own websocket protocol.

Run: ``.venv/bin/python -m benchmarks.concurrency --config /tmp/portal-bench/M/portal.toml [--sessions 10,50,100]
[--spread 10] [--json]``.

Each reader is what a browser tab does on opening a link: it connects to ``/_stcore/stream`` with the
subprotocol ``streamlit`` (the frontend puts ``streamlit`` first in ``Sec-WebSocket-Protocol``, then the
XSRF token and a session id to resume, both empty here), sends one ``BackMsg`` with ``rerun_script``
(a ``ClientState`` holding ``page_name`` and ``query_string``), and reads ``ForwardMsg`` frames until
``script_finished``. Page-load latency is from the connection's start to that message. (An HTTP GET of
``/`` only returns the static index.html and runs nothing.)

Before the readers come, the server is opened once on each page and then left until it is idle (its
first runs start building the published data ahead, ``data_sources/jobs/warm_up.py``).

N readers arrive evenly over ``--spread`` seconds, in turn on ``/``, ``/peta`` and ``/program``, and stay
connected until the last has loaded, so the server holds N sessions at once. The server's memory is its
``VmRSS`` from ``/proc/<pid>/status`` after one warm-up reader (before) and with all N connected (after);
memory per session is (after - before) / N. ``VmHWM`` gives the server's peak.

The server is started here (``benchmarks.server_process``, shared with ``make bench-web`` and the tests):
``streamlit run app.py --server.fileWatcherType none --server.headless true``
on a free port, with ``PORTAL_CONFIG`` at the benchmark's configuration (whose store must be filled:
``benchmarks.pages`` or ``benchmarks.run`` fill it first).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from benchmarks.server_process import streamlit_run

REPO = Path(__file__).resolve().parent.parent
APP = REPO / "app.py"
READER_PAGES = ("", "peta", "program")  # page_name as the frontend sends it: the url path, "" for the home


@dataclass(frozen=True)
class Load:
    page: str
    latency_s: float
    bytes: int
    messages: int
    finished: str  # the script_finished status, or the error


def memory_kb(pid: int, field: str = "VmRSS") -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


@contextlib.contextmanager
def streamlit_server(script: Path, config: Path | None, timeout: float = 60) -> Iterator[tuple[subprocess.Popen, int]]:
    """``streamlit run script`` on a free port, no file watcher; yields (process, port) once ``/_stcore/health``
    answers."""
    env = dict(os.environ)
    if config is not None:
        env["PORTAL_CONFIG"] = str(config)
    options = ("--server.fileWatcherType", "none")
    with streamlit_run(script, cwd=REPO, env=env, options=options, timeout=timeout, start_new_session=True) as started:
        yield started


def _cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime, in clock ticks


def wait_until_idle(pid: int, quiet_s: float = 1.0, limit_s: float = 300.0) -> float:
    """Wait until the process used (almost) no CPU for ``quiet_s``; returns how long that took."""
    started = time.monotonic()
    before = _cpu_ticks(pid)
    while time.monotonic() - started < limit_s:
        time.sleep(quiet_s)
        now = _cpu_ticks(pid)
        if now - before <= 2:  # a couple of ticks: the event loop's own housekeeping
            break
        before = now
    return time.monotonic() - started


def rerun_message(page: str, query_string: str = "") -> bytes:
    msg = BackMsg()
    msg.rerun_script.query_string = query_string
    msg.rerun_script.page_name = page
    return msg.SerializeToString()


async def open_page(
    port: int,
    page: str = "",
    query_string: str = "",
    hold: asyncio.Event | None = None,
    on_loaded: Any = None,
    timeout: float = 120,
) -> Load:
    """One reader: connect, ask for the page, read until the script finished; then wait for ``hold``."""
    started = time.perf_counter()
    size = count = 0
    finished = "timeout"
    try:
        async with websockets.connect(
            f"ws://127.0.0.1:{port}/_stcore/stream",
            subprotocols=["streamlit"],  # type: ignore[list-item]
            max_size=None,
            open_timeout=timeout,
            ping_interval=None,
        ) as ws:
            await ws.send(rerun_message(page, query_string))
            async with asyncio.timeout(timeout):
                while True:
                    frame = await ws.recv()
                    data = frame if isinstance(frame, bytes) else frame.encode()
                    size += len(data)
                    count += 1
                    msg = ForwardMsg()
                    msg.ParseFromString(data)
                    if msg.WhichOneof("type") == "script_finished":
                        finished = ForwardMsg.ScriptFinishedStatus.Name(msg.script_finished)
                        if msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                            break
            latency = time.perf_counter() - started
            if on_loaded is not None:
                on_loaded()
            if hold is not None:
                await hold.wait()
    except TimeoutError:
        return Load(page, time.perf_counter() - started, size, count, f"timed out after {timeout:g} s")
    except (OSError, websockets.WebSocketException) as error:
        return Load(page, time.perf_counter() - started, size, count, f"error: {type(error).__name__}: {error}")
    return Load(page, latency, size, count, finished)


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


async def readers(port: int, pid: int, n: int, spread: float, pages: tuple[str, ...]) -> dict[str, Any]:
    hold = asyncio.Event()
    before = memory_kb(pid)
    loaded = [0]

    def one_loaded() -> None:
        loaded[0] += 1

    async def reader(i: int) -> Load:
        await asyncio.sleep(spread * i / n)
        return await open_page(port, pages[i % len(pages)], hold=hold, on_loaded=one_loaded)

    tasks = [asyncio.create_task(reader(i)) for i in range(n)]
    # Every reader either loaded (and waits on ``hold``, still connected) or failed: then read the memory.
    while loaded[0] + sum(1 for t in tasks if t.done()) < n:
        await asyncio.sleep(0.1)
    after = memory_kb(pid)
    hold.set()
    loads = [await t for t in tasks]
    ok = [x for x in loads if x.finished == "FINISHED_SUCCESSFULLY"]
    latencies = [x.latency_s for x in ok]
    return {
        "sessions": n,
        "spread_s": spread,
        "completed": len(ok),
        "failures": sorted({x.finished for x in loads if x not in ok}),
        "p50_s": _percentile(latencies, 0.5),
        "p95_s": _percentile(latencies, 0.95),
        "max_s": max(latencies, default=float("nan")),
        "rss_before_kb": before,
        "rss_after_kb": after,
        "kb_per_session": (after - before) / n,
        "bytes_median": int(statistics.median([x.bytes for x in ok])) if ok else 0,
    }


def bench(config: Path | None, sessions: list[int], spread: float, script: Path = APP) -> dict[str, Any]:
    result: dict[str, Any] = {"runs": []}
    pages = READER_PAGES if script == APP else ("",)  # the naive app has one page
    with streamlit_server(script, config) as (process, port):
        result["rss_idle_kb"] = memory_kb(process.pid)
        warm = asyncio.run(open_page(port, ""))  # loads the Portal (first start) before measuring
        result["warmup"] = {"latency_s": warm.latency_s, "finished": warm.finished}
        page_bytes = {}
        for page in pages:
            load = asyncio.run(open_page(port, page))
            page_bytes["/" + page] = load.bytes
        result["websocket_bytes"] = page_bytes
        # The first runs start building the published data ahead (data_sources/jobs/warm_up.py) in the server: wait
        # until it is idle, so that the readers meet a warm server and its memory is not counted per session.
        result["idle_wait_s"] = wait_until_idle(process.pid)
        for n in sessions:
            result["runs"].append(asyncio.run(readers(port, process.pid, n, spread, pages)))
        result["rss_peak_kb"] = memory_kb(process.pid, "VmHWM")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, required=True)
    parser.add_argument("--sessions", default="10,50,100")
    parser.add_argument("--spread", type=float, default=10.0)
    parser.add_argument("--naive", action="store_true", help="serve benchmarks/naive.py instead of the portal")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    script = REPO / "benchmarks" / "naive.py" if args.naive else APP
    result = bench(args.config.resolve(), [int(n) for n in args.sessions.split(",")], args.spread, script)
    if args.json:
        print(json.dumps(result))
        return
    print(f"idle RSS {result['rss_idle_kb']} kB, warm-up {result['warmup']}, bytes {result['websocket_bytes']}")
    for r in result["runs"]:
        print(
            f"N={r['sessions']:4} completed {r['completed']:4} p50 {r['p50_s']:.3f} s p95 {r['p95_s']:.3f} s "
            f"RSS {r['rss_before_kb']} -> {r['rss_after_kb']} kB ({r['kb_per_session']:.0f} kB/session) {r['failures']}"
        )
    print(f"peak RSS {result['rss_peak_kb']} kB")


if __name__ == "__main__":
    main()
