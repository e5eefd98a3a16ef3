"""The pictures a shared link previews as (Open Graph, 1200 × 630 PNG), drawn from the published data.

Drawn with Altair (Vega-Lite) and rendered by vl-convert, which needs no browser: a program's name, its status
word, realisation against plan as two bars, "data per", and a clear sample-data mark while the sources are
samples; the home page's picture shows every program the same way. The same chart renders as SVG too.
"""

from __future__ import annotations

import functools
import json
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from io import BytesIO

import altair as alt
import pandas as pd
import vl_convert
from PIL import Image

from core.formatting import month_year, number, percent
from core.i18n import t
from core.page_summary import PageSummary, ProgramFacts
from core.smart_city_index import SCORES, IndexScore
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
    # "Data per": the newest report date among the programs drawn, the date the bars describe.
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


# The home page's pictures are drawn for a phone's width and shown at their own size: text stays legible
# where most residents read, and the page needs no chart engine (Plotly's bundle is 1.4 MB on the wire).
PAGE_WIDTH = 380
PAGE_FONT = 14
NAME_CHARS = 44  # a name wraps at this many characters, so that it stays inside the picture


def _wrapped(text: str) -> list[str]:
    return textwrap.wrap(text, NAME_CHARS) or [""]


def progress_picture(summary: PageSummary, lang: str) -> alt.TopLevelMixin:
    """Every program on the page: its name, then realisation as a bar with plan as a tick, its value and status
    word beside the bar (colour is never the only cue)."""
    rows = [
        {
            "row": p.code,
            "name": _wrapped(p.name),
            "value": max(p.actual or 0.0, 0.0),
            "plan": p.plan,
            "label": f"{percent(p.actual or 0.0, lang)} · {p.status}",
            "full": 100.0,
        }
        for p in summary.programs
        if p.actual is not None
    ]
    frame = pd.DataFrame(rows, columns=["row", "name", "value", "plan", "label", "full"])
    lines = max((len(r["name"]) for r in rows), default=1)
    band = 40 + PAGE_FONT * 1.3 * lines
    order = [r["row"] for r in rows]
    base = alt.Chart(frame).encode(y=alt.Y("row:N", sort=order, axis=None, scale=alt.Scale(paddingInner=0)))
    scale = alt.Scale(domain=[0, 100], range=[0, PAGE_WIDTH * 0.58])
    # The bar sits low in its row and the name stands on it (however many lines it has): each name reads with
    # its own bar, and the space between rows falls above the names.
    bar_offset = band / 2 - 12
    # Vega sets a multi-line text from its top, so each line is its own layer, counted up from the bar.
    line_height = PAGE_FONT * 1.3
    names = [
        base.transform_calculate(line=f"length(datum.name) > {k} ? datum.name[length(datum.name) - 1 - {k}] : ''")
        .mark_text(
            align="left",
            baseline="bottom",
            fontSize=PAGE_FONT,
            fontWeight="bold",
            color=INK,
            yOffset=bar_offset - 10 - k * line_height,
        )
        .encode(x=alt.value(0), text="line:N")
        for k in range(lines)
    ]
    track = base.mark_bar(height=14, color="#e8ecf1", yOffset=bar_offset).encode(
        x=alt.X("full:Q", scale=scale, axis=None)
    )
    bars = base.mark_bar(height=14, color=BLUE, yOffset=bar_offset).encode(x=alt.X("value:Q", scale=scale, axis=None))
    ticks = (
        base.transform_filter("isValid(datum.plan)")
        .mark_tick(thickness=3, size=22, color=INK, yOffset=bar_offset)
        .encode(x=alt.X("plan:Q", scale=scale, axis=None))
    )
    words = base.mark_text(
        align="left", baseline="middle", dx=8, fontSize=PAGE_FONT - 1, color=INK, yOffset=bar_offset
    ).encode(x=alt.X("full:Q", scale=scale, axis=None), text="label:N")
    chart = alt.layer(track, bars, ticks, *names, words).properties(width=PAGE_WIDTH, height=band * max(len(rows), 1))
    return chart.configure(background="white", padding=4, autosize="pad", font="sans-serif").configure_view(stroke=None)


def index_picture(scores: Sequence[IndexScore], lang: str) -> alt.TopLevelMixin:
    """The Smart City index by year on its 0–4 scale, each bar with its value written on top."""
    frame = pd.DataFrame({"year": [str(s.year) for s in scores], "score": [s.score for s in scores]})
    frame["label"] = [number(s.score, lang) for s in scores]
    base = alt.Chart(frame).encode(
        x=alt.X("year:N", title=None, axis=alt.Axis(labelAngle=0, labelFontSize=PAGE_FONT, domain=False, ticks=False))
    )
    grid = alt.Axis(
        values=[0, 1, 2, 3, 4], title=None, domain=False, ticks=False, labelFontSize=12, gridColor="#e8ecf1"
    )
    y = alt.Y("score:Q", scale=alt.Scale(domain=[0, 4]), axis=grid)
    bars = base.mark_bar(color=BLUE, cornerRadiusEnd=3).encode(y=y)
    words = base.mark_text(baseline="bottom", dy=-4, fontSize=PAGE_FONT, fontWeight="bold", color=INK).encode(
        y=y, text="label:N"
    )
    chart = alt.layer(bars, words).properties(width=PAGE_WIDTH, height=180)
    return chart.configure(background="white", padding=4, autosize="pad", font="sans-serif").configure_view(stroke=None)


@functools.lru_cache(maxsize=4)
def index_svg(lang: str) -> str:
    """The fixed index (``SCORES``) drawn once per language."""
    return svg(index_picture(SCORES, lang))


# --- percentages over time, for the program and history pages: the pictures shown before (and instead of) the
# interactive Plotly chart, which a reader loads only when asking for it (issue 23). Okabe–Ito colours; each line
# also has its own dash and marker, so colour is never the only way to tell them apart.
LINE_HEIGHT = 260
VERSION_COLOURS = ("#E69F00", "#56B4E9", "#009E73", "#CC79A7", "#D55E00", "#F0E442", "#000000")
VERSION_DASHES = ((2, 3), (6, 4), (6, 3, 2, 3), (10, 4), (10, 4, 2, 4), (2, 3), (6, 4))
VERSION_SHAPES = ("square", "diamond", "triangle-up", "cross", "triangle-down", "square", "diamond")


@dataclass(frozen=True)
class Line:
    """One line of a percentage-over-time picture: its legend words, points, colour, dash (empty: solid), marker
    shape and width."""

    label: str
    points: Sequence[tuple[date, float]]
    colour: str
    dash: tuple[int, ...] = ()
    shape: str = "circle"
    width: float = 2.5


def _month_axis(days: Sequence[date], lang: str) -> alt.Axis:
    """Month ticks named by Babel in the reader's language (Vega names months in English), six at most."""
    months = sorted({d.replace(day=1) for d in days})
    step = max(1, -(-len(months) // 4))  # four labels fit a phone's width
    ticks = months[::step]
    stamps = [int(datetime(m.year, m.month, 1, tzinfo=UTC).timestamp() * 1000) for m in ticks]
    expression = "''"
    for month in reversed(ticks):
        shown = json.dumps(month_year(month, lang))
        expression = f"utcFormat(datum.value, '%Y-%m') == '{month:%Y-%m}' ? {shown} : {expression}"
    return alt.Axis(
        values=stamps,
        labelExpr=expression,
        title=None,
        grid=False,
        labelFontSize=PAGE_FONT - 2,
        labelColor=MUTED,
        domainColor=GREY,
        tickColor=GREY,
    )


def lines_picture(lines: Sequence[Line], axis_title: str, lang: str) -> alt.TopLevelMixin:
    """Percentages over time (0–105 %), one line per ``Line`` with its markers, and a legend below that shows each
    line's colour, dash and marker with its words."""
    rows = [
        {"line": line.label, "day": day.isoformat(), "value": value} for line in lines for day, value in line.points
    ]
    frame = pd.DataFrame(rows, columns=["line", "day", "value"])
    labels = [line.label for line in lines]
    days = [day for line in lines for day, _ in line.points]
    # From the first report's month, so that its tick (the 1st) is on the axis too.
    start = min(days, default=date.today()).replace(day=1)
    domain = [start.isoformat(), max(days, default=start).isoformat()]
    x = alt.X("day:T", scale=alt.Scale(type="utc", domain=domain), axis=_month_axis(days, lang))
    y = alt.Y(
        "value:Q",
        scale=alt.Scale(domain=[0, 105], nice=False),
        axis=alt.Axis(
            values=[0, 25, 50, 75, 100],
            title=axis_title,
            titleFontSize=PAGE_FONT - 2,
            titleColor=MUTED,
            titleFontWeight="normal",
            labelFontSize=PAGE_FONT - 2,
            labelColor=MUTED,
            gridColor="#e8ecf1",
            domain=False,
            ticks=False,
        ),
    )
    legend = alt.Legend(
        orient="bottom",
        direction="vertical",
        title=None,
        labelFontSize=PAGE_FONT - 1,
        labelColor=INK,
        labelLimit=PAGE_WIDTH,
        symbolStrokeWidth=2.5,
        symbolSize=80,
    )
    colour = alt.Color(
        "line:N", scale=alt.Scale(domain=labels, range=[line.colour for line in lines]), legend=legend, sort=labels
    )
    dash = alt.StrokeDash(
        "line:N", scale=alt.Scale(domain=labels, range=[list(line.dash) or [1, 0] for line in lines]), legend=None
    )
    width = alt.StrokeWidth("line:N", scale=alt.Scale(domain=labels, range=[line.width for line in lines]), legend=None)
    shape = alt.Shape("line:N", scale=alt.Scale(domain=labels, range=[line.shape for line in lines]), legend=legend)
    base = alt.Chart(frame).encode(x=x, y=y)
    drawn = base.mark_line().encode(color=colour, strokeDash=dash, strokeWidth=width, detail="line:N")
    points = base.mark_point(filled=True, size=60).encode(color=colour, shape=shape)
    chart = alt.layer(drawn, points).properties(width=PAGE_WIDTH - 50, height=LINE_HEIGHT)
    return (
        chart.resolve_legend(color="shared", shape="shared")
        .configure(background="white", padding=4, autosize="pad", font="sans-serif")
        .configure_view(stroke=None)
    )


def s_curve_picture(reports: Sequence[Mapping[str, object]], lang: str) -> alt.TopLevelMixin:
    """Kurva S: planned (orange, dashed, diamonds) and actual (blue, solid, circles) cumulative physical progress
    at each report date: the figures of the program page's interactive chart."""
    days = [r["tanggal"] for r in reports]

    def points(column: str) -> list[tuple[date, float]]:
        return [(d, float(r[column])) for d, r in zip(days, reports, strict=True) if r.get(column) is not None]  # type: ignore[arg-type,misc]

    lines = [
        Line(t("chart.plan", lang), points("rencana_persen"), "#E69F00", (6, 4), "diamond"),
        Line(t("chart.actual", lang), points("realisasi_persen"), BLUE, (), "circle", 3),
    ]
    return lines_picture(lines, t("chart.axis", lang), lang)


def versions_picture(versions: Sequence[tuple[str, Sequence[tuple[date, float]]]], lang: str) -> alt.TopLevelMixin:
    """A program's realisation per report date, one line per published version (``(label, points)``, oldest first);
    the latest is the solid blue one, the earlier ones thinner, each with its own colour, dash and marker."""
    last = len(versions) - 1
    lines = [
        Line(label, points, BLUE, (), "circle", 3)
        if i == last
        else Line(
            label,
            points,
            VERSION_COLOURS[i % len(VERSION_COLOURS)],
            VERSION_DASHES[i % len(VERSION_DASHES)],
            VERSION_SHAPES[i % len(VERSION_SHAPES)],
            1.5,
        )
        for i, (label, points) in enumerate(versions)
    ]
    return lines_picture(lines, t("history.chart.axis", lang), lang)
