"""Pieces of the data health page: the SKPD filter bound to the URL, one section per source.

Sheet text (values, worksheet names, SKPD names) is data: it goes into st.dataframe, which shows
text as text, or through escape_markdown (st.table's cells are Markdown too).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from textwrap import shorten
from typing import Any

import pandas as pd
import streamlit as st

from components.progress_cards import STALE_ICON
from core.formatting import age, date_time, escape_markdown, link_markdown, long_date, number
from core.health_rules import HealthIssue, SourceCondition, SourceHealth, StaleProgram, resolve_skpd, skpd_options
from core.i18n import t
from core.oc4ids import prefix_is_registered_shape

# An icon of its own shape beside every condition's word: never colour alone.
CONDITION_ICONS: dict[SourceCondition, str] = {
    SourceCondition.OK: ":material/check_circle:",
    SourceCondition.WARNINGS: ":material/info:",
    SourceCondition.REJECTED: ":material/block:",
    SourceCondition.STALE: STALE_ICON,  # the icon the program page marks a late program with
    SourceCondition.FAILED: ":material/sync_problem:",
    SourceCondition.NEVER_READ: ":material/help:",
}
URL_PARAM = "skpd"
# Each source's section is keyed by this and its name: Streamlit gives it the class "st-key-health_source_<name>".
SECTION_KEY = "health_source_"
# The link column shows the A1 cell, taken from the link's own ``range=`` (a JavaScript regex).
_CELL_IN_LINK = r"range=([A-Z]+[0-9]+)$"
# The static table's cap: a source can have thousands of issues, and each row is markup to send and lay out
# (50 is a clerk's sitting of fixes; the grid, asked for, has every one).
ISSUES_SHOWN = 50
# How much of a cell's value the static table shows: a pasted paragraph made a phone's row a screen tall. The grid
# shows it whole; the message, which quotes what matters, is never cut.
VALUE_CHARS = 40


def condition_badge(condition: SourceCondition, lang: str) -> str:
    return f"{CONDITION_ICONS[condition]} {t(f'health.condition.{condition.value}', lang)}"


def _when(moment: datetime, lang: str) -> str:
    return f"{date_time(moment, lang)} {t('tz', lang)}"


def oc4ids_prefix_warning(prefix: str, publishing: bool, lang: str) -> None:
    """A warning while ``[open_data] oc4ids_prefix`` is a placeholder (not of a registered prefix's shape).

    Shown on /admin, where the team can act on it, and on the health page, where a data user learns why the
    standard's review tool flags the ids of ``oc4ids.json`` and that they will change. Nothing when the open-data
    files are not written (``publishing`` false): no id is published then.
    """
    if publishing and not prefix_is_registered_shape(prefix):
        # The prefix is the portal's own setting, but markdown all the same: shown as the text it is.
        st.warning(t("health.oc4ids_placeholder", lang, prefix=escape_markdown(prefix)), icon=":material/badge:")


def skpd_filter(sources: Sequence[SourceHealth], lang: str) -> list[str]:
    """The SKPDs chosen, kept in ``?skpd=`` (repeatable) so each office can bookmark its own view.

    Empty means every SKPD. AppTest ignores ``bind="query-params"``, so the URL is read and written
    here, as the program page does.
    """
    options = skpd_options(sources)
    asked, unknown = resolve_skpd(st.query_params.get_all(URL_PARAM), sources)
    for value in unknown:
        st.info(t("health.filter_unknown", lang, skpd=escape_markdown(value[:60])), icon=":material/info:")
    chosen = st.multiselect(
        t("health.filter", lang),
        options,
        default=asked,
        placeholder=t("health.filter_all", lang),
        help=t("health.filter_help", lang),
        key="health_skpd",
    )
    if chosen:
        st.query_params[URL_PARAM] = chosen
    elif URL_PARAM in st.query_params:
        del st.query_params[URL_PARAM]
    return chosen


def summary(sources: Sequence[SourceHealth], stale: Sequence[StaleProgram], lang: str) -> None:
    values = [
        ("health.summary.sources", ":material/database:", len(sources)),
        ("health.summary.failed", CONDITION_ICONS[SourceCondition.FAILED], sum(1 for s in sources if s.failed)),
        ("health.summary.rejected", CONDITION_ICONS[SourceCondition.REJECTED], sum(s.rejected for s in sources)),
        ("health.summary.stale", STALE_ICON, len(stale)),
    ]
    for column, (key, icon, value) in zip(st.columns(len(values)), values, strict=True):
        column.metric(f"{icon} {t(key, lang)}", number(value, lang, 0))


def _facts(source: SourceHealth, lang: str, now: datetime) -> list[str]:
    if source.last_good_read is not None:
        read = t(
            "health.last_good_read",
            lang,
            when=_when(source.last_good_read, lang),
            age=age(now - source.last_good_read, lang),
        )
    else:
        read = t("health.last_good_read.never", lang)
    if source.last_change is not None:
        change = t(
            "health.last_change", lang, when=_when(source.last_change, lang), age=age(now - source.last_change, lang)
        )
    else:
        change = t("health.last_change.never", lang)
    if source.last_attempt is not None and source.last_outcome:
        outcome = t(f"health.outcome.{source.last_outcome}", lang)
        attempt = t("health.last_attempt", lang, when=_when(source.last_attempt, lang), outcome=outcome)
    else:
        attempt = t("health.last_attempt.never", lang)
    facts = [read, change, attempt]
    if source.sheet is not None and source.sheet.written_at is not None:
        facts.append(t("health.sheet_written", lang, when=_when(source.sheet.written_at, lang)))
    return facts


def _failure(source: SourceHealth, lang: str, now: datetime) -> None:
    """The actionable message of the failed sync, and what the public sees meanwhile."""
    when = _when(source.last_attempt, lang) if source.last_attempt else "-"
    message = escape_markdown(source.last_message.get(lang))
    text = t("health.failed", lang, when=when, message=message)
    if source.last_change is not None:
        kept = t(
            "health.failed_kept", lang, when=_when(source.last_change, lang), age=age(now - source.last_change, lang)
        )
    else:
        kept = t("health.failed_nothing", lang)
    st.error(f"{text}\n\n{kept}", icon=":material/sync_problem:")


def _counts_table(source: SourceHealth, lang: str) -> str:
    """Rows per worksheet, as a small Markdown table under its heading (one element, no data grid to load: issue
    23). "Ditolak" comes right after the worksheet and the numbers are short, so a phone (390 px) shows the
    worksheet and its rejected rows without sideways scrolling (issue #26, item 4). A worksheet's name is sheet
    text: escaped."""
    rejected, accepted = t("health.col.rejected", lang), t("health.col.accepted", lang)
    worksheet, rows = t("health.col.worksheet", lang), t("health.col.rows", lang)
    lines = [
        f"**{t('health.counts', lang)}**",
        "",
        f"| {worksheet} | {rejected} | {accepted} | {rows} |",
        "| --- | ---: | ---: | ---: |",
    ]
    lines += [
        f"| {escape_markdown(c.worksheet)} | {number(c.rejected, lang, 0)} | {number(c.accepted, lang, 0)} "
        f"| {number(c.rows, lang, 0)} |"
        for c in source.counts
    ]
    return "\n".join(lines)


def _linked(issues: Sequence[HealthIssue]) -> bool:
    """Whether every issue with a cell has a link: only then can the cell column be the link column."""
    with_cell = [i for i in issues if i.cell]
    return bool(with_cell) and all(i.link for i in with_cell)


def _errors_first(issues: Sequence[HealthIssue]) -> list[HealthIssue]:
    """Rejected rows (off the public pages until fixed) before warnings (published), each in sheet order as the
    report lists them (by worksheet, then row: errors and warnings interleaved)."""
    return sorted(issues, key=lambda issue: issue.severity != "error")


def _cut(value: str) -> str:
    """A cell's value cut to about ``VALUE_CHARS`` at a word's end; one long word (an address) is cut inside it,
    where ``shorten`` would leave nothing but the ellipsis."""
    cut = shorten(value, VALUE_CHARS, placeholder=" …")
    if cut == "…":
        return value.strip()[: VALUE_CHARS - 2] + " …"
    return cut


def _where(issue: HealthIssue, linked: bool, lang: str) -> str:
    """The static table's cell column: the A1 cell (a link opening the sheet there when every cell has one), or
    "baris 7" for a row without a cell (a column the sheet lacks), and under it its worksheet (a Markdown hard line
    break): where to go, in one narrow column. "\\-" for none of them (a bare "-" is a Markdown list item)."""
    if issue.cell:
        link = link_markdown(issue.cell, issue.link) if linked and issue.link else None
        place = link or escape_markdown(issue.cell)
    elif issue.row is not None:
        place = t("health.row_only", lang, row=number(issue.row, lang, 0))
    else:
        place = ""
    lines = [line for line in (place, escape_markdown(issue.worksheet)) if line]
    return "  \n".join(lines) or "\\-"


def issues_static_table(issues: Sequence[HealthIssue], lang: str) -> None:
    """The issues as a static table, the page's first view: its few KB of JavaScript where the grid and what it
    lazy-loads are about 210 KB on the wire, which kept a phone's time to interactive over 10 s (issue 23).

    Its cells are Markdown: every piece of sheet text (worksheet, column, value) is escaped, and so is the message
    (our words, but they quote the sheet). Five columns where the grid has seven, what a clerk acts on first: the
    kind, where (the A1 cell, a link into the sheet, with its worksheet under it; no row column: C5 is row 5), the
    whole message, then the column and the value cut to ``VALUE_CHARS``. On a phone (up to 640 px) app.py's style
    hides the last two, which the message mostly quotes: the table then fits a 390 px screen with no sideways
    scroll, which is a region a keyboard cannot reach when no cell has a link. Rejected rows first, at most
    ``ISSUES_SHOWN`` of them, then a caption counting the rest: the grid has every issue, whole."""
    linked = _linked(issues)
    shown = _errors_first(issues)[:ISSUES_SHOWN]
    cells = {
        t("health.col.severity", lang): [t(f"health.severity.{i.severity}", lang) for i in shown],
        t("health.col.cell", lang): [_where(i, linked, lang) for i in shown],
        t("health.col.message", lang): [escape_markdown(i.message.get(lang)) for i in shown],
        t("health.col.column", lang): [escape_markdown(i.column or "") or "\\-" for i in shown],
        t("health.col.value", lang): [escape_markdown(_cut(i.value)) for i in shown],
    }
    st.table(cells, hide_index=True)
    notes = []
    if len(issues) > len(shown):
        total = number(len(issues), lang, 0)
        notes.append(t("health.issues_capped", lang, shown=number(len(shown), lang, 0), total=total))
    if linked:
        notes.append(t("health.open_hint", lang))
    if notes:
        st.caption(" ".join(notes))


def issues_table(issues: Sequence[HealthIssue], lang: str) -> None:
    """Every rejected row and warning with its cell, in the interactive grid (sorting, search, full screen), drawn
    when the reader asks for it (issue 23); for a Google sheet the cell opens the sheet there."""
    linked = _linked(issues)
    cell, message = t("health.col.cell", lang), t("health.col.message", lang)
    frame = pd.DataFrame(
        {
            t("health.col.severity", lang): [t(f"health.severity.{i.severity}", lang) for i in issues],
            t("health.col.worksheet", lang): [i.worksheet for i in issues],
            t("health.col.row", lang): [str(i.row) if i.row is not None else "" for i in issues],
            cell: [(i.link if linked else i.cell) or None for i in issues],
            t("health.col.column", lang): [i.column or "" for i in issues],
            # Text as typed in the sheet; st.dataframe never reads it as markup.
            t("health.col.value", lang): [i.value for i in issues],
            message: [i.message.get(lang) for i in issues],
        }
    )
    # The message is what a clerk acts on: it gets the room, the table scrolls sideways if it must.
    config: dict[str, Any] = {message: st.column_config.TextColumn(message, width="large")}
    if linked:
        config[cell] = st.column_config.LinkColumn(cell, display_text=_CELL_IN_LINK)
    st.dataframe(frame, hide_index=True, column_config=config)
    if linked:
        st.caption(t("health.open_hint", lang))


def _stale_list(stale: Sequence[StaleProgram], stale_days: int, lang: str) -> None:
    """The heading and the list (or the line saying there is none) in one element."""
    lines = []
    for item in stale:
        key = "health.stale_item" if item.last_report is not None else "health.stale_item.none"
        text = t(
            key,
            lang,
            name=escape_markdown(item.name),
            code=escape_markdown(item.code),
            date=long_date(item.since, lang),
            days=number(item.days, lang, 0),
        )
        lines.append(f"- {STALE_ICON} {text}")
    body = "\n".join(lines) if lines else t("health.no_stale", lang, days=number(stale_days, lang, 0))
    st.markdown(f"**{t('health.stale_title', lang)}**\n\n{body}")


def has_issues_shown(source: SourceHealth) -> bool:
    """Whether ``source_section`` draws an issues table for the source (the page's toggle is drawn only then)."""
    return source.checked_at is not None and bool(source.issues)


def source_section(
    source: SourceHealth,
    stale: Sequence[StaleProgram],
    stale_days: int,
    lang: str,
    now: datetime,
    interactive: bool = False,
) -> None:
    """One SKPD source: its condition, reads, the failure if any, counts, issues and stale programs.

    Fewer elements per source (issue 23): its condition word, origin and reads are one Markdown element, its counts
    a Markdown table under their heading, the issues' heading and when they were checked another. The issues are a
    static table unless the reader asked for the grid (``interactive``, the page's one toggle)."""
    # The key is a class app.py's style finds the static issues table by (its columns' widths, and which a phone hides).
    with st.container(border=True, key=f"{SECTION_KEY}{source.name}"):
        st.header(escape_markdown(source.label), anchor=False)
        # Counting its stale programs, so the word agrees with the program page's mark (issue #26).
        lines = [condition_badge(source.condition_with_stale(len(stale)), lang)]
        if source.origin:
            lines.append(t("health.origin", lang, origin=escape_markdown(source.origin)))
        # Our own words, dates and ages only: no sheet text in these lines.
        lines.append("\n".join(f"- {line}" for line in _facts(source, lang, now)))
        st.markdown("\n\n".join(lines))
        if source.failed:
            _failure(source, lang, now)
        sheet = source.sheet
        if sheet is not None and sheet.failed and sheet.message is not None:
            # Our own message (it names the service account to share the sheet with), not sheet text.
            st.warning(
                t("health.sheet_not_written", lang, message=escape_markdown(sheet.message.get(lang))),
                icon=":material/edit_off:",
            )
            if sheet.refused and sheet.account:
                # In a code block so it can be copied into Google's Share dialog as it is (escaped markdown would
                # carry a word joiner after its "@").
                st.caption(t("health.share_with", lang))
                st.code(sheet.account, language=None)
        if source.counts:
            st.markdown(_counts_table(source, lang))
        if source.checked_at is not None:
            checked = t(
                "health.checked",
                lang,
                when=_when(source.checked_at, lang),
                errors=number(len(source.errors), lang, 0),
                warnings=number(len(source.warnings), lang, 0),
            )
            st.markdown(f"**{t('health.issues', lang)}**\n\n{checked}")
            if source.issues:
                (issues_table if interactive else issues_static_table)(source.issues, lang)
            else:
                st.success(t("health.no_issues", lang), icon=":material/check_circle:")
        if source.has_data:
            _stale_list(stale, stale_days, lang)
