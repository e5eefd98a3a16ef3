"""The questionnaire page (AppTest through app.py): answers are kept on a mistake, a response is committed
before the thank-you that shows its id, and the limits refuse with a reason."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import PortalSetup, run_app, write_source
from streamlit.testing.v1 import AppTest

from core.survey import ELEMENTS
from data_sources.config.portal_config import load_config
from data_sources.store.feedback_store import FeedbackStore
from data_sources.store.snapshot_store import Store
from server.portal import _portal_for

PAGE = "app_pages/feedback.py"


@pytest.fixture
def feedback_portal(
    tmp_path: Path, make_portal: Callable[..., PortalSetup], monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[[str], PortalSetup]]:
    """A portal with one workbook source and the given [feedback] settings."""

    def make(feedback: str = "min_seconds = 0") -> PortalSetup:
        setup = make_portal({"disperkim": write_source(tmp_path / "perkim.xlsx")})
        with setup.config_path.open("a", encoding="utf-8") as f:
            f.write(f"\n[feedback]\n{feedback}\n")
        monkeypatch.setenv("PORTAL_CONFIG", str(setup.config_path))
        _portal_for.clear()
        return setup

    yield make
    _portal_for.clear()


def stored(setup: PortalSetup) -> FeedbackStore:
    return FeedbackStore(Store(load_config(setup.config_path).database_url).engine)


def fill(at: AppTest, *, used: str = "ya", answer: int | str = 4, saran: str = "") -> None:
    at.radio(key="fb_tahu").set_value("ya")
    at.radio(key="fb_pernah").set_value(used)
    for key in ELEMENTS:
        at.radio(key=f"fb_{key}").set_value(answer)
    at.radio(key="fb_manfaat").set_value(3)
    at.text_area(key="fb_saran").input(saran)


def send(at: AppTest) -> AppTest:
    next(b for b in at.button if b.label in ("Kirim tanggapan", "Send response")).click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_complete_response_is_stored_before_the_thank_you_shows_its_id(
    feedback_portal: Callable[[str], PortalSetup],
) -> None:
    setup = feedback_portal("min_seconds = 0")
    at = run_app(PAGE)
    fill(at, saran="Pengantaran cepat, terima kasih")
    send(at)
    thanks = [s.value for s in at.success]
    assert thanks and "QW-" in thanks[0]
    response_id = thanks[0].split("**")[1]
    row = stored(setup).response(response_id)
    assert row is not None
    assert row["program"] == "umum" and row["persyaratan"] == 4 and row["manfaat"] == 3
    assert row["suggestion_status"] == "pending"  # not public until an admin approves it
    assert row["questionnaire_version"] == "2026.1"


def test_a_missing_answer_gets_a_message_under_its_question_and_the_other_answers_stay(
    feedback_portal: Callable[[str], PortalSetup],
) -> None:
    setup = feedback_portal("min_seconds = 0")
    at = run_app(PAGE)
    fill(at, saran="tetap di layar")
    at.radio(key="fb_waktu").set_value(None)
    at.radio(key="fb_manfaat").set_value(None)
    send(at)
    errors = [e.value for e in at.error]
    assert any("2 jawaban yang perlu diperbaiki" in e for e in errors)
    assert any("Tidak berlaku" in e for e in errors)  # the element's own message
    assert any("wajib" in e for e in errors)  # benefit is required from someone who used the program
    assert not at.success
    assert at.radio(key="fb_persyaratan").value == 4 and at.text_area(key="fb_saran").value == "tetap di layar"
    assert stored(setup).count() == 0


def test_someone_who_never_used_the_program_may_leave_the_elements_unanswered(
    feedback_portal: Callable[[str], PortalSetup],
) -> None:
    setup = feedback_portal("min_seconds = 0")
    at = run_app(PAGE)
    at.radio(key="fb_tahu").set_value("tidak")
    at.radio(key="fb_pernah").set_value("tidak")
    send(at)
    assert at.success, [e.value for e in at.error]
    (row,) = stored(setup).public_responses()
    assert all(row[key] is None for key in ELEMENTS) and row["manfaat"] is None


def test_a_contact_without_consent_is_refused_with_a_message_at_the_consent_box(
    feedback_portal: Callable[[str], PortalSetup],
) -> None:
    feedback_portal("min_seconds = 0")
    at = run_app(PAGE)
    fill(at)
    at.text_input(key="fb_kontak").input("warga@contoh.id")
    send(at)
    assert any("Centang persetujuan" in e.value for e in at.error)
    at.checkbox(key="fb_setuju").check()
    send(at)
    assert at.success


def test_a_submission_faster_than_the_minimum_time_is_refused_and_the_answers_stay(
    feedback_portal: Callable[[str], PortalSetup],
) -> None:
    setup = feedback_portal("min_seconds = 600")
    at = run_app(PAGE)
    fill(at)
    send(at)
    warnings = [w.value for w in at.warning]
    assert any("Terlalu cepat" in w and "600 detik" in w for w in warnings)
    assert at.radio(key="fb_sarana").value == 4
    assert stored(setup).count() == 0


def test_the_same_response_twice_from_one_session_is_refused_as_a_duplicate(
    feedback_portal: Callable[[str], PortalSetup],
) -> None:
    setup = feedback_portal("min_seconds = 0")
    at = run_app(PAGE)
    fill(at, saran="sama persis")
    send(at)
    next(b for b in at.button if b.label == "Isi tanggapan lain").click()
    at.run()
    fill(at, saran="sama persis")
    send(at)
    assert any("sudah kami terima" in w.value for w in at.warning)
    assert stored(setup).count() == 1


def test_a_session_over_its_hourly_limit_is_told_why(feedback_portal: Callable[[str], PortalSetup]) -> None:
    setup = feedback_portal("min_seconds = 0\nper_session_per_hour = 1")
    at = run_app(PAGE)
    fill(at, answer=4)
    send(at)
    next(b for b in at.button if b.label == "Isi tanggapan lain").click()
    at.run()
    fill(at, answer=3)
    send(at)
    assert any("batasnya 1" in w.value for w in at.warning)
    assert stored(setup).count() == 1


def test_the_questions_name_the_program_chosen_in_the_url_and_read_in_english(
    feedback_portal: Callable[[str], PortalSetup],
) -> None:
    feedback_portal("min_seconds = 0")
    at = run_app(PAGE, program="QW24-PERKIM-01", lang="en")
    assert at.selectbox(key="feedback_program").value == "QW24-PERKIM-01"
    label = at.radio(key="fb_persyaratan").label
    assert label.startswith("**3.** How well do the requirements of") and "{program}" not in label
    fill(at)
    send(at)
    assert at.success and "Thank you" in at.success[0].value
    assert at.query_params["program"] == "QW24-PERKIM-01"


def test_a_closed_survey_says_so_and_shows_no_form(feedback_portal: Callable[[str], PortalSetup]) -> None:
    feedback_portal("enabled = false")
    at = run_app(PAGE)
    assert any("ditutup" in i.value for i in at.info)
    assert not at.radio  # no question


def test_a_configured_google_form_is_embedded_below_the_portal_form_not_instead_of_it(
    feedback_portal: Callable[[str], PortalSetup],
) -> None:
    feedback_portal('google_form_url = "https://docs.google.com/forms/d/e/1FAIpQLSe-contoh/viewform"')
    at = run_app(PAGE)
    assert at.radio(key="fb_tahu")  # the portal's own form is still there
    assert any(h.value == "Formulir Google" for h in at.header)
    frames = at.get("iframe")
    assert len(frames) == 1
    assert frames[0].proto.src.endswith("/viewform?embedded=true")  # type: ignore[attr-defined]


def test_an_address_that_is_not_a_google_form_is_never_embedded(feedback_portal: Callable[[str], PortalSetup]) -> None:
    feedback_portal('google_form_url = "https://contoh.example/formulir"')
    at = run_app(PAGE)
    assert not at.get("iframe") and not any(h.value == "Formulir Google" for h in at.header)


def test_after_a_language_switch_the_form_says_that_answers_not_yet_sent_are_chosen_again(
    feedback_portal: Callable[[str], PortalSetup],
) -> None:
    """A choice made but not yet sent lives only in the browser, in the words of the language it was made in: the
    server cannot carry it over, so the reader is told, once, right after the switch."""
    feedback_portal("min_seconds = 0")
    at = run_app(PAGE)
    assert not at.info  # a first visit says nothing of the kind
    at.button(key="language_switch").click().run()
    notices = [i.value for i in at.info]
    assert any("not yet sent" in n and "from Bahasa Indonesia" in n for n in notices), notices
    at.run()
    assert not any("not yet sent" in i.value for i in at.info)
    at.button(key="language_switch").click().run()
    assert any("belum dikirim" in i.value and "dari English" in i.value for i in at.info)
    english = run_app(PAGE, lang="en")
    assert not any("not yet sent" in i.value for i in english.info)  # opened in English: nothing was switched
    # Switched on another page: the form comes back in the new language with nothing of its own to ask again.
    elsewhere = run_app(PAGE)
    elsewhere.switch_page("app_pages/about.py").run()
    elsewhere.button(key="language_switch").click().run()
    elsewhere.switch_page(PAGE).run()
    assert elsewhere.radio(key="fb_tahu").label.endswith("Quick Win programs in general?")
    assert not any("not yet sent" in i.value for i in elsewhere.info)


def test_one_missing_answer_is_counted_in_english_without_a_wrong_plural(
    feedback_portal: Callable[[str], PortalSetup],
) -> None:
    feedback_portal("min_seconds = 0")
    at = run_app(PAGE, lang="en")
    fill(at)
    at.radio(key="fb_manfaat").set_value(None)
    send(at)
    errors = [e.value for e in at.error]
    assert any(e.startswith("Answers to fix: 1;") for e in errors), errors
    assert any(e.startswith("Not sent yet. Answers to fix: 1, question no. 12.") for e in errors), errors
    assert not any("1 answers" in e for e in errors)
