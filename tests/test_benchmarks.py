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
