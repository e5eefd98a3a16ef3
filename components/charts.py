"""Charts. Colours are the Okabe–Ito palette, safe for colour-blind readers."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import plotly.graph_objects as go

from core.formatting import escape_plotly, percent
from core.i18n import t
from core.progress import ProgramProgress

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
