"""Response downloads: no contact or hashes, formulas defused in CSV and XLSX, and the CSV feeds survey-report."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime
from pathlib import Path

import openpyxl
import pytest
from feedback_helpers import checked_response

from core.safe_cells import defuse
from core.survey import ELEMENTS, GENERAL
from core.survey_summary import program_results
from data_sources.config.portal_config import Config
from data_sources.config.questionnaire_file import load_questionnaire
from data_sources.files.exports import RESPONSE_COLUMNS, responses_frame, to_csv_bytes, to_json_bytes, to_xlsx_bytes
from data_sources.readers.survey_csv import read_survey_csv, survey_report
from data_sources.store.feedback_store import FeedbackStore
from data_sources.store.snapshot_store import Store

PROGRAM = "QW24-PERKIM-01"
CONTACT = "warga.banjar@example.org"
INJECTIONS = ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+62 811", "'+62 811"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\r=1", "'\r=1"),
        ("\uff1d1+1", "'\uff1d1+1"),  # full-width equals sign
        ("Jalan rusak di Kelayan", "Jalan rusak di Kelayan"),
        ("a=b", "a=b"),  # only the first character matters
        ("'=1", "'=1"),  # already defused: unchanged, so defusing twice is harmless
        ("", ""),
    ],
)
def test_defuse_quotes_text_that_a_spreadsheet_would_read_as_a_formula(value: str, expected: str) -> None:
    assert defuse(value) == expected


@pytest.mark.parametrize("value", [-2, 3.5, None, date(2026, 11, 1), datetime(2026, 11, 1, tzinfo=UTC), True])
def test_defuse_leaves_numbers_none_and_dates_alone(value: object) -> None:
    assert defuse(value) is value


@pytest.fixture
def store(tmp_path: Path) -> FeedbackStore:
    """A real SQLite store with responses as the form makes them: contacts, hashes, suggestions in each state."""
    feedback = FeedbackStore(Store(f"sqlite:///{tmp_path / 'store.sqlite'}").engine)
    questionnaire = load_questionnaire(Config())
    programs = (GENERAL, PROGRAM)
    sent = datetime(2026, 10, 31, 17, 0, tzinfo=UTC)  # 1 November, 01:00 WITA

    def add(n: int, **values: object) -> str:
        response = checked_response(questionnaire, programs, **values)
        return feedback.add(response, session_key=f"sesi{n:028d}", client_key=f"alamat{n:026d}", now=sent)

    for n, saran in enumerate(INJECTIONS):
        rid = add(n, program=PROGRAM, saran=saran, kontak=CONTACT, setuju=True, waktu=2 + n % 3)
        feedback.moderate(rid, "approved")
    add(10, program=PROGRAM, saran="=belum diperiksa, rahasia", biaya="na")  # pending: never published
    add(11, program=GENERAL, tahu="tidak", pernah="tidak", **dict.fromkeys(ELEMENTS, "na"), manfaat=None)
    feedback.moderate(add(12, program=GENERAL, saran="Baris satu\nbaris dua, dengan koma"), "approved")
    return feedback


def _csv_rows(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM, so Excel reads UTF-8
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_the_csv_has_no_contact_or_hash_and_defuses_every_formula(store: FeedbackStore) -> None:
    data = to_csv_bytes(responses_frame(store.public_responses()))
    rows = _csv_rows(data)
    assert list(rows[0]) == list(RESPONSE_COLUMNS)
    for secret in (CONTACT, "sesi", "alamat", "rahasia", "belum diperiksa"):
        assert secret.encode() not in data, secret
    suggestions = {r["saran"] for r in rows}
    assert {"'" + s for s in INJECTIONS} <= suggestions
    assert not any(s.startswith(("=", "+", "-", "@")) for r in rows for s in r.values())
    assert {r["bulan"] for r in rows} == {"2026-11"}  # the month in WITA, not the exact time
    assert "Baris satu\nbaris dua, dengan koma" in suggestions
    not_applicable = next(r for r in rows if r["pernah"] == "tidak")
    assert [not_applicable[k] for k in ELEMENTS] == [""] * 9 and not_applicable["manfaat"] == ""
    assert next(r for r in rows if r["saran"] == "'+1")["waktu"] == "3"  # whole numbers, not 3.0


def test_the_xlsx_stores_defused_formulas_as_text(store: FeedbackStore) -> None:
    about = [("Sumber", "Portal Transparansi Quick Win Kota Banjarmasin"), ("Lisensi", "=CC BY 4.0")]
    data = to_xlsx_bytes(responses_frame(store.public_responses()), "tanggapan", about)
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    sheet = workbook["tanggapan"]
    header = [c.value for c in sheet[1]]
    assert header == list(RESPONSE_COLUMNS)
    saran = header.index("saran") + 1
    cells = {sheet.cell(row, saran).value: sheet.cell(row, saran) for row in range(2, sheet.max_row + 1)}
    for text in INJECTIONS:
        cell = cells["'" + text]
        assert cell.data_type == "s"
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f"
            if isinstance(cell.value, str):
                assert cell.data_type == "s" and not cell.value.startswith(("=", "+", "-", "@"))
    assert not any(CONTACT in str(c.value) for row in sheet.iter_rows() for c in row)
    waktu = header.index("waktu") + 1
    assert {sheet.cell(row, waktu).value for row in range(2, sheet.max_row + 1)} >= {2, 3, 4, None}
    readme = workbook["keterangan"]
    assert [[c.value for c in row] for row in readme.iter_rows()] == [
        ["Sumber", "Portal Transparansi Quick Win Kota Banjarmasin"],
        ["Lisensi", "'=CC BY 4.0"],
    ]


def test_the_csv_feeds_survey_report_with_the_same_index(store: FeedbackStore, tmp_path: Path) -> None:
    public = store.public_responses()
    path = tmp_path / "unduhan.csv"
    path.write_bytes(to_csv_bytes(responses_frame(public)))
    data = read_survey_csv(path)
    assert data.rejected == []
    report = survey_report(data)
    by_program = {p["program"]: p for p in report["programs"]}
    for scope in (PROGRAM, GENERAL):
        ours = program_results(public, scope, {}).result.as_dict()
        theirs = by_program[scope]
        assert (theirs["ikm_converted"], theirs["mutu"], theirs["kinerja"], theirs["nrr"]) == (
            ours["ikm_converted"],
            ours["mutu"],
            ours["kinerja"],
            ours["nrr"],
        )
    # Both count as respondents only the rows that rated an element; the all-"not applicable" row is listed.
    assert by_program[GENERAL]["respondents"] == program_results(public, GENERAL, {}).respondents
    assert len(report["unrated_lines"]) == 1


def test_an_empty_download_still_has_its_header() -> None:
    rows = to_csv_bytes(responses_frame([])).decode("utf-8-sig").splitlines()
    assert rows == [",".join(RESPONSE_COLUMNS)]
    workbook = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(responses_frame([]), "a/b:c*d?[e]")))
    assert workbook.sheetnames == ["a-b-c-d--e-"]
    assert [c.value for c in workbook.active[1]] == list(RESPONSE_COLUMNS)


def test_the_json_download_keeps_the_responses_as_published(store: FeedbackStore) -> None:
    public = store.public_responses()
    data = json.loads(to_json_bytes(responses_frame(public), {"Sumber": "portal"}))
    assert data["tentang"] == {"Sumber": "portal"}
    # One row per response, in order (no receipt id: test_survey_download_privacy.py).
    assert [row["program"] for row in data["data"]] == [r["program"] for r in public]
    assert not {"contact", "session_key", "client_key"} & set(data["data"][0])
