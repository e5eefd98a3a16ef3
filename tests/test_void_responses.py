"""The admin voids a batch of stuffed responses (time window, program, address hash) with a reason: they leave
the IKM and the downloads, stay in the store for the audit, and the results page says how many and why.

A real SQLite store filled through the real form checks; the admin and results pages through AppTest.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from admin_session import signed_in
from builders import PROGRAM_CODE
from conftest import PortalSetup, run_app, write_source
from feedback_helpers import checked_response

from core.survey import ELEMENTS, GENERAL
from core.survey_summary import program_results
from data_sources.config.portal_config import load_config
from data_sources.config.questionnaire_file import load_questionnaire
from data_sources.files.exports import responses_frame
from data_sources.store.feedback_store import FeedbackStore
from data_sources.store.snapshot_store import Store

BOT = "b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0"
REASON = "Isian massal oleh skrip dari satu alamat, 14.00-14.20 WITA"


@pytest.fixture
def setup(
    tmp_path: Path, make_portal: Callable[..., PortalSetup], portal_env: Callable[[PortalSetup], None]
) -> PortalSetup:
    made = make_portal({"disperkim": write_source(tmp_path / "perkim.xlsx")})
    portal_env(made)
    return made


def fill(store: FeedbackStore, now: datetime) -> tuple[list[str], list[str]]:
    """Three genuine responses about the program (all 4) and six stuffed ones from one address (all 1)."""
    questionnaire = load_questionnaire(load_config())
    programs = (GENERAL, PROGRAM_CODE)
    genuine = [
        store.add(
            checked_response(questionnaire, programs, program=PROGRAM_CODE, **dict.fromkeys(ELEMENTS, 4), manfaat=4),
            session_key=f"warga{n}",
            client_key=f"alamat{n}",
            now=now - timedelta(minutes=30 + n),
        )
        for n in range(3)
    ]
    stuffed = [
        store.add(
            checked_response(questionnaire, programs, program=PROGRAM_CODE, **dict.fromkeys(ELEMENTS, 1), manfaat=1),
            session_key=f"bot{n}",
            client_key=BOT,
            now=now - timedelta(minutes=n),
        )
        for n in range(6)
    ]
    return genuine, stuffed


def test_a_voided_batch_leaves_the_index_and_the_download_but_stays_in_the_store(tmp_path: Path) -> None:
    store = FeedbackStore(Store(f"sqlite:///{tmp_path / 'store.sqlite'}").engine)
    now = datetime.now(UTC)
    genuine, stuffed = fill(store, now)
    assert program_results(store.public_responses(), PROGRAM_CODE, {}).result.converted < 100

    count = store.void(
        since=now - timedelta(minutes=10),
        until=now + timedelta(minutes=1),
        reason=REASON,
        program=PROGRAM_CODE,
        client_key=BOT,
    )

    assert count == 6
    public = store.public_responses()
    assert sorted(r["id"] for r in public) == sorted(genuine)
    assert program_results(public, PROGRAM_CODE, {}).result.converted == 100
    assert len(responses_frame(public)) == 3
    # The audit: every voided response is still stored as it was sent, and the void says which and why.
    assert all(store.response(i) is not None for i in stuffed)
    assert store.voided_ids() == set(stuffed)
    [void] = store.voids()
    assert (void["count"], void["reason"], void["per_program"], void["client_key"]) == (
        6,
        REASON,
        {PROGRAM_CODE: 6},
        BOT,
    )
    # Voiding the same window again takes nothing twice.
    assert store.void(since=now - timedelta(hours=2), until=now + timedelta(minutes=1), reason="lagi") == 3
    assert store.voids()[0]["count"] == 3  # the genuine three, by a second (deliberately broad) void


def test_a_void_needs_a_reason(tmp_path: Path) -> None:
    store = FeedbackStore(Store(f"sqlite:///{tmp_path / 'store.sqlite'}").engine)
    now = datetime.now(UTC)
    with pytest.raises(ValueError, match="reason"):
        store.void(since=now - timedelta(hours=1), until=now, reason="  ")


def test_the_admin_voids_one_addresss_batch_and_the_results_page_says_how_many_and_why(setup: PortalSetup) -> None:
    store = FeedbackStore(Store(load_config(setup.config_path).database_url).engine)
    _, stuffed = fill(store, datetime.now(UTC))
    at = signed_in()
    at.selectbox(key="void_program").set_value(PROGRAM_CODE).run()
    at.selectbox(key="void_address").set_value(BOT).run()
    at.text_input(key="void_reason").input(REASON)
    next(b for b in at.button if b.label == "Batalkan tanggapan ini").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("6 tanggapan dibatalkan" in s.value for s in at.success)
    assert store.voided_ids() == set(stuffed)

    page = run_app("app_pages/survey_results.py", program=PROGRAM_CODE)
    captions = " ".join(c.value for c in page.caption)
    assert "6 tanggapan dibatalkan admin" in captions
    assert any(REASON in t.value for t in page.text)  # the reason as text, never Markdown
    assert {str(m.value) for m in page.metric} >= {"3"}  # the three genuine respondents remain


def test_a_void_without_a_reason_is_refused_on_the_admin_page(setup: PortalSetup) -> None:
    store = FeedbackStore(Store(load_config(setup.config_path).database_url).engine)
    fill(store, datetime.now(UTC))
    at = signed_in()
    next(b for b in at.button if b.label == "Batalkan tanggapan ini").click().run()
    assert any("alasan" in e.value for e in at.error)
    assert store.voided_ids() == set()


def test_the_address_list_names_each_address_by_its_hash_alone(setup: PortalSetup) -> None:
    # Never by its count, which grows while a script still sends: Streamlit keeps a choice by its words, and the
    # choice fell back to every address (the browser test of the admin's journey shows what that voided).
    store = FeedbackStore(Store(load_config(setup.config_path).database_url).engine)
    fill(store, datetime.now(UTC))
    at = signed_in()
    options = at.selectbox(key="void_address").options
    assert options[0] == "Semua alamat"
    assert sorted(options[1:]) == sorted([BOT[:12], "alamat0", "alamat1", "alamat2"])
