"""Pieces of the preview page: the counts, the report of every rejected row and warning, formula cells.

Cell values come from the draft sheet: they are shown in a table (text, never markup).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import streamlit as st

from core.formatting import escape_markdown, number
from core.i18n import t
from core.sheet_feedback import MARKER, NOTE_FOOTER, NoteCell, note_problems
from core.validation import Issue, ValidationResult


def counts_line(result: ValidationResult, lang: str) -> None:
    for sheet, counts in result.counts.items():
        st.markdown(
            t(
                "preview.counts",
                lang,
                sheet=sheet,
                rows=number(counts.rows, lang, 0),
                accepted=number(counts.accepted, lang, 0),
                rejected=number(counts.rejected, lang, 0),
            )
        )
    errors, warnings = len(result.errors), len(result.issues) - len(result.errors)
    if errors:
        st.error(t("preview.errors", lang, errors=errors, warnings=warnings), icon=":material/error:")
    elif warnings:
        st.warning(t("preview.warnings", lang, warnings=warnings), icon=":material/warning:")
    else:
        st.success(t("preview.clean", lang), icon=":material/check_circle:")


def issue_line(issue: Issue, lang: str) -> str:
    """One rejected cell or warning as a list item: the cell and the whole message first, then its kind and value.

    A list, not a table (issue #26, item 4): a table cell shows one line, so the message, which is what the clerk
    acts on, was cut ("rencana_persen beris…") even on a desktop, and on a phone sat off-screen. Here it wraps, in
    full, at any width. The worksheet name, value and message carry the draft's text, escaped: never markup.
    """
    cell = f"{issue.worksheet}!{issue.cell}" if issue.cell else issue.worksheet
    kind = t(f"preview.severity.{issue.severity}", lang)
    value = (
        f" · {t('preview.col.value', lang)}: {escape_markdown(str(issue.value))}"
        if issue.value not in (None, "")
        else ""
    )
    return f"- **{escape_markdown(cell)}**: {escape_markdown(issue.message.get(lang))}  \n  {kind}{value}"


def issues_table(issues: Sequence[Issue], lang: str) -> None:
    if not issues:
        return
    st.markdown("\n".join(issue_line(i, lang) for i in issues))


def planned_notes(notes: Mapping[NoteCell, str], lang: str) -> None:
    """The notes a sync would write into the sheet (sources with write_back), exactly as it would write them."""
    st.subheader(t("preview.notes_title", lang), anchor=False)
    if not notes:
        st.caption(t("preview.notes_none", lang))
        return
    # Every note starts and ends with the same two lines: said once above the table, so that its column shows what
    # differs from cell to cell (a table cell shows one line, and would show only the marker).
    st.caption(t("preview.notes_intro", lang, marker=MARKER, footer=NOTE_FOOTER))
    rows = [
        {t("preview.col.cell", lang): f"{cell.worksheet}!{cell.a1}", t("preview.col.note", lang): " · ".join(lines)}
        for cell, lines in ((cell, note_problems(note)) for cell, note in notes.items())
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True)


def _cell_name(cell: str) -> str:
    """ "title!A1" for markdown: the title is the draft's text as typed (it may be a markdown image), so it is
    escaped; the "!A1" after it is ours."""
    title, mark, ref = cell.rpartition("!")
    return escape_markdown(title) + mark + ref if mark else escape_markdown(cell)


def formula_notice(cells: Sequence[str], more: int, lang: str) -> None:
    """Formulas are never run: the value saved in the file is read. Each formula cell is named."""
    if not cells:
        return
    listed = ", ".join(_cell_name(cell) for cell in cells)
    listed += t("preview.formulas_more", lang, more=more) if more else ""
    st.warning(t("preview.formulas", lang, cells=listed), icon=":material/function:")
