"""Where a program stands: the public-works delay rule and the choice of the latest report."""

from __future__ import annotations

from datetime import date

import pytest

from core.progress import Track, judge, program_progress


@pytest.mark.parametrize(
    ("plan", "actual", "status", "track"),
    [
        (50, 40, "Berjalan", Track.LATE),  # 10 points behind at plan <= 70: behind, not yet critical
        (50, 39.9, "Berjalan", Track.CRITICAL),  # more than 10 behind
        (70, 59.5, "Berjalan", Track.CRITICAL),
        (80, 75, "Berjalan", Track.LATE),  # 5 behind at plan > 70: behind, not yet critical
        (80, 74.9, "Berjalan", Track.CRITICAL),
        (50, 49.9, "Berjalan", Track.LATE),  # any lag is behind plan
        (50, 50, "Berjalan", Track.ON_TRACK),
        (30, 45, "Berjalan", Track.ON_TRACK),  # ahead of plan
        (100, 100, "Selesai", Track.DONE),
        (90, 92, "Selesai", Track.DONE),
        (60, 100, "Berjalan", Track.DONE),  # reached 100 % whatever the status word says
        (0, 0, "Belum dimulai", Track.NOT_STARTED),
        (None, None, None, Track.NO_DATA),
    ],
)
def test_a_program_is_critical_when_it_lags_the_plan_by_more_than_the_threshold_and_late_when_behind_at_all(
    plan: float | None, actual: float | None, status: str | None, track: Track
) -> None:
    assert judge(plan, actual, status) is track


def test_progress_uses_the_most_recent_report_by_date_not_by_row_order() -> None:
    programs = [
        {"kode_program": "B", "dimensi": "Smart Living"},
        {"kode_program": "A", "dimensi": "Smart Governance"},
        {"kode_program": "C", "dimensi": "Smart Economy"},
    ]
    reports = [
        {
            "kode_program": "B",
            "tanggal": date(2024, 9, 30),
            "rencana_persen": 60,
            "realisasi_persen": 58,
            "status": "Berjalan",
        },
        {
            "kode_program": "B",
            "tanggal": date(2024, 6, 30),
            "rencana_persen": 40,
            "realisasi_persen": 10,
            "status": "Terhambat",
        },
        {
            "kode_program": "A",
            "tanggal": date(2024, 3, 31),
            "rencana_persen": 20,
            "realisasi_persen": 5,
            "status": "Berjalan",
        },
    ]
    result = program_progress(programs, reports)
    assert [p.code for p in result] == ["A", "C", "B"]  # dimension order, as the ministry lists them
    by_code = {p.code: p for p in result}
    assert by_code["B"].actual == 58 and by_code["B"].as_of == date(2024, 9, 30)
    assert by_code["B"].track is Track.LATE
    assert by_code["A"].track is Track.CRITICAL
    assert by_code["C"].track is Track.NO_DATA and by_code["C"].latest is None


def test_a_program_past_its_end_date_and_not_finished_is_late_at_least() -> None:
    end, after = date(2024, 12, 31), date(2025, 1, 1)
    assert judge(100, 100, "Berjalan", end, after) is Track.DONE
    assert judge(95, 96, "Berjalan", end, after) is Track.LATE  # ahead of plan, but out of time
    assert judge(95, 96, "Berjalan", end, end) is Track.ON_TRACK  # on its last day it is not yet late
    assert judge(100, 80, "Terhambat", end, after) is Track.CRITICAL  # critical stays critical
    assert judge(None, None, None, end, after) is Track.LATE  # no report and out of time
