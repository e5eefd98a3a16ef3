"""The e-mail an SKPD gets when its list of problems or stale programs changes (issue 20, item 9): composed by a
real sync of a Google Sheet through gspread and the Sheets API emulator, queued in a real SQLite store, and
delivered to a real SMTP server (aiosmtpd on 127.0.0.1, tests/smtp_server.py). Nothing is mocked."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from builders import capaian
from conftest import SAMPLE_DATA, GoogleSetup, PortalSetup, write_source
from smtp_server import SmtpServer

from data_sources.config.portal_config import load_config
from data_sources.jobs.notify_mail import send_due
from data_sources.jobs.sync import run_sync
from data_sources.store.mail_outbox import MailOutbox
from data_sources.store.snapshot_store import Store

TODAY = date(2026, 11, 27)
REPO = Path(__file__).resolve().parent.parent
RTLH = "disperkim_bakawan_rtlh"
TO = "data@disperkim.banjarmasinkota.go.id"
FROM = "Portal Quick Win <portal-qw@banjarmasinkota.go.id>"
NIK = "6371012345678901"


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with SmtpServer() as server:
        yield server


def _notify(port: int) -> str:
    return f'[notify]\nsmtp_host = "127.0.0.1"\nsmtp_port = {port}\nfrom = "{FROM}"\ntimeout_seconds = 10\n'


def _config(setup: GoogleSetup, port: int, *, write_back: bool = True) -> Path:
    key = setup.keys[RTLH]
    text = (
        '[store]\npath = "store.sqlite"\n[sync]\nretry_budget_seconds = 5\n'
        f'[google]\ncredentials_file = "{setup.key_file.as_posix()}"\n'
        '[open_data]\nenabled = false\npublic_url = "https://portal.example"\n'
        f"{_notify(port)}"
        f'[[sources]]\nname = "{RTLH}"\nskpd = "Disperkim"\nkind = "google"\nsheet = "{key}"\n'
        f'write_back = {"true" if write_back else "false"}\nnotify_email = "{TO}"\n'
    )
    path = setup.folder / "portal.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _sync_and_send(config_path: Path) -> None:
    config = load_config(config_path)
    store = Store(config.database_url)
    try:
        assert run_sync(config, store, TODAY) is not None
        report = send_due(config, store)
        assert not report.failed, report.line()
    finally:
        store.close()


@pytest.fixture
def rtlh(google: Callable[..., GoogleSetup]) -> GoogleSetup:
    setup = google([RTLH])
    key = setup.keys[RTLH]
    setup.emulator.set_cell(key, "capaian", "D3", "banyak")
    setup.emulator.set_cell(key, "capaian", "H4", f"Penerima NIK {NIK}")
    return setup


def test_one_email_per_change_and_none_when_nothing_changed(rtlh: GoogleSetup, smtp: SmtpServer) -> None:
    config = _config(rtlh, smtp.port)
    _sync_and_send(config)
    [first] = smtp.received
    message = first.message
    assert first.rcpt_tos == [TO] and message["To"] == TO
    assert "2 masalah baru" in message["Subject"] and "1 pengingat laporan" in message["Subject"]
    body = first.text
    key = rtlh.keys[RTLH]
    gid = rtlh.emulator.sheet_id(key, "capaian")
    assert "Masalah baru:" in body and "capaian!D3" in body and "capaian!H4" in body
    assert f"https://docs.google.com/spreadsheets/d/{key}/edit#gid={gid}&range=D3" in body
    assert "https://portal.example/kesehatan-data?skpd=" + RTLH in body
    assert "QW24-PERKIM-01" in body  # its reports are old: a reminder
    assert NIK not in body and "NIK/nomor KK" in body  # the kind, never the number

    _sync_and_send(config)  # nothing changed
    assert len(smtp.received) == 1

    # The clerk puts the right figure back (as the sample has it).
    right = openpyxl.load_workbook(SAMPLE_DATA / f"{RTLH}.xlsx")["capaian"]["D3"].value
    rtlh.emulator.set_cell(key, "capaian", "D3", right)
    _sync_and_send(config)
    assert len(smtp.received) == 2
    fixed = smtp.received[1]
    assert "1 sudah diperbaiki" in fixed.message["Subject"]
    assert "Sudah diperbaiki" in fixed.text and "capaian!D3" in fixed.text
    assert "Masalah baru:" not in fixed.text

    _sync_and_send(config)
    assert len(smtp.received) == 2


def test_at_most_one_email_per_source_per_sync(rtlh: GoogleSetup, smtp: SmtpServer) -> None:
    config_path = _config(rtlh, smtp.port)
    config = load_config(config_path)
    store = Store(config.database_url)
    try:
        run_sync(config, store, TODAY)
        assert MailOutbox(store.engine).pending_count() == 1
    finally:
        store.close()


def test_nothing_is_queued_while_email_is_not_set_up(rtlh: GoogleSetup) -> None:
    path = _config(rtlh, 2525)
    path.write_text(path.read_text(encoding="utf-8").replace('smtp_host = "127.0.0.1"', 'smtp_host = ""'))
    config = load_config(path)
    store = Store(config.database_url)
    try:
        run_sync(config, store, TODAY)
        assert MailOutbox(store.engine).pending_count() == 0
    finally:
        store.close()


def test_a_local_workbook_source_gets_its_email_too(
    make_portal: Callable[..., PortalSetup], tmp_path: Path, smtp: SmtpServer
) -> None:
    workbook = write_source(tmp_path / "perkim.xlsx", capaians=[capaian(), capaian(realisasi_persen="banyak")])
    setup = make_portal({"perkim": workbook})
    text = setup.config_path.read_text(encoding="utf-8").replace(
        'name = "perkim"', f'name = "perkim"\nnotify_email = "{TO}"'
    )
    setup.config_path.write_text(text + "\n" + _notify(smtp.port), encoding="utf-8")
    _sync_and_send(setup.config_path)
    [mail] = smtp.received
    assert "capaian!" in mail.text and "docs.google.com" not in mail.text


def test_python_m_data_sources_sync_sends_the_email_after_the_sync(rtlh: GoogleSetup, smtp: SmtpServer) -> None:
    config = _config(rtlh, smtp.port)
    env = {**os.environ, "SHEETS_API_URL": rtlh.emulator.base_url, "SHEETS_EXPORT_URL": rtlh.emulator.base_url}
    env.pop("DATABASE_URL", None)
    env.pop("GOOGLE_APPLICATION_CREDENTIALS", None)
    done = subprocess.run(
        [sys.executable, "-m", "data_sources", "sync", "--config", str(config)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    [mail] = smtp.received
    assert mail.rcpt_tos == [TO]
