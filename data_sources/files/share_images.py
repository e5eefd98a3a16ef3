"""The pictures a shared link previews as (Open Graph, 1200 × 630 PNG), drawn from the published data.

Drawn with Altair (Vega-Lite) and rendered by vl-convert, which needs no browser: a program's name, its status
word, realisation against plan as two bars, "data per", and a clear sample-data mark while the sources are
samples; the home page's picture shows every program the same way. The same chart renders as SVG too.
"""

from __future__ import annotations

from io import BytesIO

import altair as alt
import pandas as pd
import vl_convert
from PIL import Image

from core.formatting import percent
from core.i18n import t
from core.page_summary import PageSummary, ProgramFacts
from core.text import Text

WIDTH, HEIGHT = 1200, 630
BLUE, GREY, INK, MUTED, WARN = "#0072B2", "#c3cbd6", "#1f2430", "#444b5a", "#b35900"
SAMPLE_MARK = Text("DATA CONTOH · bukan angka resmi", "SAMPLE DATA · not official figures")


def _bars(rows: list[dict[str, object]], height: int, label_size: int) -> alt.LayerChart:
    """Bars with their words on them (colour is never the only cue); a row's ``plan``, if any, as a tick."""
    frame = pd.DataFrame(rows)
    order = list(dict.fromkeys(str(r["row"]) for r in rows))
    base = alt.Chart(frame).encode(y=alt.Y("row:N", sort=order, axis=None))
    scale = alt.Scale(domain=[0, 100])
    bars = base.mark_bar(cornerRadiusEnd=6).encode(
        x=alt.X("value:Q", scale=scale, axis=None),
        color=alt.Color("kind:N", scale=alt.Scale(domain=["plan", "actual"], range=[GREY, BLUE]), legend=None),
    )
    words = base.mark_text(align="left", dx=14, fontSize=label_size, fontWeight="bold").encode(
        x=alt.value(0),
        text="label:N",
        # White on the dark bar, dark on the light one: a condition, not a second colour scale (layers share one).
        color=alt.condition(alt.datum.kind == "actual", alt.value("white"), alt.value(INK)),
    )
    layers = [bars, words]
    if "plan" in frame and frame["plan"].notna().any():
        ticks = base.transform_filter("isValid(datum.plan)").mark_tick(thickness=5, color=INK, size=height / len(order))
        layers.append(ticks.encode(x=alt.X("plan:Q", scale=scale)))
    return alt.layer(*layers).properties(width=WIDTH - 120, height=height)


def _titled(chart: alt.LayerChart, title: str, lines: list[str], sample: bool, lang: str) -> alt.TopLevelMixin:
    subtitle = [*lines, SAMPLE_MARK.get(lang)] if sample else lines
    heading = alt.TitleParams(
        text=title,
        subtitle=subtitle,
        fontSize=52 if len(title) <= 34 else 40,
        subtitleFontSize=28,
        anchor="start",
        color=INK,
        subtitleColor=MUTED,
        offset=28,
        limit=WIDTH - 120,
    )
    return (
        chart.properties(title=heading)
        .configure(background="white", padding={"left": 60, "right": 60, "top": 48, "bottom": 40}, autosize="pad")
        .configure_view(stroke=None)
        .configure_title(subtitleFontWeight="normal")
    )


def program_chart(facts: ProgramFacts, sample: bool, lang: str) -> alt.TopLevelMixin:
    actual, plan = facts.actual or 0.0, facts.plan or 0.0
    rows: list[dict[str, object]] = []
    if facts.plan is not None:
        rows.append({"row": "plan", "kind": "plan", "value": plan, "label": f"{t('chart.plan', lang)}"})
    rows.append({"row": "actual", "kind": "actual", "value": max(actual, 0.0), "label": t("chart.actual", lang)})
    bars = _bars([{**r, "label": f"{r['label']} {percent(float(r['value']), lang)}"} for r in rows], 190, 32)
    lines = [f"{facts.status} · {facts.skpd}", facts.as_of or t("rule.no_data", lang)]
    return _titled(bars, facts.name, lines, sample, lang)


def city_chart(summary: PageSummary, sample: bool, lang: str) -> alt.TopLevelMixin:
    """Every program: realisation as a bar, its name and status word on it."""
    rows = [
        {
            "row": p.code,
            "kind": "actual",
            "value": max(p.actual or 0.0, 0.0),
            "label": f"{p.name} · {p.status} · {percent(p.actual or 0.0, lang)}",
            "plan": p.plan,
        }
        for p in summary.programs
    ]
    bars = _bars(rows, 56 * max(len(rows), 1), 22)
    lines = [t("share.plan_tick", lang)] + ([summary.data_per] if summary.data_per else [])
    return _titled(bars, summary.heading, lines, sample, lang)


def png(chart: alt.TopLevelMixin) -> bytes:
    """The chart as a PNG of exactly 1200 × 630 (Open Graph's size): drawn, then set on a white canvas."""
    drawn = Image.open(BytesIO(vl_convert.vegalite_to_png(chart.to_json(), scale=1))).convert("RGB")
    canvas = Image.new("RGB", (WIDTH, HEIGHT), "white")
    drawn.thumbnail((WIDTH, HEIGHT))
    canvas.paste(drawn, (0, 0))
    out = BytesIO()
    # A few dozen colours are all a chart of flat bars and text has: the file stays well under 150 KB.
    canvas.quantize(colors=64, method=Image.Quantize.MEDIANCUT).save(out, format="PNG", optimize=True)
    return out.getvalue()


def svg(chart: alt.TopLevelMixin) -> str:
    return vl_convert.vegalite_to_svg(chart.to_json())
