"""Benchmark: ``/_stcore/health`` while clients flood the edge with missing assets (issue #22, item 2).

Run: ``.venv/bin/python -m benchmarks.edge_flood [--baseline main | --no-baseline] [--seconds 20] [--clients 4]
[--rate 25]``.

For this tree, then for the baseline revision (``git archive`` of it into a temporary folder: the repository's
worktrees and branches are not touched), one ``streamlit run app.py`` as ``make run`` starts it
(``benchmarks.web.portal_process``: the sample workbooks, a fresh SQLite store). Once it has served ``/`` and is
idle:

1. *quiet*: ``/_stcore/health`` timed every 20 ms for ``--seconds``, nothing else asked;
2. *flood*: the same probe while ``--clients`` client processes ask, ``--rate`` times a second each (0: as fast
   as the server answers), for ``/static/js/miss-N.js`` (a new N each time, as the review did: 260 such names
   pushed the bundles out of the old 256 copies), and every 100th request for a real bundle (the 4.7 MB Plotly
   bundle, the entry bundle and its CSS in turn: more than 256 other names between two asks for Plotly), all
   with ``Accept-Encoding: gzip``.

Reported: the health probe's p50, p95 and max (ms), each probe's own time and its time from when it was due
(every 20 ms; see ``_probe``); how many missing names answered 404 or 200; how many bundle requests were served.
Timed from separate processes on the same 2 shared cores as the server: a measurement, not a test; compare
before and after within one run.
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import subprocess
import tarfile
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from benchmarks.web.portal_process import REPO, running_portal

PROBE_INTERVAL_S = 0.02
BUNDLE_EVERY = 100


def _get(url: str, gzip: bool = True) -> int:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"} if gzip else {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        error.read()
        return error.code


def _bundles(base: str) -> list[str]:
    """The Plotly bundle and the app's entry bundle and CSS, as the running Streamlit names them."""
    import streamlit

    static = Path(streamlit.__file__).parent / "static" / "static"
    names = [*static.glob("js/PlotlyChart.*.js"), *static.glob("js/index.*.js"), *static.glob("css/index.*.css")]
    return [f"{base}/static/{path.relative_to(static).as_posix()}" for path in names]


def _flood(base: str, client: int, rate: float, stop_at: float, results: multiprocessing.Queue) -> None:
    bundles = _bundles(base)
    counts: Counter[str] = Counter()
    n = 0
    started = time.monotonic()
    while time.monotonic() < stop_at:
        n += 1
        if rate:  # paced: the same load on both trees, however fast each answers
            time.sleep(max(0.0, started + n / rate - time.monotonic()))
        if n % BUNDLE_EVERY == 0:
            status = _get(bundles[(n // BUNDLE_EVERY) % len(bundles)])
            counts[f"bundle {status}"] += 1
        else:
            counts[f"missing {_get(f'{base}/static/js/miss-{client}-{n}.js')}"] += 1
    results.put(dict(counts))


def _probe(base: str, seconds: float) -> tuple[list[float], list[float]]:
    """Health on a fixed schedule: each probe's own time, and its time from when it was due, where a probe that
    waited behind a stalled loop counts the stall for every probe it delayed (else a 400 ms stall is one sample
    among a thousand). The second also counts the prober's own waits for a core: read both."""
    own: list[float] = []
    from_due: list[float] = []
    first = time.perf_counter()
    for k in range(int(seconds / PROBE_INTERVAL_S)):
        due = first + k * PROBE_INTERVAL_S
        time.sleep(max(0.0, due - time.perf_counter()))
        started = time.perf_counter()
        _get(f"{base}/_stcore/health", gzip=False)
        ended = time.perf_counter()
        own.append((ended - started) * 1000)
        from_due.append((ended - due) * 1000)
    return own, from_due


def _summary(timings: list[float]) -> str:
    ordered = sorted(timings)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"{statistics.median(ordered):.1f} / {p95:.1f} / {ordered[-1]:.1f}"


def measure(tree: Path, seconds: float, clients: int, rate: float) -> dict[str, str]:
    with tempfile.TemporaryDirectory(prefix="edge-flood-") as folder, running_portal(tree, Path(folder)) as portal:
        _get(portal.url + "/")  # the first start fills the store
        for bundle in _bundles(portal.url):
            _get(bundle)  # each bundle compressed once before the measurement, as a first reader would
        portal.idle()
        quiet = _probe(portal.url, seconds)
        results: multiprocessing.Queue = multiprocessing.Queue()
        stop_at = time.monotonic() + seconds
        flooders = [
            multiprocessing.Process(target=_flood, args=(portal.url, c, rate, stop_at, results)) for c in range(clients)
        ]
        for flooder in flooders:
            flooder.start()
        flooded = _probe(portal.url, seconds)
        counts: Counter[str] = Counter()
        for _ in flooders:
            counts.update(results.get(timeout=120))
        for flooder in flooders:
            flooder.join()
    return {
        "quiet": _summary(quiet[0]),
        "flood": _summary(flooded[0]),
        "quiet_due": _summary(quiet[1]),
        "flood_due": _summary(flooded[1]),
        "missing": ", ".join(f"{v:,} × {k.split()[1]}" for k, v in sorted(counts.items()) if k.startswith("missing")),
        "bundles": ", ".join(f"{v:,} × {k.split()[1]}" for k, v in sorted(counts.items()) if k.startswith("bundle")),
    }


@contextmanager
def revision_files(revision: str) -> Iterator[Path]:
    """The files of ``revision`` in a temporary folder (``git archive``): no worktree, branch or index touched."""
    with tempfile.TemporaryDirectory(prefix="edge-flood-baseline-") as folder:
        archive = Path(folder) / "tree.tar"
        subprocess.run(["git", "archive", "--format=tar", "-o", str(archive), revision], cwd=REPO, check=True)
        tree = Path(folder) / "tree"
        with tarfile.open(archive) as tar:
            tar.extractall(tree, filter="data")
        yield tree


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="main", help="the revision to compare with (default: main)")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--rate", type=float, default=25.0, help="requests per second per client; 0: unpaced")
    options = parser.parse_args()
    rows = [("this tree", measure(REPO, options.seconds, options.clients, options.rate))]
    if not options.no_baseline:
        with revision_files(options.baseline) as tree:
            rows.append((options.baseline, measure(tree, options.seconds, options.clients, options.rate)))
    print("| code | health quiet p50 / p95 / max (ms) | during flood | quiet, from due | flood, from due |"
          " missing names | bundle requests |")  # fmt: skip
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name, row in rows:
        figures = " | ".join(row[k] for k in ("quiet", "flood", "quiet_due", "flood_due", "missing", "bundles"))
        print(f"| {name} | {figures} |")


if __name__ == "__main__":
    main()
