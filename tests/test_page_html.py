"""A page's HTML (core.page_html): its head and first paint in Streamlit's shell; sheet text is never markup."""

from __future__ import annotations

import re
from pathlib import Path

import streamlit

from components.language import SWITCH_KEY
from core.page_html import LANGUAGE_SWITCH_STYLE, PREDRAWN_ID, PageUrls, backend_address, render_page
from core.page_summary import PageSummary, ProgramFacts

SHELL = (
    '<!DOCTYPE html>\n<html lang="en">\n  <head>\n    <title>Streamlit</title>\n'
    '    <link\n      rel="preload"\n      href="./static/media/Font.woff2"\n      as="font"\n      type="font/woff2"\n'
    "      crossorigin\n    />\n"
    '    <script type="module" crossorigin src="./static/js/index.js"></script>\n'
    '    <link rel="modulepreload" crossorigin href="./static/js/react.js">\n  </head>\n'
    "  <body>\n    <noscript><p>You need to enable JavaScript.</p></noscript>\n"
    '    <div id="root"></div>\n  </body>\n</html>\n'
)
URLS = PageUrls(
    canonical="https://portal.example/program?program=X&lang=en",
    alternates=(
        ("id", "https://portal.example/program?program=X"),
        ("en", "https://portal.example/program?program=X&lang=en"),
    ),
)
HOSTILE = '<script>alert(1)</script> [klik](https://evil.example) =HYPERLINK("http://evil.example")'


def _summary(name: str = "Sungaiku Baiman") -> PageSummary:
    facts = ProgramFacts(
        code="X",
        name=name,
        dimension="Smart Branding",
        skpd="Dinas PUPR",
        status="Kritis",
        reason="Kritis: realisasi 72% tertinggal 28 poin.",
        progress="Realisasi 72% dari rencana 100%",
        indicator=None,
        budget=None,
        as_of="Data per 31 Desember 2024",
        last_report=name,
    )
    return PageSummary("en", f"{name} · Portal", name, f"{name}: Kritis.", programs=(facts,), sample=True)


def test_the_shell_gets_the_page_s_language_title_and_first_paint_and_keeps_its_app() -> None:
    page = render_page(SHELL, _summary(), URLS, "Portal")
    assert '<html lang="en">' in page and "<title>Sungaiku Baiman · Portal</title>" in page
    assert "Streamlit</title>" not in page
    assert f'<div id="{PREDRAWN_ID}">' in page and page.index(PREDRAWN_ID) < page.index('<div id="root"></div>')
    assert '"./static/js/index.js"' in page  # the app, started by the page (below)
    assert '<link rel="canonical" href="https://portal.example/program?program=X&amp;lang=en" />' in page
    assert "Sample data." in page  # the sample mark, in the summary's language


def test_sheet_text_is_escaped_never_markup_in_the_head_or_the_body() -> None:
    page = render_page(SHELL, _summary(HOSTILE), URLS, "Portal")
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'href="https://evil.example"' not in page  # a Markdown link in a name stays text
    assert "[klik](https://evil.example)" in page


def test_a_page_with_an_image_announces_it_as_a_large_card() -> None:
    with_image = PageUrls(URLS.canonical, URLS.alternates, image="https://portal.example/pratinjau-x.png")
    page = render_page(SHELL, _summary(), with_image, "Portal")
    assert '<meta property="og:image" content="https://portal.example/pratinjau-x.png" />' in page
    assert '<meta name="twitter:card" content="summary_large_image" />' in page
    assert 'twitter:card" content="summary"' in render_page(SHELL, _summary(), URLS, "Portal")


def test_a_preview_picture_is_said_in_words_for_open_graph_and_twitter_as_text_never_markup() -> None:
    picture = "https://portal.example/og/program.png?program=X"
    with_alt = PageUrls(URLS.canonical, URLS.alternates, image=picture, image_alt=f"Chart of {HOSTILE}")
    page = render_page(SHELL, _summary(), with_alt, "Portal")
    said = re.findall(r'<meta (?:property="og:image:alt"|name="twitter:image:alt") content="([^"]*)" />', page)
    assert len(said) == 2 and said[0] == said[1]
    assert said[0].startswith("Chart of &lt;script&gt;alert(1)&lt;/script&gt;") and "<script>alert" not in page
    without_picture = render_page(SHELL, _summary(), PageUrls(URLS.canonical, URLS.alternates, image_alt="x"), "P")
    assert "image:alt" not in without_picture  # no picture, nothing to describe


def test_the_head_names_the_feed_of_changes_in_the_page_s_language() -> None:
    with_feed = PageUrls(URLS.canonical, URLS.alternates, feed="https://portal.example/riwayat.atom?lang=en")
    page = render_page(SHELL, _summary(), with_feed, 'Portal "A" & B')
    assert (
        '<link rel="alternate" type="application/atom+xml" '
        'title="Published data changes · Portal &quot;A&quot; &amp; B" '
        'href="https://portal.example/riwayat.atom?lang=en" />'
    ) in page
    assert "application/atom+xml" not in render_page(SHELL, _summary(), URLS, "Portal")


def test_the_app_starts_after_the_summary_is_painted_with_its_bundle_and_modules_asked_for_then() -> None:
    page = render_page(SHELL, _summary(), URLS, "Portal")
    head = page[: page.index("</head>")]
    assert '<script type="module"' not in page and "modulepreload" not in head
    start = page[page.index(PREDRAWN_ID) :]
    assert start.index("requestAnimationFrame") < start.index("</body>")
    assert start.index('"./static/js/index.js"') < start.index('"./static/js/react.js"')
    # The web font's preload stays where Streamlit put it (put back later it raced the stylesheet's request).
    assert 'href="./static/media/Font.woff2"' in head and "Font.woff2" not in page[page.index("<body") :]


def test_streamlit_s_own_shell_is_started_the_same_way() -> None:
    shell = (Path(streamlit.__file__).parent / "static" / "index.html").read_text(encoding="utf-8")
    page = render_page(shell, _summary(), URLS, "Portal")
    bundle = re.search(r'src="(\./static/js/index\.[^"]+\.js)"', shell)
    assert bundle is not None
    assert '<script type="module"' not in page and "modulepreload" not in page.split("</head>")[0]
    assert f'["script", "{bundle.group(1)}"]' in page


def test_a_shell_this_code_does_not_know_is_left_to_start_the_app_itself() -> None:
    shell = SHELL.replace('type="module" crossorigin src', 'type="module" src')
    page = render_page(shell, _summary(), URLS, "Portal")
    assert '<script type="module" src="./static/js/index.js"></script>' in page
    assert "requestAnimationFrame" not in page


def test_the_page_tells_the_app_where_its_server_is_so_it_never_looks_under_the_page_s_path() -> None:
    assert 'BACKEND_BASE_URL: window.location.origin + "/"' in backend_address("")
    assert 'window.location.origin + "/portal/"' in backend_address("/portal/")


def test_a_program_page_with_its_preview_names_its_oembed_answer_and_a_page_without_one_does_not() -> None:
    with_picture = PageUrls(URLS.canonical, URLS.alternates, image="https://portal.example/og/program.png?program=X")
    page = render_page(SHELL, _summary(HOSTILE), with_picture, "Portal")
    link = re.search(r'<link rel="alternate" type="application/json\+oembed" title="([^"]*)" href="([^"]+)" />', page)
    assert link is not None
    assert link.group(2) == (
        "https://portal.example/oembed?url=https%3A%2F%2Fportal.example%2Fprogram%3Fprogram%3DX%26lang%3Den"
        "&amp;format=json"
    )
    assert "<script>alert" not in link.group(1)  # the title is the page's, escaped
    assert "json+oembed" not in render_page(SHELL, _summary(), URLS, "Portal")  # no preview: an unknown program


def test_the_first_paint_steps_aside_by_a_script_watching_the_app_not_by_a_has_rule_on_the_body() -> None:
    # A ``body:has(...)`` rule made the browser re-check it on every node the app inserted (issue 23).
    page = render_page(SHELL, _summary(), URLS, "Portal")
    assert ":has(" not in page
    after_root = page[page.index('<div id="root"></div>') :]
    watcher = after_root[: after_root.index("</script>")]
    assert "MutationObserver" in watcher and '[data-testid="stHeading"] h1' in watcher
    assert f'getElementById("{PREDRAWN_ID}")' in watcher and "disconnect()" in watcher


def test_the_head_style_places_the_language_button_by_the_key_the_app_gives_it() -> None:
    # core cannot import components (the layers); the two names must still be one, in every rule that names it.
    named = re.findall(r"\.st-key-([\w-]+)", LANGUAGE_SWITCH_STYLE)
    assert len(named) >= 2 and set(named) == {SWITCH_KEY}, named
    assert LANGUAGE_SWITCH_STYLE in render_page(SHELL, _summary(), URLS, "Portal")
