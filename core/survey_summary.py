"""The public survey results: per program and overall, the SKM index and what a reader needs to judge it.

From the public response dicts (``FeedbackStore.public_responses``) this computes, for one scope (every
response, the general questionnaire, or one program):

- ``responses``: every response in the scope;
- the index respondents: responses with at least one of the nine elements answered. A resident who
  has not used a program may answer "not applicable" to all nine (or the form may skip them); such a
  response still counts as a response and for the benefit question, but gives the index nothing, so it
  is neither a respondent of the IKM nor a member of the sample judged against Krejcie–Morgan;
- the ``SurveyResult`` of ``core.survey.ikm`` over the index respondents, and how many answered each element;
- the Krejcie–Morgan sample size for the population the admin set, and whether it is reached;
- the benefit question's distribution (1–4 and no answer), over every response;
- the trend by month in city time (WITA): index respondents and IKM x 25 of each month, with the months
  between the first and last response filled in (no respondents, no index) so the axis does not hide gaps.

Pure: no Streamlit, no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from core.survey import ELEMENTS, GENERAL, Band, SurveyResult, band, ikm, krejcie_morgan
from core.wilayah import CITY_TIMEZONE

# The scope of every response. Also the key of the overall population in the admin's population
# setting: the overall sample is judged only against a population the admin sets for it, since adding
# up the programs' populations would count twice every resident who uses more than one program.
OVERALL = "semua"
BENEFIT_KEY = "manfaat"


@dataclass(frozen=True)
class SampleSize:
    """The index respondents against the Krejcie–Morgan sample size of the population (if set)."""

    respondents: int
    population: int | None  # None: the admin has not set it, so the sample cannot be judged
    target: int | None

    @property
    def reached(self) -> bool | None:
        return None if self.target is None else self.respondents >= self.target


@dataclass(frozen=True)
class BenefitDistribution:
    counts: tuple[int, int, int, int]  # how many answered 1, 2, 3, 4
    no_answer: int

    @property
    def total(self) -> int:
        return sum(self.counts) + self.no_answer

    def share(self, answer: int | None) -> float:
        """The share (0–1) of every response that gave ``answer`` (None: no answer)."""
        if not self.total:
            return 0.0
        count = self.no_answer if answer is None else self.counts[answer - 1]
        return count / self.total


@dataclass(frozen=True)
class MonthResult:
    month: date  # the first day of the month, in city time
    responses: int
    respondents: int  # index respondents
    converted: float | None  # IKM x 25 of the month; None without respondents

    @property
    def band(self) -> Band | None:
        return band(self.converted) if self.converted is not None else None


@dataclass(frozen=True)
class ProgramResults:
    scope: str  # OVERALL, core.survey.GENERAL or a program code
    responses: int
    result: SurveyResult  # over the index respondents
    answered: Mapping[str, int]  # element key -> how many index respondents answered it
    sample: SampleSize
    benefit: BenefitDistribution
    trend: tuple[MonthResult, ...]

    @property
    def respondents(self) -> int:
        return self.result.respondents


def rated(response: Mapping[str, Any]) -> bool:
    """True when the response answered at least one element: an index respondent."""
    return any(response.get(key) is not None for key in ELEMENTS)


def city_month(moment: datetime) -> date:
    """The first day of the month ``moment`` falls in, in city time (a naive time is taken as UTC)."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    local = aware.astimezone(CITY_TIMEZONE)
    return date(local.year, local.month, 1)


def in_scope(responses: Iterable[Mapping[str, Any]], scope: str) -> list[Mapping[str, Any]]:
    return [r for r in responses if scope == OVERALL or r.get("program") == scope]


def _benefit(responses: Sequence[Mapping[str, Any]]) -> BenefitDistribution:
    counts = [0, 0, 0, 0]
    no_answer = 0
    for response in responses:
        value = response.get(BENEFIT_KEY)
        if value in (1, 2, 3, 4):
            counts[int(value) - 1] += 1
        else:
            no_answer += 1
    return BenefitDistribution((counts[0], counts[1], counts[2], counts[3]), no_answer)


def _next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def _trend(responses: Sequence[Mapping[str, Any]]) -> tuple[MonthResult, ...]:
    by_month: dict[date, list[Mapping[str, Any]]] = {}
    for response in responses:
        by_month.setdefault(city_month(response["created_at"]), []).append(response)
    if not by_month:
        return ()
    months = []
    month, last = min(by_month), max(by_month)
    while month <= last:
        these = by_month.get(month, [])
        result = ikm(r for r in these if rated(r))
        months.append(MonthResult(month, len(these), result.respondents, result.converted))
        month = _next_month(month)
    return tuple(months)


def program_results(
    responses: Iterable[Mapping[str, Any]], scope: str, populations: Mapping[str, int]
) -> ProgramResults:
    """The results of one scope: OVERALL (every response), GENERAL, or a program code."""
    chosen = in_scope(responses, scope)
    raters = [r for r in chosen if rated(r)]
    result = ikm(raters)
    answered = {key: sum(1 for r in raters if r.get(key) is not None) for key in ELEMENTS}
    population = populations.get(scope)
    population = int(population) if population and population > 0 else None
    target = krejcie_morgan(population) if population else None
    return ProgramResults(
        scope=scope,
        responses=len(chosen),
        result=result,
        answered=answered,
        sample=SampleSize(result.respondents, population, target),
        benefit=_benefit(chosen),
        trend=_trend(chosen),
    )


def scopes(responses: Iterable[Mapping[str, Any]], programs: Sequence[str] = ()) -> list[str]:
    """OVERALL, GENERAL, the given program codes in their order, then any other program answered about."""
    known = [OVERALL, GENERAL, *(p for p in programs if p not in (OVERALL, GENERAL))]
    others = sorted({str(r.get("program")) for r in responses} - set(known))
    return known + others
