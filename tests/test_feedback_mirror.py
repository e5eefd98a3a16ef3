"""The feedback mirror: responses appended from the outbox to a Google Sheet, exactly once, durably.

Real parts only: google-auth signs a real JWT for the emulator's token endpoint, gspread sends real
HTTP to the Sheets emulator, responses are committed to a real SQLite file, and the "killed" process
is a real process that dies with os._exit. Time is driven by passing ``now``; nothing sleeps.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from builders import write_xlsx
from feedback_helpers import ELEMENT_ANSWERS, checked_response
from sheets_emulator import Cell, SheetsEmulator

from core.feedback_rules import Response
from core.survey import ELEMENTS
from data_sources.config.portal_config import Config, load_config
from data_sources.config.questionnaire_file import load_questionnaire
from data_sources.jobs import feedback_mirror
from data_sources.jobs.feedback_mirror import (
    CONTACT_COLUMN,
    MIRROR_COLUMNS,
    MIRROR_LOCK,
    DrainResult,
    SheetMirror,
    SheetValue,
    backoff,
    drain,
    mirror_pending,
    mirror_row,
)
from data_sources.readers.google_sheets import READ_ONLY_SCOPE
from data_sources.readers.http_retry import RetryPolicy
from data_sources.store.feedback_intake import Feedback
from data_sources.store.feedback_store import FeedbackStore
from data_sources.store.snapshot_store import Store

REPO = Path(__file__).resolve().parent.parent
QUESTIONNAIRE = REPO / "kuesioner.toml"
T0 = datetime(2026, 11, 27, 13, 3, 5, tzinfo=UTC)  # 21:03:05 in Banjarmasin (WITA, UTC+8)
WORKSHEET = "tanggapan"


# --- setup --------------------------------------------------------------------------------------------


@dataclass
class MirrorSetup:
    """A mirror spreadsheet in the emulator (an empty "tanggapan" worksheet), a key file, a portal.toml."""

    sheets: SheetsEmulator
    folder: Path
    account: dict[str, str]
    key_file: Path
    key: str

    @property
    def config_path(self) -> Path:
        return self.folder / "portal.toml"

    def write_config(
        self,
        *,
        contact: bool = False,
        budget: int = 5,
        timeout: int = 10,
        mirror_sheet: str | None = None,
        credentials_file: Path | None = None,
    ) -> Config:
        sheet = self.key if mirror_sheet is None else mirror_sheet
        key_file = credentials_file or self.key_file
        self.config_path.write_text(
            f"""
[store]
path = "store.sqlite"

[sync]
request_timeout_seconds = {timeout}
retry_budget_seconds = {budget}

[google]
api_url = "{self.sheets.base_url}"
credentials_file = "{key_file.as_posix()}"

[feedback]
questionnaire = "{QUESTIONNAIRE.as_posix()}"
mirror_sheet = "{sheet}"
mirror_worksheet = "{WORKSHEET}"
mirror_contact = {"true" if contact else "false"}
min_seconds = 0
per_session_per_hour = 1000
per_address_per_hour = 1000
unknown_address_per_hour = 1000
""",
            encoding="utf-8",
        )
        return load_config(self.config_path)

    def rows(self) -> list[list[object]]:
        """The mirror worksheet as the API reads it (numbers as numbers), header first."""
        return self.sheets.values(self.key, WORKSHEET)

    def ids(self) -> list[str]:
        return [str(row[0]) for row in self.rows()[1:]]


@pytest.fixture
def mirror(sheets: SheetsEmulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> MirrorSetup:
    for name in ("SHEETS_API_URL", "SHEETS_EXPORT_URL", "GOOGLE_APPLICATION_CREDENTIALS", "DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    account = sheets.service_account()
    key_file = tmp_path / "service-account.json"
    key_file.write_text(json.dumps(account), encoding="utf-8")
    workbook = write_xlsx(
        tmp_path / "cermin.xlsx", {WORKSHEET: [], "catatan": [["Lembar tanggapan diisi oleh portal."]]}
    )
    key = sheets.load_xlsx(workbook, shared_with=[account["client_email"]])
    return MirrorSetup(sheets, tmp_path, account, key_file, key)


@dataclass
class Stores:
    """What a portal process holds: the store, its feedback tables, the feedback service."""

    store: Store
    feedback_store: FeedbackStore
    feedback: Feedback


def open_stores(config: Config) -> Stores:
    store = Store(config.database_url)
    feedback_store = FeedbackStore(store.engine)
    return Stores(store, feedback_store, Feedback(config, feedback_store))


def submit(stores: Stores, response: Response, session: str, now: datetime) -> str:
    submitted = stores.feedback.submit(
        response, session=session, address=None, opened_at=now - timedelta(minutes=4), now=now
    )
    assert submitted.response_id is not None, submitted.refusal
    return submitted.response_id


def run(config: Config, stores: Stores, now: datetime) -> DrainResult:
    result = mirror_pending(config, stores.store, stores.feedback_store, now=now)
    assert result is not None
    return result


def column(name: str, columns: tuple[str, ...] = MIRROR_COLUMNS) -> str:
    index = columns.index(name)
    return chr(ord("A") + index) if index < 26 else "A" + chr(ord("A") + index - 26)


# --- rows and backoff -----------------------------------------------------------------------------------


def test_backoff_doubles_from_30_seconds_and_stops_at_an_hour() -> None:
    assert [backoff(n).total_seconds() for n in range(8)] == [30, 60, 120, 240, 480, 960, 1920, 3600]
    assert backoff(10_000) == timedelta(hours=1)
    assert backoff(-1) == timedelta(seconds=30)


def test_a_row_has_the_city_time_the_masked_suggestion_and_contact_only_when_asked() -> None:
    response: dict[str, Any] = {
        "id": "QW-ABCD-EFGH",
        "created_at": T0,
        "questionnaire_version": "2026.1",
        "program": "umum",
        "knows": True,
        "used": False,
        **dict.fromkeys(ELEMENTS),
        "manfaat": None,
        "suggestion": "telepon saya 081234567890",
        "suggestion_masked": "telepon saya [***]",
        "usia": "30-39",
        "jenis_kelamin": None,
        "pendidikan": "sma",
        "pekerjaan": None,
        "kecamatan": "Banjarmasin Utara",
        "contact": "warga@contoh.id",
    }

    row = mirror_row(response)

    assert len(row) == len(MIRROR_COLUMNS)
    named = dict(zip(MIRROR_COLUMNS, row, strict=True))
    assert named["waktu_kirim"] == "2026-11-27T21:03:05+08:00"
    assert (named["tahu"], named["pernah"]) == ("ya", "tidak")
    assert [named[key] for key in ELEMENTS] == [""] * 9 and named["manfaat"] == ""
    assert (named["usia"], named["jenis_kelamin"], named["kecamatan"]) == ("30-39", "", "Banjarmasin Utara")
    assert named["saran"] == "telepon saya [***]"
    assert "warga@contoh.id" not in row and CONTACT_COLUMN not in MIRROR_COLUMNS
    assert mirror_row(response, contact=True)[-1] == "warga@contoh.id"


# --- appending ------------------------------------------------------------------------------------------


def test_a_response_is_appended_once_below_the_header_as_raw_values(mirror: MirrorSetup) -> None:
    config = mirror.write_config()
    stores = open_stores(config)
    questionnaire = load_questionnaire(config)
    response = checked_response(
        questionnaire, persyaratan="na", manfaat=4, usia="30-39", saran="Jalan ke kantor rusak, hubungi 0812 3456 7890"
    )
    response_id = submit(stores, response, "sesi-1", T0)

    result = run(config, stores, T0)

    assert result == DrainResult(appended=1)
    elements = ["" if key == "persyaratan" else ELEMENT_ANSWERS[key] for key in ELEMENTS]
    profile, saran = ["30-39", "", "", "", ""], "Jalan ke kantor rusak, hubungi [***]"
    assert mirror.rows() == [
        list(MIRROR_COLUMNS),
        [response_id, "2026-11-27T21:03:05+08:00", "2026.1", "umum", "ya", "ya", *elements, 4, *profile, saran],
    ]
    appends = [r for r in mirror.sheets.requests if r.path.endswith(":append")]
    assert len(appends) == 1
    assert appends[0].query["valueInputOption"] == ["RAW"]
    assert appends[0].query["insertDataOption"] == ["INSERT_ROWS"]
    # The suggestion as written stays in the store, for the moderator only.
    assert stores.feedback_store.response(response_id)["suggestion"].endswith("0812 3456 7890")  # type: ignore[index]
    status = stores.feedback_store.outbox_status()
    assert (status.waiting, status.mirrored, status.last_error) == (0, 1, None)

    mirror.sheets.clear_requests()
    assert run(config, stores, T0 + timedelta(hours=2)) == DrainResult()
    assert mirror.sheets.count() == 0  # nothing due: Google is not even asked
    assert mirror.ids() == [response_id]


def test_text_starting_with_a_formula_character_arrives_as_literal_text(mirror: MirrorSetup) -> None:
    config = mirror.write_config()
    stores = open_stores(config)
    questionnaire = load_questionnaire(config)
    suggestions = ['=HYPERLINK("http://contoh.id/x";"klik")', "+1+1 pelayanan cepat", "-kurang ramah", "@petugas mohon"]
    ids = [
        submit(stores, checked_response(questionnaire, saran=text), f"sesi-{i}", T0 + timedelta(seconds=i))
        for i, text in enumerate(suggestions)
    ]
    # A profile value comes from the questionnaire file, which the city edits: it gets no trust either.
    base = checked_response(questionnaire, saran="profil")
    odd_profile = replace(base, profile={**base.profile, "pekerjaan": "=1+1", "usia": "-"})
    ids.append(submit(stores, odd_profile, "sesi-profil", T0 + timedelta(seconds=10)))

    assert run(config, stores, T0 + timedelta(minutes=1)) == DrainResult(appended=5)

    assert mirror.ids() == ids
    for row, text in enumerate(suggestions, start=2):
        assert mirror.sheets.cell(mirror.key, WORKSHEET, f"{column('saran')}{row}") == Cell(text, "text")
    assert mirror.sheets.cell(mirror.key, WORKSHEET, f"{column('pekerjaan')}6") == Cell("=1+1", "text")
    assert mirror.sheets.cell(mirror.key, WORKSHEET, f"{column('usia')}6") == Cell("-", "text")


def test_a_batch_limit_splits_the_outbox_into_appends_with_one_header(mirror: MirrorSetup) -> None:
    config = mirror.write_config()
    stores = open_stores(config)
    questionnaire = load_questionnaire(config)
    ids = [
        submit(stores, checked_response(questionnaire, saran=f"saran {i}"), f"sesi-{i}", T0 + timedelta(seconds=i))
        for i in range(5)
    ]
    sheet = SheetMirror(mirror.key, WORKSHEET, mirror.account, api_root=mirror.sheets.base_url)

    result = drain(stores.feedback_store, sheet, T0 + timedelta(minutes=1), batch=2)

    assert result == DrainResult(appended=5)
    assert mirror.sheets.count(":append") == 3 and mirror.sheets.count("values:batchGet") == 3
    assert mirror.rows()[0] == list(MIRROR_COLUMNS)
    assert mirror.ids() == ids  # oldest first, the header written once


# --- contact details ------------------------------------------------------------------------------------


def _submit_with_contact(config: Config) -> tuple[Stores, str]:
    stores = open_stores(config)
    response = checked_response(
        load_questionnaire(config),
        saran="Mohon dibalas ke warga.banua@contoh.id",
        kontak="warga.banua@contoh.id",
        setuju=True,
    )
    return stores, submit(stores, response, "sesi-kontak", T0)


def test_contact_never_reaches_the_mirror_unless_the_config_says_so(mirror: MirrorSetup) -> None:
    config = mirror.write_config()
    stores, response_id = _submit_with_contact(config)

    assert run(config, stores, T0) == DrainResult(appended=1)

    header, row = mirror.rows()
    assert CONTACT_COLUMN not in header and len(header) == len(MIRROR_COLUMNS)
    assert row[header.index("saran")] == "Mohon dibalas ke [***]"
    assert all(b"contoh.id" not in r.body for r in mirror.sheets.requests)  # not in any request body
    # Kept in the store, for the admin's reply.
    assert stores.feedback_store.response(response_id)["contact"] == "warga.banua@contoh.id"  # type: ignore[index]


def test_contact_goes_to_its_own_last_column_when_mirror_contact_is_true(mirror: MirrorSetup) -> None:
    config = mirror.write_config(contact=True)
    stores, response_id = _submit_with_contact(config)

    assert run(config, stores, T0) == DrainResult(appended=1)

    header, row = mirror.rows()
    assert header == [*MIRROR_COLUMNS, CONTACT_COLUMN]
    assert row[0] == response_id and row[-1] == "warga.banua@contoh.id"


def test_turning_mirror_contact_on_later_asks_for_the_header_to_be_extended(mirror: MirrorSetup) -> None:
    config = mirror.write_config()
    stores, first = _submit_with_contact(config)
    run(config, stores, T0)
    config = mirror.write_config(contact=True)
    second = submit(stores, checked_response(load_questionnaire(config), saran="kedua"), "sesi-2", T0)

    result = run(config, stores, T0 + timedelta(seconds=1))

    assert result.failed == 1 and result.error is not None
    assert "Row 1 of worksheet 'tanggapan' is not the mirror's header" in result.error
    contact_cell = f"{column(CONTACT_COLUMN, (*MIRROR_COLUMNS, CONTACT_COLUMN))}1"
    assert f"cell {contact_cell} is empty, expected 'kontak'" in result.error
    assert mirror.ids() == [first]  # nothing written under the wrong names

    mirror.sheets.set_cell(mirror.key, WORKSHEET, contact_cell, CONTACT_COLUMN)  # the admin adds the column
    assert run(config, stores, T0 + timedelta(minutes=1)) == DrainResult(appended=1)
    assert mirror.ids() == [first, second]


# --- durability -----------------------------------------------------------------------------------------


def test_the_sheet_down_for_a_while_then_back_gets_every_response_exactly_once(mirror: MirrorSetup) -> None:
    # A zero retry budget: each request is tried once, so each drain meets the outage exactly once.
    config = mirror.write_config(budget=0)
    stores = open_stores(config)
    questionnaire = load_questionnaire(config)
    first = [submit(stores, checked_response(questionnaire, saran=f"pertama {i}"), f"a{i}", T0) for i in range(3)]
    mirror.sheets.fail(503, times=1000, match=mirror.key)

    down = run(config, stores, T0)
    assert (down.appended, down.failed) == (0, 3) and down.error and "HTTP 503" in down.error
    status = stores.feedback_store.outbox_status()
    assert (status.waiting, status.mirrored) == (3, 0)
    assert status.last_error == down.error

    asked = mirror.sheets.count(mirror.key)
    assert run(config, stores, T0 + timedelta(seconds=29)) == DrainResult()  # backing off: not due yet
    assert mirror.sheets.count(mirror.key) == asked

    assert run(config, stores, T0 + timedelta(seconds=30)).failed == 3  # second attempt; next one a minute later
    later = [
        submit(stores, checked_response(questionnaire, saran=f"kedua {i}"), f"b{i}", T0 + timedelta(seconds=40))
        for i in range(2)
    ]
    assert run(config, stores, T0 + timedelta(seconds=40)).failed == 2  # only the new ones were due
    assert mirror.sheets.count(":append") == 0
    assert mirror.rows() == []

    mirror.sheets.clear_faults()  # Google is back
    assert run(config, stores, T0 + timedelta(seconds=60)) == DrainResult()  # nobody due yet
    assert run(config, stores, T0 + timedelta(seconds=70)) == DrainResult(appended=2)  # b*: 30 s after 40 s
    assert run(config, stores, T0 + timedelta(seconds=90)) == DrainResult(appended=3)  # a*: 60 s after 30 s

    assert Counter(mirror.ids()) == Counter(first + later)
    assert len(mirror.ids()) == 5
    status = stores.feedback_store.outbox_status()
    assert (status.waiting, status.mirrored, status.last_error) == (0, 5, None)


def test_an_append_google_applied_but_never_answered_is_not_appended_again(mirror: MirrorSetup) -> None:
    config = mirror.write_config(budget=5)  # reads may be retried; the append never is
    stores = open_stores(config)
    questionnaire = load_questionnaire(config)
    ids = [
        submit(stores, checked_response(questionnaire, saran=f"saran {i}"), f"s{i}", T0 + timedelta(seconds=i))
        for i in range(2)
    ]
    mirror.sheets.drop_after_applying(match=":append")

    lost = run(config, stores, T0 + timedelta(seconds=2))

    assert (lost.appended, lost.failed) == (0, 2) and lost.error and "could not be reached" in lost.error
    assert mirror.ids() == ids  # Google wrote them; the portal could not know
    assert mirror.sheets.count(":append") == 1
    assert stores.feedback_store.outbox_status().waiting == 2

    found = run(config, stores, T0 + timedelta(seconds=32))  # the first retry, 30 s later

    assert found == DrainResult(already_there=2)
    assert mirror.sheets.count(":append") == 1
    assert mirror.ids() == ids
    assert stores.feedback_store.outbox_status().mirrored == 2


KILLED_SCRIPT = """
import os
import sys
from datetime import datetime, timedelta
from pathlib import Path

from feedback_helpers import checked_response

from data_sources.config.portal_config import load_config
from data_sources.config.questionnaire_file import load_questionnaire
from data_sources.store.feedback_intake import Feedback
from data_sources.store.feedback_store import FeedbackStore
from data_sources.store.snapshot_store import Store

config = load_config(Path(sys.argv[1]))
now = datetime.fromisoformat(sys.argv[2])
feedback = Feedback(config, FeedbackStore(Store(config.database_url).engine))
response = checked_response(load_questionnaire(config), saran="dikirim tepat sebelum proses mati")
submitted = feedback.submit(
    response, session="sesi-terakhir", address="10.1.2.3", opened_at=now - timedelta(minutes=3), now=now
)
print(submitted.response_id, flush=True)
os._exit(9)  # killed after the commit: no mirroring, no cleanup, no atexit
"""


def test_a_process_killed_between_commit_and_mirror_has_its_response_mirrored_after_restart(
    mirror: MirrorSetup,
) -> None:
    config = mirror.write_config()
    script = mirror.folder / "submit_and_die.py"
    script.write_text(KILLED_SCRIPT, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), str(REPO / "tests")])}

    killed = subprocess.run(
        [sys.executable, str(script), str(mirror.config_path), T0.isoformat()],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert killed.returncode == 9, killed.stderr
    response_id = killed.stdout.strip()
    assert response_id.startswith("QW-")
    assert mirror.sheets.count() == 0  # it never talked to Google

    restarted = open_stores(config)  # a new process: nothing in memory, only the store
    assert restarted.feedback_store.response(response_id) is not None
    assert restarted.feedback_store.outbox_status().waiting == 1

    assert run(config, restarted, T0 + timedelta(seconds=5)) == DrainResult(appended=1)
    assert mirror.ids() == [response_id]


def test_200_submissions_from_concurrent_sessions_reach_the_sheet_once_each(mirror: MirrorSetup) -> None:
    config = mirror.write_config(budget=10)
    open_stores(config)  # the tables, once, before the crowd arrives
    questionnaire = load_questionnaire(config)
    mirror_now = T0 + timedelta(minutes=1)
    local = threading.local()

    def own_stores() -> Stores:
        # One store per thread, as separate processes (or replicas) would each have.
        if not hasattr(local, "stores"):
            local.stores = open_stores(config)
        return local.stores

    def submit_one(i: int) -> str:
        response = checked_response(questionnaire, saran=f"saran nomor {i}", manfaat=1 + i % 4)
        return submit(own_stores(), response, f"sesi-{i}", T0 + timedelta(milliseconds=i))

    submitting = threading.Event()
    submitting.set()

    def keep_mirroring() -> list[DrainResult]:
        stores = open_stores(config)
        results = []
        while submitting.is_set():
            results.append(run(config, stores, mirror_now))
        return results

    with ThreadPoolExecutor(max_workers=3) as mirrors, ThreadPoolExecutor(max_workers=24) as crowd:
        workers = [mirrors.submit(keep_mirroring) for _ in range(3)]
        try:
            ids = list(crowd.map(submit_one, range(200)))
        finally:
            submitting.clear()
        during = [result for worker in workers for result in worker.result()]

    final_stores = open_stores(config)
    final = run(config, final_stores, T0 + timedelta(hours=2))  # past any backoff

    assert len(ids) == 200 and len(set(ids)) == 200
    assert final_stores.feedback_store.count() == 200
    in_sheet = Counter(mirror.ids())
    assert set(in_sheet) == set(ids)
    assert set(in_sheet.values()) == {1}
    assert mirror.rows()[0] == list(MIRROR_COLUMNS)
    assert not final.busy
    done = [r for r in [*during, final] if not r.busy]
    assert sum(r.appended for r in done) == 200
    status = final_stores.feedback_store.outbox_status()
    assert (status.waiting, status.mirrored) == (0, 200)


# --- problems the admin must fix ------------------------------------------------------------------------


def _one_waiting(config: Config) -> tuple[Stores, str]:
    stores = open_stores(config)
    return stores, submit(stores, checked_response(load_questionnaire(config), saran="tetap aman"), "sesi", T0)


def _assert_kept_with(stores: Stores, response_id: str, result: DrainResult, *phrases: str) -> None:
    assert result.failed == 1 and result.appended == 0 and result.error
    for phrase in phrases:
        assert phrase in result.error
    assert stores.feedback_store.response(response_id) is not None
    status = stores.feedback_store.outbox_status()
    assert (status.waiting, status.last_error) == (1, result.error)


@pytest.mark.parametrize("anyone_can_read", [False, True], ids=["not-shared", "shared-read-only"])
def test_a_sheet_the_service_account_cannot_edit_keeps_the_response_and_says_whom_to_share_with(
    mirror: MirrorSetup, anyone_can_read: bool
) -> None:
    mirror.sheets.unshare(mirror.key, mirror.account["client_email"])
    mirror.sheets.set_anyone_with_link(mirror.key, anyone_can_read)
    config = mirror.write_config()
    stores, response_id = _one_waiting(config)

    result = run(config, stores, T0)

    _assert_kept_with(stores, response_id, result, mirror.account["client_email"], "as an editor")
    assert mirror.rows() == []

    mirror.sheets.share(mirror.key, mirror.account["client_email"])
    assert run(config, stores, T0 + timedelta(seconds=30)) == DrainResult(appended=1)


def test_a_missing_worksheet_is_named_with_what_to_do(mirror: MirrorSetup) -> None:
    mirror.sheets.delete_worksheet(mirror.key, WORKSHEET)
    config = mirror.write_config()
    stores, response_id = _one_waiting(config)

    result = run(config, stores, T0)

    _assert_kept_with(stores, response_id, result, "Worksheet 'tanggapan' not found", "Create an empty worksheet")


def test_a_worksheet_with_someone_elses_header_is_not_written_to(mirror: MirrorSetup) -> None:
    mirror.sheets.set_cell(mirror.key, WORKSHEET, "A1", "nama")
    config = mirror.write_config()
    stores, response_id = _one_waiting(config)

    result = run(config, stores, T0)

    _assert_kept_with(stores, response_id, result, "Row 1 of worksheet 'tanggapan'", "cell A1 is 'nama', expected 'id'")
    assert mirror.sheets.count(":append") == 0


def test_read_only_access_is_reported_as_a_missing_scope(mirror: MirrorSetup) -> None:
    config = mirror.write_config()
    stores, response_id = _one_waiting(config)
    sheet = SheetMirror(mirror.key, WORKSHEET, mirror.account, api_root=mirror.sheets.base_url, scope=READ_ONLY_SCOPE)

    result = drain(stores.feedback_store, sheet, T0)

    _assert_kept_with(stores, response_id, result, "read-only", "https://www.googleapis.com/auth/spreadsheets")


def test_a_missing_key_file_is_recorded_on_the_waiting_responses_without_raising(mirror: MirrorSetup) -> None:
    config = mirror.write_config(credentials_file=mirror.folder / "tidak-ada.json")
    stores, response_id = _one_waiting(config)

    result = run(config, stores, T0)

    _assert_kept_with(stores, response_id, result, "service-account key file not found")
    assert mirror.sheets.count() == 0
    entry_due_later = stores.feedback_store.due(T0 + timedelta(seconds=29))
    assert entry_due_later == []  # backing off like any other failure


def test_a_broken_key_is_reported_without_its_content(mirror: MirrorSetup) -> None:
    broken = {**mirror.account, "private_key": "-----BEGIN PRIVATE KEY-----\nrahasia-bukan-kunci\n-----END"}
    key_file = mirror.folder / "rusak.json"
    key_file.write_text(json.dumps(broken), encoding="utf-8")
    config = mirror.write_config(credentials_file=key_file)
    stores, response_id = _one_waiting(config)

    result = run(config, stores, T0)

    _assert_kept_with(stores, response_id, result, "service-account key is not valid")
    assert "rahasia" not in (result.error or "")


def test_a_wrong_sheet_key_is_reported(mirror: MirrorSetup) -> None:
    config = mirror.write_config(mirror_sheet="1" + "x" * 43)
    stores, response_id = _one_waiting(config)

    result = run(config, stores, T0)

    _assert_kept_with(stores, response_id, result, "No spreadsheet with key", "mirror_sheet")


# --- who mirrors, and when --------------------------------------------------------------------------------


def test_without_a_mirror_sheet_nothing_is_sent(mirror: MirrorSetup) -> None:
    config = mirror.write_config(mirror_sheet="")
    stores, _ = _one_waiting(config)

    assert mirror_pending(config, stores.store, stores.feedback_store, now=T0) is None
    assert mirror.sheets.count() == 0


def test_while_another_worker_holds_the_lock_this_one_stands_aside(mirror: MirrorSetup) -> None:
    config = mirror.write_config()
    stores, response_id = _one_waiting(config)
    assert stores.store.try_lock(MIRROR_LOCK, "replica-2", timedelta(minutes=5))

    assert run(config, stores, T0) == DrainResult(busy=True)
    assert mirror.sheets.count() == 0
    assert stores.feedback_store.outbox_status().waiting == 1

    stores.store.release_lock(MIRROR_LOCK, "replica-2")
    assert run(config, stores, T0) == DrainResult(appended=1)
    assert mirror.ids() == [response_id]
    # The worker released its own lock: the next one can take it.
    assert stores.store.try_lock(MIRROR_LOCK, "replica-2", timedelta(minutes=5))


class StalledWorker:
    """The real sheet mirror, whose worker stalls after reading the sheet (a long GC pause, a frozen VM) for so long
    that its lease lapses and another worker takes the lock over. Only the stall is staged; the sheet and the
    store are real."""

    def __init__(self, real: SheetMirror, store: Store) -> None:
        self.real, self.store = real, store

    def ids_present(self) -> set[str]:
        present = self.real.ids_present()
        with self.store.engine.begin() as conn:  # the lease ran out while the worker was frozen...
            conn.execute(
                sa.text("UPDATE locks SET expires_at = :past WHERE name = :name"), {"past": T0, "name": MIRROR_LOCK}
            )
        assert self.store.try_lock(MIRROR_LOCK, "replica-2", timedelta(minutes=5))  # ...and replica 2 took over
        return present

    def append(self, rows: Sequence[Sequence[SheetValue]]) -> None:
        self.real.append(rows)

    def row(self, response: Mapping[str, Any]) -> list[SheetValue]:
        return self.real.row(response)


def test_a_worker_whose_lock_was_taken_over_while_it_read_the_sheet_appends_nothing(
    mirror: MirrorSetup, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = mirror.write_config()
    stores, response_id = _one_waiting(config)
    real_open = feedback_mirror.open_mirror
    monkeypatch.setattr(feedback_mirror, "open_mirror", lambda c: StalledWorker(real_open(c), stores.store))

    result = run(config, stores, T0)

    assert result.appended == 0 and "taken over by another worker" in (result.error or "")
    assert mirror.ids() == []
    assert stores.feedback_store.outbox_status().waiting == 1  # still waiting, for the worker that holds the lock
    # The lock is replica 2's, untouched by the stalled worker's release.
    holder = stores.store.lock_holder(MIRROR_LOCK)
    assert holder is not None and holder.holder == "replica-2"
    # Replica 2 done, the next worker appends the response once.
    stores.store.release_lock(MIRROR_LOCK, "replica-2")
    monkeypatch.setattr(feedback_mirror, "open_mirror", real_open)
    assert run(config, stores, T0) == DrainResult(appended=1)
    assert mirror.ids() == [response_id]


def test_the_retry_policy_of_the_config_reaches_the_mirror(mirror: MirrorSetup) -> None:
    # A 429 on the read is retried within the budget, so the drain still succeeds in one go.
    config = mirror.write_config(budget=10)
    assert config.retry_policy == RetryPolicy(timeout=10, budget=10)
    stores, response_id = _one_waiting(config)
    mirror.sheets.fail(429, times=2, match="values:batchGet", retry_after=0.1)

    assert run(config, stores, T0) == DrainResult(appended=1)
    assert mirror.sheets.count("values:batchGet") == 3
    assert mirror.ids() == [response_id]


def _cli(config: Config, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "data_sources", *args, "--config", str(config.base / "portal.toml")],
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_mirror_feedback_command_sends_what_waits_and_says_how_many(mirror: MirrorSetup) -> None:
    config = mirror.write_config()
    stores = open_stores(config)
    rid = submit(stores, checked_response(stores.feedback.questionnaire), "cli", datetime.now(UTC))
    done = _cli(config, "mirror-feedback")
    assert done.returncode == 0, done.stderr
    assert "1 appended" in done.stdout
    assert mirror.ids() == [rid]


def test_a_scheduled_sync_also_retries_the_mirror(mirror: MirrorSetup) -> None:
    config = mirror.write_config()
    stores = open_stores(config)
    rid = submit(stores, checked_response(stores.feedback.questionnaire), "sync", datetime.now(UTC))
    done = _cli(config, "sync")
    assert done.returncode == 0, done.stderr
    assert "feedback mirror: 1 appended" in done.stdout
    assert mirror.ids() == [rid]
