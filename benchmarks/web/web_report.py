"""The ``make bench-web`` section of BENCHMARKS.md: figures before and after, targets marked, failing audits.

Pure functions of the measured result (tested in tests/test_benchmarks.py). The section sits between its own
markers (``benchmarks.benchmarks_md.WEB``); a re-run replaces it and leaves the rest of the file as it was, and
``make bench-all`` leaves it alone. Sizes are in kB and MB of 10^3 and 10^6 bytes (``benchmarks.benchmarks_md``).
"""

from __future__ import annotations

from typing import Any

from benchmarks import benchmarks_md
from benchmarks.benchmarks_md import WEB, kb, mb

START, END = WEB.start, WEB.end

# Issue 14's targets.
LCP_TARGET_S = 3.0
SCORE_TARGET = 100
NAME_VISIBLE_TARGET_S = 5.0
HOME_BYTES_TARGET = benchmarks_md.MB  # 1 MB, 10^6 bytes
SCORED = (("accessibility", "accessibility"), ("best-practices", "best practices"), ("seo", "SEO"))
# Issue 21's target for an embed: everything it loads, on the wire.
EMBED_BYTES_TARGET = 30_000
# Issue 23's targets, every public page in both languages (Lighthouse mobile, median of the runs).
TTI_TARGET_S = 10.0
TBT_TARGET_S = 2.5
PERFORMANCE_TARGET = 80
PAGE_LCP_TARGET_S = 2.5
MAP_MAIN_THREAD_TARGET_S = 8.0
MAP_PATH = "/peta"
TITLE_DRAWN_TARGET_S = 5.0


def mark(ok: bool | None) -> str:
    return "not measured" if ok is None else ("**met**" if ok else "**not met**")


def _s(ms_or_s: float | None, scale: float = 1.0) -> str:
    return "-" if ms_or_s is None else f"{ms_or_s / scale:.1f} s"


def _kb(size: float | None) -> str:
    return kb(size, 0, " kB")


def _mb(size: float | None) -> str:
    return mb(size, 2, " MB")


def _score(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


def _page(tree: dict[str, Any] | None, path: str) -> dict[str, Any]:
    return ((tree or {}).get("pages") or {}).get(path) or {}


def targets(result: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """(target, page, measured, mark) for every target of issue 14 this benchmark measures, on the 'after' tree."""
    rows: list[tuple[str, str, str, str]] = []
    after = result.get("after", {})
    paths = list(result.get("paths", []))
    for path in paths:
        lighthouse = _page(after, path).get("lighthouse") or {}
        lcp = (lighthouse.get("metrics") or {}).get("lcp_ms")
        ok = None if lcp is None else lcp / 1000 <= LCP_TARGET_S
        rows.append((f"Lighthouse mobile LCP ≤ {LCP_TARGET_S:g} s", path, _s(lcp, 1000), mark(ok)))
    for category, label in SCORED:
        for path in paths:
            score = ((_page(after, path).get("lighthouse") or {}).get("scores") or {}).get(category)
            ok = None if score is None else score >= SCORE_TARGET
            rows.append((f"Lighthouse {label} = {SCORE_TARGET}", path, _score(score), mark(ok)))
    for path in paths:
        seconds = (_page(after, path).get("throttled") or {}).get("visible_s")
        measured = _s(seconds) if seconds is not None else ("not within the time allowed" if after else "-")
        timed = bool(_page(after, path).get("throttled"))
        ok = None if not timed else seconds is not None and seconds <= NAME_VISIBLE_TARGET_S
        rows.append(
            (f"throttled Chromium: a program name visible ≤ {NAME_VISIBLE_TARGET_S:g} s", path, measured, mark(ok))
        )
    for path in paths:
        seconds = (_page(after, path).get("throttled") or {}).get("title_s")
        timed = bool(_page(after, path).get("throttled"))
        ok = None if not timed else seconds is not None and seconds <= TITLE_DRAWN_TARGET_S
        measured = _s(seconds) if seconds is not None else ("not within the time allowed" if timed else "-")
        rows.append(
            (f"throttled Chromium: the app's own title drawn ≤ {TITLE_DRAWN_TARGET_S:g} s", path, measured, mark(ok))
        )
    if paths:
        view = _page(after, paths[0]).get("bytes") or {}
        total = view.get("total_bytes")
        ok = None if total is None else total <= HOME_BYTES_TARGET
        rows.append(("first view, everything loaded, ≤ 1 MB transferred", paths[0], _mb(total), mark(ok)))
    return rows + phone_targets(result)


def _at_most(value: float | None, limit: float, scale: float = 1000) -> tuple[str, str]:
    return _s(value, scale), mark(None if value is None else value / scale <= limit)


def phone_targets(result: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """Issue 23's targets on every page Lighthouse measured (the 'after' tree): each page, each target."""
    rows: list[tuple[str, str, str, str]] = []
    after = result.get("after", {})
    for path in result.get("lighthouse_paths", []):
        lighthouse = _page(after, path).get("lighthouse") or {}
        metrics, scores = lighthouse.get("metrics") or {}, lighthouse.get("scores") or {}
        rows.append((f"Lighthouse mobile time to interactive ≤ {TTI_TARGET_S:g} s", path,
                     *_at_most(metrics.get("tti_ms"), TTI_TARGET_S)))  # fmt: skip
        rows.append((f"Lighthouse mobile total blocking time ≤ {TBT_TARGET_S:g} s", path,
                     *_at_most(metrics.get("tbt_ms"), TBT_TARGET_S)))  # fmt: skip
        performance = scores.get("performance")
        ok = None if performance is None else performance >= PERFORMANCE_TARGET
        rows.append((f"Lighthouse mobile performance ≥ {PERFORMANCE_TARGET}", path, _score(performance), mark(ok)))
        rows.append((f"Lighthouse mobile LCP ≤ {PAGE_LCP_TARGET_S:g} s", path,
                     *_at_most(metrics.get("lcp_ms"), PAGE_LCP_TARGET_S)))  # fmt: skip
        if path.split("?")[0] == MAP_PATH:
            rows.append((f"Lighthouse mobile main-thread work ≤ {MAP_MAIN_THREAD_TARGET_S:g} s", path,
                         *_at_most(metrics.get("main_thread_ms"), MAP_MAIN_THREAD_TARGET_S)))  # fmt: skip
        for category, label in SCORED:
            score = scores.get(category)
            rows.append((f"Lighthouse {label} = {SCORE_TARGET}", path, _score(score),
                         mark(None if score is None else score >= SCORE_TARGET)))  # fmt: skip
    return rows


def phone_table(result: dict[str, Any]) -> list[str]:
    """Issue 23: one row per page and language, each figure before → after (Lighthouse medians)."""
    before, after = result.get("before"), result.get("after", {})
    columns = (
        ("performance", "scores", _score),
        ("tbt_ms", "metrics", lambda v: _s(v, 1000)),
        ("tti_ms", "metrics", lambda v: _s(v, 1000)),
        ("main_thread_ms", "metrics", lambda v: _s(v, 1000)),
        ("lcp_ms", "metrics", lambda v: _s(v, 1000)),
        ("bytes", "metrics", _kb),
    )
    lines = [
        "| page | performance | TBT | time to interactive | main-thread work | LCP | bytes "
        "| accessibility / best practices / SEO (after) |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for path in result.get("lighthouse_paths", []):
        old = _page(before, path).get("lighthouse") or {}
        new = _page(after, path).get("lighthouse") or {}
        cells = []
        for key, group, fmt in columns:
            was = fmt((old.get(group) or {}).get(key)) if old else "-"
            cells.append(f"{was} → {fmt((new.get(group) or {}).get(key))}")
        judged = " / ".join(_score((new.get("scores") or {}).get(c)) for c, _ in SCORED)
        lines.append(f"| `{path}` | " + " | ".join(cells) + f" | {judged} |")
    return lines


def figures(result: dict[str, Any]) -> list[str]:
    """The before/after table: one row per figure, a before and an after column per page."""
    paths = list(result.get("paths", []))
    before, after = result.get("before"), result.get("after", {})
    head = "| figure | " + " | ".join(f"`{p}` before | `{p}` after" for p in paths) + " |"
    lines = [head, "| --- |" + " --- | --- |" * len(paths)]

    def row(label: str, value: Any) -> None:
        cells = []
        for path in paths:
            cells += [value(_page(before, path)) if before else "-", value(_page(after, path))]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")

    def lh(key: str, fmt: Any, group: str = "metrics") -> Any:
        """The median, and the lowest and highest run when they differ from it."""

        def cell(p: dict[str, Any]) -> str:
            lighthouse = p.get("lighthouse")
            if not lighthouse:
                return "-"
            median = fmt((lighthouse.get(group) or {}).get(key))
            runs = [v for v in (lighthouse.get("per_run") or {}).get(key, []) if v is not None]
            low, high = (fmt(min(runs)), fmt(max(runs))) if runs else (median, median)
            return median if low == high == median else f"{median} ({low} – {high})"

        return cell

    row("Lighthouse performance score", lh("performance", _score, "scores"))
    row("Lighthouse First Contentful Paint", lh("fcp_ms", lambda v: _s(v, 1000)))
    row("Lighthouse Largest Contentful Paint", lh("lcp_ms", lambda v: _s(v, 1000)))
    row("Lighthouse Speed Index", lh("speed_index_ms", lambda v: _s(v, 1000)))
    row("Lighthouse, observed unthrottled: FCP", lh("observed_fcp_ms", lambda v: _s(v, 1000)))
    row("Lighthouse, observed unthrottled: LCP", lh("observed_lcp_ms", lambda v: _s(v, 1000)))
    row("Lighthouse Total Blocking Time", lh("tbt_ms", lambda v: "-" if v is None else f"{v:,.0f} ms"))
    row("Lighthouse total byte weight", lh("bytes", _kb))
    for category, label in SCORED:
        row(f"Lighthouse {label}", lh(category, _score, "scores"))

    def timed(key: str) -> Any:
        def cell(p: dict[str, Any]) -> str:
            t = p.get("throttled")
            if not t:
                return "-"
            if t.get(f"{key}_s") is None:
                return "not within 120 s"
            missing = t.get(f"{key}_missing", 0)
            return _s(t[f"{key}_s"]) + (f" ({missing} run(s) not in time)" if missing else "")

        return cell

    row("throttled phone: program name visible (in the text and painted)", timed("visible"))
    row("throttled phone: program name in the visible text", timed("name"))
    row("throttled phone: first contentful paint", timed("fcp"))
    row("throttled phone: the app's own title drawn", timed("title"))

    def viewed(key: str, fmt: Any) -> Any:
        return lambda p: fmt((p.get("bytes") or {}).get(key)) if p.get("bytes") else "-"

    row("first view: HTTP bytes on the wire", viewed("http_bytes", _mb))
    row("first view: websocket messages (both ways)", viewed("websocket_total", _kb))
    row("first view: everything transferred", viewed("total_bytes", _mb))
    row("first view: requests", viewed("requests", lambda v: "-" if v is None else f"{v}"))
    return lines


def edge_lines(after: dict[str, Any]) -> list[str]:
    """The embeds' cost to the page that frames them, and the Observatory's grade of the embedded server."""
    embeds = after.get("embeds") or {}
    if not embeds:
        return ["Not measured in this run."]
    lines = [
        f"An embed's first view in Chromium, empty cache, opened as a page of its own (so the browser's own "
        f"request for `/favicon.ico` counts too; a frame makes none): every request and its bytes on the wire "
        f"(target: at most {kb(EMBED_BYTES_TARGET)} kB, issue 21).",
        "",
        "| embed | requests | bytes on the wire | hosts asked | ≤ 30 kB |",
        "| --- | --- | --- | --- | --- |",
    ]
    for path, view in embeds.items():
        ok = view["bytes"] <= EMBED_BYTES_TARGET
        hosts = ", ".join(f"`{h}`" for h in view.get("hosts", []))
        lines.append(f"| `{path}` | {view['requests']} | {view['bytes']:,} bytes | {hosts} | {mark(ok)} |")
    grade = after.get("observatory")
    lines.append("")
    if not grade:
        lines.append("MDN HTTP Observatory: not installed (`make bench-web` installs it), not measured.")
    elif "error" in grade:
        lines.append(f"MDN HTTP Observatory could not scan: {grade['error']}")
    else:
        failed = ", ".join(f"`{t}`" for t in grade["failed"]) or "none"
        lines.append(
            f"MDN HTTP Observatory 1.4.8 on the embedded server (`streamlit run app.py`, plain HTTP): "
            f"**{grade['grade']}**, score {grade['score']}, {grade['passed']} tests passed; failed: {failed} "
            "(redirection to HTTPS and HSTS are nginx's part: deploy/nginx over TLS grades A+ in "
            "`tests/test_observatory.py`)."
        )
    return lines


def audit_lines(result: dict[str, Any]) -> list[str]:
    """The failing audits of accessibility, SEO and best practices per page, with their offending elements."""
    out: list[str] = []
    for path in result.get("lighthouse_paths") or result.get("paths", []):
        lighthouse = _page(result.get("after"), path).get("lighthouse") or {}
        failing = lighthouse.get("failing") or []
        n = lighthouse.get("n", 0)
        out += [f"**`{path}`**" + ("" if failing else ": none") + "", ""]
        for audit in failing:
            runs = f", in {audit['runs']} of {n} runs" if n and audit.get("runs", n) != n else ""
            if audit.get("score") is None:
                out.append(f"- {audit['category']}: `{audit['id']}`, {audit['title']}: could not run{runs} "
                           f"({audit.get('error', '')})")  # fmt: skip
                continue
            display = f" ({audit['display']})" if audit.get("display") else ""
            out.append(f"- {audit['category']}: `{audit['id']}`, {audit['title']}{display}{runs}:")
            out += [f"  - {item}" for item in audit.get("items", [])]
            if audit.get("more_items"):
                out.append(f"  - … and {audit['more_items']} more")
        if failing:
            out.append("")
    return out


def section(result: dict[str, Any]) -> str:
    """The whole section, markers included."""
    paths = list(result.get("paths", []))
    measured = list(result.get("lighthouse_paths") or paths)
    before, after = result.get("before"), result.get("after", {})
    machine = result.get("machine", {})
    runs = result.get("runs", 3)
    commit = after.get("commit", "?")[:7] + (" with uncommitted changes" if after.get("dirty") else "")
    baseline = result.get("baseline_reason", "the last commit before issue 14")
    indices = [i for p in measured for i in (_page(after, p).get("lighthouse") or {}).get("benchmark_index", []) if i]
    index = f"{min(indices):,.0f}–{max(indices):,.0f}" if indices else ""
    out = [
        START,
        "## Issues 14 and 23: what a phone receives, and when (`make bench-web`)",
        "",
        f"Measured {result.get('measured_at', '?')} by `make bench-web` (`python -m benchmarks.web`, "
        f"{result.get('duration_s', 0) / 60:.0f} min): after is {commit}"
        + (
            f", before is {before['commit'][:7]} ({baseline}, in a temporary worktree, "
            "started the same way in the same run)"
            if before
            else ", before not measured (`--no-baseline`)"
        )
        + f". Medians of {runs} runs per page and tree; sample data, one `streamlit run app.py` per tree on the "
        "tree's own portal.toml with a fresh store, each page opened once and the server left idle before measuring.",
        "",
        f"**Machine:** {machine.get('cpus', '?')} cores ({machine.get('cpu', '?')}), {machine.get('chromium', '?')}, "
        f"Node {machine.get('node', '?')}, Lighthouse {machine.get('lighthouse', '?')}; load average "
        f"{machine.get('load_start', '?')} at the start and {machine.get('load_end', '?')} at the end"
        + (f"; Lighthouse's CPU benchmark index {index} (higher is a faster host)." if index else "."),
        "",
        *[f"- {note}" for note in result.get("notes", [])],
        *([""] if result.get("notes") else []),
        "**Method.** *Lighthouse*: the npm package pinned at 12.2.3 (`benchmarks/web/package-lock.json`) with "
        "`CHROME_PATH=/usr/bin/chromium`, default mobile preset (simulated throttling: 150 ms round trip, "
        "1.6 Mbit/s, CPU 4x), categories performance, accessibility, best practices, SEO; the JSON reports are kept in "
        "`benchmarks/web/reports/` (git-ignored); on both trees when `lighthouse_paths` lists pages, else on the after "
        "tree only; time to interactive and main-thread work are Lighthouse's `interactive` and "
        "`mainthread-work-breakdown` audits; a cell gives the median and, when they "
        "differ, the lowest and highest run; the byte weight is its bytes in kB, where Lighthouse's own report "
        "counts KiB (1,024 bytes). *Throttled phone*: Playwright driving Debian's chromium at a "
        "390×844 phone viewport, throttled through the DevTools protocol (150 ms round trip, 1.6 Mbit/s down, "
        "750 kbit/s up, CPU 4x); a script added before the page's own records when the program's name "
        f"(“{result.get('program_name', '?')}”) is first in the visible text (`innerText`), the browser's own first "
        "contentful paint, and when the app's own title is first shown, from navigation; the name is *visible* when "
        "it is in the text and the page has painted (text waiting for a web font is in the text before it shows). "
        "*First view*: the same browser, unthrottled, empty cache, from navigation until the "
        "app has drawn its title and the network has been quiet for 2 s: `Network.loadingFinished` encoded "
        "lengths (on the wire, compressed as sent), plus the websocket's messages (sizes as the protocol "
        "reports them, after decompression).",
        "",
        *figures(result),
        "",
        "### Every public page on a phone, both languages (issue 23; Lighthouse mobile, before → after)",
        "",
        *(phone_table(result) if result.get("lighthouse_paths") else ["Not measured in this run."]),
        "",
        "### Targets (after)",
        "",
        "| target | page | measured | |",
        "| --- | --- | --- | --- |",
        *[f"| {t} | `{p}` | {m} | {k} |" for t, p, m, k in targets(result)],
        "",
        "### Embeds and security headers (issue 21; after)",
        "",
        *edge_lines(after),
        "",
        "### Failing Lighthouse audits (accessibility, best practices, SEO; after)",
        "",
        *audit_lines(result),
    ]
    errored = sorted({e for p in measured for e in (_page(after, p).get("lighthouse") or {}).get("errored", [])})
    if errored:
        out += [
            "Lighthouse could not run these audits here (not counted in any score above): "
            + ", ".join(f"`{e}`" for e in errored)
            + ". Lighthouse's message: "
            + "; ".join(
                sorted(
                    {m for p in measured for m in (_page(after, p).get("lighthouse") or {}).get("errored_messages", [])}
                )
            )
            + ".",
            "",
        ]
    heavy = _page(after, paths[0]).get("bytes", {}).get("largest", []) if paths else []
    if heavy:
        out += [f"Largest resources of the first view of `{paths[0]}` (after): "
                + "; ".join(f"`{r['url'].split('?')[0].rsplit('/', 1)[-1] or r['url']}` {_kb(r['bytes'])}"
                            for r in heavy) + ".", ""]  # fmt: skip
    unreachable = sorted(
        {
            f.split(" (")[0]
            for p in paths
            for tree in (before, after)
            for f in (_page(tree, p).get("bytes") or {}).get("failed", [])
        }
    )
    if unreachable:
        out += ["Requests that failed in the first views (this machine reaches no host outside it; in use they "
                "would add their bytes): " + ", ".join(f"`{u}`" for u in unreachable) + ".", ""]  # fmt: skip
    out.append(END)
    return "\n".join(out)


def replace_section(text: str, new: str) -> str:
    """``text`` with its bench-web section replaced by ``new`` (or, on a first run, ``new`` put before the tables of
    ``make bench-all``, else at the end); nothing else in ``text`` changes."""
    return benchmarks_md.replace_section(text, WEB, new, before=(benchmarks_md.TABLES.start,))
