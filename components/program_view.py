"""The program page's pieces: headline figures, the status and why, the reports with their evidence, and the
source and "data per" line each group of figures carries (issue #26, item 7)."""

from __future__ import annotations

from collections.abc import Sequence
from textwrap import shorten
from typing import Any

import pandas as pd
import streamlit as st

from components.progress_cards import track_badge
from core.contract import site_status_word
from core.formatting import escape_markdown, link_markdown, long_date, number, percent, rupiah, rupiah_short
from core.i18n import t
from core.page_summary import figures_source, program_facts, status_reason
from core.progress import ProgramProgress
from core.sources import SourceState
from core.text import without_folders


def source_caption(item: ProgramProgress, source: SourceState | None, lang: str) -> None:
    """Beside a group of figures: the report date they describe ("Data per …") and their SKPD and sheet."""
    facts = program_facts(item, lang, escape=escape_markdown)
    origin = escape_markdown(without_folders(source.origin)) if source and source.origin else None
    st.caption(":material/source: " + figures_source(facts, origin, lang))


def headline(item: ProgramProgress, lang: str) -> None:
    """Realisation against plan, indicator against target, budget spent against budget."""
    program, latest = item.program, item.latest
    columns = st.columns(3)
    if latest is not None:
        deviation = latest["realisasi_persen"] - latest["rencana_persen"]
        # The sign leads the delta so the arrow points the way the deviation goes.
        columns[0].metric(
            t("program.actual_vs_plan", lang, plan=percent(latest["rencana_persen"], lang)),
            percent(latest["realisasi_persen"], lang),
            delta=t("program.points", lang, points=number(deviation, lang, 1)),
            delta_color="off",
            delta_description=t("program.deviation", lang),
        )
        if latest.get("capaian_indikator") is not None:
            columns[1].metric(
                t(
                    "program.count_of_target",
                    lang,
                    indicator=escape_markdown(str(program["indikator"])),
                    target=number(program["target"], lang),
                    unit=escape_markdown(str(program["satuan"])),
                ),
                number(latest["capaian_indikator"], lang),
            )
        if latest.get("realisasi_anggaran") is not None and program.get("anggaran"):
            share = 100 * latest["realisasi_anggaran"] / program["anggaran"]
            columns[2].metric(
                t("program.budget_spent", lang, budget=rupiah_short(program["anggaran"], lang)),
                rupiah_short(latest["realisasi_anggaran"], lang),
                delta=percent(share, lang),
                delta_color="off",
                delta_arrow="off",
            )


def status_explained(item: ProgramProgress, lang: str) -> None:
    """The status word and icon, and the rule that gave it, in plain words (the same words as the page's HTML)."""
    st.markdown(f"### {track_badge(item.track, lang)}")
    st.caption(status_reason(item, lang))


# The reports table's columns, what matters first (issue #26, item 4): a reader checks a report by its date,
# its progress against plan and its evidence, so those lead and fit a 390 px phone without sideways scrolling;
# the evidence is a short "buka"/"open" link, never the long address; the SKPD's free-text note, the widest,
# comes last and is cut to its column (the whole note shows on hover, and in the downloads). The widths (px) give
# date, realisation, plan and evidence 340 px: inside a 390 px phone's 356 px table, in both languages.
REPORT_WIDTHS = {
    "col.date": 124,
    "col.actual": 74,
    "col.plan": 70,
    "col.evidence": 72,
    "col.status": 96,
    "col.note": 320,
}


# How much of a report's note the static table shows (the grid and the downloads have all of it).
NOTE_CHARS = 60


def _report_cells(reports: Sequence[dict[str, Any]], lang: str) -> dict[str, list[Any]]:
    """The reports' columns in the order of ``REPORT_WIDTHS`` (what matters first), oldest first."""
    return {
        t("col.date", lang): [long_date(r["tanggal"], lang) for r in reports],
        t("col.actual", lang): [percent(r["realisasi_persen"], lang) for r in reports],
        t("col.plan", lang): [percent(r["rencana_persen"], lang) for r in reports],
        t("col.evidence", lang): [r.get("bukti") or None for r in reports],
        t("col.status", lang): [site_status_word(r["status"], lang) for r in reports],
        t("col.count", lang): [
            number(r["capaian_indikator"], lang) if r.get("capaian_indikator") is not None else "" for r in reports
        ],
        t("col.spent", lang): [
            rupiah(r["realisasi_anggaran"], lang) if r.get("realisasi_anggaran") is not None else "" for r in reports
        ],
        t("col.note", lang): [r.get("keterangan") or "" for r in reports],
    }


def reports_static_table(reports: Sequence[dict[str, Any]], lang: str) -> None:
    """Every report, newest first, as a static table: its few KB of JavaScript, where the interactive grid and
    what it loads are about 210 KB on the wire, which kept a phone's time to interactive over 10 s (issue 23).
    Its cells are Markdown: sheet text escaped, the evidence a short "buka"/"open" link, "-" without one."""
    cells = _report_cells(list(reversed(reports)), lang)
    evidence = t("col.evidence", lang)
    # "\\-": a bare "-" is a Markdown list item, drawn as a bullet.
    cells[evidence] = [(link_markdown(t("col.open", lang), url) if url else None) or "\\-" for url in cells[evidence]]
    # The note cut to a line or two, as the grid cuts it to its column: whole, it made every row of a phone's table
    # a dozen lines tall. The whole note is in the grid and the downloads.
    note = t("col.note", lang)
    cells[note] = [escape_markdown(shorten(str(text), NOTE_CHARS, placeholder=" …")) for text in cells[note]]
    # Its key names it for app.py's style (the note column's width).
    st.container(key="program_reports").table(cells, hide_index=True)


def reports_table(reports: Sequence[dict[str, Any]], lang: str) -> None:
    """Every report, newest first; text stays text and links are http(s) only (checked at ingest)."""
    frame = pd.DataFrame(_report_cells(reports, lang)).iloc[::-1]
    config: dict[str, Any] = {
        t(key, lang): st.column_config.Column(width=width)
        for key, width in REPORT_WIDTHS.items()
        if key != "col.evidence"
    }
    config[t("col.evidence", lang)] = st.column_config.LinkColumn(
        display_text=t("col.open", lang), width=REPORT_WIDTHS["col.evidence"]
    )
    # A report without evidence shows "-", never Streamlit's English "None".
    st.dataframe(frame, hide_index=True, column_config=config, placeholder="-")
