"""Where each program stands: its latest report against plan, judged by the public-works rule.

The rule (FACTS.md, used in Indonesian public works monitoring): a program is late ("kritis")
when actual progress lags the plan by more than 10 points while the plan is 0–70 %, or by more
than 5 points while the plan is 70–100 %.
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
    NOT_STARTED = "not_started"
    NO_DATA = "no_data"


# Each status has a word and an icon of its own shape, so colour is never the only signal.
TRACK_LABELS: dict[Track, tuple[str, Text]] = {
    Track.DONE: (":material/check_circle:", Text("Selesai", "Completed")),
    Track.ON_TRACK: (":material/trending_up:", Text("Sesuai rencana", "On track")),
    Track.LATE: (":material/warning:", Text("Terlambat (kritis)", "Behind schedule (critical)")),
    Track.NOT_STARTED: (":material/schedule:", Text("Belum dimulai", "Not started")),
    Track.NO_DATA: (":material/help:", Text("Belum ada laporan", "No report yet")),
}


def lag_threshold(plan: float) -> float:
    return 10.0 if plan <= 70 else 5.0


def judge(plan: float | None, actual: float | None, status: str | None) -> Track:
    if plan is None or actual is None:
        return Track.NO_DATA
    if status == STATUS_DONE or actual >= 100:
        return Track.DONE
    if plan - actual > lag_threshold(plan):
        return Track.LATE
    if actual == 0 and plan == 0:
        return Track.NOT_STARTED
    return Track.ON_TRACK


@dataclass(frozen=True)
class ProgramProgress:
    program: dict[str, Any]
    latest: dict[str, Any] | None
    track: Track

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


def program_progress(programs: Iterable[dict[str, Any]], reports: Iterable[dict[str, Any]]) -> list[ProgramProgress]:
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
        )
        result.append(ProgramProgress(program, report, track))
    return result
