"""The SKM index (Permenpan RB 14/2017) against a hand-worked example, and the survey-report command."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from core.survey import ELEMENTS, band, ikm, krejcie_morgan

REPO = Path(__file__).resolve().parent.parent
KEYS = list(ELEMENTS)


def answers(default: int, **overrides: int | None) -> dict[str, int | None]:
    return {key: overrides.get(key, default) for key in KEYS}


# Four respondents about one program, worked out by hand:
#   persyaratan, prosedur, produk, kompetensi, perilaku, pengaduan: 4, 3, 3, 4 -> NRR 14/4 = 3,5
#   waktu: 4, 3, 2, 4 -> 13/4 = 3,25
#   biaya: (not applicable), 3, 3, 4 -> 10/3 = 3,3333 (only those who answered count)
#   sarana: 4, 3, 3, 1 -> 11/4 = 2,75
#   IKM = (6 x 3,5 + 3,25 + 3,3333 + 2,75) / 9 = 30,3333 / 9 = 3,3704; x 25 = 84,26 -> mutu B, Baik
HAND_WORKED = [
    answers(4, biaya=None),
    answers(3),
    answers(3, waktu=2),
    answers(4, sarana=1),
]


def test_the_index_of_the_hand_worked_example() -> None:
    result = ikm(HAND_WORKED)
    assert result.respondents == 4
    assert result.nrr["persyaratan"] == pytest.approx(3.5)
    assert result.nrr["waktu"] == pytest.approx(3.25)
    assert result.nrr["biaya"] == pytest.approx(10 / 3)
    assert result.nrr["sarana"] == pytest.approx(2.75)
    assert result.ikm == pytest.approx(30.33333 / 9, abs=1e-5)
    assert result.converted == 84.26
    assert result.band is not None and (result.band.mutu, result.band.kinerja.id) == ("B", "Baik")


@pytest.mark.parametrize(
    ("converted", "mutu"),
    [(100, "A"), (88.31, "A"), (88.30, "B"), (76.61, "B"), (76.60, "C"), (65.00, "C"), (64.99, "D"), (25, "D")],
)
def test_the_bands_follow_the_regulation_at_two_decimals(converted: float, mutu: str) -> None:
    assert band(converted).mutu == mutu


def test_an_element_nobody_answered_is_left_out_not_counted_as_zero() -> None:
    result = ikm([answers(4, biaya=None), answers(2, biaya=None)])
    assert "biaya" not in result.nrr and result.unanswered == ("biaya",)
    assert result.ikm == pytest.approx(3.0)


def test_an_answer_outside_one_to_four_is_refused() -> None:
    with pytest.raises(ValueError, match="sarana"):
        ikm([answers(3, sarana=5)])


@pytest.mark.parametrize(
    ("population", "sample"), [(10, 10), (50, 44), (100, 80), (300, 169), (2000, 322), (10**7, 384)]
)
def test_the_sample_size_follows_the_krejcie_morgan_table(population: int, sample: int) -> None:
    assert krejcie_morgan(population) == sample


def _csv(path: Path, rows: list[dict[str, object]]) -> Path:
    """A CSV as an office would type it: a running number, the program, the nine elements, a note."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["no", "program", *KEYS, "catatan"])
        writer.writeheader()
        for number, row in enumerate(rows, start=1):
            writer.writerow({"no": number, **row})
    return path


def test_survey_report_from_a_csv_gives_the_same_index_and_reports_bad_rows_by_line(tmp_path: Path) -> None:
    rows: list[dict[str, object]] = [{"program": "QW24-DPMPTSP-01", **a} for a in HAND_WORKED]
    rows.append({"program": "QW24-DPMPTSP-01", **answers(3, perilaku=7)})  # line 6: left out
    rows.append({"program": "umum", **answers(4), "catatan": "ignored column"})
    path = _csv(tmp_path / "skm.csv", rows)
    done = subprocess.run(
        [sys.executable, "-m", "data_sources", "survey-report", "--input", str(path), "--json"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    by_program = {p["program"]: p for p in report["programs"]}
    dpmptsp = by_program["QW24-DPMPTSP-01"]
    assert dpmptsp["respondents"] == 4
    assert dpmptsp["ikm_converted"] == 84.26 and dpmptsp["mutu"] == "B" and dpmptsp["kinerja"] == "Baik"
    assert dpmptsp["nrr"]["biaya"] == pytest.approx(3.3333)
    assert by_program["umum"]["ikm"] == 4.0 and by_program["umum"]["mutu"] == "A"
    assert report["overall"]["respondents"] == 5
    assert report["rejected"] == [{"line": 6, "column": "perilaku", "value": "7", "reason": "must be 1–4 or empty"}]


def test_survey_report_names_missing_columns_and_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("program,persyaratan\numum,4\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "data_sources", "survey-report", "--input", str(path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and "prosedur" in done.stderr
