"""The history page and the program page's edit notes through AppTest, on the bundled sample data.

The first start of the sample portal stores the built-in sample history, so a new user sees real
history (labelled sample data) without a single sync of their own.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from babel.dates import get_month_names
from builders import PROGRAM_ROW, program
from conftest import PortalSetup, run_app, write_source
from streamlit.testing.v1 import AppTest

from core.formatting import WORD_JOINER


def _run(**params: str) -> AppTest:
    """As a reader arriving on /riwayat with these URL parameters."""
    return run_app("app_pages/history.py", **params)


def _text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [h.value for h in at.subheader]
    parts += [i.value for i in at.info] + [w.value for w in at.warning] + [t.value for t in at.title]
    return "\n".join(parts)


def _table(at: AppTest, column: str) -> list[str]:
    """Every cell of the named column, across the page's tables that have it: grids, and static tables (Markdown
    cells, read unescaped)."""
    frames = [f.value for f in at.dataframe] + [f.value for f in at.table]
    return [re.sub(r"\\(.)", r"\1", str(v)) for frame in frames if column in frame.columns for v in frame[column]]


_MONTHS = {name: n for width in ("wide", "abbreviated") for n, name in get_month_names(width, locale="id").items()}


def _day(text: str) -> date:
    """An Indonesian date as the page writes it, long or short ("31 Mei 2024", "17 Agu 2024")."""
    day, month, year = text.split()
    return date(int(year), _MONTHS[month], int(day))


def _values(at: AppTest) -> pd.DataFrame:
    """The program's values as published: the static table, or the grid once the reader asked for it."""
    return next(f.value for f in [*at.table, *at.dataframe] if "Snapshot" in f.value.columns)


CHANGE_WORDS = ("Diubah", "Dihapus", "Ditambah", "Changed", "Removed", "Added")


def _changes(at: AppTest) -> list[tuple[str, list[str]]]:
    """The comparison's list as read: each item's head (change · which · program, unescaped) and its lines."""
    items: list[tuple[str, list[str]]] = []
    for m in at.markdown:
        if not m.value.startswith(tuple(f"- **{w}**" for w in CHANGE_WORDS)):
            continue
        for line in m.value.split("\n"):
            text = re.sub(r"\\(.)", r"\1", line)
            if text.startswith("- "):
                items.append((text.removeprefix("- ").replace("**", ""), []))
            else:
                items[-1][1].append(text.strip().removeprefix("- "))
    return items


def _edits(at: AppTest) -> list[str]:
    """The lines of the list of edits after publication (the markdown list under its heading)."""
    heads = tuple(f"- **{w}**" for w in CHANGE_WORDS)  # the comparison's list, not the edits'
    lists = [m.value for m in at.markdown if m.value.startswith("- **") and not m.value.startswith(heads)]
    return [line.removeprefix("- ") for value in lists for line in value.split("\n")]


def test_the_sample_portal_shows_real_history_labelled_as_sample(sample_portal: PortalSetup) -> None:
    at = _run()
    text = _text(at)
    assert "Riwayat data dan perubahan" in text
    assert "Data contoh" in text and "Riwayat contoh" in text
    # The feed of changes, linked beside the introduction (AppTest has no browser: the default address).
    assert "[Ikuti perubahan lewat feed Atom](http://localhost:8501/riwayat.atom)" in text
    # Every edit of the sample, newest first, in words.
    told = _edits(at)
    # The program's name is sheet text, escaped for markdown; the sentence is the portal's own.
    name = "Bakawan RTLH — rehabilitasi rumah tidak layak huni \\(QW24\\-PERKIM\\-01\\)"
    assert f"**{name}**: Target diubah dari 500 menjadi 460 pada 3 Juni 2024" in told
    assert any("Tanggal selesai dipindah dari 30 November 2024" in line for line in told)
    assert any("Laporan 15 Mei 2024" in line and "dihapus" in line for line in told)
    assert told[0].endswith("4 November 2024")  # the newest first
    # The default comparison: from the first snapshot's day to the latest one.
    first, second = at.text_input
    assert first.value == "01/04/2024"
    assert at.query_params["dari"] == "2024-04-01"
    assert int(second.value[-4:]) >= 2025 and at.query_params["sampai"][:4] == second.value[-4:]
    assert any(head.startswith("Ditambah · ") for head, _ in _changes(at))
    # One program's values as published: the first program shown, with snapshots and times.
    assert at.selectbox[0].value == "QW24-DPMPTSP-01"
    assert at.query_params["program"] == "QW24-DPMPTSP-01"
    assert "(data program)" in _table(at, "Tanggal laporan")
    # The versions chart is first a picture the server draws; Plotly only when the reader asks for it.
    assert not at.get("plotly_chart")
    assert any(m.value.endswith("](/grafik/riwayat.svg?program=QW24-DPMPTSP-01)") for m in at.markdown)
    at.toggle(key="history_interactive").set_value(True).run()
    assert len(at.get("plotly_chart")) == 1


def test_the_program_in_the_url_shows_its_values_and_edits(sample_portal: PortalSetup) -> None:
    at = _run(program="QW24-PERKIM-01", berubah="ya")
    assert at.selectbox[0].value == "QW24-PERKIM-01"
    assert any(w.value == "Target diubah dari 500 menjadi 460 pada 3 Juni 2024" for w in at.warning)
    assert at.toggle(key="history_changed_only").value is True
    # Only values that changed: the target's two versions, the budget's, the description's.
    frame = _values(at)
    targets = frame[frame["Kolom"] == "Target indikator"]
    assert list(targets["Nilai"]) == ["500", "460"]
    assert list(targets["Pertama terbit (WITA)"]) == ["1 Apr 2024 08:00", "3 Jun 2024 08:00"]
    assert set(frame["Kolom"]) == {"Target indikator", "Anggaran", "Deskripsi"}


def test_the_dates_in_the_url_choose_the_comparison_listed_new_value_first(sample_portal: PortalSetup) -> None:
    at = _run(dari="2024-06-03", sampai="2024-09-02")
    first, second = at.text_input
    assert (first.value, second.value) == ("03/06/2024", "02/09/2024")
    assert "Dari 3 Juni 2024 sampai 2 September 2024: perubahan pada 1 program, 22 laporan dan 1 lokasi." in _text(at)
    changes = _changes(at)
    assert len(changes) == 1 + 22 + 1
    # Each changed field on a line of its own, the new value first and in bold, the old one after it.
    assert changes[0] == (
        "Diubah · Sungaiku Baiman (QW24-PUPR-01)",
        ["Tanggal selesai: **31 Desember 2024** (sebelumnya 30 November 2024)"],
    )
    revised = [(head, lines) for head, lines in changes if head.startswith("Diubah · 31 Mei 2024")]
    assert revised == [
        (
            "Diubah · 31 Mei 2024 · Si Mantab — pengantaran dokumen perizinan gratis (QW24-DPMPTSP-01)",
            ["Capaian indikator: **754** (sebelumnya 789)"],
        )
    ]
    removed = [(head, lines) for head, lines in changes if head.startswith("Dihapus")]
    assert removed == [
        (
            "Dihapus · 15 Mei 2024 · Sampah Menjadi Energi (gas metana TPA Basirih) (QW24-DLH-01)",
            ["Realisasi fisik, terakhir terbit: 31,8%"],
        )
    ]  # DLH's mid-May report
    assert changes[-1] == (
        "Ditambah · SMT-05 Loket Si Mantab Pasar Lama · Si Mantab — pengantaran dokumen perizinan gratis "
        "(QW24-DPMPTSP-01)",
        ["Status kemajuan: **Berjalan** (baru)"],
    )
    assert not [f for f in at.dataframe if "Nilai lama" in f.value.columns]  # a list, not a table cut on a phone

    # A date typed day first (as Indonesians write it) is applied and written back into the URL.
    at.text_input[1].set_value("3/6/2024").run()
    assert at.query_params["sampai"] == "2024-06-03"
    assert any("Tidak ada yang berubah" in i.value for i in at.info)


def test_an_unreadable_date_in_the_url_is_a_polite_message(sample_portal: PortalSetup) -> None:
    at = _run(dari="kemarin", sampai="1999-01-01")
    infos = [i.value for i in at.info]
    assert any("Tanggal 'kemarin' tidak dapat dibaca" in i and "yang dipakai 1 April 2024" in i for i in infos)
    assert any("Tanggal 01/01/1999 sebelum awal riwayat (1 April 2024); yang dipakai 1 April 2024" in i for i in infos)
    assert at.text_input[0].value == "kemarin" and at.query_params["dari"] == "2024-04-01"
    assert at.text_input[1].value == "01/01/1999" and at.query_params["sampai"] == "2024-04-01"
    assert not any("kemarin" in m.value and "<" in m.value for m in at.markdown)


@pytest.mark.parametrize(
    ("lang", "early", "late"),
    [
        (
            "id",
            "Tanggal 01/01/2020 sebelum awal riwayat (1 April 2024); yang dipakai 1 April 2024.",
            "sesudah hari ini",
        ),
        ("en", "The date 01/01/2020 is before the history begins (1 April 2024); 1 April 2024 is used", "after today"),
    ],
)
def test_a_typed_date_outside_the_history_is_told_in_the_page_s_language_and_the_nearest_day_used(
    sample_portal: PortalSetup, lang: str, early: str, late: str
) -> None:
    at = _run(**({"lang": "en"} if lang == "en" else {}))
    at.text_input[0].set_value("01/01/2020").run()
    assert at.query_params["dari"] == "2024-04-01"
    at.text_input[1].set_value("01/01/2999").run()
    infos = [i.value for i in at.info]
    assert any(early in i for i in infos), infos
    assert any(late in i for i in infos), infos
    assert at.query_params["sampai"] >= "2025-01-01"
    assert not any("outside allowed range" in i for i in infos)


def test_the_history_page_speaks_english(sample_portal: PortalSetup) -> None:
    at = _run(program="QW24-PERKIM-01", dari="2024-04-01", sampai="2024-06-03", lang="en")
    text = _text(at)
    assert "Data history and changes" in text and "Sample data" in text
    assert "[Follow the changes as an Atom feed](http://localhost:8501/riwayat.atom?lang=en)" in text
    assert any(w.value == "Target changed from 500 to 460 on 3 June 2024" for w in at.warning)
    assert "From 1 April 2024 to 3 June 2024: changes to programs: 1" in text
    assert ("Changed · Bakawan RTLH — rehabilitasi rumah tidak layak huni (QW24-PERKIM-01)") in dict(_changes(at))
    lines = dict(_changes(at))["Changed · Bakawan RTLH — rehabilitasi rumah tidak layak huni (QW24-PERKIM-01)"]
    assert "Budget: **Rp9,200,000,000** (was Rp10,000,000,000)" in lines
    assert any(line.endswith(": Target changed from 500 to 460 on 3 June 2024") for line in _edits(at))


def test_the_program_page_notes_a_moved_target_and_links_to_its_history(sample_portal: PortalSetup) -> None:
    at = run_app("app_pages/program.py", program="QW24-PERKIM-01")
    notes = [w for w in at.warning if "Target diubah" in w.value]
    assert [n.value for n in notes] == ["Target diubah dari 500 menjadi 460 pada 3 Juni 2024"]
    assert notes[0].proto.icon == ":material/edit_note:"
    links = [p for p in at.get("page_link") if "riwayat" in p.proto.page or "history" in p.proto.page]
    assert links and "program=QW24-PERKIM-01" in links[0].proto.query_string

    english = run_app("app_pages/program.py", program="QW24-PERKIM-01", lang="en")
    assert any(w.value == "Target changed from 500 to 460 on 3 June 2024" for w in english.warning)


def test_the_versions_chart_s_figures_are_a_table_drawn_when_its_box_is_opened(sample_portal: PortalSetup) -> None:
    at = _run(program="QW24-PERKIM-01", lang="en")
    [picture] = [m.value for m in at.markdown if "/grafik/riwayat.svg" in m.value]
    assert picture.startswith("![Line chart\\: the progress of Bakawan RTLH")
    assert picture.endswith("](/grafik/riwayat.svg?program=QW24-PERKIM-01&lang=en)")
    assert [e for e in at.expander if e.label == "The chart's data as a table"], "the box is offered"
    assert not [t for t in at.table if "Version published" in t.value.columns]  # closed: nothing sent
    at.session_state["history_chart_table"] = True  # the reader opens the box
    at.run()
    [table] = [t.value for t in at.table if "Version published" in t.value.columns]
    assert list(table.columns) == ["Version published", "Report date", "Progress"]
    assert {"1 April 2024", "3 June 2024"} <= set(table["Version published"])
    assert all(re.fullmatch(r"\d+(\.\d)?%", value) for value in table["Progress"])


def test_the_values_arrive_as_a_static_table_of_whole_newest_reports_and_the_grid_has_them_all(
    sample_portal: PortalSetup,
) -> None:
    at = _run(program="QW24-DLH-01")
    assert not at.dataframe  # no grid (about 210 KB on a phone's wire) until the reader asks: issue 23
    static = _values(at)
    days = list(static["Tanggal laporan"])
    # The program's own row first, then whole reports, newest first.
    assert days[0] == "(data program)"
    reports = [_day(d) for d in dict.fromkeys(days[days.count("(data program)") :])]
    assert len(reports) >= 2 and reports == sorted(reports, reverse=True)
    # Sheet text is escaped Markdown: the name's brackets stay text; a long description is cut, whole in the grid.
    cells = dict(zip(static["Kolom"], static["Nilai"], strict=False))
    assert cells["Nama program"] == "Sampah Menjadi Energi \\(gas metana TPA Basirih\\)"
    assert cells["Deskripsi"].endswith("…") and len(cells["Deskripsi"]) <= 100

    at.toggle(key="history_values_interactive").set_value(True).run()
    grid = next(f.value for f in at.dataframe if "Snapshot" in f.value.columns)
    everything = len(grid)
    assert len(static) < everything
    caption = f"Menampilkan {len(static)} dari {everything} nilai: data program dan laporan terbaru."
    assert any(c.value.startswith(caption) for c in _run(program="QW24-DLH-01").caption)
    # The static rows are the grid's first rows, in the same order, and no report is split: the next row of the
    # grid starts another report.
    grid_days = [_day(d) if d != "(data program)" else d for d in grid["Tanggal laporan"]]
    assert grid_days[: len(static)] == [_day(d) if d != "(data program)" else d for d in days]
    assert grid_days[len(static)] != grid_days[len(static) - 1]
    whole = dict(zip(grid["Kolom"], grid["Nilai"], strict=False))
    assert whole["Deskripsi"].startswith(cells["Deskripsi"].removesuffix("…")) and len(whole["Deskripsi"]) > 80


def test_sheet_text_in_the_static_values_table_is_shown_as_text_not_markup(
    tmp_path: Path, make_portal: Callable[..., PortalSetup], portal_env: Callable[[PortalSetup], None]
) -> None:
    hostile = "Program ![pixel](https://evil.example/p.png) [klik](javascript:alert(1)) <img src=x onerror=alert(1)>"
    setup = make_portal({"x": write_source(tmp_path / "x.xlsx", programs=[program(deskripsi=hostile)])})
    portal_env(setup)
    at = _run(program=PROGRAM_ROW["kode_program"])
    assert not at.dataframe
    cells = dict(zip(_values(at)["Kolom"], _values(at)["Nilai"], strict=False))
    shown = cells["Deskripsi"]
    # Every markdown- or HTML-active character arrives escaped (st.table's cells are Markdown), and the text is cut
    # at 80 characters, not at a markup boundary.
    assert re.search(r"(?<!\\)[!\[\]()<>]", shown) is None, shown
    assert re.sub(r"\\(.)", r"\1", shown).replace(WORD_JOINER, "") == hostile[:79].rstrip() + "…"
