"""The benchmark suite's own parts: the generator's sources are valid, the websocket client loads a page, and
BENCHMARKS.md gets each program's sections between its own markers with the rest left as it was.

These check that the benchmarks measure what they claim; they never assert on time.
"""

from __future__ import annotations

import asyncio
import json
import re
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import pytest

from benchmarks.concurrency import open_page, streamlit_server
from benchmarks.generate import Scale, generate, workbooks
from core.validation import validate_workbook
from data_sources.config.portal_config import load_config
from data_sources.readers.workbook import read_workbook


def test_generated_sources_pass_validation_with_every_row_and_some_private_homes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    config_path = generate(Scale("T", programs=12, sites=120, reports=48), tmp_path)
    paths = workbooks(config_path)
    assert len(paths) == 6  # one workbook per SKPD of the sample
    assert all(tmp_path in p.parents for p in paths)  # never into sample_data/

    totals = {"program": 0, "capaian": 0, "lokasi": 0}
    private, dimensions, kelurahan = 0, set(), set()
    for path in paths:
        result = validate_workbook(read_workbook(path), date(2026, 1, 1))
        assert not result.errors, [i.message.en for i in result.errors[:3]]
        assert not result.warnings, [i.message.en for i in result.warnings[:3]]
        for sheet, counts in result.counts.items():
            assert counts.rejected == 0
            totals[sheet] += counts.accepted
        private += sum(1 for p in result.rows["program"] if p["lokasi_pribadi"] == "ya")
        dimensions |= {p["dimensi"] for p in result.rows["program"]}
        kelurahan |= {s["kelurahan"] for s in result.rows["lokasi"]}
    assert totals == {"program": 12, "capaian": 48, "lokasi": 120}
    assert private == 2  # the two programs derived from Bakawan RTLH
    assert len(dimensions) == 6
    assert len(kelurahan) > 10

    config = load_config(config_path)
    assert [s.name for s in config.sources] == [p.stem for p in paths]
    assert config.database_url.endswith(str(tmp_path / "T" / "store.sqlite"))


def test_the_websocket_client_loads_a_page_from_a_real_streamlit_server(tmp_path: Path) -> None:
    app = tmp_path / "tiny.py"
    app.write_text(
        "import streamlit as st\nst.title('Halo')\nst.write(st.query_params.get('nama', 'dunia'))\n", encoding="utf-8"
    )
    # The client runs in a thread of its own: after the browser tests, Playwright's sync API keeps an event
    # loop in this one, and asyncio.run refuses to start a second.
    with streamlit_server(app, None) as (_process, port), ThreadPoolExecutor(1) as pool:
        load = pool.submit(lambda: asyncio.run(open_page(port, "", "nama=Banjarmasin", timeout=30))).result()
    assert load.finished == "FINISHED_SUCCESSFULLY"
    assert load.messages >= 3  # new_session, the deltas, script_finished
    assert load.bytes > len("Banjarmasin")


def test_a_streamlit_server_that_cannot_start_is_reported_with_what_it_printed(tmp_path: Path) -> None:
    from benchmarks.server_process import DidNotStart

    with pytest.raises(DidNotStart, match="File does not exist"), streamlit_server(tmp_path / "missing.py", None):
        pass


# --- make bench-web: reading Lighthouse's report, marking the targets, writing the section -----------------------


def _audit(audit_id: str, score: float | None, mode: str = "binary", **extra: object) -> dict[str, object]:
    return {"id": audit_id, "title": f"title of {audit_id}", "score": score, "scoreDisplayMode": mode, **extra}


def _lighthouse_report() -> dict[str, object]:
    node = {
        "type": "node",
        "selector": "div.stHeading > h3#tata-kelola",
        "snippet": '<h3 id="tata-kelola">',
        "nodeLabel": "Tata Kelola",
        "explanation": "Fix any of the following:\n  Heading order invalid",
    }
    audits = {
        "heading-order": _audit("heading-order", 0, details={"items": [{"node": node}]}),
        "image-alt": _audit("image-alt", 1),
        "tabindex": _audit("tabindex", None, "notApplicable"),
        "landmark-one-main": _audit("landmark-one-main", 0, "informative"),
        "errors-in-console": _audit(
            "errors-in-console",
            0,
            details={
                "items": [
                    {
                        "source": "network",
                        "description": "Failed to load resource: 404",
                        "sourceLocation": {"url": "http://127.0.0.1/program/_stcore/health"},
                    }
                ]
            },
        ),
        "meta-description": _audit("meta-description", 1),
        "unused-javascript": _audit("unused-javascript", 0.2, "metricSavings"),
        "layout-shifts": _audit("layout-shifts", None, "error", errorMessage="TraceElements failed"),
        "first-contentful-paint": _audit("first-contentful-paint", 0.3, "numeric", numericValue=2500.0),
        "largest-contentful-paint": _audit("largest-contentful-paint", 0.1, "numeric", numericValue=4200.0),
        "total-byte-weight": _audit("total-byte-weight", 0.5, "numeric", numericValue=3_400_000),
    }
    refs = {
        "accessibility": ["heading-order", "image-alt", "tabindex", "landmark-one-main"],
        "best-practices": ["errors-in-console"],
        "seo": ["meta-description"],
        "performance": ["unused-javascript", "first-contentful-paint", "largest-contentful-paint"],
    }
    scores = {"accessibility": 0.97, "best-practices": 0.96, "seo": 1, "performance": 0.45}
    categories = {
        c: {"score": scores[c], "auditRefs": [{"id": a, "weight": 1} for a in ids]} for c, ids in refs.items()
    }
    return {
        "lighthouseVersion": "12.2.3",
        "finalDisplayedUrl": "http://127.0.0.1/",
        "audits": audits,
        "categories": categories,
    }


def test_the_failing_audits_of_the_judged_categories_come_with_their_elements() -> None:
    from benchmarks.web.lighthouse_runs import failing_audits, summarize

    failing = failing_audits(_lighthouse_report())
    assert [(a["category"], a["id"]) for a in failing] == [
        ("accessibility", "heading-order"),
        ("best-practices", "errors-in-console"),
    ]  # passed, not applicable and informative audits are not failures; performance is not judged here
    heading, console = failing
    assert heading["title"] == "title of heading-order"
    assert heading["items"] == [
        '`div.stHeading > h3#tata-kelola` `<h3 id="tata-kelola">` “Tata Kelola” Heading order invalid'
    ]
    assert console["items"] == ["`network` Failed to load resource: 404 (http://127.0.0.1/program/_stcore/health)"]

    run = summarize(_lighthouse_report())
    assert run["scores"] == {"performance": 45, "accessibility": 97, "best-practices": 96, "seo": 100}
    assert run["metrics"]["fcp_ms"] == 2500.0 and run["metrics"]["lcp_ms"] == 4200.0
    assert run["metrics"]["bytes"] == 3_400_000 and run["metrics"]["tbt_ms"] is None
    assert run["errored"] == ["layout-shifts"]  # an audit that could not run is named, not scored


def test_runs_combine_into_medians_and_a_failure_counts_its_runs() -> None:
    from benchmarks.web.lighthouse_runs import combine, summarize

    runs = [summarize(_lighthouse_report()) for _ in range(3)]
    runs[1]["metrics"]["lcp_ms"], runs[2]["metrics"]["lcp_ms"] = 9000.0, 3000.0
    runs[2]["scores"]["accessibility"] = 100
    runs[2]["failing"] = [a for a in runs[2]["failing"] if a["id"] != "heading-order"]
    combined = combine(runs)
    assert combined["n"] == 3
    assert combined["metrics"]["lcp_ms"] == 4200.0
    assert combined["scores"]["accessibility"] == 97
    assert {a["id"]: a["runs"] for a in combined["failing"]} == {"heading-order": 2, "errors-in-console": 3}


def _bench_web_result(*, lcp_ms: float, accessibility: int, name_s: float | None, home_bytes: int) -> dict:
    def page(view_bytes: int) -> dict:
        return {
            "lighthouse": {
                "n": 3,
                "scores": {"performance": 80, "accessibility": accessibility, "best-practices": 100, "seo": 100},
                "metrics": {
                    "fcp_ms": 1200.0,
                    "lcp_ms": lcp_ms,
                    "speed_index_ms": 2000.0,
                    "tbt_ms": 150.0,
                    "bytes": view_bytes,
                },
                "failing": [],
                "errored": [],
            },
            "throttled": {
                "visible_s": name_s,
                "visible_missing": 0 if name_s else 3,
                "name_s": 0.4,
                "fcp_s": name_s,
                "title_s": 4.2 if name_s else None,
            },
            "bytes": {
                "http_bytes": view_bytes - 30_000,
                "websocket_total": 30_000,
                "total_bytes": view_bytes,
                "requests": 40,
                "largest": [],
                "failed": [],
            },
        }

    paths = ["/", "/program?program=QW24-PUPR-01"]
    return {
        "paths": paths,
        "runs": 3,
        "after": {"commit": "a" * 40, "pages": {paths[0]: page(home_bytes), paths[1]: page(2_000_000)}},
        "before": {"commit": "9aca0c4" + "0" * 33, "pages": {p: {"bytes": {"total_bytes": 10_830_000}} for p in paths}},
    }


def test_each_target_is_marked_met_or_not_met_from_the_figures() -> None:
    from benchmarks.web.web_report import targets

    good = {
        (t, p): m
        for t, p, _, m in targets(_bench_web_result(lcp_ms=2900, accessibility=100, name_s=0.7, home_bytes=990_000))
    }
    assert len(good) == 13  # LCP, three scores, the name and the app's title on both pages; the bytes of /
    assert set(good.values()) == {"**met**"}

    bad = targets(_bench_web_result(lcp_ms=3100, accessibility=99, name_s=None, home_bytes=1_000_001))
    marks = {(t.split(" ")[1] if t.startswith("Lighthouse") else t.split(":")[0], p): (m, k) for t, p, m, k in bad}
    assert marks["mobile", "/"] == ("3.1 s", "**not met**")
    assert marks["accessibility", "/program?program=QW24-PUPR-01"] == ("99", "**not met**")
    assert marks["SEO", "/"] == ("100", "**met**")
    assert marks["throttled Chromium", "/"] == ("not within the time allowed", "**not met**")
    title = [(m, k) for t, p, m, k in bad if "title drawn" in t and p == "/"]
    assert title == [("not within the time allowed", "**not met**")]
    assert marks["first view, everything loaded, ≤ 1 MB transferred", "/"] == ("1.00 MB", "**not met**")


def _phone_result(peta_main_thread_ms: float, tbt_ms: float) -> dict:
    def lighthouse(performance: int, tbt: float, main_thread: float) -> dict:
        metrics = {"tti_ms": 9_000.0, "tbt_ms": tbt, "main_thread_ms": main_thread, "lcp_ms": 2_400.0}
        scores = {"performance": performance, "accessibility": 100, "best-practices": 100, "seo": 100}
        return {"lighthouse": {"n": 3, "scores": scores, "metrics": {**metrics, "bytes": 900_000}}}

    paths = ["/peta", "/peta?lang=en"]
    return {
        "paths": [],
        "lighthouse_paths": paths,
        "before": {"commit": "5" * 40, "pages": {p: lighthouse(63, 7_900.0, 19_200.0) for p in paths}},
        "after": {"commit": "a" * 40, "pages": {p: lighthouse(85, tbt_ms, peta_main_thread_ms) for p in paths}},
    }


def test_issue_23_targets_are_marked_per_page_and_language_and_the_map_s_main_thread_only_on_the_map() -> None:
    from benchmarks.web.web_report import phone_targets

    met = phone_targets(_phone_result(peta_main_thread_ms=7_900.0, tbt_ms=800.0))
    assert {p for _, p, _, _ in met} == {"/peta", "/peta?lang=en"}
    assert len(met) == 2 * 8  # TTI, TBT, performance, LCP, main thread, three scores
    assert {k for _, _, _, k in met} == {"**met**"}

    missed = phone_targets(_phone_result(peta_main_thread_ms=8_100.0, tbt_ms=2_600.0))
    by = {(t.split(" ≤")[0].split(" ≥")[0], p): (m, k) for t, p, m, k in missed}
    assert by["Lighthouse mobile main-thread work", "/peta"] == ("8.1 s", "**not met**")
    assert by["Lighthouse mobile total blocking time", "/peta?lang=en"] == ("2.6 s", "**not met**")
    assert by["Lighthouse mobile performance", "/peta"] == ("85", "**met**")


def test_the_phone_table_gives_each_page_before_and_after_in_one_row() -> None:
    from benchmarks.web.web_report import phone_table, section

    result = _phone_result(peta_main_thread_ms=7_900.0, tbt_ms=800.0)
    table = phone_table(result)
    assert table[2] == (
        "| `/peta` | 63 → 85 | 7.9 s → 0.8 s | 9.0 s → 9.0 s | 19.2 s → 7.9 s | 2.4 s → 2.4 s | 900 kB → 900 kB "
        "| 100 / 100 / 100 |"
    )
    assert len(table) == 2 + 2
    assert "\n".join(table) in section(result)
    assert "Not measured in this run." in section({**result, "lighthouse_paths": []})


def test_bench_web_measures_every_public_page_in_both_languages_each_in_its_own_report_file() -> None:
    from benchmarks.web.__main__ import PUBLIC_PAGES, _report_file, lighthouse_paths

    paths = lighthouse_paths()
    assert len(paths) == 2 * len(PUBLIC_PAGES) and len(set(paths)) == len(paths)
    assert "/program?program=QW24-DLH-01&lang=en" in paths and "/peta?lang=en" in paths and "/" in paths
    assert lighthouse_paths("/peta") == ["/peta", "/peta?lang=en"]
    files = {_report_file("after", p, 0) for p in paths}
    assert len(files) == len(paths)  # no page overwrites another's report


def test_the_section_has_before_and_after_columns_and_replaces_only_itself() -> None:
    from benchmarks.web.web_report import END, START, figures, replace_section, section

    result = _bench_web_result(lcp_ms=2900, accessibility=100, name_s=0.7, home_bytes=990_000)
    table = figures(result)
    assert table[0].count("before") == 2 and table[0].count("after") == 2
    assert "| first view: everything transferred | 10.83 MB | 0.99 MB | 10.83 MB | 2.00 MB |" in table
    assert "| Lighthouse Largest Contentful Paint | - | 2.9 s | - | 2.9 s |" in table  # Lighthouse: after only

    tables = f"{TABLES_START}\n## Targets at a glance\n\n| a |\n{TABLES_END}\n"
    text = "# Benchmarks\n\n## Issue 14, first part\n\nold figures\n\n" + tables
    first = replace_section(text, section(result))  # a first run: before make bench-all's tables
    assert first.index(START) < first.index(END) < first.index(TABLES_START)
    assert first.startswith(text.split(TABLES_START)[0]) and first.endswith(tables)
    again = replace_section(first, section({**result, "runs": 5}))
    assert again.count(START) == 1 and "Medians of 5 runs" in again and "Medians of 3 runs" not in again
    assert again.replace(again[again.index(START) : again.index(END)], "") == first.replace(
        first[first.index(START) : first.index(END)], ""
    )  # everything outside the section is as it was


def test_the_section_says_each_embed_s_cost_against_30_kb_and_the_observatory_s_grade() -> None:
    from benchmarks.web.web_report import edge_lines, section

    after = {
        "embeds": {
            "/embed/program?program=QW24-PUPR-01": {"bytes": 1_513, "requests": 1, "hosts": ["127.0.0.1:8501"]},
            "/embed": {"bytes": 30_001, "requests": 2, "hosts": ["127.0.0.1:8501"]},
        },
        "observatory": {
            "grade": "C+",
            "score": 60,
            "passed": 8,
            "failed": ["redirection", "strict-transport-security"],
        },
    }
    lines = edge_lines(after)
    assert "| `/embed/program?program=QW24-PUPR-01` | 1 | 1,513 bytes | `127.0.0.1:8501` | **met** |" in lines
    assert "| `/embed` | 2 | 30,001 bytes | `127.0.0.1:8501` | **not met** |" in lines
    grade = lines[-1]
    assert "**C+**, score 60, 8 tests passed" in grade and "`redirection`, `strict-transport-security`" in grade
    assert edge_lines({}) == ["Not measured in this run."]
    assert "not installed" in edge_lines({**after, "observatory": None})[-1]
    result = _bench_web_result(lcp_ms=2900, accessibility=100, name_s=0.7, home_bytes=990_000)
    result["after"] |= after
    assert "### Embeds and security headers (issue 21; after)" in section(result)


# --- BENCHMARKS.md: each program writes its own sections, between its own markers, and nothing else --------------

# The markers as the committed BENCHMARKS.md has them: spelled out, since a change would orphan the file's own.
INTRO_START = "<!-- bench-all-intro:start (written by `make bench-all`; replaced on each run) -->"
INTRO_END = "<!-- bench-all-intro:end -->"
TABLES_START = "<!-- bench-all-tables:start (written by `make bench-all`; replaced on each run) -->"
TABLES_END = "<!-- bench-all-tables:end -->"
WEB_START = "<!-- bench-web:start (written by `make bench-web`; replaced on each run) -->"
WEB_END = "<!-- bench-web:end -->"
MARKED = re.compile(r"<!-- ([a-z-]+):start .*? -->.*?<!-- \1:end -->", re.DOTALL)


def _outside(text: str) -> list[str]:
    """The text between, before and after the marked sections: what only a person writes."""
    return MARKED.split(text)[::2]


def _block(text: str, start: str, end: str) -> str:
    return start + text.split(start, 1)[1].split(end, 1)[0] + end


def _bench_all_result(scale: str = "M") -> dict:
    def page(size: int) -> dict:
        return {"first_s": 0.02, "warm_s": 0.01, "bytes": size}

    readers = {"sessions": 100, "spread_s": 10.0, "completed": 100, "failures": [], "p50_s": 0.05, "p95_s": 0.08}
    readers |= {"max_s": 0.2, "rss_before_kb": 204_800, "rss_after_kb": 209_800, "kb_per_session": 50.0}
    return {
        "scale": scale,
        "repeat": 3,
        "measured_at": "2026-12-01 20:00 UTC",
        "sync": {
            "spreadsheets": 6,
            "first_s": 5.7,
            "repeat_s": 2.4,
            "requests": [13, 13],
            "token_requests": [1, 1],
            "requests_per_spreadsheet": 2,
            "bytes": 5_221_010,
            "outcomes": [],
            "peak_rss_kb": 204_800,  # Linux's kB: 200 MiB, 209.7 MB
        },
        "pages": {
            "cold_start_s": 0.2,
            "store_fill_s": 6.3,
            "peak_rss_kb_portal": 204_800,
            "peak_rss_kb": 204_800,
            "pages": {"/": page(93_600), "/peta": page(68_000)},
            "naive": page(7_677_400),
        },
        "concurrency": {
            "rss_idle_kb": 71_680,
            "rss_peak_kb": 204_800,
            "websocket_bytes": {"/": 94_500},
            "runs": [readers],
        },
    }


def _bench_all(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, out: Path, *results: dict) -> str:
    """``python -m benchmarks.run --render ... --out out`` from these saved results (measures nothing)."""
    from benchmarks import run

    for result in results:
        (tmp_path / f"{result['scale']}.json").write_text(json.dumps(result), encoding="utf-8")
    monkeypatch.setattr(run, "_saved", lambda scale: tmp_path / f"{scale}.json")
    scales = ",".join(r["scale"] for r in results)
    monkeypatch.setattr(sys, "argv", ["run", "--render", scales, "--out", str(out), "--note", "a note of this run"])
    run.main()
    return out.read_text(encoding="utf-8")


def test_a_bench_all_run_keeps_the_sections_written_by_hand_before_between_and_after_its_own(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    text = (
        "# Benchmarks\n\nA preface by hand.\n\n"
        f"{INTRO_START}\nMade by an older run.\n\n## Notes\n\n- an old note\n{INTRO_END}\n\n"
        "## Re-run after issue 13, by hand\n\n| | before | after |\n| --- | --- | --- |\n| x | 1 | 2 |\n\n"
        f"{TABLES_START}\n## Targets at a glance\n\nold tables\n{TABLES_END}\n\n"
        "## Issue 15, by hand after the tables\n\nThe last words, and no newline at the end."
    )
    out = tmp_path / "BENCHMARKS.md"
    out.write_text(text, encoding="utf-8")

    written = _bench_all(monkeypatch, tmp_path, out, _bench_all_result("S"), _bench_all_result("M"))
    assert _outside(written) == _outside(text)  # byte for byte, blank lines and the missing last newline included
    intro, tables = _block(written, INTRO_START, INTRO_END), _block(written, TABLES_START, TABLES_END)
    assert "a note of this run" in intro and "an old note" not in intro and "## Machine and versions" in intro
    assert "## Scale S" in tables and "## Scale M" in tables and "old tables" not in tables

    again = _bench_all(monkeypatch, tmp_path, out, _bench_all_result("M"))
    assert _outside(again) == _outside(text) and "## Scale S" not in again


def test_the_bench_web_section_and_the_bench_all_sections_survive_each_other(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from benchmarks.web.web_report import replace_section, section

    web = section(_bench_web_result(lcp_ms=2900, accessibility=100, name_s=0.7, home_bytes=990_000))
    intro = f"{INTRO_START}\nold intro\n{INTRO_END}"
    tables = f"{TABLES_START}\n## Targets at a glance\n\nold tables\n{TABLES_END}"
    text = f"# Benchmarks\n\n{intro}\n\n## By hand\n\n{web}\n\n## Also by hand\n\n{tables}\n"
    out = tmp_path / "BENCHMARKS.md"
    out.write_text(text, encoding="utf-8")

    written = _bench_all(monkeypatch, tmp_path, out, _bench_all_result("M"))
    assert web in written  # as it was, where it was
    assert written.index("## By hand") < written.index(WEB_START) < written.index(WEB_END)
    assert written.index(WEB_END) < written.index("## Also by hand") < written.index(TABLES_START)

    bench_all = [_block(written, INTRO_START, INTRO_END), _block(written, TABLES_START, TABLES_END)]
    later = _bench_web_result(lcp_ms=3100, accessibility=99, name_s=None, home_bytes=1_000_001)
    rerun = replace_section(written, section(later))
    assert [_block(rerun, INTRO_START, INTRO_END), _block(rerun, TABLES_START, TABLES_END)] == bench_all
    assert _outside(rerun) == _outside(written) and "3.1 s" in _block(rerun, WEB_START, WEB_END)

    # A first bench-web run into a file that has only bench-all's sections: its section goes before the tables,
    # outside them, and theirs stay as they were.
    without_web = written.replace(web + "\n\n", "")
    first = replace_section(without_web, web)
    assert [_block(first, INTRO_START, INTRO_END), _block(first, TABLES_START, TABLES_END)] == bench_all
    assert first.index(WEB_END) < first.index(TABLES_START) and first.replace(web + "\n\n", "") == without_web


def test_a_file_without_markers_gets_the_sections_and_keeps_all_it_had(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    text = "# Benchmarks\n\nWords by hand.\n\n## A section by hand\n\n| a |\n| 1 |\n"
    out = tmp_path / "BENCHMARKS.md"
    out.write_text(text, encoding="utf-8")

    written = _bench_all(monkeypatch, tmp_path, out, _bench_all_result("M"))
    intro, tables = _block(written, INTRO_START, INTRO_END), _block(written, TABLES_START, TABLES_END)
    # The introduction after the title and the words above the first section, the tables at the end.
    assert written == f"# Benchmarks\n\nWords by hand.\n\n{intro}\n\n## A section by hand\n\n| a |\n| 1 |\n\n{tables}\n"

    missing = tmp_path / "new" / "BENCHMARKS.md"
    missing.parent.mkdir()
    written = _bench_all(monkeypatch, tmp_path, missing, _bench_all_result("M"))
    intro, tables = _block(written, INTRO_START, INTRO_END), _block(written, TABLES_START, TABLES_END)
    assert written == f"# Benchmarks\n\n{intro}\n\n{tables}\n"


def test_broken_markers_stop_the_run_and_leave_the_file_as_it_was(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    text = (
        f"# Benchmarks\n\n{INTRO_START}\nintro\n\n## By hand, the end marker lost\n\n{TABLES_START}\nt\n{TABLES_END}\n"
    )
    out = tmp_path / "BENCHMARKS.md"
    out.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match="bench-all-intro"):
        _bench_all(monkeypatch, tmp_path, out, _bench_all_result("M"))
    assert out.read_text(encoding="utf-8") == text


def test_every_size_in_the_file_is_si_and_the_file_says_so_once(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from benchmarks.web.web_report import replace_section, section

    out = tmp_path / "BENCHMARKS.md"
    _bench_all(monkeypatch, tmp_path, out, _bench_all_result("M"))
    web = _bench_web_result(lcp_ms=2900, accessibility=100, name_s=0.7, home_bytes=884_000)
    text = replace_section(out.read_text(encoding="utf-8"), section(web))

    assert text.count("1 kB = 1,000 bytes") == 1 and "10^6" not in text
    assert "| `/peta` | 20 | 10 | 68.0 |" in text  # 68,000 bytes, the column headed (kB)
    assert "| M | map page view ≤ 150 kB | 68.0 kB | met |" in text
    assert "| M | 210 | 210 | 210 |" in text  # 204,800 of Linux's kB (1,024 bytes) of peak RSS, in MB
    assert "| portal | 100 (10) | 100 | 0.05 | 0.08 | 0.20 | 210 → 215 | 51 |" in text  # per session: 50 × 1,024 B
    assert "100/100 complete, p95 0.08 s, 0.05 MB/session" in text
    assert "| Lighthouse total byte weight | - | 884 kB | - | 2,000 kB |" in text
    assert "| first view: everything transferred | 10.83 MB | 0.88 MB | 10.83 MB | 2.00 MB |" in text
