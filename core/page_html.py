"""A public page as HTML that already says what the page says, inside Streamlit's own page shell.

Crawlers, link-preview bots and a reader without JavaScript read the summary (``core.page_summary``): the
``<head>`` gets the page's language, title, description, canonical URL, hreflang alternates and Open Graph
and Twitter tags; the ``<body>`` gets the summary as text, drawn over the app until the app has drawn its
own title (pure CSS, ``:has``), so a reader on a slow phone sees the figures at once and never an empty page.

Pure: the shell (Streamlit's index.html) and the URLs are handed in. Sheet text is escaped (``html.escape``),
never rendered as markup; the portal's own texts are Markdown (``core.i18n``), rendered with raw HTML off.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

from markdown_it import MarkdownIt

from core.i18n import t
from core.oembed import discovery_url
from core.page_summary import PageSummary, ProgramFacts

PREDRAWN_ID = "pratayang"
OG_LOCALES = {"id": "id_ID", "en": "en_US"}

# The app's language button (components/language.py) in the header's right corner, out of the page's flow. Here, in
# the page's head, and not only in app.py's st.html style, which applies once its lazily loaded part arrives: the
# button was first drawn in the flow and the page under it moved up 56 px when the style came (layout shift 0.36 on
# a phone, issue 23).
LANGUAGE_SWITCH_STYLE = (
    "div.stElementContainer.st-key-language_switch"
    "{position:fixed;top:.5rem;right:1rem;z-index:999991;width:auto}"
    # The top navigation leaves it room: narrower, it folds its last pages into its own "more" menu rather than
    # run under the button (at 800 px "About" did).
    '[data-testid="stTopNav"]{margin-right:10rem}'
    # On a phone the navigation is a drawer (Streamlit's sidebar) whose close button sits where the language button
    # is: the button is hidden while the drawer is open (a reader choosing a page), and back when it closes.
    '[data-testid="stSidebar"][data-collapsed="false"]~* .st-key-language_switch{visibility:hidden}'
)

# Over the app until its first title is drawn; then gone (``_STEP_ASIDE_SCRIPT``), leaving the app as it always was.
# The title has the app's own font size; its taller lines (1.4 to the app's 1.2, in about the app's heading box with
# its padding) make its text the larger paint, so that the app's own title, drawn seconds later in its web font, is
# never a new "largest contentful paint" (it was on /hasil-survei in English: LCP 6.4 s instead of 1.8, issue 23).
PREDRAWN_STYLE = f"""
#{PREDRAWN_ID}{{position:absolute;top:0;left:0;right:0;min-height:100vh;z-index:999990;background:#fff;
color:#31333f;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;line-height:1.5;
padding:1.5rem 1rem 3rem;box-sizing:border-box}}
#{PREDRAWN_ID} .isi{{max-width:46rem;margin:0 auto}}
#{PREDRAWN_ID} h1{{font-size:2.75rem;font-weight:700;line-height:1.4;margin:0 0 .5rem}}
#{PREDRAWN_ID} h2{{font-size:1.15rem;margin:0 0 .25rem}}
#{PREDRAWN_ID} ul{{list-style:none;padding:0;margin:0}}
#{PREDRAWN_ID} li{{border:1px solid #d6d6d9;border-radius:.5rem;padding:.75rem 1rem;margin:.75rem 0}}
#{PREDRAWN_ID} .status{{font-weight:600}}
#{PREDRAWN_ID} ul.sekilas{{list-style:disc;padding-left:1.25rem}}
#{PREDRAWN_ID} .sekilas li{{border:0;padding:0;margin:.25rem 0}}
#{PREDRAWN_ID} .kecil{{color:#555867;font-size:.9rem;margin:.25rem 0 0}}
#{PREDRAWN_ID} img{{display:block;max-width:100%;height:auto}}
#{PREDRAWN_ID} .contoh{{background:#fff4d6;border-left:4px solid #b88400;padding:.5rem .75rem}}
{LANGUAGE_SWITCH_STYLE}
"""

_markdown = MarkdownIt("commonmark", {"html": False})

# Streamlit's own start: its bundle (a module script) and the modules it will import. Its web font's preload
# stays in the head: put back later, it raced the stylesheet's own request for the font and the font came twice.
_APP_START = re.compile(
    r'\s*<script type="module" crossorigin src="[^"]+"></script>'
    r'|\s*<link rel="modulepreload" crossorigin href="[^"]+">'
)
_ATTRIBUTE = re.compile(r'(src|href)="([^"]+)"')

# The app starts once the browser has painted the page's summary: a phone's CPU then spends its first seconds
# showing the figures, not running Streamlit's bundle, whose files download meanwhile all the same. The fallback
# timer starts it in a tab that is not painting (opened in the background).
_START_SCRIPT = """<script>
(function () {{
  var started = false;
  function start() {{
    if (started) return;
    started = true;
    {elements}.forEach(function (spec) {{
      var element = document.createElement(spec[0]);
      element.crossOrigin = "";
      if (spec[0] === "script") {{ element.type = "module"; element.src = spec[1]; }}
      else {{ element.rel = "modulepreload"; element.href = spec[1]; }}
      document.head.appendChild(element);
    }});
  }}
  requestAnimationFrame(function () {{ setTimeout(start, 0); }});
  setTimeout(start, 500);
}})();
</script>"""


# The first paint steps aside once the app has drawn its own title, for good. This was a CSS rule,
# ``body:has([data-testid="stHeading"] h1) #pratayang {display:none}``: a ``:has()`` on the body makes the browser
# re-check it on every node the app inserts, and the app inserts thousands; a phone spent about 0.6 s more of its
# main thread per page on it (issue 23: /tentang 3.3 -> 2.7 s, /program 4.9 -> 4.3 s of tasks, CPU 4x slower).
# The observer's callback runs before the next paint, as the rule did, and stops watching once it has acted.
_STEP_ASIDE_SCRIPT = f"""<script>
(function () {{
  var predrawn = document.getElementById("{PREDRAWN_ID}");
  var root = document.getElementById("root");
  if (!predrawn || !root) return;
  new MutationObserver(function (changes, observer) {{
    if (root.querySelector('[data-testid="stHeading"] h1')) {{
      predrawn.style.display = "none";
      observer.disconnect();
    }}
  }}).observe(root, {{ childList: true, subtree: true }});
}})();
</script>"""


@dataclass(frozen=True)
class PageUrls:
    canonical: str  # absolute, this page in this language
    alternates: tuple[tuple[str, str], ...]  # (language, absolute URL), every language
    image: str | None = None  # the link preview's picture, when the page has one
    image_alt: str | None = None  # that picture in words, for a reader who cannot see it
    feed: str | None = None  # the Atom feed of published changes, in the page's language


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _plain(markdown: str) -> str:
    """The text of one of the portal's own Markdown strings, for a meta description."""
    rendered = _markdown.renderInline(markdown)
    return html.unescape(re.sub(r"<[^>]+>", "", rendered))


def head_tags(summary: PageSummary, urls: PageUrls, site_name: str) -> str:
    description = _e(_plain(summary.description))
    title = _e(summary.title)
    tags = [
        f"<title>{title}</title>",
        f'<meta name="description" content="{description}" />',
        f'<link rel="canonical" href="{_e(urls.canonical)}" />',
        *(f'<link rel="alternate" hreflang="{lang}" href="{_e(url)}" />' for lang, url in urls.alternates),
        f'<link rel="alternate" hreflang="x-default" href="{_e(dict(urls.alternates).get("id", urls.canonical))}" />',
        '<meta property="og:type" content="website" />',
        f'<meta property="og:site_name" content="{_e(site_name)}" />',
        f'<meta property="og:title" content="{title}" />',
        f'<meta property="og:description" content="{description}" />',
        f'<meta property="og:url" content="{_e(urls.canonical)}" />',
        f'<meta property="og:locale" content="{OG_LOCALES.get(summary.lang, summary.lang)}" />',
        f'<meta name="twitter:card" content="{"summary_large_image" if urls.image else "summary"}" />',
        f'<meta name="twitter:title" content="{title}" />',
        f'<meta name="twitter:description" content="{description}" />',
    ]
    if urls.feed:
        feed_title = _e(t("feed.title", summary.lang, site=site_name))
        tags.append(f'<link rel="alternate" type="application/atom+xml" title="{feed_title}" href="{_e(urls.feed)}" />')
    # A program page or the home page names its oEmbed answer, so that a blog or news site given the page's address
    # can embed its figures (core.oembed: no answer for another page); an unknown program's 404 has no picture and
    # names none.
    oembed = discovery_url(urls.canonical) if urls.image else None
    if oembed:
        tags.append(f'<link rel="alternate" type="application/json+oembed" title="{title}" href="{_e(oembed)}" />')
    if urls.image:
        tags += [
            f'<meta property="og:image" content="{_e(urls.image)}" />',
            '<meta property="og:image:width" content="1200" />',
            '<meta property="og:image:height" content="630" />',
            f'<meta name="twitter:image" content="{_e(urls.image)}" />',
        ]
        if urls.image_alt:  # the picture's words are data (a program's name): escaped like every other text
            alt = _e(urls.image_alt)
            tags += [
                f'<meta property="og:image:alt" content="{alt}" />',
                f'<meta name="twitter:image:alt" content="{alt}" />',
            ]
    return "\n    ".join(tags)


def _program(facts: ProgramFacts, lang: str, link: str | None) -> str:
    name = f'<a href="{_e(link)}">{_e(facts.name)}</a>' if link else _e(facts.name)
    lines = [facts.progress, facts.indicator, facts.budget]
    details = "".join(f'<p class="kecil">{_e(line)}</p>' for line in lines if line)
    source = t("card.source", lang, skpd=facts.skpd, origin="").rstrip(", ")
    as_of = f"{facts.as_of} · " if facts.as_of else ""
    return (
        f"<li><h2>{name}</h2>"
        f'<p><span class="status">{_e(facts.status)}</span> · {_e(facts.reason)}</p>'
        f'{details}<p class="kecil">{_e(as_of + source)}</p></li>'
    )


def _glance(facts: ProgramFacts, link: str | None) -> str:
    name = f'<a href="{_e(link)}">{_e(facts.name)}</a>' if link else _e(facts.name)
    progress = f" · {_e(facts.progress)}" if facts.progress else ""
    return f'<li><strong>{name}</strong>: <span class="status">{_e(facts.status)}</span>{progress}</li>'


def predrawn(summary: PageSummary, program_links: dict[str, str] | None = None, last_report: bool = False) -> str:
    """The summary as the page's first paint: heading, introduction, programs, "data per", the sample mark."""
    lang = summary.lang
    parts = [f"<h1>{_e(summary.heading)}</h1>"]
    if summary.sample:
        parts.append(f'<div class="contoh">{_markdown.render(t("sample.notice", lang))}</div>')
    parts += [_markdown.render(p) for p in summary.paragraphs]
    if summary.programs:
        links = program_links or {}
        if len(summary.programs) > 1:
            # The app's first screen, in the same order (issue 23, item 4): every program with its status word and
            # realisation against plan, a line each, before the cards that say why.
            parts.append(
                '<ul class="sekilas">' + "".join(_glance(p, links.get(p.code)) for p in summary.programs) + "</ul>"
            )
        parts.append("<ul>" + "".join(_program(p, lang, links.get(p.code)) for p in summary.programs) + "</ul>")
        if last_report and summary.programs[0].last_report:
            report = summary.programs[0]
            parts.append(f'<p class="kecil">{_e(report.as_of or "")}: {_e(report.last_report or "")}</p>')
    if summary.read_at:  # the report dates are each program's "Data per" above; this is the read time
        parts.append(f'<p class="kecil">{_e(summary.read_at)}</p>')
    return f'<div id="{PREDRAWN_ID}"><div class="isi">{"".join(parts)}</div></div>'


def _start_after_first_paint(page: str) -> str:
    """Streamlit's start taken out of the head and put back by a script once the summary has been painted."""
    elements: list[list[str]] = []
    for match in _APP_START.finditer(page):
        tag = match.group(0).strip()
        url = _ATTRIBUTE.search(tag)
        if url is None:
            continue
        if tag.startswith("<script"):
            elements.append(["script", url.group(2)])
        else:
            elements.append(["link", url.group(2)])
    if not any(kind == "script" for kind, *_ in elements):
        return page  # a shell this code does not know: left as Streamlit wrote it
    # Scripts first, so the bundle is asked for before the modules it imports are.
    elements.sort(key=lambda spec: spec[0] != "script")
    script = _START_SCRIPT.format(elements=json.dumps(elements))
    return _APP_START.sub("", page).replace("</body>", script + "\n  </body>", 1)


def backend_address(base_path: str) -> str:
    """Where the app's server is, said before the app starts: otherwise Streamlit's bundle first looks for it
    under the page's own path (``/program/_stcore/health``), a 404 in every reader's console."""
    path = "/" + base_path.strip("/") + ("/" if base_path.strip("/") else "")
    return f"<script>window.__streamlit = {{BACKEND_BASE_URL: window.location.origin + {json.dumps(path)}}};</script>"


def render_page(
    shell: str,
    summary: PageSummary,
    urls: PageUrls,
    site_name: str,
    program_links: dict[str, str] | None = None,
    last_report: bool = False,
    extra_head: Sequence[str] = (),
) -> str:
    """Streamlit's page shell with this page's head and first paint; the app itself loads as it always does."""
    page = re.sub(r'<html lang="[^"]*">', f'<html lang="{summary.lang}">', shell, count=1)
    head = head_tags(summary, urls, site_name) + "".join(f"\n    {line}" for line in extra_head)
    page = re.sub(r"<title>.*?</title>", lambda _: head + f"\n    <style>{PREDRAWN_STYLE}</style>", page, count=1)
    noscript = f"<noscript><p>{_e(t('page.noscript', summary.lang))}</p></noscript>"
    body = predrawn(summary, program_links, last_report)
    page = re.sub(r"<noscript>.*?</noscript>", lambda _: noscript, page, count=1, flags=re.S)
    page = page.replace('<div id="root"></div>', body + '<div id="root"></div>' + _STEP_ASIDE_SCRIPT, 1)
    return _start_after_first_paint(page)
