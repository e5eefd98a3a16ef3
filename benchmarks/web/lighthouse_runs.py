"""Lighthouse 12.2.3 on a URL, and what its JSON report says (the reading is pure and tested).

The CLI is the npm package pinned in ``benchmarks/web/package-lock.json`` (``npm ci --prefix benchmarks/web``),
run by Node with ``CHROME_PATH`` at Debian's chromium: the default mobile preset (a Moto G Power's screen, simulated
slow 4G: 150 ms round trip, 1.6 Mbit/s; CPU 4x slower), categories performance, accessibility, best practices
and SEO. Each run's JSON is kept under ``benchmarks/web/reports/`` (git-ignored) for inspection.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
CLI = HERE / "node_modules" / "lighthouse" / "cli" / "index.js"
VERSION = "12.2.3"
CHROMIUM = "/usr/bin/chromium"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
JUDGED = ("accessibility", "seo", "best-practices")  # targets of 100: every audit of these is listed when it fails
NOT_SCORED = ("informative", "notApplicable", "manual")
METRICS = {
    "fcp_ms": "first-contentful-paint",
    "lcp_ms": "largest-contentful-paint",
    "speed_index_ms": "speed-index",
    "tbt_ms": "total-blocking-time",
    "tti_ms": "interactive",  # issue 23: time to interactive (Lighthouse 12 still computes it, unscored)
    "main_thread_ms": "mainthread-work-breakdown",  # issue 23: the main thread's work, all categories
    "bytes": "total-byte-weight",
}
ITEMS_PER_AUDIT = 8
RUN_AGAIN = "Please run Lighthouse again"
RETRIES = 2


def run_lighthouse(url: str, out: Path, timeout: float = 300) -> dict[str, Any]:
    """One Lighthouse run of ``url``; its JSON report is written to ``out`` and returned."""
    if not CLI.exists():
        raise RuntimeError(f"{CLI} is missing: `npm ci --prefix benchmarks/web` installs Lighthouse {VERSION}")
    out.parent.mkdir(parents=True, exist_ok=True)
    command = ["node", str(CLI), url, "--output=json", f"--output-path={out}", "--quiet"]
    command += ["--chrome-flags=--headless=new --no-sandbox", f"--only-categories={','.join(CATEGORIES)}"]
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    for attempt in range(RETRIES + 1):
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout, check=False)
        if done.returncode == 0 and out.exists():
            return json.loads(out.read_text(encoding="utf-8"))
        # Lighthouse's own transient failures (a trace recorded without its navigation start, NO_NAVSTART) end
        # with "Please run Lighthouse again": one lost run must not throw away an hour of others.
        if RUN_AGAIN not in done.stderr or attempt == RETRIES:
            break
    raise RuntimeError(f"lighthouse {url} failed ({done.returncode}): {done.stderr.strip()[-2000:]}")


def _shorten(text: Any, limit: int = 160) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe_item(item: dict[str, Any]) -> str:
    """One offending element or resource of an audit's details, in a line: selector, snippet, label, or the URL."""
    node = item.get("node") if isinstance(item.get("node"), dict) else item if item.get("type") == "node" else None
    if node:
        parts = [f"`{node['selector']}`" if node.get("selector") else ""]
        if node.get("snippet"):
            parts.append(f"`{_shorten(node['snippet'], 120)}`")
        if node.get("nodeLabel"):
            parts.append(f"“{_shorten(node['nodeLabel'], 80)}”")
        if node.get("explanation"):
            parts.append(_shorten(node["explanation"].replace("Fix any of the following:", "").strip(), 200))
        return " ".join(p for p in parts if p)
    location = item.get("sourceLocation") if isinstance(item.get("sourceLocation"), dict) else {}
    where = item.get("url") or item.get("scriptUrl") or item.get("source") or location.get("url") or ""
    what = item.get("description") or item.get("error") or item.get("value") or ""
    sub = item.get("subItems", {}).get("items", []) if isinstance(item.get("subItems"), dict) else []
    if not what and sub:
        what = "; ".join(sorted({_shorten(s.get("error") or s.get("reason") or "", 80) for s in sub} - {""}))
    if location.get("url") and location.get("url") != where:
        what = f"{what} ({location['url']})"
    text = " ".join(p for p in (f"`{_shorten(where, 140)}`" if where else "", _shorten(what, 200)) if p)
    return text or _shorten(json.dumps(item, ensure_ascii=False), 160)


def failing_audits(report: dict[str, Any], categories: tuple[str, ...] = JUDGED) -> list[dict[str, Any]]:
    """Every scored audit of ``categories`` whose score is below 1 (informative, not applicable and manual audits
    are not scored), with its offending elements; audits that could not run (``error``) are listed with their
    message, since they leave the category's score unknown to that extent."""
    audits = report.get("audits", {})
    found: list[dict[str, Any]] = []
    for category in categories:
        for ref in report.get("categories", {}).get(category, {}).get("auditRefs", []):
            audit = audits.get(ref["id"], {})
            mode = audit.get("scoreDisplayMode")
            if mode in NOT_SCORED:
                continue
            if mode == "error":
                found.append(
                    {"category": category, "id": ref["id"], "title": audit.get("title", ref["id"]), "score": None,
                     "weight": ref.get("weight", 0), "error": _shorten(audit.get("errorMessage", ""), 200),
                     "items": []}
                )  # fmt: skip
                continue
            score = audit.get("score")
            if score is None or score >= 1:
                continue
            details = audit.get("details") or {}
            items = [describe_item(i) for i in details.get("items", []) if isinstance(i, dict)]
            found.append(
                {"category": category, "id": ref["id"], "title": audit.get("title", ref["id"]), "score": score,
                 "weight": ref.get("weight", 0), "display": audit.get("displayValue", ""),
                 "items": items[:ITEMS_PER_AUDIT], "more_items": max(0, len(items) - ITEMS_PER_AUDIT)}
            )  # fmt: skip
    return found


def summarize(report: dict[str, Any]) -> dict[str, Any]:
    """One run's scores (0-100) and metrics (ms, bytes), the audits that failed, and the tool's own warnings."""
    audits = report.get("audits", {})
    scores = {
        c: (None if report["categories"][c].get("score") is None else round(report["categories"][c]["score"] * 100))
        for c in CATEGORIES
        if c in report.get("categories", {})
    }
    metrics = {name: audits.get(audit_id, {}).get("numericValue") for name, audit_id in METRICS.items()}
    # What the unthrottled load showed, before the simulation: tells a slow simulated paint from a slow page.
    observed = ((audits.get("metrics", {}).get("details") or {}).get("items") or [{}])[0]
    metrics["observed_fcp_ms"] = observed.get("observedFirstContentfulPaint")
    metrics["observed_lcp_ms"] = observed.get("observedLargestContentfulPaint")
    judged = {f["id"] for f in failing_audits(report)}
    errored = {
        a["id"]: _shorten(a.get("errorMessage", ""), 200)
        for a in audits.values()
        if a.get("scoreDisplayMode") == "error" and a["id"] not in judged
    }
    return {
        "version": report.get("lighthouseVersion"),
        "url": report.get("finalDisplayedUrl") or report.get("requestedUrl"),
        "scores": scores,
        "metrics": metrics,
        "failing": failing_audits(report),
        "benchmark_index": (report.get("environment") or {}).get("benchmarkIndex"),
        "errored": sorted(errored),
        "errored_messages": sorted(set(errored.values()) - {""}),
        "warnings": [_shorten(w, 200) for w in report.get("runWarnings", [])],
        "runtime_error": (report.get("runtimeError") or {}).get("message"),
    }


def _median(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


def combine(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The median of each score and metric over the runs; a failing audit listed once, with how many runs it
    failed in and its elements from the first run that had it."""
    if not runs:
        return {}
    scores = {c: _median([r["scores"].get(c) for r in runs]) for c in CATEGORIES}
    names = [*METRICS, "observed_fcp_ms", "observed_lcp_ms"]
    metrics = {m: _median([r["metrics"].get(m) for r in runs]) for m in names}
    failing: dict[str, dict[str, Any]] = {}
    for run in runs:
        for audit in run["failing"]:
            key = f"{audit['category']}/{audit['id']}"
            if key not in failing:
                failing[key] = {**audit, "runs": 0}
            failing[key]["runs"] += 1
    return {
        "version": runs[0]["version"],
        "url": runs[0]["url"],
        "n": len(runs),
        "scores": scores,
        "metrics": metrics,
        "per_run": {
            "performance": [r["scores"].get("performance") for r in runs],
            **{m: [r["metrics"].get(m) for r in runs] for m in names},
        },
        "benchmark_index": [r.get("benchmark_index") for r in runs],
        "failing": list(failing.values()),
        "errored": sorted({e for r in runs for e in r["errored"]}),
        "errored_messages": sorted({m for r in runs for m in r.get("errored_messages", [])}),
        "warnings": sorted({w for r in runs for w in r["warnings"]}),
        "runtime_errors": sorted({r["runtime_error"] for r in runs if r["runtime_error"]}),
    }
