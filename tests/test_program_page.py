"""The program page through AppTest on the bundled sample data: chosen by URL, explained, traceable."""

from __future__ import annotations

from urllib.parse import parse_qsl

from conftest import PortalSetup, run_app
from streamlit.testing.v1 import AppTest


def _run(**params: str) -> AppTest:
    """As a reader arriving on /program with these URL parameters."""
    return run_app("app_pages/program.py", **params)


def _text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [h.value for h in at.header]
    parts += [i.value for i in at.info] + [w.value for w in at.warning] + [m.label for m in at.metric]
    parts += [str(m.value) for m in at.metric]
    return "\n".join(parts)


def test_the_program_in_the_url_is_shown_with_its_s_curve_status_and_reports(sample_portal: PortalSetup) -> None:
    at = _run(program="QW24-PUPR-01")
    assert at.selectbox[0].value == "QW24-PUPR-01"
    text = _text(at)
    assert "Sungaiku Baiman" in text
    assert ":material/warning: Kritis" in text  # the late sample program
    assert "batas 5 poin" in text or "batas 10 poin" in text  # the rule is explained, with its threshold
    assert "Data contoh" in text
    # The S-curve is first a picture the server draws, with its figures in a table; Plotly only when asked for.
    assert not at.get("plotly_chart")
    [curve] = [m.value for m in at.markdown if "/grafik/kurva-s.svg" in m.value]
    assert curve.startswith("![Kurva S Sungaiku Baiman\\: ") and curve.endswith(
        "](/grafik/kurva-s.svg?program=QW24-PUPR-01)"
    )
    # Its figures: a table drawn once the reader opens its box; while closed the reports' table is the only one.
    assert [e for e in at.expander if e.label == "Tabel data kurva S"], "the box is offered"
    assert len(at.table) == 1 and "Bukti" in at.table[0].value.columns
    at.session_state["s_curve_table"] = True  # the reader opens the box
    at.run()
    assert at.table[0].value.iloc[-1].tolist() == ["31 Desember 2024", "100%", "72%"]
    at.toggle(key="s_curve_interactive").set_value(True).run()
    assert len(at.get("plotly_chart")) == 1
    assert not [m for m in at.markdown if "/grafik/kurva-s.svg" in m.value]
    # The reports: a static table first (no grid's 210 KB before asked for, issue 23), newest first.
    assert not at.dataframe
    reports = at.table[-1].value
    assert len(reports) >= 10 and reports.iloc[0, 0] == "31 Desember 2024"
    assert list(reports.columns[:4]) == ["Tanggal", "Realisasi", "Rencana", "Bukti"]
    evidence = reports["Bukti"].tolist()
    assert all(cell == "\\-" or cell.startswith("[buka](https://") for cell in evidence), evidence  # "-", not a list
    assert any(cell.startswith("[buka](https://") for cell in evidence), evidence
    # The same reports in the grid when the reader asks for it.
    at.toggle(key="reports_interactive").set_value(True).run()
    grid = at.dataframe[-1].value
    assert grid.iloc[:, 0].tolist() == reports.iloc[:, 0].tolist()
    assert len(at.table) == 1  # only the curve's figures stay a static table


def test_an_unknown_program_in_the_url_is_a_polite_message_and_the_first_program(sample_portal: PortalSetup) -> None:
    at = _run(program="<script>alert(1)</script>")
    assert any("tidak ditemukan" in i.value for i in at.info)
    assert at.selectbox[0].value == "QW24-DPMPTSP-01"  # the first program, in dimension order
    assert at.query_params["program"] == "QW24-DPMPTSP-01"
    assert not any("<script>" in m.value for m in at.markdown)


def test_the_program_page_speaks_english_with_english_numbers(sample_portal: PortalSetup) -> None:
    at = _run(program="QW24-PERKIM-01", lang="en")
    text = _text(at)
    assert "Period 15 January 2024" in text or "Period " in text
    assert "Budget spent (of Rp9.2 billion)" in text
    assert "Sample data" in text


def test_a_finished_program_says_so_and_why(sample_portal: PortalSetup) -> None:
    text = _text(_run(program="QW24-DLH-01"))
    assert ":material/check_circle: Selesai" in text
    assert "Rumah tersambung gas metana (dari target 60 rumah)" in text


def test_the_program_page_shows_its_sites_as_a_server_picture_with_their_figures_and_a_link_to_the_map(
    sample_portal: PortalSetup,
) -> None:
    at = _run(program="QW24-PERKIM-01", lang="en")
    assert not at.get("deck_gl_json_chart")  # no map engine and no third-party basemap on the program page
    pictures = [m.value for m in at.markdown if m.value.startswith("![") and "/grafik/peta.svg" in m.value]
    assert pictures == [
        "![Map of Banjarmasin with its main rivers and the sites of Bakawan RTLH — rehabilitasi rumah tidak layak "
        "huni, coloured by status\\.](/grafik/peta.svg?program=QW24-PERKIM-01&lang=en)"
    ]
    captions = [c.value for c in at.caption]
    assert any(c.startswith("100 beneficiaries' homes in ") for c in captions), captions
    [link] = [p for p in at.get("page_link") if p.proto.page == "peta"]
    assert link.proto.query_string == "nama_program=QW24-PERKIM-01&lang=en"


def test_the_s_curve_names_its_months_in_the_readers_language(sample_portal: PortalSetup) -> None:
    import json
    import re

    months = {
        "id": "Jan|Feb|Mar|Apr|Mei|Jun|Jul|Agu|Sep|Okt|Nov|Des",
        "en": "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec",
    }
    for lang, names in months.items():
        at = _run(program="QW24-PUPR-01", lang=lang)
        at.toggle(key="s_curve_interactive").set_value(True).run()  # the reader asks for the interactive chart
        ticks = json.loads(at.get("plotly_chart")[0].proto.spec)["layout"]["xaxis"]["ticktext"]
        assert 2 <= len(ticks) <= 7
        assert all(re.fullmatch(rf"({names}) 2024", tick) for tick in ticks), ticks


def test_the_program_page_links_to_the_survey_of_that_program_in_the_readers_language(
    sample_portal: PortalSetup,
) -> None:
    """Issue #26: from a program a resident can go and rate it; the survey opens on that program."""
    at = _run(program="QW24-PUPR-01", lang="en")
    [link] = [p for p in at.get("page_link") if p.proto.label == "Rate this program in the satisfaction survey"]
    assert link.proto.page == "survei"
    assert link.proto.query_string == "program=QW24-PUPR-01&lang=en"
    survey = run_app("app_pages/feedback.py", **dict(parse_qsl(link.proto.query_string)))
    assert survey.selectbox(key="feedback_program").value == "QW24-PUPR-01"
    assert survey.radio(key="fb_persyaratan").label.startswith("**3.** How well")  # still in English
    [indonesian] = [
        p
        for p in _run(program="QW24-PUPR-01").get("page_link")
        if p.proto.label == "Nilai program ini di survei kepuasan"
    ]
    assert indonesian.proto.query_string == "program=QW24-PUPR-01"


def test_the_embed_code_is_drawn_only_when_asked_and_frames_this_program_with_a_title(
    sample_portal: PortalSetup,
) -> None:
    at = _run(program="QW24-PUPR-01", lang="en")
    assert [e for e in at.expander if e.label == "Embed"], "the box is offered"
    assert not at.code  # closed: no code block, so no syntax highlighter for every reader
    at.session_state["embed_code"] = True  # the reader opens the box
    at.run()
    (code,) = [c.value for c in at.code]
    assert code.startswith('<iframe src="') and "/embed/program?program=QW24-PUPR-01&amp;lang=en" in code
    assert 'title="Sungaiku Baiman: program progress · ' in code and 'loading="lazy"' in code
    assert 'height="480"' in code and "width:100%" in code
