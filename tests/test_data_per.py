"""One meaning of "data per" across the portal (issue #26, item 7): the date the figures describe (the newest report
date shown), never the time the portal read the sheet, which is named apart ("dibaca_pada", "Dibaca portal").

The program here reported on 31 May 2024 and is read today: every face must say 31 Mei 2024 as its "data per"
and today's reading only under its own name.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from builders import PROGRAM_CODE, capaian, lokasi, program
from conftest import PortalSetup, run_app, write_source

from components.downloads import file_stem
from core.citation import citation
from core.formatting import date_time, long_date
from core.wilayah import CITY_TIMEZONE
from data_sources.files.exports import to_csv_bytes
from data_sources.published.tables import page_about, published_tables
from server.portal import Portal

REPORTED = date(2024, 5, 31)
EARLIER = date(2024, 4, 30)


@pytest.fixture
def reported_long_ago(
    tmp_path: Path, make_portal: Callable[..., PortalSetup], portal_env: Callable[[PortalSetup], None]
) -> PortalSetup:
    path = write_source(
        tmp_path / "perkim.xlsx",
        programs=[program()],
        capaians=[capaian(tanggal=EARLIER, rencana_persen=30, realisasi_persen=28), capaian(tanggal=REPORTED)],
        lokasis=[lokasi()],
    )
    setup = make_portal({"disperkim": path})
    portal_env(setup)
    assert Portal(setup.config).sync_now()
    return setup


def _read_at(setup: PortalSetup) -> datetime:
    state = next(s for s in Portal(setup.config).source_states() if s.read_at is not None)
    assert state.read_at is not None and state.read_at.date() != REPORTED  # read today, reported long ago
    return state.read_at


def _flat(node: Any) -> Iterator[Any]:
    """The page's elements in the order a reader sees them."""
    children = getattr(node, "children", None)
    if children is None:
        yield node
        return
    for key in sorted(children):
        yield from _flat(children[key])


def _plain(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown)


def _captions_after(elements: list[Any], kind: str) -> list[str]:
    """The first caption after each element of ``kind`` (what is said beside that figure group)."""
    found = []
    for i, element in enumerate(elements):
        if element.type == kind:
            found.append(next((_plain(e.value) for e in elements[i + 1 :] if e.type == "caption"), ""))
    return found


def test_the_csv_says_the_report_date_as_data_per_and_the_read_time_as_dibaca_pada(
    reported_long_ago: PortalSetup,
) -> None:
    read = _read_at(reported_long_ago)
    tables = published_tables(Portal(reported_long_ago.config))
    reports = list(csv.DictReader(io.StringIO(to_csv_bytes(tables["capaian"]).decode("utf-8-sig"))))
    assert sorted(r["data_per"][:10] for r in reports) == [EARLIER.isoformat(), REPORTED.isoformat()]
    programs = list(csv.DictReader(io.StringIO(to_csv_bytes(tables["program"]).decode("utf-8-sig"))))
    assert [p["data_per"][:10] for p in programs] == [REPORTED.isoformat()]  # the program's newest report
    sites = tables["lokasi"]
    assert list(sites["data_per"]) == [REPORTED]
    for frame in tables.values():
        assert [c for c in frame.columns if c in {"data_per", "dibaca_pada"}] == ["data_per", "dibaca_pada"]
        assert {value.astimezone(UTC) for value in frame["dibaca_pada"]} == {read.astimezone(UTC)}


def test_the_page_s_about_file_name_and_citation_say_the_report_date(reported_long_ago: PortalSetup) -> None:
    read = _read_at(reported_long_ago)
    portal = Portal(reported_long_ago.config)
    states = portal.source_states()
    about = page_about(portal.config, "Bakawan", states, "http://portal/program", [EARLIER, REPORTED, None])
    assert about.data_per == REPORTED and about.read_at == read
    assert file_stem("laporan", about.data_per) == "quickwin-banjarmasin_laporan_data-per-2024-05-31"
    said = dict(about.rows("id"))
    assert said["Data per (tanggal laporan terbaru)"] == "31 Mei 2024"
    assert said["Dibaca portal"] == date_time(read, "id") + " WITA"
    document = about.as_json()
    assert document["data_per"] == "2024-05-31"
    assert datetime.fromisoformat(str(document["dibaca_pada"])) == read
    assert str(document["dibaca_pada"]).endswith("+08:00")
    text = citation(about.title, "Portal", about.url, about.data_per, date(2026, 1, 2), "id")
    assert "Data per 31 Mei 2024." in text
    assert "WITA" not in text  # the reading's clock time is not the citation's "data per"


def test_the_program_page_says_the_report_date_in_its_downloads_and_citation_and_the_read_time_apart(
    reported_long_ago: PortalSetup,
) -> None:
    read = _read_at(reported_long_ago)
    at = run_app("app_pages/program.py", program=PROGRAM_CODE)
    at.session_state["program_downloads"] = True  # the reader opens the downloads
    at.run()
    captions = [c.value for c in at.caption]
    download = next(c for c in captions if c.startswith("Sumber: ") and "Lisensi" in c)
    assert "Data per 31 Mei 2024" in download
    assert f"Dibaca portal {date_time(read, 'id')} WITA" in download
    quotes = [re.sub(r"\\(.)", r"\1", m.value) for m in at.markdown if m.value.startswith("> ")]
    assert any("Data per 31 Mei 2024." in q for q in quotes), quotes
    # Nowhere does "Data per" name the day of the reading.
    read_day = long_date(read.astimezone(CITY_TIMEZONE).date(), "id")
    everything = "\n".join([*captions, *(m.value for m in at.markdown)])
    assert f"Data per {read_day}" not in everything


def test_every_figure_group_of_the_program_page_has_its_source_and_report_date_beside_it(
    reported_long_ago: PortalSetup,
) -> None:
    at = run_app("app_pages/program.py", program=PROGRAM_CODE)
    at.session_state["s_curve_table"] = True  # the reader opens the S-curve's table (drawn only then, issue 23)
    at.run()
    elements = list(_flat(at.main))
    beside = "Data per 31 Mei 2024 · Sumber: Disperkim, perkim.xlsx"
    # The headline figures (realisation, indicator, budget), the S-curve and its table, the reports table, the
    # sites picture: each group is followed by its own line, before the next group begins.
    metrics = [i for i, e in enumerate(elements) if e.type == "metric"]
    assert metrics, "the headline figures"
    after_metrics = next(e for e in elements[metrics[-1] + 1 :] if e.type == "caption")
    assert beside in _plain(after_metrics.value)
    # The S-curve's table (after its picture) and the reports (a static table first, issue 23).
    lines = _captions_after(elements, "table")
    assert len(lines) == 2 and all(beside in line for line in lines), lines
    # The sites picture (a markdown image) is followed by its figures in words, then by the same line.
    picture = next(i for i, e in enumerate(elements) if e.type == "markdown" and "/grafik/peta.svg" in e.value)
    assert beside in _plain(" ".join(e.value for e in elements[picture + 1 : picture + 3] if e.type == "caption"))
    assert sum(beside in _plain(e.value) for e in elements if e.type == "caption") == 4


def test_the_home_page_cards_and_summary_say_the_report_date(reported_long_ago: PortalSetup) -> None:
    read = _read_at(reported_long_ago)
    at = run_app()
    at.session_state["overview_downloads"] = True  # the reader opens the downloads
    at.run()
    captions = _plain("\n".join(c.value for c in at.caption))
    assert "Data per 31 Mei 2024 · Sumber: Disperkim, perkim.xlsx" in captions
    download = next(c.value for c in at.caption if c.value.startswith("Sumber: ") and "Lisensi" in c.value)
    assert "Data per 31 Mei 2024" in download and f"Dibaca portal {date_time(read, 'id')}" in download


def test_the_home_page_s_status_counts_and_chart_each_say_their_report_date_and_source(
    reported_long_ago: PortalSetup,
) -> None:
    at = run_app()
    elements = list(_flat(at._tree))
    beside = "Data per 31 Mei 2024 · Sumber: sheet 1 SKPD"
    # The status counts end the first screen's list of programs, the date and source right under them (one
    # element); the chart's picture has the same line under it.
    counts = next(e.value for e in elements if e.type == "markdown" and ":material/check_circle: Selesai: " in e.value)
    assert _plain(counts).split("\n")[-1].startswith(beside), counts
    chart = next(m for m in at.markdown if "/grafik/kemajuan.svg" in m.value)
    assert "Batang: realisasi" in chart.value and beside in _plain(chart.value)


def test_the_open_data_files_say_the_report_date_as_data_per_and_the_read_time_as_dibaca_pada(
    reported_long_ago: PortalSetup,
) -> None:
    read = _read_at(reported_long_ago)
    folder = reported_long_ago.folder / "static" / "data"
    index = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    assert index["data_per"] == "2024-05-31"
    assert datetime.fromisoformat(index["dibaca_pada"]) == read
    assert datetime.fromisoformat(index["dibaca_pada"]).utcoffset() == timedelta(hours=8)
    assert [(s["data_per"], datetime.fromisoformat(s["dibaca_pada"])) for s in index["sources"]] == [
        ("2024-05-31", read)
    ]
    about = json.loads((folder / "capaian.json").read_text(encoding="utf-8"))["tentang"]
    assert about["data_per"] == "2024-05-31" and datetime.fromisoformat(about["dibaca_pada"]) == read
    rows = list(csv.DictReader(io.StringIO((folder / "capaian.csv").read_text(encoding="utf-8"))))
    assert sorted(r["data_per"] for r in rows) == ["2024-04-30", "2024-05-31"]
    assert {datetime.fromisoformat(r["dibaca_pada"]) for r in rows} == {read}
    history = list(csv.DictReader(io.StringIO((folder / "riwayat.csv").read_text(encoding="utf-8"))))
    assert sorted(r["data_per"] for r in history) == ["2024-04-30", "2024-05-31"]
    dictionary = {(e["berkas"], e["kolom"]): e for e in json.loads((folder / "kamus-data.json").read_text())["data"]}
    assert "tanggal" in dictionary[("capaian.csv", "data_per")]["satuan"]["id"]
    assert "ISO 8601" in dictionary[("capaian.csv", "dibaca_pada")]["satuan"]["id"]
