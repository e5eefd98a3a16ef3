"""The benchmark suite in one command: sync, pages, the naive baseline, concurrency and memory, per scale.

Run: ``.venv/bin/python -m benchmarks.run [--scales S,M] [--repeat 3] [--sessions 10,50,100] [--out BENCHMARKS.md]``
(``make bench-all``). It generates the scale's sources (``benchmarks.generate``), then, each in a fresh
process so that caches and peak memory belong to one measurement:

1. **sync** (``--measure-sync``, in this module): the scale's workbooks loaded into the Sheets API
   emulator (``tests/sheets_emulator.py``) and synced through the real gspread client, ``--repeat``
   times (the first makes new snapshots, later ones find nothing changed): time, requests per
   spreadsheet, bytes read, and the process's peak RSS during the syncs (``VmHWM`` after resetting it
   through ``/proc/self/clear_refs`` once the emulator holds the sheets; the emulator serves from the
   same process, so its answers are in the figure).
2. **pages** (``benchmarks.pages``): every page's first run and warm rerun (AppTest), bytes per page view,
   and the naive baseline (``benchmarks/naive.py``) measured the same way.
3. **concurrency** (``benchmarks.concurrency``): N readers over Streamlit's websocket protocol against one
   ``streamlit run app.py``; p50/p95 page-load latency, server RSS per session and its peak; and the
   naive app with the smallest N.

It writes its two sections of ``BENCHMARKS.md``, each between its own markers (``benchmarks/benchmarks_md.py``:
where they go in a file that has none yet, and the units): the introduction with the machine and the run's notes,
and the tables (targets at a glance, peak memory, each scale). Everything else in the file, the section of
``make bench-web`` and the sections written by hand, stays as it was, byte for byte. Each scale's raw figures go
to ``result.json`` in the scale's generated folder (``<tmp>/portal-bench/<scale>`` by default); ``--render S,M,L``
rewrites the sections from those without measuring (to add a scale measured on its own). It measures; nothing
here passes or fails.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

from benchmarks.benchmarks_md import EMPTY, INTRO, KB, MB, TABLES, UNITS, WEB, kb, kib, mb, replace_section
from benchmarks.generate import SCALES, default_root, generate, workbooks

REPO = Path(__file__).resolve().parent.parent

# Targets of issue 8 (part 2): the table says met / not met for each.
WARM_TARGET_MS = {"M": 50, "L": 150}
MAP_TARGET_KB = {"M": 150, "L": 400}  # kB of 10^3 bytes, as every size in BENCHMARKS.md
REQUESTS_TARGET_S = 2
READERS_TARGET = {"sessions": 100, "p95_s": 3.0, "mb_per_session": 2}


# --- 1. sync against the emulator --------------------------------------------------------------


def _reset_peak() -> None:
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def _peak_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def measure_sync(config_path: Path, repeat: int) -> dict[str, Any]:
    sys.path.insert(0, str(REPO / "tests"))
    from sheets_emulator import SheetsEmulator

    from data_sources.config.portal_config import load_config
    from data_sources.jobs.sync import run_sync
    from data_sources.store.snapshot_store import Store

    paths = workbooks(config_path)
    with SheetsEmulator() as emulator, tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        info = emulator.service_account()
        key_file = folder / "key.json"
        key_file.write_text(json.dumps(info), encoding="utf-8")
        keys = {p.stem: emulator.load_xlsx(p, shared_with=[info["client_email"]]) for p in paths}
        lines = [
            '[store]\npath = "store.sqlite"\n[sync]\nrequest_timeout_seconds = 120\n',
            f'[google]\ncredentials_file = "{key_file.as_posix()}"\n',
        ]
        lines += [f'[[sources]]\nname = "{n}"\nkind = "google"\nsheet = "{k}"\n' for n, k in keys.items()]
        (folder / "portal.toml").write_text("\n".join(lines), encoding="utf-8")
        os.environ["SHEETS_API_URL"] = emulator.base_url
        config = load_config(folder / "portal.toml")
        store = Store(config.database_url)
        _reset_peak()
        times, requests, token_requests, sizes, outcomes = [], [], [], [], []
        for _ in range(repeat):
            emulator.clear_requests()
            started = time.perf_counter()
            done = run_sync(config, store)
            times.append(time.perf_counter() - started)
            assert done is not None
            outcomes.append(sorted({o.outcome for o in done}))
            token_requests.append(emulator.count("/token"))
            requests.append(len(emulator.requests))
            sizes.append(sum(o.cost.bytes_read for o in done))
        store.close()
        return {
            "spreadsheets": len(paths),
            "first_s": times[0],
            "repeat_s": statistics.median(times[1:]) if repeat > 1 else None,
            "requests": requests,
            "token_requests": token_requests,
            "requests_per_spreadsheet": (requests[-1] - token_requests[-1]) / len(paths),
            "bytes": sizes[-1],
            "outcomes": outcomes,
            "peak_rss_kb": _peak_kb(),
        }


# --- running the parts -------------------------------------------------------------------------


def _subprocess_json(args: list[str], timeout: float) -> dict[str, Any]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, *args], cwd=REPO, capture_output=True, text=True, timeout=timeout, check=False
    )
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"exit {done.returncode}"}
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["wall_s"] = time.perf_counter() - started
    return result


def run_scale(name: str, repeat: int, sessions: list[int], spread: float, log: Any) -> dict[str, Any]:
    scale = SCALES[name]
    started = time.perf_counter()
    config = generate(scale)
    result: dict[str, Any] = {
        "scale": name,
        "generate_s": time.perf_counter() - started,
        "config": str(config),
        "repeat": repeat,
        "measured_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }

    def log(line: str, _log: Any = log) -> None:
        # Saved after every part, so that a run stopped half-way still leaves what it measured.
        _saved(name).write_text(json.dumps(result, indent=1), encoding="utf-8")
        _log(line)

    # A fresh store per run: the page figures include the store as a new sync leaves it.
    for leftover in config.parent.glob("store.sqlite*"):
        leftover.unlink()
    log(f"[{name}] sync")
    result["sync"] = _subprocess_json(
        ["-m", "benchmarks.run", "--measure-sync", str(config), "--repeat", str(max(2, repeat))], 3600
    )
    log(f"[{name}] pages")
    result["pages"] = _subprocess_json(
        ["-m", "benchmarks.pages", "--config", str(config), "--repeat", str(repeat), "--json"], 7200
    )
    log(f"[{name}] concurrency")
    concurrency = ["-m", "benchmarks.concurrency", "--config", str(config), "--json", "--spread", str(spread)]
    result["concurrency"] = _subprocess_json([*concurrency, "--sessions", ",".join(map(str, sessions))], 7200)
    log(f"[{name}] naive concurrency")
    result["naive_concurrency"] = _subprocess_json([*concurrency, "--naive", "--sessions", str(min(sessions))], 7200)
    log(f"[{name}] done; raw figures in {_saved(name)}")
    return result


# --- the report --------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    memory = next(
        (
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        ),
        0,
    )
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "?",
    )
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "ram_gb": round((kib(memory) or 0) / 1e9, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "streamlit": version("streamlit"),
        "pandas": version("pandas"),
        "pydeck": version("pydeck"),
        "gspread": version("gspread"),
        "report written": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def _ms(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds * 1000:,.0f}"


def _kb(size: float | None) -> str:
    """Bytes in kB, one decimal."""
    return kb(size, 1)


def _mb(linux_kb: float | None) -> str:
    """Memory Linux gives in its kB (1,024 bytes) in MB, no decimals."""
    return mb(kib(linux_kb), 0)


def _ratio(ours: float | None, naive: float | None) -> str:
    if not ours or not naive:
        return "-"
    ratio = ours / naive
    if ratio < 0.001:
        return "<0.001×"
    return f"{ratio:.2f}×" if ratio >= 0.1 else f"{ratio:.2g}×"


def _mark(ok: bool | None) -> str:
    return "n/a" if ok is None else ("met" if ok else "**not met**")


def targets(scale: str, r: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(target, measured, met / not met) for this scale."""
    rows: list[tuple[str, str, str]] = []
    pages = r.get("pages", {}).get("pages")
    if scale in WARM_TARGET_MS and pages:
        slowest = max(pages.items(), key=lambda item: item[1]["warm_s"])
        limit = WARM_TARGET_MS[scale]
        rows.append(
            (
                f"warm rerun of every page ≤ {limit} ms",
                f"slowest {slowest[0]} {_ms(slowest[1]['warm_s'])} ms",
                _mark(slowest[1]["warm_s"] * 1000 <= limit),
            )
        )
    if scale in MAP_TARGET_KB and pages:
        size = pages["/peta"]["bytes"]
        rows.append(
            (
                f"map page view ≤ {MAP_TARGET_KB[scale]} kB",
                f"{_kb(size)} kB",
                _mark(size <= MAP_TARGET_KB[scale] * KB),
            )
        )
    sync = r.get("sync", {})
    if scale == "S" and "requests_per_spreadsheet" in sync:
        per = sync["requests_per_spreadsheet"]
        rows.append(
            (f"sync ≤ {REQUESTS_TARGET_S} requests per spreadsheet", f"{per:g}", _mark(per <= REQUESTS_TARGET_S))
        )
    for run in r.get("concurrency", {}).get("runs", []):
        if run["sessions"] == READERS_TARGET["sessions"]:
            per_session = kib(run["kb_per_session"]) or 0.0
            ok = (
                run["completed"] == run["sessions"]
                and run["p95_s"] < READERS_TARGET["p95_s"]
                and per_session < READERS_TARGET["mb_per_session"] * MB
            )
            rows.append(
                (
                    "100 readers over 10 s: all complete, p95 < 3 s, < 2 MB per session",
                    f"{run['completed']}/{run['sessions']} complete, p95 {run['p95_s']:.2f} s, "
                    f"{mb(per_session, 2)} MB/session",
                    _mark(ok),
                )
            )
    return rows


def scale_section(r: dict[str, Any], repeat: int) -> list[str]:
    name = r["scale"]
    scale = SCALES[name]

    def dotted(n: int) -> str:
        return f"{n:,}".replace(",", ".")

    size = (
        "the six sample programs"
        if scale.sample
        else f"{scale.programs} programs, {dotted(scale.sites)} sites, {dotted(scale.reports)} reports"
    )
    out = [f"## Scale {name}: {size}", ""]
    if r.get("measured_at"):
        out += [f"Measured {r['measured_at']}, {r.get('repeat', '?')} repetitions.", ""]
    sync = r.get("sync", {})
    out += ["### Sync (gspread → Sheets emulator)", ""]
    if not sync:
        out += ["Not measured: the run was stopped before this part.", ""]
    elif "error" in sync:
        out += [f"Failed: `{sync['error']}`", ""]
    else:
        out += [
            "| spreadsheets | first sync (s) | repeat sync, median (s) | requests per spreadsheet "
            "| token requests | bytes read | peak RSS (MB) |",
            "| --- | --- | --- | --- | --- | --- | --- |",
            f"| {sync['spreadsheets']} | {sync['first_s']:.2f} | "
            f"{'-' if sync['repeat_s'] is None else round(sync['repeat_s'], 2)} | "
            f"{sync['requests_per_spreadsheet']:g} | {sync['token_requests'][0]} | {sync['bytes']:,} | "
            f"{_mb(sync['peak_rss_kb'])} |",
            "",
        ]
    pages = r.get("pages", {})
    out += [f"### Pages (AppTest; median of {repeat} new session{'s' if repeat != 1 else ''})", ""]
    if not pages:
        out += ["Not measured: the run was stopped before this part.", ""]
    elif "error" in pages:
        out += [f"Failed: `{pages['error']}`", ""]
    else:
        naive = pages.get("naive", {})
        fill = pages.get("store_fill_s")
        out += [
            (f"Store filled from the workbooks before measuring in {fill:.1f} s; " if fill is not None else "")
            + f"cold start of the first session (modules, Portal): {_ms(pages['cold_start_s'])} ms; "
            f"peak RSS of the measuring process: {_mb(pages['peak_rss_kb_portal'])} MB "
            f"(with the naive runs: {_mb(pages['peak_rss_kb'])} MB).",
            "",
            "| page | first run (ms) | warm rerun (ms) | sent per page view (kB) "
            "| first ÷ naive | warm ÷ naive | bytes ÷ naive |",
            "| --- | --- | --- | --- | --- | --- | --- |",
        ]
        for url, p in pages["pages"].items():
            out.append(
                f"| `{url}` | {_ms(p['first_s'])} | {_ms(p['warm_s'])} | {_kb(p['bytes'])} | "
                f"{_ratio(p['first_s'], naive.get('first_s'))} | {_ratio(p['warm_s'], naive.get('warm_s'))} | "
                f"{_ratio(p['bytes'], naive.get('bytes'))} |"
            )
        if naive:
            out.append(
                f"| naive baseline (map of every site) | {_ms(naive['first_s'])} | {_ms(naive['warm_s'])} | "
                f"{_kb(naive['bytes'])} | 1 | 1 | 1 |"
            )
        out.append("")
        maps = [(url, p["drawn"]) for url, p in pages["pages"].items() if p.get("drawn")]
        if maps:
            out += ["What each map draws (from the deck sent):", ""]
            out += [
                f"- `{url}`: {d['sites']:,} sites one by one, {d['site_counts']:,} counts of sites per kelurahan, "
                f"{d['home_counts']:,} counts of homes"
                for url, d in maps
            ]
            out.append("")
    conc = r.get("concurrency", {})
    out += ["### Concurrency (one `streamlit run` process, websocket readers)", ""]
    if not conc:
        out += ["Not measured: the run was stopped before this part.", ""]
    elif "error" in conc:
        out += [f"Failed: `{conc['error']}`", ""]
    else:
        ws = conc.get("websocket_bytes", {})
        out += [
            f"Server RSS idle {_mb(conc['rss_idle_kb'])} MB; peak {_mb(conc['rss_peak_kb'])} MB. "
            "Bytes over the websocket for one view: " + ", ".join(f"`{k}` {_kb(v)} kB" for k, v in ws.items()) + ".",
            "",
            "| app | readers (over s) | completed | p50 (s) | p95 (s) | max (s) "
            "| RSS before → after (MB) | per session (kB) |",
            "| --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        rows = [("portal", x) for x in conc.get("runs", [])]
        naive_c = r.get("naive_concurrency", {})
        rows += [("naive", x) for x in naive_c.get("runs", [])]
        for app, x in rows:
            failures = f" ({'; '.join(x['failures'])})" if x["failures"] else ""
            out.append(
                f"| {app} | {x['sessions']} ({x['spread_s']:g}) | {x['completed']}{failures} | {x['p50_s']:.2f} | "
                f"{x['p95_s']:.2f} | {x['max_s']:.2f} | {_mb(x['rss_before_kb'])} → "
                f"{_mb(x['rss_after_kb'])} | {kb(kib(x['kb_per_session']), 0)} |"
            )
        if "error" in naive_c:
            out.append(f"| naive | failed: `{naive_c['error']}` | | | | | | |")
        if naive_c.get("rss_peak_kb"):
            out += ["", f"Naive app server peak RSS: {_mb(naive_c['rss_peak_kb'])} MB."]
        out.append("")
    rows = targets(name, r)
    if rows:
        out += ["### Targets", "", "| target | measured | |", "| --- | --- | --- |"]
        out += [f"| {a} | {b} | {c} |" for a, b, c in rows]
        out.append("")
    return out


HEADER = """\
Made by `make bench-all` (`.venv/bin/python -m benchmarks.run --scales S,M,L --repeat 3`; a scale can be measured
on its own and the tables rewritten from the saved figures with `--render S,M,L`): this introduction with the machine
and the run's notes, and the tables from *Targets at a glance* through the last scale. Each part's method is in the
docstrings of `benchmarks/run.py`, `pages.py`, `concurrency.py`, `naive.py` and `generate.py`. Figures are
medians of the stated repetitions; a measurement, not a test. The other sections are written by `make bench-web`
(which says so) or by hand after a particular change, each saying how it was measured; a run of either command
rewrites only its own sections.

{units}
Until 2026-12-01 `make bench-all` counted 1 KB = 1,024 bytes and 1 MB = 1,024 KB (units 2.4 % and 4.9 % larger): so
do its tables measured before then, and the figures that sections written by hand copied from them.

**Caveat: a small machine.** {cpus} CPU cores; nothing else should run while the suite does, but the
websocket client runs on the same cores as the server, and repetitions are few. Treat single figures as ±20 %
or worse and compare orders of magnitude and ratios rather than milliseconds.

How to read the tables:

- **Scales**: S is the six bundled sample workbooks; M (60 programs, 10.000 sites, 10.000 reports) and L (300,
  100.000, 100.000) are synthetic, six workbooks each, derived from the sample (`benchmarks/generate.py`).
- **Sync**: the scale's workbooks in the Sheets API emulator, synced through the real gspread client; the first
  sync stores new snapshots, the repeats find nothing changed. Peak RSS includes the in-process emulator.
- **Pages**: AppTest of `app.py`. *First run* is a new session opening the page (the process is warm: the
  store is filled, one session ran before and the data built ahead after a start, `data_sources/jobs/warm_up.py`, are
  ready); *warm rerun* is the same session running again (a click). AppTest's scan of installed components,
  which a server does once at start, is done once per process.
  *Sent per page view* is the sum of the serialized sizes of the ForwardMsgs the run enqueues (the map's deck
  JSON dominates); the websocket client's own byte count of the same views agrees within a few per cent.
- **Naive baseline** (`benchmarks/naive.py`): reads every workbook on every rerun (from local files, which
  flatters it: Google would add a network round trip per sheet) and draws a `ScatterplotLayer` of every site
  with all columns, its table and a histogram. Ratios are ours ÷ naive: below 1 is better than the baseline.
- **Concurrency**: the server (`streamlit run`, no file watcher, the repository's `.streamlit/config.toml`) is
  opened once on each page and left until idle; then N readers arrive evenly over 10 s, in turn on `/`, `/peta`
  and `/program`, each a websocket session speaking Streamlit's protocol until `script_finished`, and stay
  connected until all have loaded. Latency is from connect to `script_finished`. *Per session* is the server's
  RSS growth while the N sessions are connected, divided by N; Streamlit keeps a closed session for
  `server.disconnectedSessionTTL` (120 s), so each N starts from the memory the previous N left; a negative
  figure means the RSS moved by less than its noise (Python returning freed memory). The naive app is measured
  with the smallest N.
"""


def intro(info: dict[str, Any], notes: list[str]) -> str:
    """The introduction: how the suite measures and how to read it, the units, the machine, the run's notes."""
    out = [HEADER.format(cpus=info["cpus"], units=UNITS).rstrip(), ""]
    out += [
        "## Machine and versions",
        "",
        "| | |",
        "| --- | --- |",
        *[f"| {k} | {v} |" for k, v in info.items()],
        "",
    ]
    if notes:
        out += ["## Notes", "", *[f"- {n}" for n in notes], ""]
    return "\n".join(out)


def tables(results: list[dict[str, Any]]) -> str:
    """The figures: targets at a glance, peak memory, and a section per scale."""
    out: list[str] = []
    summary = [(r["scale"], *row) for r in results for row in targets(r["scale"], r)]
    if summary:
        out += ["## Targets at a glance", "", "| scale | target | measured | |", "| --- | --- | --- | --- |"]
        out += [f"| {s} | {a} | {b} | {c} |" for s, a, b, c in summary]
        out.append("")
    out += ["## Peak memory (MB)", "", "| scale | sync | pages (AppTest process) | server, during the readers |"]
    out.append("| --- | --- | --- | --- |")
    for r in results:
        sync, pages, conc = r.get("sync", {}), r.get("pages", {}), r.get("concurrency", {})
        out.append(
            f"| {r['scale']} | {_mb(sync.get('peak_rss_kb'))} | {_mb(pages.get('peak_rss_kb_portal'))} | "
            f"{_mb(conc.get('rss_peak_kb'))} |"
        )
    out.append("")
    for r in results:
        out += scale_section(r, r.get("repeat", 3))
    return "\n".join(out)


def report(old: str, results: list[dict[str, Any]], info: dict[str, Any], notes: list[str]) -> str:
    """``old`` (BENCHMARKS.md as it is) with this suite's two sections written afresh; the rest stays as it was.

    A first run puts the introduction before the file's first section (or another program's section) and the
    tables at the end (``benchmarks/benchmarks_md.py``).
    """
    text = replace_section(old, INTRO, INTRO.block(intro(info, notes)), before=("## ", WEB.start, TABLES.start))
    return replace_section(text, TABLES, TABLES.block(tables(results)))


def _saved(scale: str) -> Path:
    return default_root() / scale / "result.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="S,M")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sessions", default="10,50,100")
    parser.add_argument("--spread", type=float, default=10.0)
    parser.add_argument("--out", type=Path, default=REPO / "BENCHMARKS.md")
    parser.add_argument("--note", action="append", default=[], help="a line for the report's notes")
    parser.add_argument("--render", help="write the report from the saved results of these scales, measuring nothing")
    parser.add_argument("--measure-sync", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure_sync:
        print(json.dumps(measure_sync(args.measure_sync, args.repeat)))
        return

    def log(line: str) -> None:
        print(f"{datetime.now(UTC):%H:%M:%S} {line}", file=sys.stderr, flush=True)

    sessions = [int(n) for n in args.sessions.split(",")]
    if args.render:
        # Report from the saved results of earlier runs (e.g. L measured on its own after S,M).
        results = [json.loads(_saved(s.strip()).read_text()) for s in args.render.split(",")]
    else:
        results = []
        for scale in args.scales.split(","):
            results.append(run_scale(scale.strip(), args.repeat, sessions, args.spread, log))
    info = machine()
    # Only this suite's sections change: `make bench-web`'s and the ones written by hand stay as they were.
    old = args.out.read_text(encoding="utf-8") if args.out.exists() else EMPTY
    args.out.write_text(report(old, results, info, args.note), encoding="utf-8")
    log(f"wrote {args.out}")


if __name__ == "__main__":
    main()
