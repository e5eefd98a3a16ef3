"""Where each program stands: its latest report against plan, judged by the public-works rule.

The rule, in order (FACTS.md; the convention of Indonesian public-works monitoring, where a
negative deviation is "terlambat" and a large one "kritis"):

1. finished: the report says ``Selesai`` or the realisation reached 100 %;
2. no report yet: nothing to judge;
3. critical: actual lags the plan by more than 10 points while the plan is 0–70 %, or by more
   than 5 points while the plan is above 70 %;
4. late: actual is behind the plan at all, or the program is past its end date and not finished
   (with or without a report);
5. not started: plan and actual are both 0;
6. on track: otherwise (actual at or ahead of the plan).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any

from core.contract import DIMENSIONS, STATUS_DONE
from core.text import Text


class Track(Enum):
    DONE = "done"
    ON_TRACK = "on_track"
    LATE = "late"
    CRITICAL = "critical"
    NOT_STARTED = "not_started"
    NO_DATA = "no_data"


# Each status has a word and an icon of its own shape, so colour is never the only signal.
TRACK_LABELS: dict[Track, tuple[str, Text]] = {
    Track.DONE: (":material/check_circle:", Text("Selesai", "Completed")),
    Track.ON_TRACK: (":material/trending_up:", Text("Sesuai rencana", "On track")),
    Track.LATE: (":material/schedule:", Text("Terlambat", "Behind plan")),
    Track.CRITICAL: (":material/warning:", Text("Kritis", "Critical")),
    Track.NOT_STARTED: (":material/hourglass_empty:", Text("Belum dimulai", "Not started")),
    Track.NO_DATA: (":material/help:", Text("Belum ada laporan", "No report yet")),
}
# The order the overview counts them in, most urgent last so the eye ends there.
TRACK_ORDER = (Track.DONE, Track.ON_TRACK, Track.NOT_STARTED, Track.LATE, Track.CRITICAL, Track.NO_DATA)


def lag_threshold(plan: float) -> float:
    return 10.0 if plan <= 70 else 5.0


def judge(
    plan: float | None,
    actual: float | None,
    status: str | None,
    end: date | None = None,
    today: date | None = None,
) -> Track:
    """The rule of the module docstring; ``end`` and ``today`` make an overdue program late."""
    if status == STATUS_DONE or (actual is not None and actual >= 100):
        return Track.DONE
    overdue = end is not None and today is not None and today > end
    if plan is None or actual is None:
        return Track.LATE if overdue else Track.NO_DATA
    if plan - actual > lag_threshold(plan):
        return Track.CRITICAL
    if actual < plan or overdue:
        return Track.LATE
    if actual == 0 and plan == 0:
        return Track.NOT_STARTED
    return Track.ON_TRACK


@dataclass(frozen=True)
class ProgramProgress:
    program: dict[str, Any]
    latest: dict[str, Any] | None
    track: Track
    # past its end date and not finished
    overdue: bool = False

    @property
    def code(self) -> str:
        return str(self.program["kode_program"])

    @property
    def plan(self) -> float | None:
        return self.latest["rencana_persen"] if self.latest else None

    @property
    def actual(self) -> float | None:
        return self.latest["realisasi_persen"] if self.latest else None

    @property
    def as_of(self) -> date | None:
        return self.latest["tanggal"] if self.latest else None


def program_progress(
    programs: Iterable[dict[str, Any]], reports: Iterable[dict[str, Any]], today: date | None = None
) -> list[ProgramProgress]:
    """Each program with its most recent report (by report date), in dimension order."""
    latest: dict[str, dict[str, Any]] = {}
    for report in reports:
        code = report["kode_program"]
        if code not in latest or report["tanggal"] > latest[code]["tanggal"]:
            latest[code] = report
    order = {d.canonical: i for i, d in enumerate(DIMENSIONS)}
    result = []
    for program in sorted(programs, key=lambda p: (order.get(p["dimensi"], 99), p["kode_program"])):
        report = latest.get(program["kode_program"])
        track = judge(
            report["rencana_persen"] if report else None,
            report["realisasi_persen"] if report else None,
            report["status"] if report else None,
            program.get("tanggal_selesai"),
            today,
        )
        end = program.get("tanggal_selesai")
        overdue = track is not Track.DONE and today is not None and end is not None and today > end
        result.append(ProgramProgress(program, report, track, overdue))
    return result
