"""One card per Smart City dimension with its program's latest progress against plan."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit.navigation.page import StreamlitPage
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from core.contract import DIMENSIONS, Choice
from core.formatting import escape_markdown, long_date, number, percent
from core.health_rules import StaleProgram
from core.i18n import t
from core.page_summary import figures_source, program_facts, status_word
from core.progress import TRACK_LABELS, ProgramProgress, Track
from core.sources import SourceState


def track_badge(track: Track, lang: str) -> str:
    """Icon and word together: status is never told by colour alone."""
    return f"{TRACK_LABELS[track][0]} {status_word(track, lang)}"


# Not the clock of Track.LATE ("Terlambat"): an old report is another matter than a program behind plan.
STALE_ICON = ":material/event_busy:"


def stale_mark(stale: StaleProgram, lang: str) -> str:
    """Icon and words for a program whose last report is old: never told by colour alone."""
    key = "card.stale_report" if stale.last_report is not None else "card.stale_none"
    return f"{STALE_ICON} {t(key, lang, days=number(stale.days, lang, 0))}"


def dimension_title(dimension: Choice, lang: str) -> str:
    # The ministry's English names are what Indonesian readers know too; English needs them once only.
    return dimension.canonical if lang == "en" else f"{dimension.label.id} · {dimension.canonical}"


def _program_body(
    item: ProgramProgress,
    source: SourceState | None,
    lang: str,
    links: bool = True,
    stale: StaleProgram | None = None,
) -> None:
    # The card's lines are the page summary's (core.page_summary.program_facts: the same lines the page's HTML,
    # its description and its pictures give), with the sheet's words escaped for markdown: data, never markup.
    # Few elements per card: at 300 programs the overview draws every card on each run (issue 8), so lines
    # share an element.
    facts = program_facts(item, lang, escape=escape_markdown)
    st.markdown(f"**{facts.name}**  \n{track_badge(item.track, lang)}")
    if stale is not None:
        st.caption(stale_mark(stale, lang))
    if facts.progress is None:  # no report yet: the name and the status say all there is
        return
    st.progress(min(max((facts.actual or 0.0) / 100, 0.0), 1.0), text=facts.progress)
    lines = [line for line in (facts.indicator, facts.budget) if line]
    origin = escape_markdown(source.origin or "") if source else ""
    # A preview's draft has no origin yet: its SKPD alone, with no comma left hanging.
    lines.append(figures_source(facts, origin, lang))
    if source is not None and source.last_attempt_failed:
        lines.append(f":material/sync_problem: {t('card.stale', lang)}")
    st.caption("  \n".join(lines))
    if not links:  # a preview's draft has no program page yet
        return
    params = {"program": item.code} | ({"lang": lang} if lang != "id" else {})
    st.page_link(_program_page(), label=t("program.open", lang), icon=":material/arrow_forward:", query_params=params)


_program_pages: dict[str, StreamlitPage] = {}


def _program_page() -> StreamlitPage:
    """The program page as a Page object, made once per app: a link given as a path resolves that path on
    the disk on every call (``os.path.realpath``), a cost that adds up over hundreds of cards."""
    ctx = get_script_run_ctx()
    main = ctx.main_script_path if ctx else ""
    page = _program_pages.get(main)
    if page is None:
        # The same file and url_path app.py registers: the link finds that page by its url_path.
        page = _program_pages[main] = st.Page("app_pages/program.py", url_path="program")
    return page


def dimension_cards(
    progress: Sequence[ProgramProgress],
    sources: dict[str, SourceState],
    lang: str,
    links: bool = True,
    stale: Mapping[str, StaleProgram] | None = None,
    only_with_programs: bool = False,
) -> None:
    """``stale``: the programs whose last report is old, by code (``core.health_rules.stale_by_code``).

    ``only_with_programs``: leave out the dimensions none of ``progress`` belongs to (a preview's draft)."""
    dimensions = [
        d for d in DIMENSIONS if not only_with_programs or any(p.program["dimensi"] == d.canonical for p in progress)
    ]
    # One row of columns per three dimensions, so a phone, which stacks columns, keeps their order.
    for start in range(0, len(dimensions), 3):
        for column, dimension in zip(st.columns(3), dimensions[start : start + 3], strict=False):
            _dimension_card(column, dimension, progress, sources, lang, links, stale or {})


def _dimension_card(
    column: DeltaGenerator,
    dimension: Choice,
    progress: Sequence[ProgramProgress],
    sources: dict[str, SourceState],
    lang: str,
    links: bool = True,
    stale: Mapping[str, StaleProgram] | None = None,
) -> None:
    items = [p for p in progress if p.program["dimensi"] == dimension.canonical]
    with column.container(border=True):
        st.header(dimension_title(dimension, lang), anchor=False)
        if not items:
            st.caption(t("overview.no_program", lang))
        for item in items:
            _program_body(item, sources.get(item.code), lang, links, (stale or {}).get(item.code))


def glance(
    progress: Sequence[ProgramProgress],
    tracks: Sequence[Track],
    counts: Mapping[Track, int],
    figures_source: str,
    lang: str,
) -> str:
    """The home page's first screen as markdown: what the page is, every program with its status word (icon and
    word) and realisation against plan, how many programs have each status, and "data per" with the source.

    The sheet's words are escaped (``program_facts(escape=...)``): data, never markup."""
    lines = []
    for item in progress:
        facts = program_facts(item, lang, escape=escape_markdown)
        said = " · ".join(part for part in (track_badge(item.track, lang), facts.progress) if part)
        lines.append(f"- **{facts.name}**: {said}")
    tally = " · ".join(f"{track_badge(track, lang)}: {number(counts.get(track, 0), lang, 0)}" for track in tracks)
    return "\n\n".join([t("overview.intro", lang), "\n".join(lines), tally + "  \n" + figures_source])


def progress_table(progress: Sequence[ProgramProgress], lang: str) -> None:
    """The table alternative of the progress chart: the same figures, readable without the picture.

    A static table (a few KB of JavaScript, where the interactive grid is 155 KB): it reads cells as markdown,
    so the sheet's names are escaped."""
    st.table(
        {
            t("overview.programs", lang): [escape_markdown(str(p.program["nama_program"])) for p in progress],
            t("col.plan", lang): [percent(p.plan, lang) if p.plan is not None else "" for p in progress],
            t("col.actual", lang): [percent(p.actual, lang) if p.actual is not None else "" for p in progress],
            t("col.status", lang): [status_word(p.track, lang) for p in progress],
            t("col.date", lang): [long_date(p.as_of, lang) if p.as_of else "" for p in progress],
        },
        hide_index=True,
    )
