"""The link-preview pictures (data_sources.files.share_images): what they say, drawn by Vega-Lite, not by hand."""

from __future__ import annotations

import json
import re
from datetime import date
from io import BytesIO

from PIL import Image

from core.page_summary import PageSummary, ProgramFacts
from data_sources.files.share_images import city_chart, png, program_chart, s_curve_picture, svg, versions_picture

FACTS = ProgramFacts(
    code="QW24-PUPR-01",
    name="Sungaiku Baiman",
    dimension="Smart Branding",
    skpd="Dinas PUPR",
    status="Kritis",
    reason="",
    progress=None,
    indicator=None,
    budget=None,
    as_of="Data per 31 Desember 2024",
    last_report=None,
    actual=72.0,
    plan=100.0,
)


def _texts(chart: object) -> str:
    return json.dumps(json.loads(chart.to_json()), ensure_ascii=False)  # type: ignore[attr-defined]


def test_a_program_s_picture_says_its_name_status_figures_data_per_and_sample_mark() -> None:
    spec = _texts(program_chart(FACTS, sample=True, lang="id"))
    for said in ("Sungaiku Baiman", "Kritis · Dinas PUPR", "Data per 31 Desember 2024", "DATA CONTOH", "72%", "100%"):
        assert said in spec, said
    assert "DATA CONTOH" not in _texts(program_chart(FACTS, sample=False, lang="id"))
    assert "SAMPLE DATA" in _texts(program_chart(FACTS, sample=True, lang="en"))


def test_the_city_picture_names_every_program_with_its_status() -> None:
    renamed = {"code": "QW24-DLH-01", "name": "Sampah Menjadi Energi", "status": "Selesai"}
    other = ProgramFacts(**{**FACTS.__dict__, **renamed})
    summary = PageSummary("id", "Portal", "Portal", "", programs=(FACTS, other), data_per="Sumber terakhir dibaca …")
    spec = _texts(city_chart(summary, sample=False, lang="id"))
    assert "Sungaiku Baiman · Kritis · 72%" in spec and "Sampah Menjadi Energi · Selesai · 72%" in spec


def test_the_picture_is_open_graph_s_size_and_small() -> None:
    picture = png(program_chart(FACTS, sample=True, lang="id"))
    assert Image.open(BytesIO(picture)).size == (1200, 630)
    assert len(picture) <= 150 * 1024


REPORTS = [
    {"tanggal": date(2024, month, 28), "rencana_persen": 10.0 * month, "realisasi_persen": 8.0 * month}
    for month in range(3, 13)
]


def test_the_s_curve_picture_draws_plan_and_realisation_with_months_in_the_reader_s_language() -> None:
    for lang, plan, actual, december in (
        ("id", "Rencana", "Realisasi", "Des 2024"),
        ("en", "Plan", "Progress", "Dec 2024"),
    ):
        chart = s_curve_picture(REPORTS, lang)
        spec = _texts(chart)
        assert december in spec and plan in spec and actual in spec
        drawn = svg(chart)
        # The month names written on the axis (Vega's own are English) and the legend's words.
        words = set(re.findall(r">([^<]+)</text>", drawn))
        assert {december, plan, actual} <= words, words
    # Both lines, every report: ten points each.
    values = json.loads(s_curve_picture(REPORTS, "id").to_json())["datasets"]
    (rows,) = values.values()
    assert sorted(r["value"] for r in rows if r["line"] == "Realisasi") == [8.0 * m for m in range(3, 13)]


def test_the_versions_picture_draws_the_latest_version_solid_blue_and_the_others_each_their_own_way() -> None:
    versions = [
        ("terbit 1 April 2024", [(date(2024, 3, 31), 10.0)]),
        ("terbit 3 Juni 2024", [(date(2024, 3, 31), 12.0), (date(2024, 5, 31), 30.0)]),
        ("terbit 2 September 2024", [(date(2024, 3, 31), 12.0), (date(2024, 8, 31), 70.0)]),
    ]
    spec = json.loads(versions_picture(versions, "id").to_json())
    line = spec["layer"][0]["encoding"]
    assert line["color"]["scale"]["range"][-1] == "#0072B2"  # the latest, blue
    assert line["strokeDash"]["scale"]["range"][-1] == [1, 0]  # solid
    dashes = line["strokeDash"]["scale"]["range"][:-1]
    assert len({json.dumps(d) for d in dashes}) == 2 and [1, 0] not in dashes  # the older ones dashed, each its own
    shapes = spec["layer"][1]["encoding"]["shape"]["scale"]["range"]
    assert len(set(shapes)) == 3  # and each its own marker: colour is never the only cue
    assert "terbit 3 Juni 2024" in svg(versions_picture(versions, "id"))
