"""core/health_rules.py: links to a sheet's cell, a source's health from its stored reports, staleness.

And the worksheet ids those links need: carried from the Google reader through validation into the
report, keyed the way every issue names its worksheet.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from builders import CAPAIAN_ROW, PROGRAM_ROW, capaian, sheet, validate, workbook
from conftest import GoogleSetup

from core.health_rules import (
    SourceCondition,
    SourceHealth,
    cell_link,
    report_issues,
    resolve_skpd,
    source_health,
    stale_by_code,
    stale_programs,
)
from core.progress import ProgramProgress, program_progress
from core.sources import SourceState
from core.table import RawWorkbook
from core.text import Text
from data_sources.config.portal_config import load_config

KEY = "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcd"
TODAY = date(2026, 11, 27)


# --- cell links ----------------------------------------------------------------------------------


def test_a_cell_link_opens_the_sheet_at_the_worksheet_and_cell() -> None:
    expected = f"https://docs.google.com/spreadsheets/d/{KEY}/edit#gid=123456&range=D7"
    assert cell_link(f"https://docs.google.com/spreadsheets/d/{KEY}", 123456, "D7") == expected
    assert cell_link(f"https://docs.google.com/spreadsheets/d/{KEY}/edit#gid=0", 123456, "D7") == expected
    assert cell_link(KEY, 123456, "D7") == expected


def test_the_first_worksheet_gid_0_is_a_real_id() -> None:
    assert cell_link(KEY, 0, "AA12") == f"https://docs.google.com/spreadsheets/d/{KEY}/edit#gid=0&range=AA12"


@pytest.mark.parametrize(
    ("where", "gid", "cell"),
    [
        ("sample_data/disperkim.xlsx", 5, "A1"),  # a local workbook has no address to open
        (KEY, None, "A1"),  # the worksheet id is unknown (a published sheet, an old report)
        (KEY, 5, None),  # a problem with no cell (a missing worksheet)
        (KEY, 5, "A1&range=Z9"),  # never anything but an A1 reference in the address
        (None, 5, "A1"),
    ],
)
def test_no_link_without_every_part(where: str | None, gid: int | None, cell: str | None) -> None:
    assert cell_link(where, gid, cell) is None


# --- worksheet ids: reader -> validation -> report ---------------------------------------------


def _with_ids(book: RawWorkbook, ids: dict[str, int]) -> RawWorkbook:
    for raw in book.sheets:
        raw.sheet_id = ids.get(raw.title)
    return book


def test_the_report_carries_worksheet_ids_keyed_like_its_issues() -> None:
    # The worksheet is typed "Capaian " with a capital and a space; issues name it by the contract.
    book = workbook(capaians=None, extra=[sheet("Capaian ", [capaian(rencana_persen=235)])])
    result = validate(_with_ids(book, {"program": 0, "Capaian ": 987654, "lokasi": 42}))
    report = result.report()
    assert report["worksheet_ids"] == {"program": 0, "capaian": 987654, "lokasi": 42}
    bad = next(i for i in report["issues"] if i["column"] == "rencana_persen")
    assert bad["worksheet"] in report["worksheet_ids"]
    origin = {**report, "source": f"https://docs.google.com/spreadsheets/d/{KEY}"}
    [link] = [i.link for i in report_issues(origin) if i.column == "rencana_persen"]
    assert link == f"https://docs.google.com/spreadsheets/d/{KEY}/edit#gid=987654&range={bad['cell']}"


def test_without_worksheet_ids_the_report_keeps_its_documented_shape() -> None:
    report = validate(workbook()).report()
    assert set(report) == {"source", "counts", "issues"}


def test_the_google_reader_gives_each_worksheet_its_sheet_id(google: Callable[..., GoogleSetup]) -> None:
    setup = google(["diskop_baiman_store"])
    key = setup.keys["diskop_baiman_store"]
    config = load_config(setup.write_config())
    book = config.open_source(config.sources[0]).read()
    # The emulator's own worksheet ids: gid 0 for the first worksheet, a large fixed one for the others.
    expected = {t: setup.emulator._worksheet(key, t).sheet_id for t in setup.emulator.titles(key)}
    assert {s.title: s.sheet_id for s in book.sheets} == {s.title: expected[s.title] for s in book.sheets}
    assert validate(book, TODAY).report()["worksheet_ids"] == {s.title: expected[s.title] for s in book.sheets}


# --- a source's health ---------------------------------------------------------------------------

T0 = datetime(2026, 11, 1, 2, 0, tzinfo=UTC)


def _state(**changes: Any) -> SourceState:
    values: dict[str, Any] = {
        "name": "pupr",
        "skpd": "Dinas PUPR",
        "sample": False,
        "snapshot_id": 1,
        "origin": f"https://docs.google.com/spreadsheets/d/{KEY}",
        "read_at": T0,
        "accepted": 3,
        "rejected": 1,
        "last_attempt_at": T0 + timedelta(days=3),
        "last_outcome": "unchanged",
        "last_message": Text("", ""),
    }
    return SourceState(**(values | changes))


def _report(*issues: dict[str, Any], ids: dict[str, int] | None = None) -> dict[str, Any]:
    report: dict[str, Any] = {
        "source": f"https://docs.google.com/spreadsheets/d/{KEY}",
        "counts": {
            "program": {"rows": 1, "accepted": 1, "rejected": 0},
            "capaian": {"rows": 3, "accepted": 2, "rejected": 1},
        },
        "issues": list(issues),
    }
    if ids:
        report["worksheet_ids"] = ids
    return report


ERROR = {
    "severity": "error",
    "worksheet": "capaian",
    "row": 4,
    "column": "rencana_persen",
    "cell": "C4",
    "value": "235",
    "message": "rencana_persen berisi 235",
    "message_en": "rencana_persen holds 235",
}
WARNING = ERROR | {"severity": "warning", "row": 3, "cell": "D3", "value": "=1+1", "message": "hati-hati"}


def test_a_good_source_tells_its_reads_counts_and_linked_issues() -> None:
    health = source_health(
        _state(),
        last_report=_report(ERROR, WARNING, ids={"capaian": 77}),
        good_read_at=T0 + timedelta(days=3),
    )
    assert health.last_good_read == T0 + timedelta(days=3)
    assert health.last_change == T0
    assert health.checked_at == T0 + timedelta(days=3)
    assert [(c.worksheet, c.rejected) for c in health.counts] == [("program", 0), ("capaian", 1)]
    assert health.rejected == 1 and len(health.errors) == 1 and len(health.warnings) == 1
    assert health.condition is SourceCondition.REJECTED
    error = health.errors[0]
    assert error.link == f"https://docs.google.com/spreadsheets/d/{KEY}/edit#gid=77&range=C4"
    assert error.message == Text("rencana_persen berisi 235", "rencana_persen holds 235")
    assert health.warnings[0].value == "=1+1"  # the value as typed; the page shows it as text


def test_a_failed_read_keeps_the_last_good_reads_report_and_time() -> None:
    failed = _state(last_outcome="failed", last_message=Text("file tidak ada", "file not found"))
    health = source_health(
        failed,
        last_report=None,  # a read that failed outright has no report
        good_read_at=T0 + timedelta(days=2),
        good_report=_report(WARNING),
        snapshot_report=_report(ERROR),
    )
    assert health.failed and health.condition is SourceCondition.FAILED
    assert health.last_good_read == T0 + timedelta(days=2)
    assert health.checked_at == T0 + timedelta(days=2)
    assert [i.cell for i in health.issues] == ["D3"]
    assert health.last_message.en == "file not found"
    assert health.issues[0].link is None  # no worksheet ids in that report


def test_without_runs_the_snapshot_tells_what_there_is() -> None:
    clean = _report() | {"counts": {"program": {"rows": 1, "accepted": 1, "rejected": 0}}}
    health = source_health(_state(last_outcome=None, last_attempt_at=None), snapshot_report=clean)
    assert health.last_good_read == T0 and health.checked_at == T0
    assert health.condition is SourceCondition.OK


def test_a_source_never_read_says_so() -> None:
    never = _state(snapshot_id=None, origin=None, read_at=None, last_outcome="failed")
    health = source_health(never)
    assert health.last_good_read is None and not health.has_data and health.checked_at is None
    assert health.condition is SourceCondition.FAILED
    assert source_health(never, last_report=None).counts == ()


def _health(name: str, skpd: str) -> SourceHealth:
    return source_health(_state(name=name, skpd=skpd))


def test_the_skpd_in_a_link_matches_its_name_or_its_source_whatever_the_spelling() -> None:
    sources = [_health("pupr", "Dinas PUPR"), _health("pupr2", "Dinas PUPR"), _health("dlh", "DLH")]
    assert resolve_skpd(["dinas  pupr", "DLH", "pupr2"], sources) == (["Dinas PUPR", "DLH"], [])
    assert resolve_skpd(["dlh", "<b>x</b>"], sources) == (["DLH"], ["<b>x</b>"])


# --- staleness -----------------------------------------------------------------------------------


def _progress(*reports: dict[str, Any], **program: Any) -> list[ProgramProgress]:
    return program_progress([PROGRAM_ROW | program], list(reports), TODAY)


def _report_on(day: date, **values: Any) -> dict[str, Any]:
    return {**CAPAIAN_ROW, "tanggal": day, "rencana_persen": 50.0, "realisasi_persen": 45.0} | values


def test_a_program_is_stale_the_day_after_the_limit_not_on_it() -> None:
    on_the_limit = _progress(_report_on(TODAY - timedelta(days=30)))
    assert stale_programs(on_the_limit, TODAY, 30) == []
    one_more = _progress(_report_on(TODAY - timedelta(days=31)))
    [stale] = stale_programs(one_more, TODAY, 30)
    assert stale.days == 31 and stale.last_report == TODAY - timedelta(days=31) == stale.since
    assert stale.code == PROGRAM_ROW["kode_program"] and stale.name == "Bakawan RTLH"


def test_the_newest_report_counts_whatever_the_order() -> None:
    reports = [_report_on(TODAY - timedelta(days=5)), _report_on(date(2024, 1, 31))]
    assert stale_programs(_progress(*reports), TODAY, 30) == []


def test_the_limit_is_configurable() -> None:
    progress = _progress(_report_on(TODAY - timedelta(days=10)))
    assert stale_programs(progress, TODAY, 30) == []
    assert [s.days for s in stale_programs(progress, TODAY, 7)] == [10]


@pytest.mark.parametrize(
    "finished",
    [
        {"status": "Selesai", "realisasi_persen": 100.0},
        {"status": "Selesai", "realisasi_persen": 90.0},  # the report says finished
        {"status": "Berjalan", "realisasi_persen": 100.0},  # 100 % is finished whatever the word
    ],
)
def test_a_finished_program_is_never_stale(finished: dict[str, Any]) -> None:
    progress = _progress(_report_on(date(2024, 1, 31), **finished))
    assert stale_programs(progress, TODAY, 30) == []
    assert stale_by_code(progress, TODAY, 30) == {}


def test_without_any_report_a_program_counts_from_its_start() -> None:
    started = TODAY - timedelta(days=45)
    [stale] = stale_programs(_progress(tanggal_mulai=started), TODAY, 30)
    assert stale.last_report is None and stale.since == started and stale.days == 45
    assert stale_programs(_progress(tanggal_mulai=TODAY - timedelta(days=30)), TODAY, 30) == []
    assert stale_programs(_progress(tanggal_mulai=TODAY + timedelta(days=60)), TODAY, 30) == []  # not begun
