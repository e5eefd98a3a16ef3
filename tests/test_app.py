"""The overview page, run through Streamlit's AppTest on a real store filled by the first-start sync."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from builders import OTHER_CODE, capaian, lokasi, program
from conftest import PortalSetup, run_app, write_source
from store_queries import snapshot_count
from streamlit.testing.v1 import AppTest

from core.formatting import escape_markdown
from core.i18n import t
from core.passwords import hash_password
from core.signed_note import generate_key
from data_sources.store.snapshot_store import Store

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def _run(lang: str | None = None) -> AppTest:
    return run_app(**({"lang": lang} if lang else {}))


def _text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [s.value for s in at.header]
    parts += [w.value for w in at.warning] + [t.value for t in at.title] + [m.label for m in at.metric]
    parts += [p.proto.text for p in at.get("progress")]
    return "\n".join(parts)


def test_first_start_on_an_empty_store_syncs_and_shows_each_program_against_plan(
    tmp_path: Path, make_portal: Callable[..., PortalSetup], portal_env: Callable[[PortalSetup], None]
) -> None:
    late = write_source(
        tmp_path / "pupr.xlsx",
        programs=[
            program(kode_program=OTHER_CODE, nama_program="Sungaiku Baiman", dimensi="Smart Branding", skpd="PUPR")
        ],
        capaians=[capaian(kode_program=OTHER_CODE, rencana_persen=60, realisasi_persen=35, status="Terhambat")],
        lokasis=[lokasi(kode_program=OTHER_CODE)],
    )
    setup = make_portal({"disperkim": write_source(tmp_path / "perkim.xlsx"), "pupr": late}, sample=True)
    portal_env(setup)
    assert not setup.database.exists()

    at = _run()

    assert snapshot_count(Store(setup.config.database_url)) == 2
    text = _text(at)
    assert "Portal Transparansi Quick Win" in text
    assert "Data contoh" in text  # the sample-data notice
    assert "Bakawan RTLH" in text and "Sungaiku Baiman" in text
    assert "Realisasi 45% dari rencana 50%" in text
    assert ":material/warning: Kritis" in text  # the critical program is told in words and icon, not colour alone
    assert "Data per 30 Juni 2024" in text
    assert "Rp9,2 miliar" in text
    # No chart engine on the home page: progress per program and the Smart City index are pictures the server
    # draws (tests/test_web_routes.py), each with a text alternative, and their figures in tables.
    assert not at.get("plotly_chart")
    # (The progress picture shares its element with the line under it: fewer elements to draw, issue 23.)
    pictures = [m.value.split("\n\n", 1)[0] for m in at.markdown if m.value.startswith("![")]
    assert pictures == [
        f"![{escape_markdown(t('overview.chart_alt', 'id'))}](/grafik/kemajuan.svg)",
        f"![{escape_markdown(t('index.chart_alt', 'id'))}](/grafik/indeks.svg)",
    ]
    # The progress chart's figures are a table drawn once its box is opened: the index's table comes first.
    [index] = [table.value for table in at.table]
    assert list(index.iloc[:, 0]) == ["2021", "2022", "2023", "2024"] and index.iloc[3, 1] == "3,57"
    assert [e for e in at.expander if e.label == "Tabel data grafik"], "the box is offered"
    at.session_state["progress_table"] = True  # the reader opens the box
    at.run()
    progress = at.table[0].value
    assert "Bakawan RTLH" in set(progress.iloc[:, 0]) and list(progress.columns)[1:3] == ["Rencana", "Realisasi"]
    # Where and when each source was read: its lines drawn once the reader opens their box.
    read_lines = [c.value for c in at.caption if "baris terbit" in c.value]
    assert not read_lines and [e for e in at.expander if e.label == "Sumber data dan waktu sinkronisasi"]
    at.session_state["sources_panel"] = True
    at.run()
    read_lines = [c.value for c in at.caption if "baris terbit" in c.value]
    assert len(read_lines) == 2 and all(": dibaca " in line for line in read_lines), read_lines
    assert [link.proto.query_string for link in at.get("page_link")][:1] == ["program=QW24-PUPR-01"]


def test_the_overview_speaks_english_when_the_link_says_so(
    tmp_path: Path, make_portal: Callable[..., PortalSetup], portal_env: Callable[[PortalSetup], None]
) -> None:
    setup = make_portal({"disperkim": write_source(tmp_path / "perkim.xlsx")})
    portal_env(setup)
    at = _run("en")
    text = _text(at)
    assert "Quick Win Transparency Portal" in text
    assert "Progress 45% against a plan of 50%" in text
    assert "Data as of 30 June 2024" in text
    assert "Rp9.2 billion" in text
    assert "Sample data" not in text  # this source is not marked as sample
    assert at.button(key="language_switch").label == "Bahasa Indonesia"  # the switch names the other language


def test_a_source_whose_read_fails_keeps_its_data_on_the_page_with_its_age(
    tmp_path: Path, make_portal: Callable[..., PortalSetup], portal_env: Callable[[PortalSetup], None]
) -> None:
    path = write_source(tmp_path / "perkim.xlsx")
    setup = make_portal({"disperkim": path})
    portal_env(setup)
    _run()
    path.unlink()
    store = Store(setup.config.database_url)
    from data_sources.jobs.sync import sync_all

    assert sync_all(setup.config, store)[0].failed
    at = _run()
    text = _text(at)
    assert "Bakawan RTLH" in text
    assert any("pembacaan terakhir gagal" in w.value for w in at.warning)


def test_sheet_text_is_shown_as_text_not_markup(
    tmp_path: Path, make_portal: Callable[..., PortalSetup], portal_env: Callable[[PortalSetup], None]
) -> None:
    hostile = "Program ![pixel](https://evil.example/p.png) <img src=x onerror=alert(1)>"
    setup = make_portal({"x": write_source(tmp_path / "x.xlsx", programs=[program(nama_program=hostile)])})
    portal_env(setup)
    at = _run()
    names = [m.value for m in at.markdown if "pixel" in m.value]
    assert names, "the program name is on the page"
    for name in names:
        # every markdown- or HTML-active character arrives escaped, so the browser shows it as text
        assert re.search(r"(?<!\\)[!\[\]()<>]", name) is None, name
        assert not any(m.allow_html for m in at.markdown)


ADMIN = str(Path(__file__).resolve().parent.parent / "app_pages" / "admin.py")


def _button(at: AppTest, label: str) -> Any:
    return next(b for b in at.button if b.label == label)


def test_the_admin_page_stays_locked_without_a_configured_password(
    tmp_path: Path, make_portal: Callable[..., PortalSetup], portal_env: Callable[[PortalSetup], None]
) -> None:
    setup = make_portal({"disperkim": write_source(tmp_path / "perkim.xlsx")})
    portal_env(setup)
    at = AppTest.from_file(ADMIN, default_timeout=60)
    at.run()
    assert not at.exception
    assert "password" in at.info[0].value and not at.button


def test_the_admin_signs_in_sees_each_source_and_syncs_now(
    tmp_path: Path, make_portal: Callable[..., PortalSetup], portal_env: Callable[[PortalSetup], None]
) -> None:
    path = write_source(tmp_path / "perkim.xlsx")
    setup = make_portal({"disperkim": path})
    portal_env(setup)
    at = AppTest.from_file(ADMIN, default_timeout=60)
    at.secrets["admin"] = {"password_hash": hash_password("rahasia-uji")}
    at.run()
    at.text_input[0].input("salah")
    _button(at, "Masuk").click().run()
    assert any("salah" in e.value.lower() for e in at.error)
    assert not at.dataframe  # nothing of the admin page before the right password

    at.text_input[0].input("rahasia-uji")
    _button(at, "Masuk").click().run()
    table = at.dataframe[0].value
    assert list(table.iloc[:, 0]) == ["disperkim"]

    write_source(path, capaians=[capaian(realisasi_persen=49)])
    _button(at, "Sinkronkan sekarang").click().run()
    assert any("snapshot baru" in s.value for s in at.success)
    assert snapshot_count(Store(setup.config.database_url)) == 2


def test_an_unexpected_failure_shows_a_short_apology_and_no_details(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, portal_env: Callable[[PortalSetup], None]
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the store's folder should be", encoding="utf-8")
    config = tmp_path / "portal.toml"
    config.write_text(f'[store]\npath = "{(blocker / "store.sqlite").as_posix()}"\n', encoding="utf-8")
    monkeypatch.setenv("PORTAL_CONFIG", str(config))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception
    assert any("Maaf" in e.value for e in at.error)
    assert not any("Traceback" in e.value or "not-a-folder" in e.value for e in at.error)


ABOUT = str(Path(__file__).resolve().parent.parent / "app_pages" / "about.py")


@pytest.mark.parametrize(("lang", "expected"), [("id", "Cara status dihitung"), ("en", "How status is computed")])
def test_the_about_page_explains_sources_status_privacy_and_licence(
    tmp_path: Path,
    make_portal: Callable[..., PortalSetup],
    portal_env: Callable[[PortalSetup], None],
    lang: str,
    expected: str,
) -> None:
    portal_env(make_portal({"disperkim": write_source(tmp_path / "perkim.xlsx")}, sample=True))
    at = AppTest.from_file(ABOUT, default_timeout=60)
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception
    text = _text(at).replace("\\", "")  # config text is markdown-escaped; the reader sees it without
    assert expected in text
    assert "CC BY 4.0" in text and "test@example.org" in text
    assert ("Data contoh" if lang == "id" else "Sample data") in text


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_about_page_shows_the_verifier_key_or_says_checkpoints_are_not_signed(
    tmp_path: Path,
    make_portal: Callable[..., PortalSetup],
    portal_env: Callable[[PortalSetup], None],
    lang: str,
) -> None:
    setup = make_portal({"disperkim": write_source(tmp_path / "perkim.xlsx")})
    portal_env(setup)
    at = AppTest.from_file(ABOUT, default_timeout=60)
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception
    assert t("about.log", lang) in _text(at) and [i.value for i in at.info] == [t("about.log_unsigned", lang)]
    assert not at.code
    # No code span either: one would load the 90 KB monospace web font on /tentang (issue 23).
    assert "`" not in _text(at) + "".join(i.value for i in at.info)

    # With a signer key configured (outside the store's folder): its verifier key, exactly, to copy and keep.
    signer, verifier = generate_key("portal.example.go.id/log")
    key_file = tmp_path / "keys" / "log.key"
    key_file.parent.mkdir()
    key_file.write_text(signer + "\n", encoding="ascii")
    with setup.config_path.open("a", encoding="utf-8") as config:
        config.write(f'\n[log]\nkey_file = "{key_file.as_posix()}"\n')
    portal_env(setup)
    at = AppTest.from_file(ABOUT, default_timeout=60)
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception
    assert not at.code and not at.info  # no code block: its highlighter is 514 KB for one line (issue 23)
    [said] = [m.value for m in at.markdown if m.value.startswith(t("about.log_key", lang))]
    assert said.split("\n\n")[1] == escape_markdown(verifier)  # the key exactly, as Markdown shows it
    assert t("about.log_key", lang) in _text(at) and signer.split("+", 4)[4] not in _text(at)


def test_an_unknown_language_in_the_link_is_a_polite_note_and_indonesian(
    tmp_path: Path, make_portal: Callable[..., PortalSetup], portal_env: Callable[[PortalSetup], None]
) -> None:
    portal_env(make_portal({"disperkim": write_source(tmp_path / "perkim.xlsx")}))
    at = run_app(lang="fr<script>")
    assert any("Bahasa pada tautan tidak dikenal" in i.value for i in at.info)
    assert "Portal Transparansi Quick Win" in _text(at)
    assert "lang" not in at.query_params


def test_the_language_button_switches_the_page_and_keeps_every_other_setting_of_its_address(
    tmp_path: Path, make_portal: Callable[..., PortalSetup], portal_env: Callable[[PortalSetup], None]
) -> None:
    portal_env(make_portal({"disperkim": write_source(tmp_path / "perkim.xlsx")}))
    at = run_app("app_pages/program.py", program="QW24-PERKIM-01")
    assert at.button(key="language_switch").label == "English"

    at.button(key="language_switch").click().run()
    assert at.query_params["lang"] == "en" and at.query_params["program"] == "QW24-PERKIM-01"
    assert at.button(key="language_switch").label == "Bahasa Indonesia"
    assert "S-curve" in " ".join(s.value for s in [*at.subheader, *at.header, *at.markdown])

    at.button(key="language_switch").click().run()
    assert "lang" not in at.query_params and at.query_params["program"] == "QW24-PERKIM-01"
    assert at.button(key="language_switch").label == "English"


def test_a_page_opened_without_a_language_in_its_address_keeps_the_sessions_language(
    tmp_path: Path, make_portal: Callable[..., PortalSetup], portal_env: Callable[[PortalSetup], None]
) -> None:
    """Streamlit's navigation opens a page with an empty query: the language the reader chose holds, and is written
    back into the address so a copied link keeps it."""
    portal_env(make_portal({"disperkim": write_source(tmp_path / "perkim.xlsx")}))
    at = run_app(lang="en")
    del at.query_params["lang"]
    at.switch_page("app_pages/about.py").run()
    assert at.title[0].value == t("about.title", "en")
    assert at.query_params["lang"] == "en"
