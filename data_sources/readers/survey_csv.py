"""Survey responses from a CSV: paper questionnaires typed into a sheet, or the portal's own export.

Columns: ``program`` (a program code, or ``umum``) and one column per SKM element key (see
``core.survey.ELEMENTS``), each 1–4 or empty for "not applicable". Other columns are ignored. A row
with a value outside 1–4 is reported with its line number and left out. A row that rates no element
(every one "not applicable") is no respondent of the index, as on the portal; its line is listed.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.survey import ELEMENTS, GENERAL, ikm
from data_sources.readers.protocol import SourceUnreadable


@dataclass
class SurveyCsv:
    # program -> the responses about it
    responses: dict[str, list[dict[str, int | None]]] = field(default_factory=lambda: defaultdict(list))
    # (line number as a spreadsheet shows it, column, raw value, why)
    rejected: list[tuple[int, str, str, str]] = field(default_factory=list)
    # Lines that rated no element (all "not applicable"): not respondents of the index, as on the portal.
    unrated: list[int] = field(default_factory=list)


def _answer(raw: str) -> int | None:
    text = raw.strip()
    if not text:
        return None
    value = float(text.replace(",", "."))
    if not value.is_integer() or not 1 <= value <= 4:
        raise ValueError
    return int(value)


def read_survey_csv(path: Path) -> SurveyCsv:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise SourceUnreadable(f"file not found: {path}") from None
    except UnicodeDecodeError:
        raise SourceUnreadable(f"not a UTF-8 CSV file: {path}") from None
    reader = csv.DictReader(text.splitlines())
    header = {h.strip().lower(): h for h in (reader.fieldnames or [])}
    missing = [c for c in ("program", *ELEMENTS) if c not in header]
    if missing:
        raise SourceUnreadable(f"{path.name}: missing column(s): {', '.join(missing)}")
    result = SurveyCsv()
    for line, row in enumerate(reader, start=2):
        answers: dict[str, int | None] = {}
        problem = None
        for key in ELEMENTS:
            raw = row.get(header[key]) or ""
            try:
                answers[key] = _answer(raw)
            except ValueError:
                problem = (line, key, raw, "must be 1–4 or empty")
                break
        if problem:
            result.rejected.append(problem)
            continue
        if all(value is None for value in answers.values()):
            result.unrated.append(line)
            continue
        program = (row.get(header["program"]) or "").strip() or GENERAL
        result.responses[program].append(answers)
    return result


def survey_report(data: SurveyCsv, lang: str = "id") -> dict[str, Any]:
    """The report ``survey-report --json`` prints: per program, overall, and the rows left out."""
    programs = [
        {"program": program, **ikm(responses).as_dict(lang)} for program, responses in sorted(data.responses.items())
    ]
    everything = [r for responses in data.responses.values() for r in responses]
    return {
        "programs": programs,
        "overall": ikm(everything).as_dict(lang),
        "rejected": [
            {"line": line, "column": col, "value": raw, "reason": why} for line, col, raw, why in data.rejected
        ],
        "unrated_lines": data.unrated,
    }
