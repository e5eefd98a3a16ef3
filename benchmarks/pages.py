"""Benchmark: every page's server time (first run, warm rerun) and bytes per page view, through AppTest.

Run: ``.venv/bin/python -m benchmarks.pages --config /tmp/portal-bench/M/portal.toml [--repeat 3] [--json]``
(``benchmarks.run`` calls it in a fresh process per scale, so caches and peak memory are per scale).

Method:

- The store is filled once, before measuring, by a sync of the configured workbooks (its time is reported
  as ``store_fill_s``); then one discarded run of ``/`` loads the modules and the per-process ``Portal``
  (reported as ``cold_start_s``), and the measuring waits until the data built ahead after a start
  (``data_sources/jobs/warm_up.py``: overview, map, history) are ready. Pages never read the sources afterwards.
- **first run**: a new ``AppTest`` of ``app.py`` (a new session, as a reader opening the link) switched to
  the page, timed around ``at.run()`` (AppTest's own scan of installed components, which a server does once
  at start, is done once for the process and shared); **warm rerun**: ``at.run()`` again in the same session (the rerun
  a widget click causes). Each is the median over ``--repeat`` new sessions.
- **bytes per page view**: ``ForwardMsgQueue.enqueue`` is wrapped for the whole process and sums
  ``msg.ByteSize()`` (the serialized protobuf size) of every ForwardMsg the script run enqueues for the
  browser during the first run: deltas (the map's deck JSON among them), page info, script finished.
  That is what the server serializes onto the websocket, before the websocket's own compression, and
  without Streamlit's per-message cache (a new session has none).
- The naive baseline (``benchmarks/naive.py``) is measured the same way in the same process.

AppTest runs the script in this process without a websocket or browser, so times are the server's
script time plus AppTest's own small overhead, not what a reader waits for (``benchmarks.concurrency``
measures that).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
APP = REPO / "app.py"
NAIVE = REPO / "benchmarks" / "naive.py"

# (url path, page file for AppTest.switch_page[, URL parameters])
MAP_DETAIL = {"kelurahan": "Kelayan Selatan", "status": "Selesai"}
PAGES: list[tuple[str, str] | tuple[str, str, dict[str, str]]] = [
    ("/", "app_pages/overview.py"),
    ("/program", "app_pages/program.py"),
    ("/peta", "app_pages/map.py"),
    # A narrower view: one kelurahan and one status, drawn site by site when few enough match.
    ("/peta?kelurahan=Kelayan+Selatan&status=Selesai", "app_pages/map.py", MAP_DETAIL),
    ("/riwayat", "app_pages/history.py"),
    ("/survei", "app_pages/feedback.py"),
    ("/hasil-survei", "app_pages/survey_results.py"),
    ("/pratinjau", "app_pages/preview.py"),
    ("/kesehatan-data", "app_pages/health.py"),
    ("/tentang", "app_pages/about.py"),
]

_sent = {"bytes": 0, "messages": 0}


def _count_forward_messages() -> None:
    """Wrap ForwardMsgQueue.enqueue once: every message a script run sends is counted with its size."""
    from streamlit.runtime.forward_msg_queue import ForwardMsgQueue

    if getattr(ForwardMsgQueue.enqueue, "_benchmark", False):
        return
    original = ForwardMsgQueue.enqueue

    def enqueue(self: Any, msg: Any) -> None:
        _sent["bytes"] += msg.ByteSize()
        _sent["messages"] += 1
        original(self, msg)

    enqueue._benchmark = True  # type: ignore[attr-defined]
    ForwardMsgQueue.enqueue = enqueue  # type: ignore[method-assign]


def peak_rss_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def fill_store(config_path: Path) -> float | None:
    from data_sources.config.portal_config import load_config
    from data_sources.jobs.sync import run_sync
    from data_sources.store.snapshot_store import Store

    config = load_config(config_path)
    store = Store(config.database_url)
    try:
        if not store.is_empty():
            return None  # filled by an earlier run
        started = time.perf_counter()
        run_sync(config, store)
        return time.perf_counter() - started
    finally:
        store.close()


_components: list[Any] = []


def _scanned_components() -> Any:
    """Installed v2 components, scanned once, as ``streamlit run`` does at start.

    AppTest scans every installed package's metadata once per AppTest object (tens of milliseconds
    here), which a real server never does per session; sharing one scan keeps that out of "first run".
    """
    if not _components:
        from streamlit.components.v2.component_manager import BidiComponentManager

        manager = BidiComponentManager()
        manager.discover_and_register_components(start_file_watching=False)
        _components.append(manager)
    return _components[0]


def _run(
    script: Path, page: str | None, timeout: float, params: dict[str, str] | None = None
) -> tuple[Any, float, int]:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(script), default_timeout=timeout)
    if hasattr(at, "_bidi_component_manager"):  # a private attribute of AppTest (Streamlit 1.67)
        at._bidi_component_manager = _scanned_components()
    if page:
        at.switch_page(page)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    before = _sent["bytes"]
    started = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - started
    if at.exception:
        raise RuntimeError(f"{script.name} {page}: {[e.value for e in at.exception][:1]}")
    return at, elapsed, _sent["bytes"] - before


def _rerun(at: Any) -> float:
    started = time.perf_counter()
    at.run()
    return time.perf_counter() - started


def _drawn(at: Any) -> dict[str, int] | None:
    """What the page's map draws: sites one by one, and counts per kelurahan (None: no map on the page)."""
    charts = at.get("deck_gl_json_chart")
    if not charts:
        return None
    layers = {layer["id"]: layer.get("data", []) for layer in json.loads(charts[0].proto.json)["layers"]}
    return {
        "sites": len(layers.get("site-points", [])) + len(layers.get("site-segments", [])),
        "site_counts": len(layers.get("sites-per-kelurahan", [])),
        "home_counts": len(layers.get("homes-per-kelurahan", [])) + len(layers.get("homes-per-kelurahan-total", [])),
    }


def measure(
    script: Path, page: str | None, repeat: int, timeout: float, params: dict[str, str] | None = None
) -> dict[str, Any]:
    firsts, warms, sizes = [], [], []
    drawn = None
    for _ in range(repeat):
        at, first, size = _run(script, page, timeout, params)
        firsts.append(first)
        sizes.append(size)
        warms.append(_rerun(at))
        drawn = _drawn(at)
    return {
        "drawn": drawn,
        "first_s": statistics.median(firsts),
        "warm_s": statistics.median(warms),
        "bytes": int(statistics.median(sizes)),
        "runs": repeat,
    }


def bench(config_path: Path, repeat: int = 3, timeout: float = 900, naive: bool = True) -> dict[str, Any]:
    os.environ["PORTAL_CONFIG"] = str(config_path)
    os.chdir(REPO)
    result: dict[str, Any] = {"store_fill_s": fill_store(config_path)}
    _count_forward_messages()
    _, cold, _ = _run(APP, None, timeout)
    result["cold_start_s"] = cold
    # The first run starts building the published data ahead (data_sources/jobs/warm_up.py); a server does that
    # once after a start or a sync, so the measured runs begin when it is done, as on a warm server.
    from server.portal import get_portal

    result["warm_up_done"] = get_portal().wait_until_warm(timeout)
    result["pages"] = {}
    for url, page, *params in PAGES:
        result["pages"][url] = measure(APP, page, repeat, timeout, params[0] if params else None)
    result["peak_rss_kb_portal"] = peak_rss_kb()
    if naive:
        result["naive"] = measure(NAIVE, None, repeat, timeout)
    result["peak_rss_kb"] = peak_rss_kb()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-naive", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = bench(args.config.resolve(), args.repeat, naive=not args.no_naive)
    if args.json:
        print(json.dumps(result))
        return
    print(f"store fill {result['store_fill_s']} s, cold start {result['cold_start_s']:.2f} s")
    rows = list(result["pages"].items()) + ([("naive", result["naive"])] if "naive" in result else [])
    for url, r in rows:
        print(f"{url:16} first {r['first_s'] * 1000:8.0f} ms  warm {r['warm_s'] * 1000:8.0f} ms  {r['bytes']:>10} B")


if __name__ == "__main__":
    main()
