"""The admin's journey in a real browser (issue #26), on its own portal with an admin password: sign in, "Sinkronkan
sekarang" and the table above it showing that sync, a reload that keeps the admin signed in, a sign-out that a
reload does not undo; and none of Streamlit's own English on the Indonesian pages where it was found.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from builders import PROGRAM_CODE
from feedback_helpers import checked_response
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from portal_server import PortalServer, running_portal

from core.passwords import hash_password
from core.streamlit_words import ENGLISH_LEFT
from core.survey import ELEMENTS, GENERAL
from data_sources.config.portal_config import load_config
from data_sources.config.questionnaire_file import load_questionnaire
from data_sources.store.feedback_store import FeedbackStore
from data_sources.store.snapshot_store import Store

from .conftest import Viewport
from .test_journalist_journey_in_browser import open_list
from .test_pages_in_browser import TIMEOUT_MS, wait_until_drawn

# Drives Debian's chromium (make test-fast leaves these out; make test runs them).
pytestmark = pytest.mark.browser

PASSWORD = "kata-sandi-admin-perjalanan"
TITLE = {"id": "Pengelolaan portal", "en": "Portal administration"}
SYNC_NOW = {"id": "Sinkronkan sekarang", "en": "Sync now"}
LAST_TRIED = {"id": "Terakhir dicoba (WITA)", "en": "Last attempt (WITA)"}
OUTCOME = {"id": "Hasil", "en": "Outcome"}
Screenshot = Callable[..., Path]


def _admin_portal(folder: Path) -> contextlib.AbstractContextManager[PortalServer]:
    secrets = folder / "secrets.toml"
    secrets.write_text(f'[admin]\npassword_hash = "{hash_password(PASSWORD)}"\n', encoding="utf-8")
    return running_portal(folder, secrets=secrets)


@pytest.fixture(scope="module")
def admin_portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PortalServer]:
    with _admin_portal(tmp_path_factory.mktemp("admin-portal")) as server:
        yield server


def _no_errors() -> str:
    return ""


def _settled(page: Page) -> None:
    expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state", "notRunning", timeout=TIMEOUT_MS)


def _open_admin(page: Page, base: str, lang: str) -> None:
    page.goto(f"{base}/admin" + ("?lang=en" if lang == "en" else ""), wait_until="domcontentloaded")
    wait_until_drawn(page, TITLE[lang], _no_errors)


def _sign_in(page: Page, lang: str) -> None:
    page.get_by_label("Kata sandi admin" if lang == "id" else "Admin password").fill(PASSWORD)
    page.get_by_role("button", name="Masuk" if lang == "id" else "Sign in").click()
    expect(page.get_by_role("button", name=SYNC_NOW[lang])).to_be_visible(timeout=TIMEOUT_MS)
    _settled(page)


COLUMN_JS = """(grid, name) => {
    const headers = [...grid.querySelectorAll('th[role="columnheader"]')].map(h => h.textContent.trim());
    const at = headers.indexOf(name);
    return [...grid.querySelectorAll('tbody tr')]
        .map(row => row.querySelectorAll('td[role="gridcell"]')[at]?.textContent.trim() ?? '');
}"""


def _column(page: Page, name: str) -> list[str]:
    """One column of the sync table, from the grid's table for screen readers (inside its canvas)."""
    grid = page.get_by_test_id("stDataFrame").first
    expect(grid.locator('th[role="columnheader"]', has_text=name)).to_be_attached(timeout=TIMEOUT_MS)
    return grid.evaluate(COLUMN_JS, name)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_admin_syncs_reloads_stays_signed_in_and_signs_out_for_good(
    page: Page, viewport: Viewport, admin_portal: PortalServer, screenshot: Screenshot, lang: str
) -> None:
    _open_admin(page, admin_portal.url, lang)
    _sign_in(page, lang)
    sources = _column(page, "Sumber" if lang == "id" else "Source")

    page.get_by_role("button", name=SYNC_NOW[lang]).click()
    expect(page.get_by_test_id("stAlertContentSuccess").first).to_be_visible(timeout=TIMEOUT_MS)
    _settled(page)
    # The table above the button shows the sync just run: each source's outcome is the one its alert says.
    texts = page.get_by_test_id("stAlertContentSuccess").all_inner_texts()
    said = {m.group(1): m.group(2) for m in (re.search(r"([\w-]+): (.+)$", x.strip()) for x in texts) if m}
    # The grid's table for screen readers is redrawn a frame after the run ends: wait for it, as a reader's eye does.
    wanted = [said[s] for s in sources]
    with contextlib.suppress(PlaywrightTimeoutError):  # if never, the assertion below says what the table shows
        page.wait_for_function(
            f"""([name, wanted]) => JSON.stringify(({COLUMN_JS})(
                document.querySelector('[data-testid="stDataFrame"]'), name)) === JSON.stringify(wanted)""",
            arg=[OUTCOME[lang], wanted],
            timeout=TIMEOUT_MS,
        )
    assert _column(page, OUTCOME[lang]) == wanted, said
    if not viewport.mobile:  # a phone's grid draws Sumber, Hasil and Pesan; "Terakhir dicoba" is a swipe away
        assert all(_column(page, LAST_TRIED[lang]))

    # The session cookie: HttpOnly, SameSite=Strict, with an expiry (the portal runs on http here: not Secure).
    [cookie] = [c for c in page.context.cookies() if c["name"] == "portal_admin"]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["expires"] > 0, cookie
    page.reload(wait_until="domcontentloaded")
    expect(page.get_by_role("button", name=SYNC_NOW[lang])).to_be_visible(timeout=TIMEOUT_MS)
    screenshot(lang, "signed-in-after-reload")

    page.get_by_role("button", name="Keluar" if lang == "id" else "Sign out").click()
    expect(page.get_by_role("button", name="Masuk" if lang == "id" else "Sign in")).to_be_visible(timeout=TIMEOUT_MS)
    page.reload(wait_until="domcontentloaded")
    wait_until_drawn(page, TITLE[lang], _no_errors)
    expect(page.get_by_role("button", name="Masuk" if lang == "id" else "Sign in")).to_be_visible()
    expect(page.get_by_role("button", name=SYNC_NOW[lang])).to_have_count(0)


def test_a_used_session_ticket_gives_no_second_cookie(page: Page, admin_portal: PortalServer) -> None:
    answer = page.request.get(f"{admin_portal.url}/admin/sesi?tiket=not-a-ticket")
    assert answer.status == 403 and "set-cookie" not in answer.headers


ENGLISH = re.compile("|".join(re.escape(word) for word in ENGLISH_LEFT))


def _english_on_the_page(page: Page) -> list[str]:
    """Streamlit's English strings that a reader sees or a screen reader announces (text and aria-labels)."""
    found = page.evaluate(
        """(pattern) => {
            const english = new RegExp(pattern), out = [];
            for (const e of document.querySelectorAll('[aria-label], [placeholder], [title]'))
                for (const a of ['aria-label', 'placeholder', 'title'])
                    if (e.getAttribute(a) && english.test(e.getAttribute(a))) out.push(`${a}=${e.getAttribute(a)}`);
            const walker = document.createTreeWalker(document.getElementById('root'), NodeFilter.SHOW_TEXT);
            for (let n; (n = walker.nextNode()); )
                if (english.test(n.nodeValue) && n.parentElement.checkVisibility()) out.push(n.nodeValue.trim());
            return out;
        }""",
        ENGLISH.pattern,
    )
    return [f for f in found if not re.search(r"Portal Transparansi|OpenStreetMap", f)]


def test_no_streamlit_english_on_the_indonesian_pages(page: Page, admin_portal: PortalServer) -> None:
    base = admin_portal.url
    page.goto(f"{base}/peta?nama_program=QW24-PERKIM-01", wait_until="domcontentloaded")  # a chip: "Remove …"
    wait_until_drawn(page, "Peta lokasi program", _no_errors)
    # Opened as the journeys open a list: again when a late run of the page closes it (open_list's docstring).
    open_list(page, page.get_by_test_id("stMultiSelect").filter(has_text="Kecamatan"))
    assert not _english_on_the_page(page)
    page.keyboard.type("Banjarmasin")  # the list now offers to select every match
    expect(page.get_by_role("option").first).to_be_visible()
    assert not _english_on_the_page(page)
    page.keyboard.press("Escape")

    page.goto(f"{base}/pratinjau", wait_until="domcontentloaded")
    wait_until_drawn(page, "Pratinjau sheet SKPD", _no_errors)
    assert not _english_on_the_page(page)

    page.goto(f"{base}/riwayat", wait_until="domcontentloaded")
    wait_until_drawn(page, "Riwayat data dan perubahan", _no_errors)
    assert not _english_on_the_page(page)

    _open_admin(page, base, "id")
    assert not _english_on_the_page(page)
    expect(page.get_by_test_id("stMainMenu")).to_have_count(0)  # Print / Record screen / Made with Streamlit


HEALTH_TITLE = {"id": "Kesehatan data per SKPD", "en": "Data health per office (SKPD)"}
STALE_WORD = {"id": "Ada program tanpa laporan baru", "en": "A program has no recent report"}
GOOD_WORD = {"id": "Baik", "en": "Good"}
LATE_MARK = {"id": r"Laporan terakhir (\d+) hari lalu", "en": r"Last report (\d+) days ago"}
REJECTED = {"id": "Ditolak", "en": "Rejected"}
CURVE = {"id": "Kurva S: rencana dan realisasi kumulatif", "en": "S-curve: planned and actual cumulative progress"}


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_health_page_s_word_agrees_with_the_program_page_for_a_program_with_no_recent_report(
    page: Page,
    viewport: Viewport,
    portal_url: str,
    server_errors: Callable[[], str],
    screenshot: Screenshot,
    lang: str,
) -> None:
    # The sample reports end in 2024: the program page calls Bakawan RTLH late, by its days since the last report.
    suffix = "&lang=en" if lang == "en" else ""
    page.goto(f"{portal_url}/program?program=QW24-PERKIM-01{suffix}", wait_until="domcontentloaded")
    wait_until_drawn(page, CURVE[lang], server_errors)
    late = page.get_by_text(re.compile(LATE_MARK[lang])).first
    expect(late).to_be_visible(timeout=TIMEOUT_MS)
    found = re.search(LATE_MARK[lang], late.inner_text())
    assert found
    days = found.group(1)

    page.goto(f"{portal_url}/kesehatan-data" + ("?lang=en" if lang == "en" else ""), wait_until="domcontentloaded")
    wait_until_drawn(page, HEALTH_TITLE[lang], server_errors)
    # The office's own section (the innermost block with a heading that lists this program as without a recent
    # report; sections come after the page's outer blocks, so the last match is the section).
    section = (
        page.get_by_test_id("stVerticalBlock")
        .filter(has=page.get_by_role("heading", level=2))
        .filter(has_text=re.compile(rf"\(QW24-PERKIM-01\).*{days}"))
        .last
    )
    section.scroll_into_view_if_needed()
    # The badge: an icon (its ligature's name is text too) and the word.
    expect(section.get_by_text(re.compile(rf"(^|\s){STALE_WORD[lang]}$"))).to_be_visible(timeout=TIMEOUT_MS)
    expect(section.get_by_text(re.compile(rf"(^|\s){GOOD_WORD[lang]}$"))).to_have_count(0)

    # Its rows per worksheet: "Ditolak" is the column right after the worksheet, inside the screen on a phone (a
    # small Markdown table since issue 23, no data grid).
    grid = section.locator("table").first
    grid.scroll_into_view_if_needed()
    expect(grid.locator("th").first).to_be_attached(timeout=TIMEOUT_MS)
    headers = [h.strip() for h in grid.locator("th").all_text_contents()]
    assert headers[1] == REJECTED[lang] and len(headers) > 2, headers
    box = grid.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= viewport.width, box
    screenshot(lang, "health-stale")


BOT = "b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0"
ADDRESS = {"id": "Hash alamat", "en": "Address hash"}
REASON = {"id": "Alasan (tampil di halaman hasil)", "en": "Reason (shown on the results page)"}
VOID = {"id": "Batalkan tanggapan ini", "en": "Void these responses"}
RESPONSES_TAB = {"id": "Tanggapan survei", "en": "Survey responses"}


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_admin_voids_only_the_chosen_address_though_it_sent_more_meanwhile(
    page: Page, tmp_path: Path, lang: str
) -> None:
    """The address list once named each address with its live count ("b0b0b0b0b0b0 (6)"), and Streamlit keeps a
    choice by its words: when the script sent once more before the admin pressed the button, the choice fell back to
    "every address" without a word, and the window's genuine responses were voided with the script's. And the
    choice's own run once sent the admin back to the first tab, away from the form."""
    with _admin_portal(tmp_path) as portal:
        config = load_config(tmp_path / "portal.toml")
        store = FeedbackStore(Store(config.database_url).engine)
        questionnaire, programs = load_questionnaire(config), (GENERAL, PROGRAM_CODE)

        def respond(answer: int, client_key: str, session_key: str) -> str:
            answers = dict.fromkeys(ELEMENTS, answer)
            response = checked_response(questionnaire, programs, program=PROGRAM_CODE, **answers, manfaat=answer)
            return store.add(response, session_key=session_key, client_key=client_key, now=datetime.now(UTC))

        genuine = {respond(4, f"alamat{n}", f"warga{n}") for n in range(3)}
        stuffed = {respond(1, BOT, f"bot{n}") for n in range(6)}

        _open_admin(page, portal.url, lang)
        _sign_in(page, lang)
        page.get_by_role("tab", name=RESPONSES_TAB[lang]).click()
        box = page.get_by_test_id("stSelectbox").filter(has_text=ADDRESS[lang])
        option = page.get_by_role("option", name=re.compile(f"^{BOT[:12]}"))
        open_list(page, box, option)
        option.click()
        chosen = box.get_by_role("combobox")
        expect(chosen).to_have_value(re.compile(f"^{BOT[:12]}"))
        _settled(page)
        # The run the choice started left the admin in this tab (it once went back to the first).
        expect(page.get_by_role("tab", name=RESPONSES_TAB[lang])).to_have_attribute("aria-selected", "true")
        stuffed.add(respond(1, BOT, "bot-late"))  # the script sends once more while the admin types the reason
        page.get_by_label(REASON[lang]).fill("Isian massal oleh skrip dari satu alamat")
        page.get_by_role("button", name=VOID[lang]).click()
        expect(page.get_by_test_id("stAlertContentSuccess")).to_be_visible(timeout=TIMEOUT_MS)

        assert store.voided_ids() == stuffed
        assert not store.voided_ids() & genuine
        expect(chosen).to_have_value(re.compile(f"^{BOT[:12]}"))
