"""Google Sheets sources end to end: the real gspread client over HTTP to the local Sheets emulator.

Nothing here is mocked: google-auth signs a real JWT for the emulator's token endpoint, gspread
sends real requests, the store is a real SQLite file. The emulator stands in for Google, which
this machine cannot reach.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from conftest import SAMPLE_DATA, GoogleSetup

from core.validation import validate_workbook
from data_sources.config.portal_config import load_config
from data_sources.jobs.sync import SyncOutcome, run_sync
from data_sources.readers.workbook import read_workbook
from data_sources.store.snapshot_store import Store

TODAY = date(2026, 11, 27)
REPO = Path(__file__).resolve().parent.parent
SIX = sorted(p.stem for p in SAMPLE_DATA.glob("*.xlsx"))


def _sync(config_path: Path) -> tuple[list[SyncOutcome], Store]:
    config = load_config(config_path)
    store = Store(config.database_url)
    outcomes = run_sync(config, store, TODAY)
    assert outcomes is not None
    return outcomes, store


def _workbook_hashes() -> dict[str, str]:
    """What the local .xlsx path stores for each sample: the reference the Google path must equal."""
    from data_sources.store.snapshot_store import content_hash

    return {
        name: content_hash(validate_workbook(read_workbook(SAMPLE_DATA / f"{name}.xlsx"), TODAY).rows) for name in SIX
    }


@pytest.mark.parametrize("locale", ["id_ID", "en_US"])
def test_a_full_sync_of_the_six_samples_through_gspread_equals_the_local_workbooks(
    google: Callable[..., GoogleSetup], locale: str
) -> None:
    setup = google(locale=locale)
    outcomes, store = _sync(setup.write_config())
    assert [o.outcome for o in outcomes] == ["new"] * 6, [o.line() for o in outcomes]
    stored = {name: snap.content_hash for name, snap in store.latest_snapshots().items()}
    assert stored == _workbook_hashes()
    # The same rows, published and rejected, as the workbook path reports.
    for outcome in outcomes:
        local = validate_workbook(read_workbook(SAMPLE_DATA / f"{outcome.source}.xlsx"), TODAY)
        assert outcome.result is not None
        assert {k: c.as_dict() for k, c in outcome.result.counts.items()} == {
            k: c.as_dict() for k, c in local.counts.items()
        }


def test_each_spreadsheet_costs_two_api_requests_per_sync_plus_one_token(google: Callable[..., GoogleSetup]) -> None:
    setup = google()
    config_path = setup.write_config()
    _sync(config_path)
    api = [r for r in setup.emulator.requests if r.path.startswith("/v4/")]
    assert len(api) == 2 * 6
    for key in setup.keys.values():
        mine = [r for r in api if key in r.path]
        assert [r.path.rsplit("/", 1)[-1] for r in mine] == [key, "values:batchGet"]
    assert setup.emulator.count("/token") == 1

    setup.emulator.clear_requests()
    outcomes, _ = _sync(config_path)
    assert [o.outcome for o in outcomes] == ["unchanged"] * 6
    assert setup.emulator.count("/v4/") == 12 and setup.emulator.count("/token") == 0  # the token is reused
    assert all(o.cost.requests == 2 and o.cost.bytes_read > 0 for o in outcomes)


def test_a_short_429_storm_is_ridden_out_within_the_retry_budget(google: Callable[..., GoogleSetup]) -> None:
    setup = google(["disperkim_bakawan_rtlh"])
    setup.emulator.fail(429, times=3, match="values:batchGet", retry_after=0.2)
    outcomes, store = _sync(setup.write_config(budget=10))
    assert [o.outcome for o in outcomes] == ["new"]
    assert outcomes[0].cost.requests == 2 + 3
    assert setup.emulator.count("values:batchGet") == 4
    assert store.latest_runs()["disperkim_bakawan_rtlh"].cost.requests == 5


def test_a_429_storm_longer_than_the_budget_fails_that_source_only_and_keeps_its_last_snapshot(
    google: Callable[..., GoogleSetup],
) -> None:
    setup = google(["disperkim_bakawan_rtlh", "dlh_sampah_energi"])
    config_path = setup.write_config(budget=2)
    _, store = _sync(config_path)
    first = store.latest_snapshots()["disperkim_bakawan_rtlh"].id

    rtlh = setup.keys["disperkim_bakawan_rtlh"]
    setup.emulator.fail(429, times=1000, match=rtlh, retry_after=0.5)
    outcomes, store = _sync(config_path)
    by_name = {o.source: o for o in outcomes}
    assert by_name["disperkim_bakawan_rtlh"].failed
    assert "429" in by_name["disperkim_bakawan_rtlh"].message.en
    assert by_name["dlh_sampah_energi"].outcome == "unchanged"
    assert store.latest_snapshots()["disperkim_bakawan_rtlh"].id == first
    assert store.rows("program", [first])[0]["kode_program"] == "QW24-PERKIM-01"
    assert 2 <= by_name["disperkim_bakawan_rtlh"].cost.requests < 20


def test_a_sheet_not_shared_with_the_service_account_says_so_with_its_address(
    google: Callable[..., GoogleSetup],
) -> None:
    setup = google(["dlh_sampah_energi"], shared_with=[])
    outcomes, store = _sync(setup.write_config())
    message = outcomes[0].message
    assert outcomes[0].failed and message is not None
    assert f"Sheet belum dibagikan ke {setup.account['client_email']}" in message.id
    assert setup.account["client_email"] in message.en
    assert store.latest_runs()["dlh_sampah_energi"].message == message


def test_a_wrong_key_is_a_clear_404_message(google: Callable[..., GoogleSetup]) -> None:
    setup = google([])
    setup.keys = {"salah": "1" * 44}
    outcomes, _ = _sync(setup.write_config())
    assert outcomes[0].failed and "tidak ditemukan" in outcomes[0].message.id and "1" * 44 in outcomes[0].message.en


def test_a_deleted_worksheet_fails_the_source_and_keeps_the_last_snapshot(google: Callable[..., GoogleSetup]) -> None:
    setup = google(["pupr_sungaiku_baiman"])
    config_path = setup.write_config()
    _, store = _sync(config_path)
    before = store.latest_snapshots()["pupr_sungaiku_baiman"].id
    setup.emulator.delete_worksheet(setup.keys["pupr_sungaiku_baiman"], "capaian")
    outcomes, store = _sync(config_path)
    assert outcomes[0].failed
    assert "Worksheet 'capaian' tidak ditemukan" in outcomes[0].message.id
    assert store.latest_snapshots()["pupr_sungaiku_baiman"].id == before


def test_a_slow_answer_times_out_and_is_retried(google: Callable[..., GoogleSetup]) -> None:
    setup = google(["dlh_sampah_energi"])
    setup.emulator.slow(3.0, match="values:batchGet")
    outcomes, _ = _sync(setup.write_config(timeout=1, budget=10))
    assert outcomes[0].outcome == "new"
    # metadata, the batchGet that timed out, its retry (the emulator logs the slow one only once it wakes);
    # more only if a loaded machine made another answer slower than the 1-second timeout too
    assert outcomes[0].cost.requests >= 3, outcomes[0].line()


def test_a_dropped_connection_is_retried(google: Callable[..., GoogleSetup]) -> None:
    setup = google(["dlh_sampah_energi"])
    setup.emulator.drop(match="values:batchGet")
    outcomes, _ = _sync(setup.write_config())
    assert outcomes[0].outcome == "new" and outcomes[0].cost.requests == 3


def test_a_published_sheet_is_read_as_csv_without_credentials(google: Callable[..., GoogleSetup]) -> None:
    names = [n for n in SIX if n != "dpmptsp_si_mantab"]  # its worksheets carry alias titles; see README
    setup = google(names, shared_with=[], anyone_with_link=True)
    outcomes, store = _sync(setup.write_config(kind="published"))
    assert [o.outcome for o in outcomes] == ["new"] * len(names), [o.line() for o in outcomes]
    assert {n: s.content_hash for n, s in store.latest_snapshots().items()} == {
        n: h for n, h in _workbook_hashes().items() if n in names
    }
    assert setup.emulator.count("/gviz/tq") == 3 * len(names)
    assert setup.emulator.count("/token") == 0 and setup.emulator.count("/v4/") == 0


def test_a_private_sheet_read_as_published_says_how_to_share_it(google: Callable[..., GoogleSetup]) -> None:
    setup = google(["dlh_sampah_energi"])
    outcomes, _ = _sync(setup.write_config(kind="published"))
    assert outcomes[0].failed and "Siapa saja yang memiliki link" in outcomes[0].message.id


def test_a_published_sheet_missing_a_worksheet_is_not_read_from_the_first_one(
    google: Callable[..., GoogleSetup],
) -> None:
    setup = google(["dlh_sampah_energi"], shared_with=[], anyone_with_link=True)
    setup.emulator.delete_worksheet(setup.keys["dlh_sampah_energi"], "lokasi")
    outcomes, _ = _sync(setup.write_config(kind="published"))
    assert outcomes[0].failed and "Worksheet 'lokasi' tidak ditemukan" in outcomes[0].message.id


def test_two_syncs_started_at_once_do_the_work_once(google: Callable[..., GoogleSetup]) -> None:
    setup = google(["dlh_sampah_energi", "disdik_portal_pendidikan"])
    config = load_config(setup.write_config())
    setup.emulator.slow(1.0, match="values:batchGet")  # keeps the first sync busy while the second starts
    results: list[list[SyncOutcome] | None] = []
    barrier = threading.Barrier(2)

    def sync() -> None:
        store = Store(config.database_url)  # each as its own process would: own engine, same database
        barrier.wait()
        results.append(run_sync(config, store, TODAY))

    threads = [threading.Thread(target=sync) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(r is None for r in results) == [False, True]
    assert setup.emulator.count("values:batchGet") == 2  # one per spreadsheet, once


def test_check_reads_a_sheet_url_with_a_key_file_and_reports_like_the_workbook(
    google: Callable[..., GoogleSetup],
) -> None:
    setup = google(["diskop_baiman_store"])
    url = f"https://docs.google.com/spreadsheets/d/{setup.keys['diskop_baiman_store']}/edit#gid=0"
    env = {**_env(setup), "PORTAL_CONFIG": str(setup.write_config())}
    done = subprocess.run(
        [sys.executable, "-m", "data_sources", "check", url, "--credentials", str(setup.key_file), "--json"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert done.returncode == 1, done.stderr
    remote = json.loads(done.stdout)
    local = subprocess.run(
        [sys.executable, "-m", "data_sources", "check", str(SAMPLE_DATA / "diskop_baiman_store.xlsx"), "--json"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    reference = json.loads(local.stdout)
    assert remote["counts"] == reference["counts"]
    strip = [{k: v for k, v in i.items() if k != "value"} for i in remote["issues"]]
    assert strip == [{k: v for k, v in i.items() if k != "value"} for i in reference["issues"]]


def test_check_without_credentials_reads_the_sheet_as_published(google: Callable[..., GoogleSetup]) -> None:
    setup = google(["disdik_portal_pendidikan"], shared_with=[], anyone_with_link=True)
    url = f"https://docs.google.com/spreadsheets/d/{setup.keys['disdik_portal_pendidikan']}/edit"
    done = subprocess.run(
        [sys.executable, "-m", "data_sources", "check", url, "--json"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        env={**_env(setup), "PORTAL_CONFIG": str(setup.write_config())},
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["counts"]["program"] == {"rows": 1, "accepted": 1, "rejected": 0}


def test_the_private_key_never_reaches_a_message_the_store_or_the_output(
    google: Callable[..., GoogleSetup], capsys: pytest.CaptureFixture[str]
) -> None:
    setup = google(["dlh_sampah_energi"], shared_with=[])
    outcomes, _ = _sync(setup.write_config())
    key_material = setup.account["private_key"].splitlines()[1]
    print("\n".join(o.line() for o in outcomes))
    printed = capsys.readouterr().out
    database = Path(setup.folder / "store.sqlite").read_bytes() + Path(setup.folder / "store.sqlite-wal").read_bytes()
    assert key_material not in printed
    assert key_material.encode() not in database
    assert setup.account["private_key_id"] not in printed


def _env(setup: GoogleSetup) -> dict[str, str]:
    import os

    env = dict(os.environ)
    env["SHEETS_API_URL"] = setup.emulator.base_url
    env["SHEETS_EXPORT_URL"] = setup.emulator.base_url
    env.pop("DATABASE_URL", None)
    return env
