"""The public survey results (core/survey_summary.py) against a hand-worked example written out below."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from core.survey import ELEMENTS, GENERAL
from core.survey_summary import (
    OVERALL,
    MonthResult,
    city_month,
    program_results,
    rated,
    scopes,
)

PROGRAM = "QW24-DPMPTSP-01"
KEYS = list(ELEMENTS)  # persyaratan, prosedur, waktu, biaya, produk, kompetensi, perilaku, pengaduan, sarana
NA = None


def response(
    rid: str, created: datetime, answers: list[int | None], manfaat: int | None, program: str = PROGRAM
) -> dict[str, Any]:
    """A public response dict as FeedbackStore.public_responses gives it."""
    return {
        "id": rid,
        "created_at": created,
        "questionnaire_version": "2026.1",
        "program": program,
        "knows": True,
        "used": any(a is not None for a in answers),
        **dict(zip(KEYS, answers, strict=True)),
        "manfaat": manfaat,
        "usia": None,
        "jenis_kelamin": None,
        "pendidikan": None,
        "pekerjaan": None,
        "kecamatan": None,
        "saran": "",
    }


# Five responses about one program, worked out by hand.
#
#            pers pros wakt biay prod komp peri peng sara  manfaat  sent (UTC)          month in WITA (UTC+8)
#   R1         4    4    3   NA    4    3    4    4    3      4     2026-10-05 02:00    Oktober
#   R2         3    3    2    4    3    3    3    2    3      3     2026-10-31 15:59    Oktober (23:59 WITA)
#   R3         4    3    3    3    4    4    4    3    2      4     2026-10-31 17:00    November (01:00 WITA)
#   R4         2    3    2    3    3    4    3    3    2      2     2026-11-20 08:00    November
#   R5        NA   NA   NA   NA   NA   NA   NA   NA   NA     NA     2027-01-03 08:00    Januari
#
# R5 answered no element (it never used the program): a response, but not an index respondent.
# Respondents = 4. NRR = sum / number who answered that element:
#   persyaratan 13/4 = 3,25   prosedur 13/4 = 3,25   waktu 10/4 = 2,50
#   biaya 10/3 = 3,3333 (R1 not applicable)          produk 14/4 = 3,50
#   kompetensi 14/4 = 3,50    perilaku 14/4 = 3,50   pengaduan 12/4 = 3,00   sarana 10/4 = 2,50
#   sum of NRR = 28,3333; IKM = 28,3333 / 9 = 3,1481 (each NRR weighted 1/9)
#   IKM x 25 = 78,7037 -> 78,70 -> mutu B, Baik (76,61–88,30)
# Benefit: 1 x "2", 1 x "3", 2 x "4", 1 no answer (R5); "1" nobody.
# Trend by month in WITA:
#   Oktober (R1, R2): NRR 3,5 3,5 2,5 4 3,5 3 3,5 3 3 -> sum 29,5 -> IKM 3,2778 -> x 25 = 81,94
#   November (R3, R4): NRR 3 3 2,5 3 3,5 4 3,5 3 2 -> sum 27,5 -> IKM 3,0556 -> x 25 = 76,39 (mutu C)
#   Desember: no response (the gap is shown, with no index); Januari: R5 only -> 1 response, 0 respondents.
HAND_WORKED = [
    response("R1", datetime(2026, 10, 5, 2, 0, tzinfo=UTC), [4, 4, 3, NA, 4, 3, 4, 4, 3], 4),
    response("R2", datetime(2026, 10, 31, 15, 59, tzinfo=UTC), [3, 3, 2, 4, 3, 3, 3, 2, 3], 3),
    response("R3", datetime(2026, 10, 31, 17, 0, tzinfo=UTC), [4, 3, 3, 3, 4, 4, 4, 3, 2], 4),
    response("R4", datetime(2026, 11, 20, 8, 0, tzinfo=UTC), [2, 3, 2, 3, 3, 4, 3, 3, 2], 2),
    response("R5", datetime(2027, 1, 3, 8, 0, tzinfo=UTC), [NA] * 9, NA),
]
# A general response, all 1: in the overall results only.
GENERAL_ONE = response("G1", datetime(2026, 10, 10, 1, 0, tzinfo=UTC), [1] * 9, 1, program=GENERAL)


def test_the_index_of_the_hand_worked_example() -> None:
    results = program_results([*HAND_WORKED, GENERAL_ONE], PROGRAM, {})
    assert results.responses == 5
    assert results.respondents == 4  # R5 rated no element
    nrr = results.result.nrr
    expected = {
        "persyaratan": 3.25,
        "prosedur": 3.25,
        "waktu": 2.5,
        "biaya": 10 / 3,
        "produk": 3.5,
        "kompetensi": 3.5,
        "perilaku": 3.5,
        "pengaduan": 3.0,
        "sarana": 2.5,
    }
    assert nrr == pytest.approx(expected)
    assert results.answered["biaya"] == 3 and results.answered["persyaratan"] == 4
    assert results.result.ikm == pytest.approx(28.33333 / 9, abs=1e-5)
    assert results.result.converted == 78.70
    band = results.result.band
    assert band is not None and (band.mutu, band.kinerja.id, band.kinerja.en) == ("B", "Baik", "Good")


def test_the_benefit_distribution_counts_every_response_including_no_answer() -> None:
    benefit = program_results(HAND_WORKED, PROGRAM, {}).benefit
    assert benefit.counts == (0, 1, 1, 2)
    assert benefit.no_answer == 1
    assert benefit.total == 5
    assert benefit.share(4) == pytest.approx(0.4)
    assert benefit.share(None) == pytest.approx(0.2)


def test_the_trend_is_by_month_in_city_time_with_gaps_shown() -> None:
    trend = program_results(HAND_WORKED, PROGRAM, {}).trend
    assert trend == (
        MonthResult(date(2026, 10, 1), responses=2, respondents=2, converted=81.94),
        MonthResult(date(2026, 11, 1), responses=2, respondents=2, converted=76.39),
        MonthResult(date(2026, 12, 1), responses=0, respondents=0, converted=None),
        MonthResult(date(2027, 1, 1), responses=1, respondents=0, converted=None),
    )
    assert trend[1].band is not None and trend[1].band.mutu == "C"
    assert trend[2].band is None


def test_a_response_late_on_the_31st_in_utc_is_in_the_next_month_in_wita() -> None:
    assert city_month(datetime(2026, 10, 31, 15, 59, tzinfo=UTC)) == date(2026, 10, 1)  # 23:59 WITA
    assert city_month(datetime(2026, 10, 31, 17, 0, tzinfo=UTC)) == date(2026, 11, 1)  # 01:00 WITA
    assert city_month(datetime(2026, 12, 31, 16, 0, tzinfo=UTC)) == date(2027, 1, 1)  # new year in WITA first


@pytest.mark.parametrize(
    ("population", "target", "reached"),
    [
        (300, 169, False),  # FACTS.md: 300 -> 169; 4 respondents are far short
        (5, 5, False),  # a population of 5 needs all 5
        (4, 4, True),  # 4 of 4
    ],
)
def test_the_sample_is_judged_against_krejcie_morgan(population: int, target: int, reached: bool) -> None:
    sample = program_results(HAND_WORKED, PROGRAM, {PROGRAM: population}).sample
    assert (sample.respondents, sample.population, sample.target, sample.reached) == (4, population, target, reached)


@pytest.mark.parametrize("populations", [{}, {"QW24-PUPR-01": 300}, {PROGRAM: 0}])
def test_without_a_population_the_sample_cannot_be_judged(populations: dict[str, int]) -> None:
    sample = program_results(HAND_WORKED, PROGRAM, populations).sample
    assert (sample.population, sample.target, sample.reached) == (None, None, None)


def test_overall_takes_every_response_and_its_own_population() -> None:
    responses = [*HAND_WORKED, GENERAL_ONE]
    overall = program_results(responses, OVERALL, {PROGRAM: 300, OVERALL: 2000})
    assert overall.responses == 6 and overall.respondents == 5
    # The program's population is not the overall one: the overall has its own (2.000 -> 322).
    assert (overall.sample.population, overall.sample.target, overall.sample.reached) == (2000, 322, False)
    # persyaratan over five respondents: (4 + 3 + 4 + 2 + 1) / 5
    assert overall.result.nrr["persyaratan"] == pytest.approx(14 / 5)
    general = program_results(responses, GENERAL, {})
    assert general.respondents == 1 and general.result.converted == 25.0
    assert general.result.band is not None and general.result.band.mutu == "D"


def test_no_responses_give_no_index_and_no_trend() -> None:
    results = program_results([], PROGRAM, {PROGRAM: 300})
    assert (results.responses, results.respondents, results.result.ikm, results.trend) == (0, 0, None, ())
    assert results.sample.reached is False and results.benefit.total == 0 and results.benefit.share(1) == 0.0


def test_rated_means_at_least_one_element_answered() -> None:
    assert not rated(HAND_WORKED[4])
    assert rated(response("X", datetime(2026, 1, 1, tzinfo=UTC), [NA] * 8 + [2], NA))


def test_scopes_are_overall_general_the_programs_then_any_other_code_answered_about() -> None:
    responses = [*HAND_WORKED, response("Z", datetime(2026, 1, 1, tzinfo=UTC), [3] * 9, 3, program="QW24-OLD-99")]
    order = [OVERALL, GENERAL, "QW24-PERKIM-01", PROGRAM, "QW24-OLD-99"]
    assert scopes(responses, ["QW24-PERKIM-01", PROGRAM]) == order
    # Each scope as the page shows it: a listed program nobody answered about, a code only answered about.
    assert program_results(responses, "QW24-PERKIM-01", {}).responses == 0
    assert program_results(responses, "QW24-OLD-99", {}).respondents == 1
