"""The embeds: a program's card (``/embed/program``) and every program's (``/embed``) as a page of their own, for a
newsroom's or an office's web page to show in an ``<iframe>``.

Drawn here, not by the Streamlit app: one small HTML page with its style in a ``<style>`` element, no script, no
cookie, nothing fetched from another host (no font, no picture): it works under a strict Content-Security-Policy
(``script-src 'none'``, ``frame-ancestors *``) and weighs a few kB. The bar is two elements sized in CSS, with its
figures in words beside it and as its text alternative. It follows the reader's light or dark system setting.

The words and figures are the page summary's (``core.page_summary.program_facts``): the card says what the program
page says. Sheet text is data: every piece of it is escaped (``html.escape``), never markup.

Pure: the portal's address, title and licence are handed in.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from core.formatting import percent
from core.i18n import t
from core.page_summary import ProgramFacts, data_per, figures_source, program_facts
from core.progress import ProgramProgress, Track
from core.sitemap import page_path

EMBED_PATH = "/embed"
EMBED_PROGRAM_PATH = "/embed/program"
# The frame's height the embed code and oEmbed give: one program's card is whole in it from 280 px wide (the sample
# programs measure 367-470 px at 280 px, 271 px at 800: tests/browser/test_embeds_in_browser.py); every program's
# list (1,334 px at 800 px wide) scrolls inside its frame.
PROGRAM_FRAME_HEIGHT = 480
ALL_FRAME_HEIGHT = 640
# The widest the card is drawn for: wider, it keeps this width (a long line is hard to read).
MAX_WIDTH = 800


@dataclass(frozen=True)
class StatusColours:
    light: str  # the status word's background in light mode: white text on it
    dark: str  # in dark mode: the page's dark ink on it


# Each status has its colour and always its word (never the colour alone). Okabe–Ito hues, darkened for white text
# (AA, 4.5:1) in light mode and lightened for dark text in dark mode: tests/test_embed_html.py checks the ratios.
STATUS_COLOURS: dict[Track, StatusColours] = {
    Track.DONE: StatusColours("#00704f", "#5fd3a8"),
    Track.ON_TRACK: StatusColours("#0066a1", "#6cc0ee"),
    Track.NOT_STARTED: StatusColours("#8a3a6e", "#e3a6cc"),
    Track.LATE: StatusColours("#a04f00", "#f2a65e"),
    Track.CRITICAL: StatusColours("#b3261e", "#ff9a90"),
    Track.NO_DATA: StatusColours("#555b66", "#b9bec7"),
}
# Light and dark: the page, its ink, the quieter ink, lines, links, the bar's track, realisation, the plan's mark.
LIGHT = {"bg": "#ffffff", "ink": "#1f2430", "muted": "#4b5262", "line": "#d3d7de", "link": "#0a58a8"}
LIGHT |= {"track": "#e3e7ed", "bar": "#0072b2", "plan": "#1f2430", "mark": "#fff4d6", "markline": "#8a6100"}
DARK = {"bg": "#15171c", "ink": "#e8eaed", "muted": "#b7bdc6", "line": "#3b4049", "link": "#8ab8f5"}
DARK |= {"track": "#343a43", "bar": "#56b4e9", "plan": "#e8eaed", "mark": "#3a2f12", "markline": "#e0b44c"}


def _variables(colours: Mapping[str, str]) -> str:
    return ";".join(f"--{name}:{value}" for name, value in colours.items())


def _status_rules(dark: bool) -> str:
    return "".join(
        f".s-{track.value}{{background:{colours.dark if dark else colours.light}}}"
        for track, colours in STATUS_COLOURS.items()
    )


STYLE = (
    f":root{{color-scheme:light dark;{_variables(LIGHT)};--on:#fff}}"
    "*{box-sizing:border-box}html,body{margin:0}"
    "body{background:var(--bg);color:var(--ink);"
    'font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;'
    f"padding:8px;overflow-wrap:anywhere;max-width:{MAX_WIDTH}px}}"
    "h1,h2{font-size:1.1rem;line-height:1.3;margin:0 0 .2rem}p{margin:.3rem 0}a{color:var(--link)}"
    "ul{list-style:none;margin:0;padding:0}"
    ".c{border:1px solid var(--line);border-radius:8px;padding:10px 12px;margin:0 0 10px}"
    ".k{color:var(--muted);font-size:.85rem}"
    ".s{display:inline-block;padding:.05rem .55rem;border-radius:1rem;font-weight:600;font-size:.85rem;"
    "color:var(--on)}"
    f"{_status_rules(False)}"
    ".bar{position:relative;height:12px;background:var(--track);border-radius:6px;margin:.55rem 0 .3rem}"
    ".bar i{display:block;height:100%;background:var(--bar);border-radius:6px}"
    ".bar b{position:absolute;top:-3px;bottom:-3px;width:3px;margin-left:-1px;background:var(--plan)}"
    ".contoh{background:var(--mark);border-left:4px solid var(--markline);padding:.2rem .6rem;font-weight:600;"
    "font-size:.85rem;margin:0 0 8px}"
    ".sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}"
    # Last, so that its status colours win over the light ones above (same selectors).
    f"@media (prefers-color-scheme:dark){{:root{{{_variables(DARK)};--on:{DARK['bg']}}}{_status_rules(True)}}}"
)


@dataclass(frozen=True)
class EmbedSite:
    """What the embed says about the portal itself: its address (absolute links), name and licence."""

    base: str  # the portal's public address, no trailing slash
    title: str  # the portal's name in the page's language
    licence: str
    licence_url: str
    sample: bool  # the sources are the bundled sample data: the embed says so


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _link(href: str, text: str, lang: str) -> str:
    """A link that opens in a new tab, as the embedding page stays open (``noopener``: the new page cannot reach
    back into it); the new tab is said in words for screen readers."""
    hidden = f'<span class="sr"> {_e(t("embed.new_tab", lang))}</span>'
    return f'<a href="{_e(href)}" target="_blank" rel="noopener">{_e(text)}{hidden}</a>'


def _share(value: float | None) -> str:
    """A percentage as a CSS length on the bar, kept between 0 and 100 (a realisation over plan stays inside)."""
    return f"{min(max(value or 0.0, 0.0), 100.0):.1f}%"


def _bar(facts: ProgramFacts, lang: str) -> str:
    if facts.progress is None:
        return ""
    said = t("embed.bar", lang, actual=percent(facts.actual or 0.0, lang), plan=percent(facts.plan or 0.0, lang))
    plan = f'<b style="left:{_share(facts.plan)}"></b>' if facts.plan is not None else ""
    return (
        f'<div class="bar" role="img" aria-label="{_e(said)}"><i style="width:{_share(facts.actual)}"></i>{plan}</div>'
    )


def _card(item: ProgramProgress, origin: str | None, site: EmbedSite, lang: str, heading: str) -> str:
    facts = program_facts(item, lang)
    program_url = site.base + page_path("/program", lang, [("program", item.code)])
    history_url = site.base + page_path("/riwayat", lang, [("program", item.code)])
    figures = [facts.progress, facts.indicator]
    lines = "".join(f"<p>{_e(line)}</p>" for line in figures if line)
    links = " · ".join(
        [_link(program_url, t("embed.program_page", lang), lang), _link(history_url, t("embed.history", lang), lang)]
    )
    return (
        f'<li class="c"><{heading}>{_link(program_url, facts.name, lang)}</{heading}>'
        f'<p><span class="s s-{item.track.value}">{_e(facts.status)}</span> <span class="k">{_e(facts.skpd)}</span></p>'
        f"{_bar(facts, lang)}{lines}"
        f'<p class="k">{_e(figures_source(facts, origin, lang))}</p>'
        f'<p class="k">{links}</p></li>'
    )


def _page(title: str, body: str, site: EmbedSite, lang: str) -> str:
    sample = f'<p class="contoh">{_e(t("embed.sample", lang))}</p>' if site.sample else ""
    licence = f"{_e(t('embed.licence', lang))}: {_link(site.licence_url, site.licence, lang)}"
    footer = f'<footer class="k">{licence} · {_link(site.base + page_path("/", lang), site.title, lang)}</footer>'
    return (
        f'<!doctype html><html lang="{_e(lang)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f'<meta name="robots" content="noindex"><title>{_e(title)}</title><style>{STYLE}</style></head>'
        f"<body><main>{sample}{body}</main>{footer}</body></html>"
    )


def program_embed(item: ProgramProgress, origin: str | None, site: EmbedSite, lang: str) -> str:
    """One program's card: name, SKPD, status word, realisation against plan (bar and figures), indicator against
    target, "data per" and source, links to its page and history; the sample mark and the licence."""
    facts = program_facts(item, lang)
    body = f"<ul>{_card(item, origin, site, lang, 'h1')}</ul>"
    return _page(f"{facts.name} · {site.title}", body, site, lang)


def all_embed(
    progress: Sequence[ProgramProgress], origins: Mapping[str, str | None], site: EmbedSite, lang: str
) -> str:
    """Every program's card under the portal's name and the newest "data per"."""
    when = data_per(progress, lang)
    heading = f"<h1>{_e(t('embed.all_title', lang))}</h1>"
    heading += f'<p class="k">{_e(when)}</p>' if when else ""
    cards = "".join(_card(item, origins.get(item.code), site, lang, "h2") for item in progress)
    return _page(f"{t('embed.all_title', lang)} · {site.title}", f"{heading}<ul>{cards}</ul>", site, lang)


def not_found_embed(lang: str) -> str:
    """The answer for a program the portal does not know: the same few hundred bytes whatever was asked."""
    return (
        f'<!doctype html><html lang="{_e(lang)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex">'
        f"<title>{_e(t('embed.not_found', lang))}</title><style>:root{{color-scheme:light dark}}"
        "body{font:14px/1.4 system-ui,sans-serif;margin:10px}</style></head>"
        f"<body><main><h1>{_e(t('embed.not_found', lang))}</h1><p>{_e(t('embed.not_found_text', lang))}</p>"
        "</main></body></html>"
    )
