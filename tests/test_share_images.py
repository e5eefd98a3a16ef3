"""The link-preview pictures (data_sources.files.share_images): what they say, drawn by Vega-Lite, not by hand."""

from __future__ import annotations

import json
from io import BytesIO

from PIL import Image

from core.page_summary import PageSummary, ProgramFacts
from data_sources.files.share_images import city_chart, png, program_chart

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
