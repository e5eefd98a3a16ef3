"""The history's pieces: edit notes, a program's values as published, its realisation per version, what changed.

Sheet text appears inside dataframes, chart labels (escaped for plotly) and the static values table (escaped for
Markdown, which st.table's cells are); the edit sentences (``Edit.describe``) hold only numbers, dates and the
portal's own words.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from components.charts import percent_over_months
from core.formatting import date_time, escape_markdown, escape_plotly, long_date, number, percent, short_date
from core.i18n import t
from core.snapshot_history import (
    COLUMNS,
    Change,
    Changes,
    ComparisonLine,
    Edit,
    HistoryEntry,
    RowChange,
    Snapshot,
    city_day,
    field_label,
    format_value,
    summary_value,
)

# Okabe–Ito, safe for colour-blind readers; each version also has its own marker and dash, so colour is
# never the only way to tell the lines apart.
_COLOURS = ("#E69F00", "#56B4E9", "#009E73", "#CC79A7", "#D55E00", "#F0E442", "#000000")
_MARKERS = ("circle-open", "square-open", "diamond-open", "triangle-up-open", "x", "cross", "star-open")
_DASHES = ("dot", "dash", "dashdot", "longdash", "longdashdot", "dot", "dash")
_LATEST = "#0072B2"
_LIST_LIMIT = 12


def _link_params(lang: str, **params: str) -> dict[str, str]:
    return {**params, **({"lang": lang} if lang != "id" else {})}


def edit_notes(edits: Sequence[Edit], code: str, lang: str, history_link: bool = True) -> None:
    """One visible note per edit after publication (words and an icon, not a colour), newest first."""
    for edit in sorted(edits, key=lambda e: (e.when, e.snapshot_id), reverse=True):
        st.warning(edit.describe(lang), icon=":material/edit_note:")
    if edits and history_link:
        st.page_link(
            "app_pages/history.py",
            label=t("history.note.link", lang),
            icon=":material/history:",
            query_params=_link_params(lang, program=code),
        )


def _program_label(code: str, names: Mapping[str, str]) -> str:
    name = names.get(code)
    return f"{name} ({code})" if name and name != code else code


def edits_list(edits: Sequence[Edit], names: Mapping[str, str], lang: str) -> None:
    """Every edit after publication, of every program, newest first: one sentence each, whole on any screen."""
    ordered = sorted(edits, key=lambda e: (e.when, e.snapshot_id), reverse=True)
    lines = [f"- **{escape_markdown(_program_label(e.code, names))}**: {e.describe(lang)}" for e in ordered]
    # A long list scrolls within itself so that the page stays short.
    box = st.container(height=480) if len(lines) > _LIST_LIMIT else st.container()
    box.markdown("\n".join(lines))


_FIELD_ORDER = {name: i for i, name in enumerate(COLUMNS)}  # the contract's column order


def _field_order(entry: HistoryEntry) -> tuple[int, str]:
    return (_FIELD_ORDER.get(entry.field or "", len(_FIELD_ORDER)), entry.field or "")


def changed_only(entries: Sequence[HistoryEntry]) -> list[HistoryEntry]:
    """The entries of values published more than once (changed at some point), and removals."""
    counts: dict[tuple[date | None, str | None], int] = {}
    for e in entries:
        counts[(e.report_date, e.field)] = counts.get((e.report_date, e.field), 0) + 1
    removed_reports = {e.report_date for e in entries if e.removed}
    return [e for e in entries if counts[(e.report_date, e.field)] > 1 or e.report_date in removed_reports]


# How many values the static table shows (whole reports, the program's own row and the newest reports first), and
# how much of each: a program has a hundred or more values as published (the grid and riwayat.csv have them all).
STATIC_ROWS = 40
VALUE_CHARS = 80


def _newest_first(entries: Sequence[HistoryEntry]) -> list[list[HistoryEntry]]:
    """The entries grouped by report: the program's own row first, then the reports newest first; within one,
    its fields in the contract's order and each field's versions in the order they were published."""
    groups: dict[date | None, list[HistoryEntry]] = {}
    for e in entries:
        groups.setdefault(e.report_date, []).append(e)
    program = [groups.pop(None)] if None in groups else []
    reports = [groups[day] for day in sorted((d for d in groups if d is not None), reverse=True)]
    return [sorted(group, key=lambda e: (_field_order(e), e.read_at, e.snapshot_id)) for group in program + reports]


def _value_cells(ordered: Sequence[HistoryEntry], lang: str, short: bool = False) -> dict[str, list[Any]]:
    """The values' columns; ``short``: the months of its dates abbreviated, for a phone's narrow columns."""
    day = short_date if short else long_date
    return {
        t("history.col.report_date", lang): [
            day(e.report_date, lang) if e.report_date else t("history.program_row", lang) for e in ordered
        ],
        t("history.col.field", lang): [field_label(e.field, lang) for e in ordered],
        t("history.col.value", lang): [
            t("history.removed", lang) if e.removed else format_value(e.field, e.value, lang) for e in ordered
        ],
        t("history.col.first_published", lang): [
            date_time(e.read_at, lang, "MMM" if short else "MMMM") for e in ordered
        ],
        t("history.col.snapshot", lang): [e.snapshot_id for e in ordered],
    }


def values_table(entries: Sequence[HistoryEntry], lang: str) -> None:
    """Each value as published, in the grid (sorting, search): the program's own row first, then report by report,
    newest first, versions in order."""
    ordered = [e for group in _newest_first(entries) for e in group]
    st.dataframe(pd.DataFrame(_value_cells(ordered, lang)), hide_index=True)


def _cut(text: str, limit: int) -> str:
    """At most ``limit`` characters, "…" last when cut (a URL has no space to cut at, so not textwrap.shorten)."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def values_static_table(entries: Sequence[HistoryEntry], lang: str) -> None:
    """The first whole reports of ``values_table`` as a static table, about 40 values: its few KB of JavaScript, where
    the grid and what it loads are about 210 KB on the wire, which kept a phone's time to interactive over 10 s
    (issue 23). Cells are Markdown: every value escaped (sheet text), a long one cut (whole in the grid); a caption
    says how many of how many are shown when not all are."""
    groups = _newest_first(entries)
    shown: list[HistoryEntry] = []
    for group in groups:
        if shown and len(shown) + len(group) > STATIC_ROWS:
            break
        shown += group
    # Dates short ("30 Nov 2024"): the report's on one line of a phone's column, where the long one took three.
    cells = _value_cells(shown, lang, short=True)
    value = t("history.col.value", lang)
    cells[value] = [escape_markdown(_cut(text, VALUE_CHARS)) for text in cells[value]]
    # An identifier, not a quantity: no thousands separator.
    cells[t("history.col.snapshot", lang)] = [str(i) for i in cells[t("history.col.snapshot", lang)]]
    # Its key names it for app.py's style (dates on one line).
    st.container(key="history_values").table(cells, hide_index=True)
    if len(shown) < len(entries):
        total, count = number(len(entries), lang, 0), number(len(shown), lang, 0)
        st.caption(t("history.program.static_cut", lang, shown=count, total=total))


def versions_chart(versions: Sequence[tuple[Snapshot, Sequence[tuple[date, float]]]], lang: str) -> go.Figure:
    """Realisation per report date, one line per published version; the latest is the solid blue one."""
    fig = go.Figure()
    last = len(versions) - 1
    for i, (snapshot, reports) in enumerate(versions):
        label = escape_plotly(t("history.chart.version", lang, date=long_date(city_day(snapshot.read_at), lang)))
        dates, values = [d for d, _ in reports], [v for _, v in reports]
        latest = i == last
        fig.add_scatter(
            x=dates,
            y=values,
            name=label,
            mode="lines+markers",
            line={
                "color": _LATEST if latest else _COLOURS[i % len(_COLOURS)],
                "dash": "solid" if latest else _DASHES[i % len(_DASHES)],
                "width": 3 if latest else 1.5,
            },
            marker={"symbol": "circle" if latest else _MARKERS[i % len(_MARKERS)], "size": 9 if latest else 8},
            text=[f"{long_date(d, lang)}: {percent(v, lang)}" for d, v in reports],
            hovertemplate="%{text}<extra>" + label + "</extra>",
        )
    # Month names by Babel in the reader's language, as on the program page's S-curve.
    dates = [d for _, reports in versions for d, _ in reports]
    return percent_over_months(fig, dates, t("history.chart.axis", lang), lang, height=380)


def versions_table(versions: Sequence[tuple[Snapshot, Sequence[tuple[date, float]]]], lang: str) -> None:
    """The version chart's figures as a table (its text alternative), in a box drawn only once a reader opens it:
    one row per report date and version, so a program with many versions sends nothing until asked."""
    box = st.expander(
        t("history.program.chart_table", lang), icon=":material/table:", key="history_chart_table", on_change="rerun"
    )
    if not box.open:
        return
    rows = [(snapshot, day, value) for snapshot, reports in versions for day, value in reports]
    box.table(
        {
            t("history.col.version", lang): [long_date(city_day(s.read_at), lang) for s, _, _ in rows],
            t("history.col.report_date", lang): [long_date(day, lang) for _, day, _ in rows],
            t("chart.actual", lang): [percent(value, lang) for _, _, value in rows],
        },
        hide_index=True,
    )


def _item(change: RowChange, lang: str) -> str:
    """Which report or site: its date, or its code and name (the kelurahan for a private home)."""
    row = change.row
    if change.sheet == "capaian":
        return long_date(row["tanggal"], lang)
    if change.sheet == "lokasi":
        place = row.get("nama_lokasi") or row.get("kelurahan")
        return f"{row['kode_lokasi']} {place}" if place else str(row["kode_lokasi"])
    return ""  # the program names it already


def _value(field: str, value: object, lang: str) -> str:
    return escape_markdown(format_value(field, value, lang))


def change_line(line: ComparisonLine, lang: str) -> str:
    """What changed in one field, the new value first and in bold: "Target indikator: **460** (sebelumnya 500)"."""
    field = field_label(line.field, lang)
    if line.change is Change.CHANGED:
        new, old = _value(line.field, line.new, lang), _value(line.field, line.old, lang)
        return t("history.line.changed", lang, field=field, new=new, old=old)
    if line.change is Change.ADDED:
        return t("history.line.added", lang, field=field, new=_summary(line, lang))
    return t("history.line.removed", lang, field=field, old=_summary(line, lang))


def _summary(line: ComparisonLine, lang: str) -> str:
    return escape_markdown(summary_value(line.sheet, line.row.row, lang)[1])


def changes_list(lines: Sequence[ComparisonLine], names: Mapping[str, str], lang: str) -> None:
    """One item per program, report or site that changed (what, which program, how), and under it one line per
    changed field: the new value first, then the old one.

    A list rather than a table, on every screen. A table (``st.dataframe``) is as wide as its columns: on a
    390 px phone the field, old and new value sat off-screen, and on a desktop a long old description pushed
    the new value out of sight. A list wraps every value, long ones included, at any width, so the new value is
    always seen whole without scrolling sideways; its text can be found (Ctrl+F) and copied, which a table drawn
    on a canvas cannot; and the same lines are the rows of the download, in the same order.
    """
    items: list[str] = []
    current: RowChange | None = None
    for line in lines:
        if line.row is not current:
            current = line.row
            where = [_item(current, lang), _program_label(current.code, names)]
            head = " · ".join(escape_markdown(w) for w in where if w)
            items.append(f"- **{t(f'history.change.{current.change.value}', lang)}** · {head}")
        items.append(f"    - {change_line(line, lang)}")
    # Not in a box of fixed height that scrolls within itself (as the edits list is when long): a region that scrolls
    # must be reachable by keyboard, and Streamlit's is not (axe: scrollable-region-focusable). The page scrolls.
    st.markdown("\n".join(items))


def changes_summary(changes: Changes, first: date, second: date, lang: str) -> str:
    return t(
        "history.compare.summary",
        lang,
        from_=long_date(first, lang),
        to=long_date(second, lang),
        programs=number(len(changes.programs), lang, 0),
        reports=number(len(changes.reports), lang, 0),
        sites=number(len(changes.sites), lang, 0),
    )
