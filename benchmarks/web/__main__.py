"""``python -m benchmarks.web [--runs 3] [--baseline 5bbbff0 | --no-baseline] [--only TEXT] [--note TEXT]
[--out BENCHMARKS.md]``.

``--render`` rewrites the section from the last run's ``benchmarks/web/reports/`` (e.g. with another ``--note``).

``make bench-web`` runs it after ``npm ci --prefix benchmarks/web`` (Lighthouse 12.2.3). For this tree, then for
the baseline revision in a temporary worktree: start its portal, open each page once, wait until the server is
idle, then measure the bytes of a first view and the throttled phone's timings on ``/`` and a program page
(issue 14), and Lighthouse on every public page in both languages (issue 23; ``--only /peta`` keeps the pages whose
address contains the text, for a quick look). Writes its section of BENCHMARKS.md and the raw figures to
``benchmarks/web/reports/result.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import openpyxl
from playwright.sync_api import Browser, sync_playwright

from benchmarks.web.browser_load import (
    CHROMIUM,
    CHROMIUM_ARGS,
    first_view_bytes,
    median_bytes,
    median_times,
    throttled_times,
)
from benchmarks.web.edge_checks import EMBED_PATHS, embed_view, observatory
from benchmarks.web.lighthouse_runs import HERE, VERSION, combine, run_lighthouse, summarize
from benchmarks.web.portal_process import REPO, Portal, current_commit, revision_tree, running_portal
from benchmarks.web.web_report import replace_section, section

PROGRAM = "QW24-PUPR-01"
PATHS = ("/", f"/program?program={PROGRAM}")  # issue 14: a first view's bytes and the throttled phone
# Issue 23: every public page, each in Indonesian and English (the program page for two programs: the one whose
# link is shared most in the sample, and the one with the longest history).
PUBLIC_PAGES = (
    "/",
    f"/program?program={PROGRAM}",
    "/program?program=QW24-DLH-01",
    "/peta",
    "/riwayat?program=QW24-PERKIM-01",
    "/kesehatan-data",
    "/survei",
    "/tentang",
    "/hasil-survei",
)
DEFAULT_BASELINE = "5bbbff0"  # the last commit before issue 23's work
BASELINE_REASON = {"5bbbff0": "the last commit before issue 23", "9aca0c4": "the last commit before issue 14"}
REPORTS = HERE / "reports"
SAMPLE_WORKBOOK = REPO / "sample_data" / "pupr_sungaiku_baiman.xlsx"


def log(line: str) -> None:
    print(f"{datetime.now(UTC):%H:%M:%S} {line}", file=sys.stderr, flush=True)


def program_name(code: str = PROGRAM) -> str:
    """The program's name as its sample workbook gives it (the same in both trees)."""
    sheet = openpyxl.load_workbook(SAMPLE_WORKBOOK, read_only=True)["program"]
    rows = sheet.iter_rows(values_only=True)
    header = list(next(rows))
    for row in rows:
        if row[header.index("kode_program")] == code:
            return str(row[header.index("nama_program")])
    raise LookupError(f"{code} is not in {SAMPLE_WORKBOOK}")


def english(path: str) -> str:
    return path + ("&" if "?" in path else "?") + "lang=en"


def lighthouse_paths(only: str = "") -> list[str]:
    """Every public page in Indonesian, then in English; ``only`` keeps those whose address contains it."""
    both = [path for page in PUBLIC_PAGES for path in (page, english(page))]
    return [path for path in both if only in path]


def measure_tree(
    browser: Browser, tree: Path, label: str, runs: int, name: str, pages: list[str], edge: bool
) -> dict[str, Any]:
    with (
        tempfile.TemporaryDirectory(prefix=f"bench-web-{label}-") as folder,
        running_portal(tree, Path(folder)) as portal,
    ):
        return _measure(browser, portal, label, runs, name, pages, edge)


def _measure(
    browser: Browser, portal: Portal, label: str, runs: int, name: str, lighthouse: list[str], edge: bool
) -> dict[str, Any]:
    log(f"[{label}] portal at {portal.url} ({portal.tree}); first views to warm it")
    for path in PATHS:
        warm = first_view_bytes(browser, portal.url + path)
        if warm["drawn_s"] is None:
            raise RuntimeError(f"{label}: {path} never drew the app's title; server log: {portal.log}")
    log(f"[{label}] warm; server idle after {portal.idle():.1f} s")
    pages: dict[str, Any] = {}
    for path in PATHS:
        url = portal.url + path
        views = [first_view_bytes(browser, url) for _ in range(runs)]
        pages[path] = {"bytes": median_bytes(views)}
        log(f"[{label}] {path}: {pages[path]['bytes']['total_bytes']:,} bytes in a first view")
    for path in PATHS:
        url = portal.url + path
        timings = []
        for _ in range(runs):
            timings.append(throttled_times(browser, url, name))
            portal.idle()
        pages[path]["throttled"] = median_times(timings)
        log(f"[{label}] {path}: throttled {timings}")
    for path in lighthouse:
        first_view_bytes(browser, portal.url + path)  # each page drawn once before it is measured
    portal.idle()
    for path in lighthouse:
        reports = []
        for i in range(runs):
            reports.append(summarize(run_lighthouse(portal.url + path, _report_file(label, path, i))))
            portal.idle()
        pages.setdefault(path, {})["lighthouse"] = combine(reports)
        log(f"[{label}] {path}: lighthouse {pages[path]['lighthouse']['scores']} "
            f"{pages[path]['lighthouse']['metrics']}")  # fmt: skip
    if edge:
        # Issue 21, on the after tree: what an embed costs its host page, and the headers' grade.
        embeds = {path: embed_view(browser, portal.url + path) for path in EMBED_PATHS}
        log(f"[{label}] embeds: {embeds}")
        grade = observatory(portal.url.removeprefix("http://"))
        log(f"[{label}] observatory: {grade}")
        return {"pages": pages, "embeds": embeds, "observatory": grade}
    return {"pages": pages}


def _report_file(label: str, path: str, i: int) -> Path:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", path).strip("-") or "home"
    return REPORTS / f"{label}-{slug}-{i + 1}.json"


def render(out: Path, notes: list[str]) -> None:
    """Rewrite the section from the last run's result.json, reading its Lighthouse reports again; measures nothing."""
    result = json.loads((REPORTS / "result.json").read_text(encoding="utf-8"))
    result["notes"] = [*result.get("notes", []), *notes]
    for label in ("after", "before"):
        for path, page in ((result.get(label) or {}).get("pages") or {}).items():
            if page.get("lighthouse"):
                files = [_report_file(label, path, i) for i in range(result["runs"])]
                reports = [json.loads(f.read_text(encoding="utf-8")) for f in files]
                page["lighthouse"] = combine([summarize(r) for r in reports])
    (REPORTS / "result.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    text = out.read_text(encoding="utf-8") if out.exists() else "# Benchmarks\n"
    out.write_text(replace_section(text, section(result)), encoding="utf-8")


def _version(command: list[str]) -> str:
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=30, check=False).stdout.strip()
    except OSError:
        return "?"


def machine() -> dict[str, Any]:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")),
        platform.processor() or "?",
    )  # fmt: skip
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "chromium": _version([CHROMIUM, "--version"]).replace(" built on Debian GNU/Linux", ", Debian"),
        "node": _version(["node", "--version"]).lstrip("v"),
        "lighthouse": VERSION,
        "load_start": " / ".join(f"{x:.1f}" for x in os.getloadavg()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per page and measurement (median)")
    parser.add_argument("--baseline", default=DEFAULT_BASELINE, help="the 'before' revision (default %(default)s)")
    parser.add_argument("--no-baseline", action="store_true", help="measure this tree only")
    parser.add_argument("--only", default="", help="Lighthouse only the pages whose address contains this text")
    parser.add_argument("--note", action="append", default=[], help="a sentence for the section's machine note")
    parser.add_argument("--out", type=Path, default=REPO / "BENCHMARKS.md")
    parser.add_argument(
        "--render", action="store_true", help="rewrite the section from the last run, measuring nothing"
    )
    args = parser.parse_args()
    if args.render:
        render(args.out, args.note)
        log(f"wrote {args.out} from {REPORTS / 'result.json'}")
        return
    started = time.monotonic()
    name = program_name()
    head, dirty = current_commit()
    result: dict[str, Any] = {
        "measured_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "runs": args.runs,
        "paths": list(PATHS),
        "lighthouse_paths": lighthouse_paths(args.only),
        "baseline_reason": BASELINE_REASON.get(args.baseline[:7], f"revision {args.baseline}"),
        "program_name": name,
        "notes": args.note,
        "before": None,
    }
    REPORTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            result["after"] = {"commit": head, "dirty": dirty}
            pages = result["lighthouse_paths"]
            result["after"] |= measure_tree(browser, REPO, "after", args.runs, name, pages, edge=True)
            if not args.no_baseline and args.baseline:
                with revision_tree(args.baseline) as (tree, commit):
                    result["before"] = {"commit": commit}
                    result["before"] |= measure_tree(browser, tree, "before", args.runs, name, pages, edge=False)
        finally:
            browser.close()
    result["machine"]["load_end"] = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    result["duration_s"] = time.monotonic() - started
    (REPORTS / "result.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    text = args.out.read_text(encoding="utf-8") if args.out.exists() else "# Benchmarks\n"
    args.out.write_text(replace_section(text, section(result)), encoding="utf-8")
    log(f"wrote {args.out} and {REPORTS / 'result.json'} in {result['duration_s'] / 60:.1f} min")


if __name__ == "__main__":
    main()
