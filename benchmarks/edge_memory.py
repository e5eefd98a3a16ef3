"""The edge under hostile requests: how much a portal process grows when clients send junk (issue #22, item 1).

``python -m benchmarks.edge_memory`` starts this tree's portal (``make run``'s sample data, a fresh store), opens
every public page once, waits until it is idle, reads its RSS, then sends N requests (1,000 by default), each with
a distinct 100 KB junk parameter, in turn to ``/``, ``/program?program=<junk>``, ``/peta``, ``/riwayat``,
``/tentang`` and ``/sitemap.xml`` (the last with a distinct ``Host`` too), and reads the RSS again. The target:
less than 50 MB of growth. ``--baseline REV`` measures a revision instead (in a temporary worktree), to compare.

The RSS is ``VmRSS`` of the server's process from /proc (Linux), ``VmHWM`` its peak, in SI megabytes like the
rest of BENCHMARKS.md (Linux's kB are 1,024 bytes). Nothing here asserts: it prints the figures (and writes them
as JSON with ``--out``).
"""

from __future__ import annotations

import argparse
import http.client
import json
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from benchmarks.web.portal_process import REPO, Portal, revision_tree, running_portal

JUNK_BYTES = 100_000
TARGET_MB = 50.0
PAGES = ("/", "/program", "/peta", "/riwayat", "/survei", "/hasil-survei", "/tentang")


def memory_kb(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM of a process, in Linux's kB (1,024 bytes)."""
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            found[name] = int(value.split()[0])
    return found


def mb(kib: int) -> float:
    """Linux's kB (1,024 bytes) in SI megabytes (1,000,000 bytes)."""
    return kib * 1024 / 1_000_000


def get(port: int, target: str, host: str | None = None) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request("GET", target, headers={"Host": host} if host else {})
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def junk(i: int) -> str:
    """A distinct junk value of JUNK_BYTES characters (URL-safe, so it stays that size on the wire)."""
    head = f"{i:06d}-"
    return head + "x" * (JUNK_BYTES - len(head))


def hostile(i: int) -> tuple[str, str | None]:
    """The i-th hostile request: a target, and a Host (None: the usual one)."""
    value = urllib.parse.quote(junk(i))
    kind = i % 6
    if kind == 0:
        return f"/?utm_source={value}", None
    if kind == 1:
        return f"/program?program={value}", None
    if kind == 2:
        return f"/peta?kecamatan={value}&nama_program={value[:50]}", None
    if kind == 3:
        return f"/riwayat?dari={value}", None
    if kind == 4:
        return f"/tentang?{value[:40]}={value}", None
    return f"/sitemap.xml?x={value}", f"h{i}.example"


def measure(portal: Portal, requests: int) -> dict[str, object]:
    port = int(portal.url.rsplit(":", 1)[1])
    for page in PAGES:  # every page once, as readers would: what a warm portal holds is not the junk's growth
        get(port, page)
    get(port, "/program?program=QW24-PUPR-01")
    portal.idle()
    before = memory_kb(portal.pid)
    statuses: dict[int, int] = {}
    started = time.monotonic()
    for i in range(requests):
        target, host = hostile(i)
        status = get(port, target, host)
        statuses[status] = statuses.get(status, 0) + 1
    seconds = time.monotonic() - started
    portal.idle()
    after = memory_kb(portal.pid)
    rise_mb = mb(after["VmRSS"] - before["VmRSS"])
    return {
        "requests": requests,
        "junk_bytes": JUNK_BYTES,
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "seconds": round(seconds, 1),
        "rss_before_mb": round(mb(before["VmRSS"]), 1),
        "rss_after_mb": round(mb(after["VmRSS"]), 1),
        "rss_rise_mb": round(rise_mb, 1),
        "peak_mb": round(mb(after["VmHWM"]), 1),
        "target_mb": TARGET_MB,
        "met": rise_mb < TARGET_MB,
    }


@contextmanager
def portal_of(baseline: str | None) -> Iterator[tuple[Portal, str]]:
    with tempfile.TemporaryDirectory(prefix="bench-edge-") as folder:
        if baseline is None:
            with running_portal(REPO, Path(folder)) as portal:
                yield portal, "this tree"
        else:
            with revision_tree(baseline) as (tree, commit), running_portal(tree, Path(folder)) as portal:
                yield portal, commit[:10]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--baseline", help="a revision to measure instead of this tree")
    parser.add_argument("--out", type=Path, help="write the figures as JSON here")
    args = parser.parse_args()
    with portal_of(args.baseline) as (portal, what):
        figures = {"measured": what, **measure(portal, args.requests)}
    print(json.dumps(figures, indent=2))
    if args.out:
        args.out.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
