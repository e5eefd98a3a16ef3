"""The public survey download carries no receipt ids, and a rare profile combination is not published.

Real responses through the real form check into a real SQLite store, downloaded as CSV, XLSX and JSON.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest
from feedback_helpers import checked_response

from core.questionnaire import PROFILE_KEYS
from core.survey import GENERAL
from core.survey_summary import in_scope
from data_sources.config.portal_config import Config
from data_sources.config.questionnaire_file import load_questionnaire
from data_sources.files.exports import MIN_PROFILE_GROUP, responses_frame, to_csv_bytes, to_json_bytes, to_xlsx_bytes
from data_sources.store.feedback_store import FeedbackStore
from data_sources.store.snapshot_store import Store

PROGRAM = "QW24-PERKIM-01"
COMMON = {
    "usia": "30-39",
    "jenis_kelamin": "L",
    "pendidikan": "s1",
    "pekerjaan": "swasta",
    "kecamatan": "Banjarmasin Selatan",
}
# One person: a woman over 60 with a doctorate, a civil servant, in another kecamatan.
RARE = {"usia": "60+", "jenis_kelamin": "P", "pendidikan": "s2+", "pekerjaan": "pns", "kecamatan": "Banjarmasin Barat"}
SENT = datetime(2026, 11, 10, 3, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> FeedbackStore:
    feedback = FeedbackStore(Store(f"sqlite:///{tmp_path / 'store.sqlite'}").engine)
    questionnaire = load_questionnaire(Config())
    programs = (GENERAL, PROGRAM)
    for n in range(MIN_PROFILE_GROUP):
        response = checked_response(questionnaire, programs, program=PROGRAM, waktu=1 + n % 4, **COMMON)
        feedback.add(response, session_key=f"s{n}", client_key=f"c{n}", now=SENT)
    rare = checked_response(questionnaire, programs, program=PROGRAM, waktu=1, biaya=1, **RARE)
    feedback.add(rare, session_key="rare", client_key="rare", now=SENT)
    # The same common profile in another program: a group of one there, so suppressed there.
    other = checked_response(questionnaire, programs, program=GENERAL, **COMMON)
    feedback.add(other, session_key="o", client_key="o", now=SENT)
    return feedback


def _csv(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_no_download_carries_a_receipt_id(store: FeedbackStore) -> None:
    public = store.public_responses()
    ids = [r["id"] for r in public]
    frame = responses_frame(public)
    csv_bytes = to_csv_bytes(frame)
    workbook = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(frame, "tanggapan")))
    xlsx_text = " ".join(str(c.value) for row in workbook["tanggapan"].iter_rows() for c in row)
    json_text = to_json_bytes(frame, {}).decode("utf-8")
    assert "id" not in _csv(csv_bytes)[0]
    for response_id in ids:
        assert response_id.encode() not in csv_bytes
        assert response_id not in xlsx_text and response_id not in json_text


def test_a_profile_combination_shared_by_fewer_than_five_responses_is_left_empty(store: FeedbackStore) -> None:
    rows = _csv(to_csv_bytes(responses_frame(store.public_responses())))
    published = [tuple(r[k] for k in PROFILE_KEYS) for r in rows if r["program"] == PROGRAM]
    assert published.count(tuple(COMMON.values())) == MIN_PROFILE_GROUP  # five share it: published
    assert tuple(RARE.values()) not in published
    assert published.count(("",) * 5) == 1
    # The rare respondent's answers still count: only the profile is withheld.
    rare_row = next(r for r in rows if r["program"] == PROGRAM and r["usia"] == "")
    assert rare_row["biaya"] == "1"
    general = next(r for r in rows if r["program"] == GENERAL)
    assert [general[k] for k in PROFILE_KEYS] == [""] * 5  # alone in its program


def test_a_programs_own_download_suppresses_the_same_cells_as_the_all_programs_one(store: FeedbackStore) -> None:
    public = store.public_responses()
    everything = [r for r in _csv(to_csv_bytes(responses_frame(public))) if r["program"] == PROGRAM]
    own = _csv(to_csv_bytes(responses_frame(in_scope(public, PROGRAM))))
    assert own == everything
