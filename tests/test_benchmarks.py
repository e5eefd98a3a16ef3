"""The benchmark suite's own parts: the generator's sources are valid, the websocket client loads a page.

These check that the benchmarks measure what they claim; they never assert on time.
"""

from __future__ import annotations

import asyncio
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
                "title_s": 6.2,
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
    assert len(good) == 11  # LCP, three scores, the name on both pages; the bytes of /
    assert set(good.values()) == {"**met**"}

    bad = targets(_bench_web_result(lcp_ms=3100, accessibility=99, name_s=None, home_bytes=1_000_001))
    marks = {(t.split(" ")[1] if t.startswith("Lighthouse") else t.split(":")[0], p): (m, k) for t, p, m, k in bad}
    assert marks["mobile", "/"] == ("3.1 s", "**not met**")
    assert marks["accessibility", "/program?program=QW24-PUPR-01"] == ("99", "**not met**")
    assert marks["SEO", "/"] == ("100", "**met**")
    assert marks["throttled Chromium", "/"] == ("not within the time allowed", "**not met**")
    assert marks["first view, everything loaded, ≤ 1 MB transferred", "/"] == ("1.00 MB", "**not met**")


def test_the_section_has_before_and_after_columns_and_replaces_only_itself() -> None:
    from benchmarks.web.web_report import END, START, carry_section, figures, replace_section, section

    result = _bench_web_result(lcp_ms=2900, accessibility=100, name_s=0.7, home_bytes=990_000)
    table = figures(result)
    assert table[0].count("before") == 2 and table[0].count("after") == 2
    assert "| first view: everything transferred | 10.83 MB | 0.99 MB | 10.83 MB | 2.00 MB |" in table
    assert "| Lighthouse Largest Contentful Paint | - | 2.9 s | - | 2.9 s |" in table  # Lighthouse: after only

    text = "# Benchmarks\n\n## Issue 14, first part\n\nold figures\n\n## Targets at a glance\n\n| a |\n"
    first = replace_section(text, section(result))
    assert first.index(START) < first.index(END) < first.index("## Targets at a glance")
    assert first.startswith(text.split("## Targets")[0]) and first.endswith("## Targets at a glance\n\n| a |\n")
    again = replace_section(first, section({**result, "runs": 5}))
    assert again.count(START) == 1 and "Medians of 5 runs" in again and "Medians of 3 runs" not in again
    assert again.replace(again[again.index(START) : again.index(END)], "") == first.replace(
        first[first.index(START) : first.index(END)], ""
    )  # everything outside the section is as it was
    rewritten = carry_section(again, "# Benchmarks\n\n## Targets at a glance\n\n| b |\n")
    assert "Medians of 5 runs" in rewritten and rewritten.endswith("| b |\n")
