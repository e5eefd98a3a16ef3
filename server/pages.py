"""Every public URL (``/``, ``/program``, ``/peta``...) answered with HTML that already says what the page says
(``core.page_summary`` written into Streamlit's own page shell by ``core.page_html``): crawlers, link previews and
a slow phone read the figures before the app has loaded; the app then loads at the same URL as ever."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

import streamlit
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from core.atom_feed import FEED_PATH
from core.dataset_jsonld import dataset, script_tag
from core.formatting import escape_markdown
from core.i18n import t
from core.map_caption import picture_caption
from core.page_html import PageUrls, backend_address, render_page, without_web_font
from core.page_params import PROGRAM, PageView, known_values, map_filter, page_view
from core.page_summary import PageSummary, data_per, home_summary, page_summary, program_summary
from core.sitemap import page_path
from core.streamlit_words import TRANSLATION_SCRIPT
from core.text import LANGUAGES
from data_sources.jobs.publish_open_data import INDEX as INDEX_FILE
from data_sources.jobs.publish_open_data import URL_PATH, read_index
from data_sources.published.map_data import filtered_view, map_data
from data_sources.published.published_data import Overview
from server.log_routes import verifier_key
from server.pictures import HOME_IMAGE, MAP_PICTURE, PROGRAM_IMAGE
from server.portal import Portal, get_portal
from server.site_address import base_url, base_url_path, request_language

# Streamlit's own page shell: its scripts, styles and root element; the portal adds its head and first paint.
SHELL = Path(streamlit.__file__).parent / "static" / "index.html"


@functools.cache
def shell() -> str:
    """Streamlit's page shell, with the script that puts Streamlit's own English words into Indonesian on an
    Indonesian page (``core.streamlit_words``, issue #26 item 12), and without its web font's preload (the portal's
    text is in the phone's own fonts, ``core.page_html.without_web_font``)."""
    return without_web_font(SHELL.read_text(encoding="utf-8")).replace("</head>", TRANSLATION_SCRIPT + "</head>", 1)


def plain_shell() -> str:
    """The shell with the app server's address said up front, as on every public page: otherwise Streamlit's
    bundle first looks for it under the page's own path (``/admin/_stcore/health``), two 404s in the console."""
    return shell().replace("</head>", backend_address(base_url_path()) + "</head>", 1)


def plain_page(request: Request) -> Response:
    """A page with no summary of its own (the preview, the admin page): the shell only, never indexed."""
    return HTMLResponse(plain_shell(), headers={"Cache-Control": "no-cache", "X-Robots-Tag": "noindex"})


Summarise = Callable[[Portal, Overview, PageView, str], tuple[PageSummary, int]]


def _simple(name_key: str, intro_key: str) -> Summarise:
    """A page whose first screen is its title and introduction."""

    def summarise(portal: Portal, overview: Overview, view: PageView, lang: str) -> tuple[PageSummary, int]:
        title = portal.config.title
        return page_summary(t(name_key, lang), t(intro_key, lang), overview.sources, title, lang), 200

    return summarise


def _home(portal: Portal, overview: Overview, view: PageView, lang: str) -> tuple[PageSummary, int]:
    return home_summary(overview.progress, overview.sources, portal.config.title, lang), 200


def _program(portal: Portal, overview: Overview, view: PageView, lang: str) -> tuple[PageSummary, int]:
    code = view.get(PROGRAM)
    item = overview.program(code) if code is not None else None
    if item is None:  # the list of programs to choose from; a 404 for crawlers when the asked one does not exist
        summary = home_summary(overview.progress, overview.sources, portal.config.title, lang)
        title = f"{t('program.title', lang)} · {portal.config.title.get(lang)}"
        status = 404 if PROGRAM in view.unknown else 200
        return PageSummary(**{**summary.__dict__, "title": title, "heading": t("program.choose", lang)}), status
    sample = portal.config.has_sample_sources
    return program_summary(item, overview.program_source.get(item.code), portal.config.title, lang, sample), 200


def _map(portal: Portal, overview: Overview, view: PageView, lang: str) -> tuple[PageSummary, int]:
    """The map's title and introduction, then the picture of the address's filters with its figures in words: the
    same picture the app shows first (issue 23), so the reader sees the map before the app has loaded."""
    summary = page_summary(t("map.title", lang), t("map.intro", lang), overview.sources, portal.config.title, lang)
    sites = filtered_view(portal, map_data(portal), map_filter(view))
    alt = t("map.alt", lang, sites=sites.matching_sites, homes=sites.matching_homes)
    url = page_path(MAP_PICTURE, lang, view.params)
    picture = f"![{escape_markdown(alt)}]({url})"
    caption = escape_markdown(picture_caption(sites, lang))  # an unknown status is sheet text
    return PageSummary(**{**summary.__dict__, "paragraphs": (*summary.paragraphs, picture, caption)}), 200


def log_paragraphs(key: str | None, lang: str) -> tuple[str, ...]:
    """What /tentang says of the signed log: what it proves, and the verifier key to keep (or that there is none
    yet). The same words as the Streamlit page's section (app_pages/about.py)."""
    said = f"**{t('about.log', lang)}.** {t('about.log_text', lang)}"
    if key is None:
        return said, t("about.log_unsigned", lang)
    return said, f"{t('about.log_key', lang)} `{key}`"


def _about(portal: Portal, overview: Overview, view: PageView, lang: str) -> tuple[PageSummary, int]:
    """The page's title and introduction, then the log and the verifier key a journalist keeps (issue 24)."""
    summary = page_summary(t("about.title", lang), t("about.what", lang), overview.sources, portal.config.title, lang)
    paragraphs = (*summary.paragraphs, *log_paragraphs(verifier_key(), lang))
    return PageSummary(**{**summary.__dict__, "paragraphs": paragraphs}), 200


def _survey(portal: Portal, overview: Overview, view: PageView, lang: str) -> tuple[PageSummary, int]:
    questionnaire = portal.feedback.questionnaire
    # The questionnaire's words are configuration text: shown as written, never as markup.
    intro = escape_markdown(questionnaire.intro.get(lang))
    return page_summary(questionnaire.title.get(lang), intro, overview.sources, portal.config.title, lang), 200


# Each public URL path and how its first screen is summarised (the paths app.py gives the pages).
PAGES: dict[str, Summarise] = {
    "/": _home,
    "/program": _program,
    "/peta": _map,
    "/riwayat": _simple("history.title", "history.intro"),
    "/survei": _survey,
    "/hasil-survei": _simple("survey_results.title", "survey_results.intro"),
    "/kesehatan-data": _simple("health.title", "health.intro"),
    "/tentang": _about,
}
# The pages that describe the open-data files to dataset search: the home page, and "about" which explains them.
DATASET_PAGES = ("/", "/tentang")
# Pages without a summary, served from the same shell so Streamlit's words are Indonesian there too.
PLAIN_PAGES = ("/pratinjau", "/admin")


def _urls(
    path: str, view: PageView, base: str, lang: str, image: str | None = None, image_alt: str | None = None
) -> PageUrls:
    # The view's own known parameters (program, map filters) stay in its address, in canonical order
    # (core.page_params); the language is the alternate's. Anything else a client sent is not copied.
    alternates = tuple((other, base + page_path(path, other, view.params)) for other in LANGUAGES)
    feed = base + page_path(FEED_PATH, lang)
    canonical = dict(alternates)[lang]
    return PageUrls(canonical=canonical, alternates=alternates, image=image, image_alt=image_alt, feed=feed)


def _preview(
    path: str, base: str, view: PageView, lang: str, overview: Overview, summary: PageSummary
) -> tuple[str | None, str | None]:
    """The page's link-preview picture and its words (issue 25, item 6): a program's own page its program's picture;
    every other public page (/tentang, /peta, /riwayat...) the city's, the home page's: the one picture of the whole
    portal (every program's progress and status, from the same published data, in the page's language), where a
    shared link to the page about the portal or to the map is best shown by what the portal is for. An unknown
    program's 404 has none."""
    code = view.get(PROGRAM)
    if path == "/program" and code is not None and len(summary.programs) == 1:
        facts = summary.programs[0]
        alt = t("share.alt.program", lang, name=facts.name, skpd=facts.skpd, status=facts.status)
        return base + page_path(PROGRAM_IMAGE, lang, [(PROGRAM, code)]), _with_data_per(alt, facts.as_of)
    if path == "/program" and PROGRAM in view.unknown:
        return None, None
    alt = t("share.alt.city", lang, count=len(overview.progress))
    return base + page_path(HOME_IMAGE, lang), _with_data_per(alt, data_per(overview.progress, lang))


def _with_data_per(alt: str, when: str | None) -> str:
    """The picture's words with the date its figures describe, which the picture prints too."""
    return f"{alt} {when}." if when else alt


def _dataset_tag(portal: Portal, overview: Overview, base: str, lang: str) -> str:
    """The open-data files as a schema.org Dataset, from the index.json they were published with (none: empty)."""
    index = read_index(portal.config.open_data_folder) if portal.config.open_data.enabled else None
    if index is None:
        return ""
    days = [r["tanggal"] for r in overview.reports if r.get("tanggal")]
    period = (min(days), max(days)) if days else None
    index_path = f"{URL_PATH}/{INDEX_FILE}"
    return script_tag(dataset(index, base, lang, period, portal.config.has_sample_sources, index_path))


def page(request: Request) -> Response:
    """A public page's HTML: its head and first paint from the published data, then Streamlit's app."""
    portal = get_portal()
    overview = portal.overview()
    lang = request_language(request)
    base = base_url(request, portal)
    path = request.url.path
    if path == "/kesehatan-data" and not portal.config.health.public:
        return HTMLResponse(plain_shell(), headers={"Cache-Control": "no-cache"})  # behind the password: say nothing

    # Only the page's own known parameters (core.page_params): the cache holds at most one page per path, view of
    # the data, language and allowed address, whatever junk the query carries. An unknown program is one 404 page.
    known = known_values(path, [item.code for item in overview.progress], [s.name for s in portal.config.sources])
    view = page_view(path, request.query_params.multi_items(), known)

    def build() -> tuple[str, int]:
        summary, status = PAGES[path](portal, overview, view, lang)
        links = {item.code: page_path("/program", lang, [("program", item.code)]) for item in overview.progress}
        site = portal.config.title.get(lang)
        extra = [backend_address(base_url_path())]
        extra += [_dataset_tag(portal, overview, base, lang)] if path in DATASET_PAGES else []
        urls = _urls(path, view, base, lang, *_preview(path, base, view, lang, overview, summary))
        page = render_page(shell(), summary, urls, site, links, path == "/program", extra)
        return page, status

    # What the page says depends on the known parameters, and on /program on whether the one asked is unknown (a
    # 404); a filter value the map does not know changes nothing in the page, so it makes no entry of its own.
    not_found = path == "/program" and PROGRAM in view.unknown
    key = ("page_html", path, view.params, not_found, lang, base)
    body, status = portal.remember(key, build, overview.sources, shelf="page_html")
    return HTMLResponse(body, status_code=status, headers={"Cache-Control": "no-cache"})
