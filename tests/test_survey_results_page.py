"""The survey results page (AppTest through app.py) on a real SQLite store filled through the real form checks."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from builders import PROGRAM_CODE
from conftest import PortalSetup, run_app, write_source
from feedback_helpers import checked_response
from streamlit.testing.v1 import AppTest

from core.formatting import month_year
from core.survey import ELEMENTS, GENERAL
from core.survey_summary import city_month
from data_sources.config.portal_config import load_config
from data_sources.config.questionnaire_file import load_questionnaire
from data_sources.store.feedback_store import FeedbackStore
from data_sources.store.snapshot_store import Store
from server.portal import _portal_for

PAGE = "app_pages/survey_results.py"


@pytest.fixture
def portal(
    tmp_path: Path, make_portal: Callable[..., PortalSetup], monkeypatch: pytest.MonkeyPatch
) -> Iterator[FeedbackStore]:
    """A portal with one program (Bakawan RTLH, QW24-PERKIM-01) and its empty feedback store."""
    setup = make_portal({"disperkim": write_source(tmp_path / "perkim.xlsx")})
    monkeypatch.setenv("PORTAL_CONFIG", str(setup.config_path))
    _portal_for.clear()
    yield FeedbackStore(Store(load_config(setup.config_path).database_url).engine)
    _portal_for.clear()


def add(store: FeedbackStore, n: int, **values: object) -> str:
    response = checked_response(load_questionnaire(load_config()), (GENERAL, PROGRAM_CODE), **values)
    return store.add(response, session_key=f"s{n}", client_key=None, now=datetime.now(UTC))


@pytest.fixture
def answered(portal: FeedbackStore) -> FeedbackStore:
    """Two general responses answered 1, 2, 3, 4, 1, 2, 3, 4, 1 and three about the program answered all 4.

    General: IKM = 21/9 = 2,3333 -> x 25 = 58,33, D. The program: 4 -> 100,00, A.
    Overall, NRR: persyaratan, produk, sarana (1+1+4+4+4)/5 = 2,8; prosedur, kompetensi 3,2; waktu, perilaku 3,6;
    biaya, pengaduan 4 -> sum 30 -> IKM 3,3333 -> x 25 = 83,33, B.
    """
    add(portal, 1, saran="Mohon jam layanan diperpanjang")
    add(portal, 2)
    for n in range(3, 6):
        add(portal, n, program=PROGRAM_CODE, **dict.fromkeys(ELEMENTS, 4), manfaat=4)
    return portal


def _run(**params: str) -> AppTest:
    return run_app(PAGE, **params)


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: str(m.value) for m in at.metric}


def _text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [s.value for s in at.header]
    parts += [i.value for i in at.info] + [w.value for w in at.warning] + [s.value for s in at.success]
    parts += [t.value for t in at.title]
    return "\n".join(parts)


def test_all_programs_show_the_respondents_the_ikm_and_its_grade_in_words(answered: FeedbackStore) -> None:
    at = _run()
    metrics = _metrics(at)
    assert metrics["Responden"] == "5"
    assert metrics["IKM unit pelayanan (25–100)"] == "83,33"
    assert metrics["IKM (skala 1–4)"] == "3,33"
    assert metrics["Mutu pelayanan"] == "Mutu B: Baik"
    assert "program" not in at.query_params  # every program is the default view
    text = _text(at)
    assert "admin belum menetapkan populasi" in text  # nobody set the overall population
    assert len(at.get("plotly_chart")) == 3  # NRR, trend, benefit
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Unduh CSV", "Unduh XLSX (Excel)", "JSON"]
    method = next(e for e in at.expander if e.label == "Cara IKM dihitung")
    assert "Peraturan Menteri PANRB Nomor 14 Tahun 2017" in method.markdown[0].value


def test_the_program_in_the_url_shows_its_own_numbers(answered: FeedbackStore) -> None:
    at = _run(program=PROGRAM_CODE)
    assert at.selectbox(key="survey_program").value == PROGRAM_CODE
    assert at.query_params["program"] == PROGRAM_CODE
    metrics = _metrics(at)
    assert metrics["Responden"] == "3"
    assert metrics["IKM unit pelayanan (25–100)"] == "100,00"
    assert metrics["Mutu pelayanan"] == "Mutu A: Sangat Baik"
    nrr = json.loads(at.get("plotly_chart")[0].proto.spec)["data"][0]
    assert nrr["text"] == ["4,00"] * 9


def test_choosing_a_program_puts_it_in_the_url(answered: FeedbackStore) -> None:
    at = _run()
    at.selectbox(key="survey_program").set_value(GENERAL).run()
    assert at.query_params["program"] == GENERAL
    assert _metrics(at)["IKM unit pelayanan (25–100)"] == "58,33"
    assert _metrics(at)["Mutu pelayanan"] == "Mutu D: Tidak Baik"


def test_a_sample_below_krejcie_morgan_is_said_plainly(answered: FeedbackStore) -> None:
    answered.set_population(PROGRAM_CODE, 300)
    at = _run(program=PROGRAM_CODE)
    warnings = [w.value for w in at.warning]
    assert warnings == [
        "Jumlah responden 3 belum mencapai sampel minimum 169 untuk populasi 300 (Krejcie–Morgan); "
        "hasil ini belum dapat dianggap mewakili."
    ]
    answered.set_population(PROGRAM_CODE, 3)
    at = _run(program=PROGRAM_CODE)
    assert any("sudah mencapai sampel minimum 3 untuk populasi 3" in s.value for s in at.success)


def test_an_approved_suggestion_appears_and_a_pending_one_does_not(portal: FeedbackStore) -> None:
    approved = add(portal, 1, saran="Tolong **perbaiki** [jalan](http://x) <b>di</b> Kelayan")
    add(portal, 2, saran="Masih menunggu pemeriksaan")
    portal.moderate(approved, "approved")
    at = _run()
    text = _text(at)
    assert "Masih menunggu" not in text
    # Shown as text: the markdown and HTML in it are escaped, never rendered.
    # The word joiner (U+2060) after "http" keeps Streamlit's markdown from linking the bare URL.
    assert r"Tolong \*\*perbaiki\*\* \[jalan\]\(http" + "\u2060" + r"\://x\) \<b\>di\</b\> Kelayan" in text


def test_the_page_speaks_english_with_english_numbers(answered: FeedbackStore) -> None:
    answered.set_population(PROGRAM_CODE, 300)
    at = _run(lang="en", program=PROGRAM_CODE)
    metrics = _metrics(at)
    assert metrics["Respondents"] == "3"
    assert metrics["Satisfaction index, IKM (25–100)"] == "100.00"
    assert metrics["Service quality (mutu)"] == "Grade A: Very good"
    assert any("do not yet reach the minimum sample of 169" in w.value for w in at.warning)
    assert at.selectbox(key="survey_program").label == "Results for"
    assert [b.proto.label for b in at.get("download_button")] == ["Download CSV", "Download XLSX (Excel)", "JSON"]
    trend = json.loads(at.get("plotly_chart")[1].proto.spec)["layout"]["xaxis2"]["ticktext"]
    assert trend == [month_year(city_month(datetime.now(UTC)), "en")]  # e.g. "Nov 2026", by Babel


def test_an_unknown_program_in_the_url_is_a_polite_message_and_all_programs(answered: FeedbackStore) -> None:
    at = _run(program="<script>alert(1)</script>")
    assert any("tidak ditemukan" in i.value for i in at.info)
    assert at.selectbox(key="survey_program").value == "semua"
    assert not any("<script>" in m.value for m in at.markdown)


def test_an_empty_store_shows_a_friendly_way_to_the_form(portal: FeedbackStore) -> None:
    at = _run()
    assert any("Belum ada tanggapan survei" in i.value for i in at.info)
    links = at.get("page_link")
    assert [link.proto.label for link in links] == ["Isi survei kepuasan"]
    assert not at.metric and not at.get("download_button")


def test_switching_the_language_twice_keeps_the_chosen_scope_not_its_words(answered: FeedbackStore) -> None:
    """The scope's words change with the language ("Semua program" / "All programs"); Streamlit matched the kept
    choice by its old words and handed back a label instead of an option, which went into the URL."""
    for start in ("semua", GENERAL):
        at = _run(**({} if start == "semua" else {"program": start}))
        for _ in range(2):
            at.button(key="language_switch").click().run()
            assert at.selectbox(key="survey_program").value == start
        assert "lang" not in at.query_params
        assert at.query_params.get("program") == (None if start == "semua" else start)
