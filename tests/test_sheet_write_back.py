"""Telling an SKPD in its own Google Sheet (issue 20): notes on problem cells and the status_portal tab, written by
a real sync through the real gspread client over HTTP to the Sheets API emulator, into a real SQLite store.

The emulator stands in for Google, which this machine cannot reach; it answers spreadsheets.get with notes and
spreadsheets.batchUpdate as the real API does (tests/test_sheets_emulator_notes.py).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from admin_session import signed_in
from conftest import GoogleSetup, PortalSetup, run_app
from sheets_emulator import SheetsEmulator

from core.sheet_feedback import MARKER, STATUS_WORKSHEET, placed_issues
from data_sources.config.portal_config import ConfigError, load_config
from data_sources.jobs.sync import SyncOutcome, run_sync
from data_sources.published.sync_health import sheet_writes
from data_sources.readers.google_sheets import READ_ONLY_SCOPE, READ_WRITE_SCOPE
from data_sources.store.snapshot_store import Store

TODAY = date(2026, 11, 27)
REPO = Path(__file__).resolve().parent.parent
RTLH = "disperkim_bakawan_rtlh"
RIVER = "pupr_sungaiku_baiman"
NIK = "6371012345678901"
BATCH = ":batchUpdate"


def _config(setup: GoogleSetup, *, write_back: bool = True, budget: int = 5) -> Path:
    lines = [
        '[store]\npath = "store.sqlite"\n',
        f"[sync]\nrequest_timeout_seconds = 10\nretry_budget_seconds = {budget}\ninterval_minutes = 60\n",
        f'[google]\ncredentials_file = "{setup.key_file.as_posix()}"\n',
        '[open_data]\nenabled = false\npublic_url = "https://portal.example"\n',
    ]
    for name, key in setup.keys.items():
        lines.append(
            f'[[sources]]\nname = "{name}"\nskpd = "Disperkim"\nkind = "google"\nsheet = "{key}"\n'
            f"write_back = {'true' if write_back else 'false'}\n"
        )
    path = setup.folder / "portal.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _sync(config_path: Path) -> tuple[SyncOutcome, Store]:
    config = load_config(config_path)
    store = Store(config.database_url)
    outcomes = run_sync(config, store, TODAY)
    assert outcomes is not None and len(outcomes) == 1
    return outcomes[0], store


def _problem_cells(outcome: SyncOutcome) -> set[tuple[str, str]]:
    """Where the check report's problems sit, placed as the portal places them (a row's problem on its code cell,
    column A in the samples)."""
    assert outcome.result is not None
    letters = {"program": "A", "capaian": "A", "lokasi": "A"}
    return {(c.worksheet, c.a1) for c in placed_issues(outcome.result.issues, letters)}


def _portal_notes(sheets: SheetsEmulator, key: str) -> dict[tuple[str, str], str]:
    return {
        (title, a1): note
        for title in ("program", "capaian", "lokasi")
        for a1, note in sheets.notes(key, title).items()
        if MARKER in note
    }


@pytest.fixture
def rtlh(google: Callable[..., GoogleSetup]) -> GoogleSetup:
    setup = google([RTLH])
    key = setup.keys[RTLH]
    # Two wrong cells and a NIK typed into a note column: two errors and a warning.
    setup.emulator.set_cell(key, "capaian", "D3", "banyak")
    setup.emulator.set_cell(key, "capaian", "H4", f"Penerima NIK {NIK}")
    setup.emulator.set_cell(key, "lokasi", "E5", "bukan koordinat")
    return setup


def test_a_sync_puts_a_note_on_exactly_the_problem_cells(rtlh: GoogleSetup) -> None:
    outcome, _ = _sync(_config(rtlh))
    key = rtlh.keys[RTLH]
    assert outcome.outcome == "new"
    problems = _problem_cells(outcome)
    assert {("capaian", "D3"), ("capaian", "H4"), ("lokasi", "E5")} <= problems
    notes = _portal_notes(rtlh.emulator, key)
    assert set(notes) == problems
    for (worksheet, a1), note in notes.items():
        assert note.splitlines()[0] == MARKER
        for issue in outcome.result.issues if outcome.result else []:
            if issue.worksheet == worksheet and issue.cell == a1:
                assert issue.message.id in note  # the health page's words
    assert outcome.sheet is not None and outcome.sheet.outcome == "written"
    assert outcome.sheet.notes == len(problems)


def test_notes_and_the_status_tab_hold_no_personal_data_and_no_private_point(rtlh: GoogleSetup) -> None:
    _sync(_config(rtlh))
    key = rtlh.keys[RTLH]
    written = json.dumps(list(_portal_notes(rtlh.emulator, key).values()))
    written += json.dumps(rtlh.emulator.values(key, STATUS_WORKSHEET))
    assert NIK not in written
    assert "NIK" in _portal_notes(rtlh.emulator, key)[("capaian", "H4")]  # the kind is named
    assert "bukan koordinat" not in _portal_notes(rtlh.emulator, key)[("lokasi", "E5")]  # a private home's cell


def test_a_clerks_own_note_is_kept_word_for_word_and_only_the_portals_part_goes_after_the_fix(
    rtlh: GoogleSetup,
) -> None:
    key, sheets = rtlh.keys[RTLH], rtlh.emulator
    clerk = "Menunggu laporan konsultan.\nCek lagi Senin — Bu Rina"
    sheets.set_note(key, "capaian", "D3", clerk)
    sheets.set_note(key, "program", "B2", "Nama resmi dari SK Walikota")  # no problem here: never touched
    config = _config(rtlh)
    _sync(config)
    noted = sheets.note(key, "capaian", "D3")
    assert noted.startswith(clerk + "\n\n" + MARKER)
    assert sheets.note(key, "program", "B2") == "Nama resmi dari SK Walikota"
    # The clerk fixes both cells.
    sheets.set_cell(key, "capaian", "D3", "45,5")
    sheets.set_cell(key, "lokasi", "E5", "-3.3278, 114.5887")
    _sync(config)
    assert sheets.note(key, "capaian", "D3") == clerk
    assert sheets.note(key, "lokasi", "E5") == ""  # only the portal's note was there: now none
    assert sheets.note(key, "program", "B2") == "Nama resmi dari SK Walikota"
    assert ("capaian", "H4") in _portal_notes(sheets, key)  # still wrong, still noted


def test_values_formats_and_other_worksheets_are_never_touched(rtlh: GoogleSetup) -> None:
    key, sheets = rtlh.keys[RTLH], rtlh.emulator
    before = {
        t: (sheets.values(key, t), sheets.values(key, t, "FORMATTED_VALUE")) for t in ("program", "capaian", "lokasi")
    }
    kinds = {t: {a1: sheets.cell(key, t, a1) for a1 in ("A2", "B2", "D3", "H4", "E5", "J2")} for t in before}
    _sync(_config(rtlh))
    after = {t: (sheets.values(key, t), sheets.values(key, t, "FORMATTED_VALUE")) for t in before}
    assert after == before
    assert {t: {a1: sheets.cell(key, t, a1) for a1 in kinds[t]} for t in before} == kinds
    # What went to Google: notes only on the data worksheets, values only in the status tab.
    data_ids = {sheets.sheet_id(key, t) for t in ("program", "capaian", "lokasi")}
    writes = [r for r in sheets.requests if r.method == "POST" and r.path.endswith(BATCH)]
    assert len(writes) == 1
    for request in json.loads(writes[0].body)["requests"]:
        ((kind, body),) = request.items()
        target = body.get("start", body.get("range", body.get("properties", {}))).get("sheetId")
        if target in data_ids:
            assert kind == "updateCells" and body["fields"] == "note", request


def test_the_status_tab_is_created_with_the_outcome_counts_problems_links_and_reminders(rtlh: GoogleSetup) -> None:
    _sync(_config(rtlh))
    key, sheets = rtlh.keys[RTLH], rtlh.emulator
    assert STATUS_WORKSHEET in sheets.titles(key)
    flat = [str(v) for row in sheets.values(key, STATUS_WORKSHEET, "FORMATTED_VALUE") for v in row]
    capaian_gid = sheets.sheet_id(key, "capaian")
    assert f"https://docs.google.com/spreadsheets/d/{key}/edit#gid={capaian_gid}&range=D3" in flat
    assert "https://portal.example/kesehatan-data?skpd=" + RTLH in flat
    assert "Sebagian terbit: baris yang ditolak tidak tampil di portal sampai diperbaiki." in flat
    assert {"capaian", "D3"} <= set(flat)
    # The sample's reports are older than 30 days on TODAY: its program is listed as stale.
    assert "QW24-PERKIM-01" in flat
    assert any("WITA" in v for v in flat)
    # Written as text: nothing the portal put there is a formula.
    assert all(sheets.cell(key, STATUS_WORKSHEET, a1).kind != "formula" for a1 in ("A1", "B3", "E12"))


def test_a_sync_whose_rows_and_problems_are_unchanged_writes_nothing(rtlh: GoogleSetup) -> None:
    config = _config(rtlh)
    _sync(config)
    sheets = rtlh.emulator
    sheets.clear_requests()
    outcome, _ = _sync(config)
    assert outcome.outcome == "unchanged"
    assert sheets.count(BATCH, method="POST") == 0
    # One read of the notes, beside the reader's own two requests.
    assert sheets.count("fields=", method="GET") == 1
    assert outcome.sheet is not None and outcome.sheet.outcome == "unchanged"
    assert "sheet report unchanged" in outcome.line()


def test_a_clerk_deleting_the_portals_note_gets_it_back_at_the_next_sync(rtlh: GoogleSetup) -> None:
    config = _config(rtlh)
    _sync(config)
    key, sheets = rtlh.keys[RTLH], rtlh.emulator
    sheets.set_note(key, "capaian", "D3", "")
    sheets.clear_requests()
    _sync(config)
    assert MARKER in sheets.note(key, "capaian", "D3")
    assert sheets.count(BATCH, method="POST") == 1


def test_a_read_only_share_still_publishes_and_says_whom_to_share_the_sheet_with(
    google: Callable[..., GoogleSetup],
) -> None:
    probe = google([RTLH], shared_with=[])
    account = probe.account["client_email"]
    key = probe.keys[RTLH]
    probe.emulator.share(key, account, role="reader")
    probe.emulator.set_cell(key, "capaian", "D3", "banyak")
    config = _config(probe)
    outcome, store = _sync(config)
    assert outcome.outcome == "new"  # the valid rows are published all the same
    assert store.latest_snapshots()[RTLH].counts["capaian"]["accepted"] >= 1
    assert outcome.sheet is not None and outcome.sheet.outcome == "refused"
    assert outcome.sheet.message is not None and account in outcome.sheet.message.id
    assert "Editor" in outcome.sheet.message.en
    assert "REPORT NOT WRITTEN INTO THE SHEET" in outcome.line() and account in outcome.line()
    assert probe.emulator.notes(key, "capaian") == {}
    # The health page and /admin read it from the store.
    write = sheet_writes(store)[RTLH]
    assert write.refused and write.message is not None and account in write.message.en
    # python -m data_sources sync says it too, and its exit code does not change for it.
    done = subprocess.run(
        [sys.executable, "-m", "data_sources", "sync", "--config", str(config)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        env=_env(probe),
    )
    assert done.returncode == 0, done.stderr
    assert "REPORT NOT WRITTEN INTO THE SHEET" in done.stdout and account in done.stdout


def _env(setup: GoogleSetup) -> dict[str, str]:
    env = dict(os.environ)
    env["SHEETS_API_URL"] = setup.emulator.base_url
    env["SHEETS_EXPORT_URL"] = setup.emulator.base_url
    env.pop("GOOGLE_APPLICATION_CREDENTIALS", None)
    env.pop("DATABASE_URL", None)
    return env


def test_the_write_shares_the_readers_retry_policy(rtlh: GoogleSetup) -> None:
    rtlh.emulator.fail(503, match=BATCH)
    outcome, _ = _sync(_config(rtlh))
    assert rtlh.emulator.count(BATCH, method="POST") == 2  # one 503, then the retry
    assert outcome.sheet is not None and outcome.sheet.outcome == "written"
    assert MARKER in rtlh.emulator.note(rtlh.keys[RTLH], "capaian", "D3")


def test_google_limiting_the_write_past_the_budget_fails_the_write_alone(rtlh: GoogleSetup) -> None:
    rtlh.emulator.fail(429, times=50, match=BATCH, retry_after=1)
    outcome, store = _sync(_config(rtlh, budget=2))
    assert outcome.outcome == "new"
    assert outcome.sheet is not None and outcome.sheet.outcome == "failed"
    assert "next sync tries again" in (outcome.sheet.message.en if outcome.sheet.message else "")
    assert sheet_writes(store)[RTLH].failed


def test_the_write_scope_is_asked_for_only_by_a_source_that_writes_back(rtlh: GoogleSetup) -> None:
    config = load_config(_config(rtlh))
    assert config.open_source(config.sources[0]).scope == READ_WRITE_SCOPE  # type: ignore[attr-defined]
    config = load_config(_config(rtlh, write_back=False))
    assert config.open_source(config.sources[0]).scope == READ_ONLY_SCOPE  # type: ignore[attr-defined]
    # And without write_back nothing at all is written into the sheet.
    _sync(_config(rtlh, write_back=False))
    assert rtlh.emulator.count(BATCH) == 0
    assert STATUS_WORKSHEET not in rtlh.emulator.titles(rtlh.keys[RTLH])


@pytest.mark.parametrize("kind", ["workbook", "published"])
def test_write_back_on_a_source_that_cannot_be_written_is_refused_naming_it(tmp_path: Path, kind: str) -> None:
    where = 'path = "x.xlsx"' if kind == "workbook" else 'sheet = "1AbCdEfGhIjKlMnOpQrStUvWxYz0123"'
    path = tmp_path / "portal.toml"
    path.write_text(f'[[sources]]\nname = "dlh"\nkind = "{kind}"\n{where}\nwrite_back = true\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"source 'dlh': write_back works only for kind = \"google\""):
        load_config(path)


def test_notes_go_to_the_worksheets_real_ids_when_the_data_worksheet_is_not_the_first(
    google: Callable[..., GoogleSetup],
) -> None:
    setup = google([RIVER])
    key, sheets = setup.keys[RIVER], setup.emulator
    assert sheets.sheet_id(key, "program") == 0 and sheets.sheet_id(key, "lokasi") != 0
    sheets.set_cell(key, "lokasi", "E3", "bukan koordinat")
    _sync(_config(setup))
    assert MARKER in sheets.note(key, "lokasi", "E3")
    assert not [n for n in sheets.notes(key, "program").values() if MARKER in n]


def _seen(markdown: str) -> str:
    """Markdown as a reader sees it: no escapes, no word joiners (escape_markdown keeps an address from linking)."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")


def test_the_health_page_and_admin_say_the_report_could_not_be_written_and_whom_to_share_with(
    google: Callable[..., GoogleSetup], portal_env: Callable[[PortalSetup], None]
) -> None:
    setup = google([RTLH], shared_with=[])
    account = setup.account["client_email"]
    key = setup.keys[RTLH]
    setup.emulator.share(key, account, role="reader")
    config = _config(setup)
    _sync(config)
    portal_env(PortalSetup(setup.folder, config))
    health = run_app("app_pages/health.py")
    warnings = [_seen(w.value) for w in health.warning]
    assert any(account in w and "sebagai Editor" in w for w in warnings), warnings
    assert account in [c.value for c in health.code]  # copyable as it is
    english = run_app("app_pages/health.py", lang="en")
    assert any(account in _seen(w.value) and "as Editor" in w.value for w in english.warning)
    admin = signed_in()
    [table] = [d.value for d in admin.dataframe if "Laporan di sheet SKPD" in d.value.columns]
    said = table.set_index("Sumber").loc[RTLH, "Laporan di sheet SKPD"]
    assert said.startswith("ditolak Google") and account in said


def test_the_health_page_says_when_the_report_was_last_written_into_the_sheet(
    rtlh: GoogleSetup, portal_env: Callable[[PortalSetup], None]
) -> None:
    config = _config(rtlh)
    _sync(config)
    portal_env(PortalSetup(rtlh.folder, config))
    health = run_app("app_pages/health.py")
    assert any("tab status_portal terakhir diperbarui di sheet" in m.value for m in health.markdown)
    assert not health.warning


def test_a_sheet_that_cannot_be_published_still_gets_its_report_and_keeps_its_last_data(rtlh: GoogleSetup) -> None:
    key, sheets = rtlh.keys[RTLH], rtlh.emulator
    config = _config(rtlh)
    first, store = _sync(config)
    published = store.latest_snapshots()[RTLH].id
    sheets.set_cell(key, "capaian", "D1", "")  # the required realisasi_persen header is gone
    outcome, store = _sync(config)
    assert outcome.outcome == "failed"
    assert store.latest_snapshots()[RTLH].id == published  # the last good data stay on the page
    assert outcome.sheet is not None and outcome.sheet.outcome == "written"
    flat = [str(v) for row in sheets.values(key, STATUS_WORKSHEET, "FORMATTED_VALUE") for v in row]
    assert any(v.startswith("Tidak terbit") for v in flat)
    assert outcome.message is not None and outcome.message.id in flat  # the missing column, in the problem list
    assert "sheet report written" in outcome.line()
    assert first.outcome == "new"
