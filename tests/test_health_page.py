"""The data health page (/kesehatan-data) through AppTest on a real store, and the stale mark on public cards.

The store holds a source whose last sync failed after a good one (its last good data stay public), a
program whose last report is long past, and a rejected row; a Google source read through the emulator
links every issue to its worksheet (gid) and cell (range).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from textwrap import shorten

import pandas as pd
import pytest
from builders import OTHER_CODE, PROGRAM_CODE, capaian, lokasi, program, records_grid, without, write_xlsx
from conftest import APP, GoogleSetup, PortalSetup, run_app, write_source
from streamlit.testing.v1 import AppTest

from components.health_report import ISSUES_SHOWN, VALUE_CHARS
from core import contract
from core.formatting import WORD_JOINER, escape_markdown, number
from core.i18n import t
from core.passwords import hash_password
from core.wilayah import city_today
from data_sources.config.portal_config import load_config
from data_sources.jobs.sync import run_sync
from data_sources.store.snapshot_store import Store

PAGE = "app_pages/health.py"
OLD_REPORT = date(2024, 6, 30)  # the builders' capaian date: long before any day these tests run on


def _sync(config_path: Path) -> None:
    config = load_config(config_path)
    store = Store(config.database_url)
    try:
        assert run_sync(config, store) is not None
    finally:
        store.close()


@pytest.fixture
def troubled(
    tmp_path: Path, make_portal: Callable[..., PortalSetup], portal_env: Callable[[PortalSetup], None]
) -> PortalSetup:
    """PERKIM: read once, then its workbook corrupted (the last sync failed); its program's last report is old.

    PUPR: a fresh report and a rejected one (rencana_persen 235 in C3).
    """
    today = city_today(datetime.now(UTC))
    perkim = write_source(tmp_path / "perkim.xlsx")
    pupr = write_source(
        tmp_path / "pupr.xlsx",
        programs=[
            program(kode_program=OTHER_CODE, nama_program="Sungaiku Baiman", dimensi="Smart Branding", skpd="PUPR")
        ],
        capaians=[
            capaian(kode_program=OTHER_CODE, tanggal=today - timedelta(days=3)),
            capaian(kode_program=OTHER_CODE, tanggal=today - timedelta(days=10), rencana_persen=235),
        ],
        lokasis=[lokasi(kode_program=OTHER_CODE)],
    )
    setup = make_portal({"perkim": perkim, "pupr": pupr})
    _sync(setup.config_path)
    perkim.write_bytes(b"this is no longer a workbook")
    _sync(setup.config_path)
    portal_env(setup)
    return setup


def _plain(markdown: str) -> str:
    """Markdown as read on the page: sheet text is escaped (``\\-``), which the reader never sees."""
    return re.sub(r"\\(.)", r"\1", markdown)


def _text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [s.value for s in at.header]
    parts += [e.value for e in at.error] + [i.value for i in at.info] + [w.value for w in at.warning]
    parts += [s.value for s in at.success] + [t.value for t in at.title] + [m.label for m in at.metric]
    return _plain("\n".join(parts))


def _issues(at: AppTest, lang: str = "id") -> list[pd.DataFrame]:
    """Each source's issues as the page shows them first: a static table of Markdown cells (issue 23)."""
    message = "Pesan" if lang == "id" else "Message"
    return [d.value for d in at.table if message in d.value.columns]


def _where(cell: str) -> tuple[str, str]:
    """The static table's cell column: the cell (or "baris 7") and, after a Markdown hard line break, its worksheet."""
    place, _, worksheet = cell.partition("  \n")
    return place, worksheet


def _grid(at: AppTest, lang: str = "id") -> list[pd.DataFrame]:
    """Each source's issues in the interactive grid, once the reader asks for it with the page's toggle."""
    message = "Pesan" if lang == "id" else "Message"
    return [d.value for d in at.dataframe if message in d.value.columns]


def _interactive(at: AppTest) -> AppTest:
    at.toggle(key="health_interactive").set_value(True).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _counts(at: AppTest) -> list[pd.DataFrame]:
    """Each source's rows per worksheet: a Markdown table under its heading (issue 23: no data grid for it)."""
    frames = []
    for markdown in (m.value for m in at.markdown if "| Diterima |" in m.value):
        rows = [line.strip("|").split("|") for line in markdown.splitlines() if line.startswith("|")]
        header, body = [c.strip() for c in rows[0]], [[_plain(c.strip()) for c in row] for row in rows[2:]]
        frame = pd.DataFrame(body, columns=header)
        frames.append(frame.astype({name: int for name in header[1:]}))
    return frames


def _url_skpd(at: AppTest) -> list[str]:
    value = at.query_params.get("skpd", [])
    return [value] if isinstance(value, str) else list(value)


def _metrics(at: AppTest) -> dict[str, str]:
    return {re.sub(r"^:material/\w+: ", "", m.label): m.value for m in at.metric}


def test_a_failed_source_a_stale_program_and_a_rejected_row_are_each_told(troubled: PortalSetup) -> None:
    at = run_app(PAGE)
    text = _text(at)
    assert [s.value for s in at.header] == ["PERKIM", "PUPR"]
    assert at.title[0].value == "Kesehatan data per SKPD"

    # The failed sync: its actionable message, and the last good data still public, with their age.
    failure = _plain(at.error[0].value)
    assert len(at.error) == 1
    assert "not an .xlsx workbook: " in failure and "perkim.xlsx" in failure
    assert "tetap tampil di halaman publik" in failure and "lalu" in failure
    assert ":material/sync_problem: Pembacaan terakhir gagal" in text
    assert "Sinkronisasi terakhir: " in text and ", gagal" in text
    assert "Pembacaan berhasil terakhir: " in text and "Perubahan isi terakhir: " in text

    # The stale program, with the days since its last report.
    days = number((city_today(datetime.now(UTC)) - OLD_REPORT).days, "id", 0)
    assert f"laporan terakhir 30 Juni 2024, {days} hari lalu" in text
    assert "Bakawan RTLH" in text
    assert "Setiap program SKPD ini sudah selesai atau punya laporan capaian" in text  # PUPR reports on time

    # The rejected row: its cell, the value as typed and the message in plain Indonesian.
    assert ":material/block: Ada baris ditolak" in text
    [issues] = _issues(at)
    assert not at.dataframe  # the static table first: no grid's 210 KB before the reader asks (issue 23)
    # No row column (the A1 cell names the row), the worksheet under the cell: five columns, the message third.
    assert list(issues.columns) == ["Jenis", "Sel", "Pesan", "Kolom", "Isi sel"]
    [row] = [row.map(_plain) for _, row in issues.iterrows() if _where(row["Sel"])[0] == "C3"]
    assert (row["Jenis"], _where(row["Sel"]), row["Kolom"]) == ("Ditolak", ("C3", "capaian"), "rencana_persen")
    assert row["Isi sel"] == "235" and "nilainya harus antara 0 dan 100" in row["Pesan"]
    # The grid, when asked for, has the row column too.
    [grid] = _grid(_interactive(at))
    row = grid[grid["Sel"] == "C3"].iloc[0]
    assert (row["Jenis"], row["Lembar (worksheet)"], row["Baris"], row["Kolom"]) == (
        "Ditolak",
        "capaian",
        "3",
        "rencana_persen",
    )
    assert row["Isi sel"] == "235" and "nilainya harus antara 0 dan 100" in row["Pesan"]
    # Rows per worksheet, one table per source: PERKIM's from its last good read, then PUPR's.
    perkim_counts, pupr_counts = _counts(at)
    # "Ditolak" right after the worksheet: the column a phone must show first (issue #26, item 4).
    assert list(pupr_counts.columns) == ["Lembar (worksheet)", "Ditolak", "Diterima", "Baris terisi"]
    assert pupr_counts.set_index("Lembar (worksheet)").loc["capaian"].tolist() == [1, 1, 2]
    assert perkim_counts.set_index("Lembar (worksheet)").loc["capaian"].tolist() == [0, 1, 1]

    assert _metrics(at) == {
        "Sumber data": "2",
        "Pembacaan terakhir gagal": "1",
        "Baris ditolak": "1",
        "Program tanpa laporan baru": "1",
    }


def test_the_skpd_in_the_url_keeps_only_that_offices_section(troubled: PortalSetup) -> None:
    at = run_app(PAGE, skpd="pupr")  # a source's name works as well as the SKPD as shown
    assert [s.value for s in at.header] == ["PUPR"]
    assert at.multiselect[0].value == ["PUPR"]
    assert _url_skpd(at) == ["PUPR"]
    assert not at.error  # PERKIM's failure belongs to PERKIM's section
    assert _metrics(at)["Program tanpa laporan baru"] == "0"

    at.multiselect[0].set_value(["PERKIM", "PUPR"]).run()
    assert [s.value for s in at.header] == ["PERKIM", "PUPR"]
    assert _url_skpd(at) == ["PERKIM", "PUPR"]
    at.multiselect[0].set_value([]).run()
    assert "skpd" not in at.query_params and len(at.header) == 2


def test_an_unknown_skpd_in_the_url_is_named_as_text_and_ignored(troubled: PortalSetup) -> None:
    at = run_app(PAGE, skpd=["PERKIM", "<img src=x>"])
    assert [s.value for s in at.header] == ["PERKIM"]
    [info] = at.info
    assert "tidak dikenal" in info.value and "\\<img src=x\\>" in info.value


def test_the_page_speaks_english(troubled: PortalSetup) -> None:
    at = run_app(PAGE, lang="en")
    text = _text(at)
    assert at.title[0].value == "Data health per office (SKPD)"
    assert "stay on the public pages" in at.error[0].value
    days = number((city_today(datetime.now(UTC)) - OLD_REPORT).days, "en", 0)
    assert f"last report 30 June 2024, {days} days ago" in text
    assert "Last successful read: " in text and "Last change in content: " in text
    [issues] = _issues(at, "en")
    assert issues.iloc[0]["Kind"] == "Rejected" and "it must be between 0 and 100" in issues.iloc[0]["Message"]


def _prefix_warnings(at: AppTest) -> list[str]:
    return [_plain(w.value) for w in at.warning if "OC4IDS" in w.value]


def test_the_page_warns_while_the_oc4ids_prefix_is_the_placeholder(troubled: PortalSetup) -> None:
    """The default [open_data] oc4ids_prefix (oc4ids-bjm): every published project id fails the standard's check."""
    at = run_app(PAGE)
    [warning] = _prefix_warnings(at)
    assert warning.startswith("**Awalan id proyek OC4IDS masih sementara.**")
    # At the end of the page, after every source's section: what the page is for comes first.
    last = list(at.main.children.values())[-1]
    assert getattr(last, "value", None) == at.warning[-1].value and at.header, last
    assert "`[open_data] oc4ids_prefix` = oc4ids-bjm" in warning and "berubah satu kali" in warning
    [warning] = _prefix_warnings(run_app(PAGE, lang="en"))
    assert warning.startswith("**The OC4IDS project id prefix is still a placeholder.**")
    assert "`[open_data] oc4ids_prefix` = oc4ids-bjm" in warning and "change once" in warning


@pytest.mark.parametrize(
    "open_data",
    ['oc4ids_prefix = "oc4ids-a1b2c3"', "enabled = false"],
    ids=["registered-shape", "no-open-data"],
)
def test_no_prefix_warning_with_a_registered_shape_or_when_no_open_data_is_written(
    troubled: PortalSetup, portal_env: Callable[[PortalSetup], None], open_data: str
) -> None:
    with troubled.config_path.open("a", encoding="utf-8") as file:
        file.write(f"\n[open_data]\n{open_data}\n")
    portal_env(troubled)
    at = run_app(PAGE)
    assert [s.value for s in at.header] == ["PERKIM", "PUPR"]  # the page itself is drawn as before
    assert not _prefix_warnings(at)


def test_a_google_sources_issues_link_to_their_worksheet_and_cell(
    google: Callable[..., GoogleSetup], portal_env: Callable[[PortalSetup], None]
) -> None:
    setup = google(["diskop_baiman_store"])  # the sample with rejected rows and warnings on several worksheets
    key = setup.keys["diskop_baiman_store"]
    config_path = setup.write_config()
    _sync(config_path)
    portal_env(PortalSetup(setup.folder, config_path))

    at = run_app(PAGE)
    # The page's first view: a static table whose cell column links each issue's A1 cell (issue 23).
    assert not at.dataframe
    [static] = _issues(at)
    static_links = [re.fullmatch(r"\[([A-Z]+[0-9]+)\]\((\S+)\)", _where(cell)[0]) for cell in static["Sel"]]
    assert all(static_links), static["Sel"].tolist()
    assert {_where(cell)[1] for cell in static["Sel"]} == {"capaian", "lokasi"}
    for match in static_links:
        assert match and match[2].endswith(f"&range={match[1]}"), match
    at = _interactive(at)
    [issues] = _grid(at)
    # The grid shows the same issues; the static table has rejected rows first (each kind in sheet order).
    errors_first = issues.sort_values("Jenis", key=lambda kind: kind != "Ditolak", kind="stable")
    assert [m[2] for m in static_links if m] == errors_first["Sel"].tolist()
    assert static["Jenis"].tolist() == errors_first["Jenis"].tolist()
    # The emulator's worksheet ids, by the contract's name for each worksheet (titles may be typed otherwise).
    gids = {
        spec.name: setup.emulator._worksheet(key, title).sheet_id
        for title in setup.emulator.titles(key)
        for spec in contract.WORKSHEETS
        if spec.matches_title(title)
    }
    assert len(set(gids.values())) == 3 and 0 in gids.values()
    links = issues["Sel"].dropna().tolist()
    assert links
    for worksheet, link in zip(issues["Lembar (worksheet)"], issues["Sel"], strict=True):
        if link is None:
            continue
        match = re.fullmatch(
            rf"https://docs\.google\.com/spreadsheets/d/{re.escape(key)}/edit#gid=(\d+)&range=([A-Z]+[0-9]+)", link
        )
        assert match, link
        assert int(match[1]) == gids[worksheet]
    # The link's cell is the issue's own: the stored report names them the same.
    stored = Store(load_config(config_path).database_url).latest_runs()["diskop_baiman_store"].report
    assert stored is not None
    expected = [
        f"https://docs.google.com/spreadsheets/d/{key}/edit#gid={gids[i['worksheet']]}&range={i['cell']}"
        for i in stored["issues"]
        if i["cell"]
    ]
    assert links == expected
    assert {gid for gid in gids.values() if f"gid={gid}&" in " ".join(links)} - {0}  # not only the first worksheet
    # The column shows the A1 cell as the link's text.
    frame = next(d for d in at.dataframe if "Pesan" in d.value.columns)
    config = json.loads(frame.proto.columns)["Sel"]
    assert config["type_config"]["type"] == "link" and "range=" in config["type_config"]["display_text"]


# --- the static table first, the grid when asked (issue 23) --------------------------------------

HOSTILE = "**x** [a](javascript:alert(1))"
LONG = "Kelurahan yang namanya diketik sangat panjang sekali oleh petugas"
ADDRESS = "https://drive.example/folder/laporan/kelurahan/tanpa/spasi/sama/sekali"  # one long word
OUTSIDE = "-3.4424, 114.7625"  # beyond the city: an error (the row is rejected)
WARNINGS, ERRORS = 60, 2


@pytest.fixture
def crowded(
    tmp_path: Path, make_portal: Callable[..., PortalSetup], portal_env: Callable[[PortalSetup], None]
) -> PortalSetup:
    """One source with 62 issues: 60 warnings (an unknown kelurahan on rows 2 to 61, the first hostile Markdown,
    the second a long value, the third one long word), then 2 rejected rows (a point outside the city on rows 62
    and 63)."""
    names = [HOSTILE, LONG, ADDRESS] + ["Kelayan Selatn"] * (WARNINGS - 3)
    sites = [lokasi(kode_lokasi=f"LOK-{n:03}", kelurahan=name) for n, name in enumerate(names)]
    sites += [lokasi(kode_lokasi=f"LOK-9{n}", koordinat=OUTSIDE) for n in range(ERRORS)]
    setup = make_portal({"perkim": write_source(tmp_path / "perkim.xlsx", lokasis=sites)})
    _sync(setup.config_path)
    portal_env(setup)
    return setup


def _order(at: AppTest) -> tuple[int, int, int]:
    """Where, among the page's top-level elements, the summary's counts, the toggle and the first source are."""
    nodes = list(at.main.children.values())
    summary = next(i for i, node in enumerate(nodes) if getattr(node, "metric", None))
    toggle = next(i for i, node in enumerate(nodes) if getattr(node, "type", "") == "toggle")
    section = next(i for i, node in enumerate(nodes) if getattr(node, "header", None))
    return summary, toggle, section


def test_the_first_view_is_a_static_table_of_the_issues_with_sheet_text_as_text(crowded: PortalSetup) -> None:
    at = run_app(PAGE)
    assert not at.dataframe  # nothing of the grid's 210 KB on the first view
    [issues] = _issues(at)
    assert list(issues.columns) == ["Jenis", "Sel", "Pesan", "Kolom", "Isi sel"]
    cells = {_where(cell)[0]: index for index, cell in enumerate(issues["Sel"])}
    hostile = issues.iloc[cells["F2"]]
    # Markdown cells: the sheet's text escaped (no bold, no live link), read by the reader as it was typed.
    assert hostile["Isi sel"] == escape_markdown(HOSTILE) and _plain(hostile["Isi sel"]) == HOSTILE
    assert "](javascript" not in hostile["Isi sel"] and "](javascript" not in hostile["Pesan"]
    assert f"'{HOSTILE}'" in _plain(hostile["Pesan"]).replace(WORD_JOINER, "")  # the message quotes it, escaped
    assert escape_markdown(f"'{HOSTILE}'") in hostile["Pesan"]
    # A long value is cut to a line or two; the message, which quotes it, stays whole.
    long = issues.iloc[cells["F3"]]
    assert _plain(long["Isi sel"]) == shorten(LONG, VALUE_CHARS, placeholder=" …") and len(long["Isi sel"]) <= 45
    assert LONG in _plain(long["Pesan"])
    # One long word is cut inside it, not to a bare "…"; an address stays text (a word joiner stops autolinking).
    address = issues.iloc[cells["F4"]]["Isi sel"]
    assert WORD_JOINER in address and _plain(address).replace(WORD_JOINER, "") == ADDRESS[: VALUE_CHARS - 2] + " …"
    # The worksheet and the column are sheet text too (here the contract's names, as the report keeps them).
    assert {_where(cell)[1] for cell in issues["Sel"]} == {"lokasi"}
    assert set(issues["Kolom"]) == {"kelurahan", "koordinat"}
    # The toggle that brings the grid: one for the page, after the summary, before the sources.
    assert [w.label for w in at.toggle] == ["Tampilkan tabel interaktif (urutkan, cari)"]
    summary, toggle, section = _order(at)
    assert summary < toggle < section, (summary, toggle, section)


def test_a_source_with_many_issues_shows_the_first_50_rejected_first_and_says_so(crowded: PortalSetup) -> None:
    total = WARNINGS + ERRORS
    for lang, kinds, caption in [
        (
            "id",
            ("Ditolak", "Peringatan"),
            f"Menampilkan 50 dari {total} masalah, yang ditolak lebih dulu; semuanya ada di tabel interaktif.",
        ),
        (
            "en",
            ("Rejected", "Warning"),
            f"Showing 50 of {total} issues, rejected rows first; all of them are in the interactive table.",
        ),
    ]:
        at = run_app(PAGE, lang=lang)
        [issues] = _issues(at, lang)
        assert len(issues) == ISSUES_SHOWN == 50
        kind, cell = issues.columns[0], issues.columns[1]
        # The rejected rows (last in the sheet) first, then the warnings from the sheet's top: each in sheet order.
        assert issues[kind].tolist() == [kinds[0]] * ERRORS + [kinds[1]] * (50 - ERRORS)
        places = [_where(where)[0] for where in issues[cell]]
        assert places == ["E62", "E63"] + [f"F{row}" for row in range(2, 2 + 50 - ERRORS)]
        assert caption in [c.value for c in at.caption], [c.value for c in at.caption]


def test_a_source_with_few_issues_has_no_count_caption_and_no_open_hint_without_links(troubled: PortalSetup) -> None:
    at = run_app(PAGE)
    assert [len(i) for i in _issues(at)] == [1]
    captions = " ".join(c.value for c in at.caption)
    assert "Menampilkan" not in captions and "Klik alamat sel" not in captions  # a workbook's cells have no link


def test_the_toggle_brings_the_grid_with_every_issue_whole(crowded: PortalSetup) -> None:
    at = _interactive(run_app(PAGE))
    assert not _issues(at) and not [c for c in at.caption if "Menampilkan" in c.value]
    [grid] = _grid(at)
    # The columns and values the grid always had: the row too, every issue in sheet order, text as typed.
    assert list(grid.columns) == ["Jenis", "Lembar (worksheet)", "Baris", "Sel", "Kolom", "Isi sel", "Pesan"]
    assert len(grid) == WARNINGS + ERRORS
    assert grid["Baris"].tolist() == [str(row) for row in range(2, 2 + WARNINGS + ERRORS)]
    assert grid["Isi sel"].tolist()[:3] == [HOSTILE, LONG, ADDRESS]
    assert grid["Jenis"].tolist()[-ERRORS:] == ["Ditolak"] * ERRORS
    config = json.loads(next(d for d in at.dataframe if "Pesan" in d.value.columns).proto.columns)
    assert config["Pesan"]["width"] == "large"


def test_an_issue_without_a_cell_names_its_row_and_worksheet(
    tmp_path: Path, make_portal: Callable[..., PortalSetup], portal_env: Callable[[PortalSetup], None]
) -> None:
    """A required column missing from the header (row 1, no cell) and a missing worksheet (no row, no column): no
    row column in the static table, so the cell column says the row, over the worksheet; an empty column is "\\-",
    not a bare "-" (a Markdown list item)."""
    book = write_xlsx(
        tmp_path / "perkim.xlsx",
        {"program": records_grid([program()]), "capaian": records_grid([without(capaian(), "tanggal")])},
    )
    setup = make_portal({"perkim": book})
    _sync(setup.config_path)
    portal_env(setup)
    for lang, row in (("id", "baris 1"), ("en", "row 1")):
        [issues] = _issues(run_app(PAGE, lang=lang), lang)
        cells, columns = issues.iloc[:, 1].tolist(), issues.iloc[:, 3].tolist()
        assert cells == [f"{row}  \ncapaian", "lokasi"] and columns == ["tanggal", "\\-"], issues


def test_the_toggle_is_drawn_only_when_a_source_shown_has_issues(troubled: PortalSetup) -> None:
    assert len(run_app(PAGE, skpd="PUPR").toggle) == 1  # its rejected row
    perkim = run_app(PAGE, skpd="PERKIM")  # read fine before its failure: no issue
    assert not perkim.toggle and not perkim.table and not perkim.dataframe


def _private(setup: PortalSetup) -> None:
    with setup.config_path.open("a", encoding="utf-8") as file:
        file.write("\n[health]\npublic = false\n")


def _page_with_secrets(secrets: dict[str, str] | None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if secrets is not None:
        at.secrets["admin"] = secrets
    at.run()  # the pages st.navigation registers are known after one run (kesehatan-data is health.py)
    at.switch_page(PAGE)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_when_not_public_nothing_shows_but_the_sign_in(troubled: PortalSetup, portal_env: Callable) -> None:
    _private(troubled)
    portal_env(troubled)
    at = _page_with_secrets(None)
    assert "hanya untuk tim Smart City" in at.info[0].value
    assert not at.header and not at.dataframe and not at.error and not at.multiselect and not at.metric

    password = "kata-sandi-uji-yang-panjang"
    at = _page_with_secrets({"password_hash": hash_password(password)})
    assert not at.header and not at.dataframe and len(at.text_input) == 1
    at.text_input[0].input(password)
    [sign_in] = [b for b in at.button if b.label == t("admin.sign_in", "id")]
    sign_in.click().run()
    assert [s.value for s in at.header] == ["PERKIM", "PUPR"]
    assert len(_issues(at)) == 1 and not [i for i in at.info if "hanya untuk tim" in i.value]


# --- the stale mark on the public pages ----------------------------------------------------------

FINISHED_CODE = "QW24-DLH-01"


@pytest.fixture
def three_programs(
    tmp_path: Path, make_portal: Callable[..., PortalSetup], portal_env: Callable[[PortalSetup], None]
) -> PortalSetup:
    """A stale program (last report long ago), a fresh one (three days ago), a finished one (long ago)."""
    today = city_today(datetime.now(UTC))
    programs = [
        program(),
        program(kode_program=OTHER_CODE, nama_program="Sungaiku Baiman", dimensi="Smart Branding"),
        program(kode_program=FINISHED_CODE, nama_program="Sampah Menjadi Energi", dimensi="Smart Environment"),
    ]
    capaians = [
        capaian(),
        capaian(kode_program=OTHER_CODE, tanggal=today - timedelta(days=3)),
        capaian(kode_program=FINISHED_CODE, rencana_persen=100, realisasi_persen=100, status="Selesai"),
    ]
    setup = make_portal({"skpd": write_source(tmp_path / "skpd.xlsx", programs, capaians)})
    portal_env(setup)
    return setup


def _card_captions(at: AppTest, name: str) -> list[str]:
    """The captions of the card that names the program."""
    for column in at.columns:
        if any(name in m.value for m in column.markdown):
            return [c.value for c in column.caption]
    raise AssertionError(f"no card for {name}")


def test_the_public_card_marks_a_stale_program_in_words_and_icon(three_programs: PortalSetup) -> None:
    days = number((city_today(datetime.now(UTC)) - OLD_REPORT).days, "id", 0)
    at = run_app()
    stale = _card_captions(at, "Bakawan RTLH")
    assert f":material/event_busy: Laporan terakhir {days} hari lalu" in stale
    for other in ("Sungaiku Baiman", "Sampah Menjadi Energi"):
        assert not [c for c in _card_captions(at, other) if "Laporan terakhir" in c], other

    english = run_app(lang="en")
    assert f":material/event_busy: Last report {days} days ago" in _card_captions(english, "Bakawan RTLH")


def test_the_program_page_marks_only_a_stale_program(three_programs: PortalSetup) -> None:
    days = number((city_today(datetime.now(UTC)) - OLD_REPORT).days, "id", 0)
    stale = run_app("app_pages/program.py", program=PROGRAM_CODE)
    assert f":material/event_busy: Laporan terakhir {days} hari lalu" in [c.value for c in stale.caption]
    for code in (OTHER_CODE, FINISHED_CODE):
        at = run_app("app_pages/program.py", program=code)
        assert not [c.value for c in at.caption if "Laporan terakhir" in c.value], code


def test_the_stale_limit_comes_from_the_config(three_programs: PortalSetup, portal_env: Callable) -> None:
    with three_programs.config_path.open("a", encoding="utf-8") as file:
        file.write(f"\n[health]\nstale_days = {(city_today(datetime.now(UTC)) - OLD_REPORT).days}\n")
    portal_env(three_programs)
    at = run_app()
    assert not [c for c in _card_captions(at, "Bakawan RTLH") if "Laporan terakhir" in c]


# --- the health page's word and the program page agree -------------------------------------------


@pytest.fixture
def one_late_one_fresh(
    tmp_path: Path, make_portal: Callable[..., PortalSetup], portal_env: Callable[[PortalSetup], None]
) -> PortalSetup:
    """Two clean sources: PERKIM's program last reported long ago, PUPR's three days ago."""
    today = city_today(datetime.now(UTC))
    perkim = write_source(tmp_path / "perkim.xlsx")
    pupr = write_source(
        tmp_path / "pupr.xlsx",
        programs=[
            program(kode_program=OTHER_CODE, nama_program="Sungaiku Baiman", dimensi="Smart Branding", skpd="PUPR")
        ],
        capaians=[capaian(kode_program=OTHER_CODE, tanggal=today - timedelta(days=3))],
        lokasis=[lokasi(kode_program=OTHER_CODE)],
    )
    setup = make_portal({"perkim": perkim, "pupr": pupr})
    _sync(setup.config_path)
    portal_env(setup)
    return setup


def _badges(at: AppTest) -> dict[str, str]:
    """Each source's heading and the condition word under it, icon included."""
    headers = [h.value for h in at.header]
    # The word is the first line of the source's facts (one Markdown element since issue 23).
    badges = [m.value.split("\n")[0] for m in at.markdown if re.match(r"^:material/\w+: \S", m.value)]
    return dict(zip(headers, badges, strict=True))


def test_a_source_whose_program_the_program_page_calls_late_is_not_good_on_the_health_page(
    one_late_one_fresh: PortalSetup,
) -> None:
    """Issue #26: /kesehatan-data said "Baik" beside a source whose program had no report for 704 days."""
    days = number((city_today(datetime.now(UTC)) - OLD_REPORT).days, "id", 0)
    late = run_app("app_pages/program.py", program=PROGRAM_CODE)
    assert f":material/event_busy: Laporan terakhir {days} hari lalu" in [c.value for c in late.caption]
    fresh = run_app("app_pages/program.py", program=OTHER_CODE)
    assert not [c.value for c in fresh.caption if "Laporan terakhir" in c.value]

    at = run_app(PAGE)
    badges = _badges(at)
    perkim = next(v for k, v in badges.items() if k != "PUPR")
    assert perkim == ":material/event_busy: Ada program tanpa laporan baru", badges
    assert badges["PUPR"] == ":material/check_circle: Baik", badges
    english = _badges(run_app(PAGE, lang="en"))
    assert ":material/event_busy: A program has no recent report" in english.values(), english
