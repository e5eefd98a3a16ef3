"""Charts. Colours are the Okabe–Ito palette, safe for colour-blind readers."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

import plotly.graph_objects as go

from core.formatting import escape_markdown, month_year, percent
from core.i18n import t

OKABE_ITO = {"blue": "#0072B2", "orange": "#E69F00", "green": "#009E73", "vermillion": "#D55E00"}


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


def picture(alt: str, url: str) -> str:
    """A picture the server draws, as markdown: the browser fetches (and keeps) it; ``alt`` is its text."""
    return f"![{escape_markdown(alt)}]({url})"
