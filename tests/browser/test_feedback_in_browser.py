"""A resident fills in the satisfaction survey in a real browser, gets the response's id, and sees the results
count it. On the desktop and on a phone."""

from __future__ import annotations

import re
import sqlite3
import tomllib
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from portal_server import PortalServer

from core.questionnaire import parse_questionnaire

from .conftest import REPO
from .test_pages_in_browser import TIMEOUT_MS, wait_until_drawn

# Drives Debian's chromium (make test-fast leaves these out; make test runs them).
pytestmark = pytest.mark.browser

QUESTIONNAIRE = parse_questionnaire(tomllib.loads((REPO / "kuesioner.toml").read_text(encoding="utf-8")))
GENERAL_NAME = QUESTIONNAIRE.general_program.get("id")
Screenshot = Callable[..., Path]


def respondents_shown(page: Page, portal_url: str, server_errors: Callable[[], str]) -> int:
    """The "Responden" figure of the general results, 0 while there are none."""
    page.goto(f"{portal_url}/hasil-survei?program=umum", wait_until="domcontentloaded")
    wait_until_drawn(page, "Hasil Survei Kepuasan Masyarakat", server_errors)
    metric = page.get_by_test_id("stMetric").filter(has_text="Responden")
    if metric.count() == 0:
        return 0
    return int(re.sub(r"\D", "", metric.get_by_test_id("stMetricValue").inner_text()))


def answer(page: Page, question: str, option: str) -> None:
    group = page.get_by_test_id("stRadio").filter(has_text=question)
    group.get_by_text(option, exact=True).click()
    expect(group.get_by_role("radio", name=option)).to_be_checked()


def test_a_resident_fills_in_the_survey_sees_the_id_and_the_updated_results(
    page: Page, portal_url: str, server_errors: Callable[[], str], screenshot: Screenshot
) -> None:
    before = respondents_shown(page, portal_url, server_errors)

    page.goto(f"{portal_url}/survei?program=umum", wait_until="domcontentloaded")
    wait_until_drawn(page, QUESTIONNAIRE.title.get("id"), server_errors)
    for question in QUESTIONNAIRE.yes_no:
        answer(page, question.text("id", GENERAL_NAME), "Ya")
    for number, element in enumerate(QUESTIONNAIRE.elements, start=1):
        value = 4 if number % 2 else 3
        answer(page, element.text("id", GENERAL_NAME), f"{value} · {element.scale[value - 1].id}")
    # One mistake first: the benefit question is left empty; the message names it and the answers stay.
    page.get_by_role("button", name="Kirim tanggapan").click()
    expect(page.get_by_text("jawaban yang perlu diperbaiki")).to_be_visible(timeout=TIMEOUT_MS)
    first = QUESTIONNAIRE.elements[0]
    expect(
        page.get_by_test_id("stRadio")
        .filter(has_text=first.text("id", GENERAL_NAME))
        .get_by_role("radio", name=f"4 · {first.scale[3].id}")
    ).to_be_checked()

    benefit = QUESTIONNAIRE.benefit
    answer(page, benefit.text("id", GENERAL_NAME), f"3 · {benefit.scale[2].id}")
    suggestion = page.get_by_role("textbox", name=QUESTIONNAIRE.suggestion_label.get("id"))
    suggestion.fill('=HYPERLINK("x") Antrean perlu dipercepat')
    page.get_by_role("button", name="Kirim tanggapan").click()

    thanks = page.get_by_test_id("stAlertContentSuccess").filter(has_text="Terima kasih")
    expect(thanks).to_be_visible(timeout=TIMEOUT_MS)
    found = re.search(r"QW-[0-9A-Z]{4}-[0-9A-Z]{4}", thanks.inner_text())
    assert found, thanks.inner_text()
    screenshot("id", "thanks")

    page.get_by_role("link", name="Lihat hasil survei").click()
    wait_until_drawn(page, "Hasil Survei Kepuasan Masyarakat", server_errors)
    expect(page).to_have_url(re.compile(r"/hasil-survei\?program=umum"), timeout=TIMEOUT_MS)
    metric = page.get_by_test_id("stMetric").filter(has_text="Responden").get_by_test_id("stMetricValue")
    expect(metric).to_have_text(str(before + 1), timeout=TIMEOUT_MS)
    # The suggestion waits for moderation: it is not on the public page.
    expect(page.get_by_text("Antrean perlu dipercepat")).to_have_count(0)
    screenshot("id", "results")


def stored_responses(portal_server: PortalServer) -> int:
    """How many responses the server's real SQLite store holds."""
    with closing(sqlite3.connect(portal_server.log.parent / "portal.sqlite")) as store:
        return store.execute("SELECT count(*) FROM feedback_responses").fetchone()[0]


def test_a_submit_with_a_question_unanswered_says_so_by_the_button_and_saves_nothing(
    page: Page, portal_url: str, portal_server: PortalServer, server_errors: Callable[[], str], screenshot: Screenshot
) -> None:
    """Issue #26: on a phone the messages under the questions sit two screens above the button; the
    respondent must see at once, where they pressed, that something is missing and which question it is."""
    page.goto(f"{portal_url}/survei?program=umum", wait_until="domcontentloaded")
    wait_until_drawn(page, QUESTIONNAIRE.title.get("id"), server_errors)
    before = stored_responses(portal_server)
    answer(page, QUESTIONNAIRE.yes_no[0].text("id", GENERAL_NAME), "Ya")  # question 2 stays unanswered
    page.get_by_role("button", name="Kirim tanggapan").click()

    errors = page.get_by_test_id("stAlertContentError")
    at_button = errors.filter(has_text="Belum terkirim").filter(has_text="pertanyaan nomor 2")
    expect(at_button).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state", "notRunning", timeout=TIMEOUT_MS)
    expect(at_button).to_be_in_viewport()
    # The message under the question itself is there too, and nothing was saved.
    expect(errors.filter(has_text="Jawab ya atau tidak.")).to_have_count(1)
    assert stored_responses(portal_server) == before
    screenshot("id", "unanswered")


def test_a_language_switch_keeps_the_answers_sent_once_and_says_where_the_unsent_ones_are(
    page: Page, portal_url: str, server_errors: Callable[[], str], screenshot: Screenshot
) -> None:
    """A choice's value is its option's words ("4 · Sangat mudah"); after a switch to English Streamlit looked for
    them among "4 · Very easy" and every answer was gone, without a word. The answers the server has (sent once,
    with a mistake) are drawn again in the new words; a choice not yet sent lives only in this browser, in the
    old words: the notice asks for it again."""
    general_en = QUESTIONNAIRE.general_program.get("en")
    first, second = QUESTIONNAIRE.elements[0], QUESTIONNAIRE.elements[1]
    page.goto(f"{portal_url}/survei?program=umum", wait_until="domcontentloaded")
    wait_until_drawn(page, QUESTIONNAIRE.title.get("id"), server_errors)
    answer(page, QUESTIONNAIRE.yes_no[0].text("id", GENERAL_NAME), "Ya")
    answer(page, first.text("id", GENERAL_NAME), f"4 · {first.scale[3].id}")
    page.get_by_role("button", name="Kirim tanggapan").click()  # sent with questions missing: refused, kept
    expect(page.get_by_text("jawaban yang perlu diperbaiki")).to_be_visible(timeout=TIMEOUT_MS)
    answer(page, second.text("id", GENERAL_NAME), f"3 · {second.scale[2].id}")  # chosen, not sent

    page.locator(".st-key-language_switch").get_by_role("button", name="English", exact=True).click()
    notice = page.get_by_test_id("stAlertContentInfo").filter(has_text="not yet sent")
    expect(notice).to_be_visible(timeout=TIMEOUT_MS)
    expect(notice).to_contain_text("from Bahasa Indonesia")
    # The form is scrolled to where the reader was answering: the notice at its top is out of sight, the toast not.
    toast = page.get_by_test_id("stToast").filter(has_text="choose again the answers not yet sent")
    expect(toast).to_be_in_viewport()
    expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state", "notRunning", timeout=TIMEOUT_MS)
    yes_no = page.get_by_test_id("stRadio").filter(has_text=QUESTIONNAIRE.yes_no[0].text("en", general_en))
    expect(yes_no.get_by_role("radio", name="Yes", exact=True)).to_be_checked()
    kept = page.get_by_test_id("stRadio").filter(has_text=first.text("en", general_en))
    expect(kept.get_by_role("radio", name=f"4 · {first.scale[3].en}")).to_be_checked()
    unsent = page.get_by_test_id("stRadio").filter(has_text=second.text("en", general_en))
    expect(unsent.get_by_role("radio", checked=True)).to_have_count(0)
    screenshot("en", "language-switched")

    # Chosen again in English, and sent.
    answer(page, second.text("en", general_en), f"3 · {second.scale[2].en}")
    page.get_by_role("button", name="Send response").click()
    # Refused again, for the question never answered: the answers kept across the switch went with it.
    refused = page.get_by_test_id("stAlertContentError").filter(has_text="Not sent yet")
    expect(refused).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state", "notRunning", timeout=TIMEOUT_MS)
    expect(kept.get_by_role("radio", name=f"4 · {first.scale[3].en}")).to_be_checked()
    expect(unsent.get_by_role("radio", name=f"3 · {second.scale[2].en}")).to_be_checked()
