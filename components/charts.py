"""Charts. Colours are the Okabe–Ito palette, safe for colour-blind readers."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence
from datetime import date
from functools import lru_cache

import plotly.graph_objects as go

from core.formatting import escape_plotly, month_year, number, percent
from core.i18n import t
from core.progress import ProgramProgress
from core.smart_city_index import IndexScore

OKABE_ITO = {"blue": "#0072B2", "orange": "#E69F00", "green": "#009E73", "vermillion": "#D55E00"}


def progress_chart(progress: Sequence[ProgramProgress], lang: str) -> go.Figure:
    """Actual against plan per program, horizontal so long names read on a phone."""
    items = [p for p in progress if p.latest is not None]
    # Wrapped names keep the label column narrow enough for the bars to show on a phone.
    names = ["<br>".join(textwrap.wrap(escape_plotly(str(p.program["nama_program"])), 22)) for p in items]
    fig = go.Figure()
    for key, values, colour, pattern in (
        ("chart.plan", [p.plan or 0.0 for p in items], OKABE_ITO["orange"], "/"),
        ("chart.actual", [p.actual or 0.0 for p in items], OKABE_ITO["blue"], ""),
    ):
        fig.add_bar(
            name=t(key, lang),
            y=names,
            x=values,
            orientation="h",
            marker={"color": colour, "pattern": {"shape": pattern}},
            text=[percent(v, lang) for v in values],
            textposition="auto",
            hovertemplate="%{y}: %{text}<extra>" + t(key, lang) + "</extra>",
        )
    fig.update_layout(
        barmode="group",
        xaxis={"range": [0, 100], "title": t("chart.axis", lang)},
        yaxis={"autorange": "reversed"},
        legend={"orientation": "h", "y": -0.25},
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        height=120 + 70 * len(items),
        separators=",." if lang == "id" else ".,",
    )
    return fig


def s_curve(reports: Sequence[dict[str, object]], lang: str) -> go.Figure:
    """Kurva S: planned and actual cumulative physical progress at each report date."""
    dates = [r["tanggal"] for r in reports]
    fig = go.Figure()
    for key, column, colour, dash in (
        ("chart.plan", "rencana_persen", OKABE_ITO["orange"], "dash"),
        ("chart.actual", "realisasi_persen", OKABE_ITO["blue"], "solid"),
    ):
        values = [float(r[column]) for r in reports]  # type: ignore[arg-type]
        fig.add_scatter(
            x=dates,
            y=values,
            name=t(key, lang),
            mode="lines+markers",
            line={"color": colour, "dash": dash, "width": 3},
            marker={"symbol": "circle" if dash == "solid" else "diamond", "size": 8},
            text=[percent(v, lang) for v in values],
            hovertemplate="%{x|%d/%m/%Y}: %{text}<extra>" + t(key, lang) + "</extra>",
        )
    return percent_over_months(fig, dates, t("chart.axis", lang), lang, height=360)  # type: ignore[arg-type]


def percent_over_months(fig: go.Figure, dates: Iterable[date], axis_title: str, lang: str, height: int) -> go.Figure:
    """The layout of a percentage over time: month ticks in the reader's language, 0–105 %, legend below."""
    # Plotly names months in English; the ticks are written by Babel in the reader's language instead.
    months = sorted({d.replace(day=1) for d in dates})
    step = max(1, -(-len(months) // 6))  # at most six labels, so they fit on a phone
    ticks = months[::step]
    fig.update_layout(
        xaxis={"tickvals": ticks, "ticktext": [month_year(m, lang) for m in ticks]},
        yaxis={"range": [0, 105], "title": axis_title},
        legend={"orientation": "h", "y": -0.2},
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        height=height,
        separators=",." if lang == "id" else ".,",
    )
    return fig


@lru_cache(maxsize=8)
def index_chart(scores: Sequence[IndexScore], lang: str) -> go.Figure:
    """The Smart City index by year, on its 0–4 scale, with no invented category bands.

    The scores are fixed (``core.smart_city_index.SCORES``, a tuple), so the figure is built once per
    language and shared by every run: nobody may change it afterwards.
    """
    years = [str(s.year) for s in scores]
    values = [s.score for s in scores]
    fig = go.Figure()
    fig.add_bar(
        x=years,
        y=values,
        marker={"color": OKABE_ITO["blue"]},
        text=[number(v, lang) for v in values],
        textposition="outside",
        hovertemplate="%{x}: %{text}<extra></extra>",
    )
    fig.update_layout(
        yaxis={"range": [0, 4], "title": t("index.score", lang)},
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        height=260,
        separators=",." if lang == "id" else ".,",
    )
    return fig
