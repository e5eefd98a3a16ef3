"""The survey results page's pieces: headline figures, the sample statement, charts, suggestions, downloads.

Charts follow components/charts.py: Okabe–Ito colours, values printed on the marks, numbers and months in
the reader's language, and a table of each chart's data for readers who cannot see it. The grade (mutu)
is always written as a letter and a word. Suggestions are residents' text: shown escaped, never as markup.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

import plotly.graph_objects as go
import streamlit as st
from babel.numbers import format_decimal
from plotly.subplots import make_subplots
from streamlit.errors import StreamlitAPIException

from components.charts import OKABE_ITO
from components.downloads import file_button
from core.formatting import date_time, escape_markdown, escape_plotly, locale_for, month_year, number, percent
from core.i18n import t
from core.survey import BANDS, ELEMENTS, Band
from core.survey_summary import ProgramResults, SampleSize, city_month
from core.text import Text
from core.wilayah import CITY_TIMEZONE

SKY_BLUE = "#56B4E9"  # Okabe–Ito, for "no answer" beside the blue answers
MAX_SUGGESTIONS = 30


def fixed(value: float, lang: str, digits: int = 2) -> str:
    """Exactly ``digits`` decimals (84,30 / 84.30), as IKM results are reported."""
    return format_decimal(value, format="#,##0." + "0" * digits, locale=locale_for(lang))


def _separators(lang: str) -> str:
    return ",." if lang == "id" else ".,"


def when(moment: datetime, lang: str) -> str:
    return f"{date_time(moment, lang)} {t('tz', lang)}"


def mutu_words(band: Band, lang: str) -> str:
    return t("survey_results.mutu_value", lang, mutu=band.mutu, kinerja=band.kinerja.get(lang))


def form_link(lang: str) -> None:
    """A link to the questionnaire page; a plain relative link should that page not be registered in app.py."""
    label = t("survey_results.go_to_form", lang)
    try:
        st.page_link(
            "app_pages/feedback.py",
            label=label,
            icon=":material/rate_review:",
            query_params={"lang": lang} if lang != "id" else None,
        )
    except StreamlitAPIException:
        # The form's url_path is "survei"; relative, so it also works under a base URL path.
        st.markdown(f":material/rate_review: [{label}](survei{'?lang=' + lang if lang != 'id' else ''})")


def empty_state(lang: str, scope_label: str | None = None) -> None:
    if scope_label is None:
        st.info(t("survey_results.empty", lang), icon=":material/forum:")
    else:
        st.info(t("survey_results.empty_scope", lang, scope=scope_label), icon=":material/forum:")
    form_link(lang)


def headline(results: ProgramResults, lang: str) -> None:
    """Respondents, IKM x 25 and on the 1–4 scale, and the grade as a letter and a word."""
    result = results.result
    columns = st.columns(4)
    columns[0].metric(t("survey_results.respondents", lang), number(results.respondents, lang, 0))
    if result.ikm is not None and result.converted is not None and result.band is not None:
        columns[1].metric(t("survey_results.ikm_converted", lang), fixed(result.converted, lang))
        columns[2].metric(t("survey_results.ikm", lang), fixed(result.ikm, lang))
        columns[3].metric(t("survey_results.mutu", lang), mutu_words(result.band, lang))
    st.caption(
        t(
            "survey_results.respondents_note",
            lang,
            respondents=number(results.respondents, lang, 0),
            responses=number(results.responses, lang, 0),
        )
    )
    if result.ikm is None:
        st.info(t("survey_results.no_index", lang), icon=":material/info:")


def sample_statement(sample: SampleSize, scope_label: str, lang: str) -> None:
    """Whether the respondents reach the Krejcie–Morgan sample size, in words with an icon, not colour alone."""
    values = {"respondents": number(sample.respondents, lang, 0)}
    if sample.reached is None or sample.population is None or sample.target is None:
        st.info(t("survey_results.sample_unknown", lang, scope=scope_label, **values), icon=":material/help:")
        return
    values |= {"target": number(sample.target, lang, 0), "population": number(sample.population, lang, 0)}
    if sample.reached:
        st.success(t("survey_results.sample_reached", lang, **values), icon=":material/check_circle:")
    else:
        st.warning(t("survey_results.sample_not_reached", lang, **values), icon=":material/warning:")


def nrr_chart(results: ProgramResults, lang: str) -> go.Figure:
    """NRR per element, horizontal so the long element names read on a phone, each value printed."""
    keys = [k for k in ELEMENTS if k in results.result.nrr]
    names = ["<br>".join(textwrap.wrap(ELEMENTS[k].get(lang), 26)) for k in keys]
    values = [results.result.nrr[k] for k in keys]
    fig = go.Figure()
    fig.add_bar(
        y=names,
        x=values,
        orientation="h",
        marker={"color": OKABE_ITO["blue"]},
        text=[fixed(v, lang) for v in values],
        textposition="auto",
        hovertemplate="%{y}: %{text}<extra></extra>",
    )
    fig.update_layout(
        xaxis={"range": [0, 4], "dtick": 1, "title": t("survey_results.nrr_axis", lang)},
        yaxis={"autorange": "reversed"},
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        height=100 + 48 * len(keys),
        separators=_separators(lang),
    )
    return fig


def nrr_section(results: ProgramResults, lang: str) -> None:
    result = results.result
    if not result.nrr:
        return
    st.header(t("survey_results.nrr_title", lang), anchor=False)
    st.plotly_chart(nrr_chart(results, lang), config={"displayModeBar": False}, key="survey_nrr")
    if result.unanswered:
        elements = ", ".join(ELEMENTS[k].get(lang) for k in result.unanswered)
        st.caption(t("survey_results.unanswered", lang, elements=elements))
    with st.expander(t("survey_results.nrr_table", lang), icon=":material/table:"):
        st.dataframe(
            {
                t("survey_results.col.element", lang): [ELEMENTS[k].get(lang) for k in ELEMENTS],
                t("survey_results.col.nrr", lang): [
                    fixed(result.nrr[k], lang, 4) if k in result.nrr else "–" for k in ELEMENTS
                ],
                t("survey_results.col.answered", lang): [number(results.answered[k], lang, 0) for k in ELEMENTS],
            },
            hide_index=True,
        )


def trend_chart(results: ProgramResults, lang: str) -> go.Figure:
    """IKM x 25 by month above, respondents by month below; the grade bounds as labelled dotted lines."""
    months = [m.month for m in results.trend]
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.65, 0.35], vertical_spacing=0.08)
    converted = [m.converted for m in results.trend]
    fig.add_scatter(
        x=months,
        y=converted,
        name=t("survey_results.trend_ikm", lang),
        mode="lines+markers+text",
        line={"color": OKABE_ITO["blue"], "width": 3},
        marker={"size": 8},
        text=[fixed(v, lang) if v is not None else "" for v in converted],
        textposition="top center",
        hovertemplate="%{text}<extra></extra>",
        row=1,
        col=1,
    )
    for band in BANDS[:-1]:  # the lower bound of A, B and C; below C is D
        fig.add_hline(
            y=band.low,
            line={"dash": "dot", "width": 1, "color": "#555555"},
            annotation_text=f"{band.mutu} ≥ {fixed(band.low, lang)}",
            annotation_position="bottom right",
            row=1,
            col=1,
        )
    respondents = [m.respondents for m in results.trend]
    fig.add_bar(
        x=months,
        y=respondents,
        name=t("survey_results.respondents", lang),
        marker={"color": OKABE_ITO["orange"]},
        text=[number(v, lang, 0) for v in respondents],
        textposition="auto",
        hovertemplate="%{text}<extra></extra>",
        row=2,
        col=1,
    )
    # Plotly names months in English; the ticks are written by Babel in the reader's language instead.
    step = max(1, -(-len(months) // 6))  # at most six labels, so they fit on a phone
    ticks = months[::step]
    fig.update_xaxes(tickvals=ticks, ticktext=[month_year(m, lang) for m in ticks])
    fig.update_yaxes(range=[25, 105], title_text=t("survey_results.trend_ikm", lang), row=1, col=1)
    fig.update_yaxes(rangemode="tozero", title_text=t("survey_results.respondents", lang), row=2, col=1)
    fig.update_layout(
        showlegend=False,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        height=420,
        separators=_separators(lang),
    )
    return fig


def trend_section(results: ProgramResults, lang: str) -> None:
    if not results.trend:
        return
    st.header(t("survey_results.trend_title", lang), anchor=False)
    st.plotly_chart(trend_chart(results, lang), config={"displayModeBar": False}, key="survey_trend")
    st.caption(t("survey_results.trend_note", lang))
    with st.expander(t("survey_results.trend_table", lang), icon=":material/table:"):
        st.dataframe(
            {
                t("survey_results.col.month", lang): [month_year(m.month, lang) for m in results.trend],
                t("survey_results.col.responses", lang): [number(m.responses, lang, 0) for m in results.trend],
                t("survey_results.respondents", lang): [number(m.respondents, lang, 0) for m in results.trend],
                t("survey_results.trend_ikm", lang): [
                    fixed(m.converted, lang) if m.converted is not None else "–" for m in results.trend
                ],
                t("survey_results.col.mutu", lang): [
                    mutu_words(m.band, lang) if m.band is not None else "–" for m in results.trend
                ],
            },
            hide_index=True,
        )


def benefit_labels(scale: Sequence[Text] | None, lang: str) -> list[str]:
    """The questionnaire's own labels of 1–4, then "no answer"."""
    if scale is not None and len(scale) == 4:
        labels = [f"{i} · {label.get(lang)}" for i, label in enumerate(scale, start=1)]
    else:
        labels = [f"{i} · {t(f'survey_results.benefit.{i}', lang)}" for i in range(1, 5)]
    return [*labels, t("survey_results.no_answer", lang)]


def benefit_chart(results: ProgramResults, labels: Sequence[str], lang: str) -> go.Figure:
    benefit = results.benefit
    counts = [*benefit.counts, benefit.no_answer]
    shares = [benefit.share(i) for i in (1, 2, 3, 4)] + [benefit.share(None)]
    fig = go.Figure()
    fig.add_bar(
        y=[escape_plotly(label) for label in labels],
        x=counts,
        orientation="h",
        marker={"color": [OKABE_ITO["blue"]] * 4 + [SKY_BLUE], "pattern": {"shape": ["", "", "", "", "/"]}},
        text=[f"{number(c, lang, 0)} ({percent(100 * s, lang)})" for c, s in zip(counts, shares, strict=True)],
        textposition="auto",
        hovertemplate="%{y}: %{text}<extra></extra>",
    )
    fig.update_layout(
        xaxis={"title": t("survey_results.benefit_axis", lang), "rangemode": "tozero"},
        yaxis={"autorange": "reversed"},
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        height=300,
        separators=_separators(lang),
    )
    return fig


def benefit_section(results: ProgramResults, question: str | None, scale: Sequence[Text] | None, lang: str) -> None:
    """The benefit question's answers (every response counts here, also those who rated no element)."""
    st.header(t("survey_results.benefit_title", lang), anchor=False)
    if question:
        st.caption(escape_markdown(question))
    labels = benefit_labels(scale, lang)
    st.plotly_chart(benefit_chart(results, labels, lang), config={"displayModeBar": False}, key="survey_benefit")
    benefit = results.benefit
    counts = [*benefit.counts, benefit.no_answer]
    shares = [benefit.share(i) for i in (1, 2, 3, 4)] + [benefit.share(None)]
    with st.expander(t("survey_results.benefit_table", lang), icon=":material/table:"):
        st.dataframe(
            {
                t("survey_results.col.answer", lang): labels,
                t("survey_results.col.count", lang): [number(c, lang, 0) for c in counts],
                t("survey_results.col.share", lang): [percent(100 * s, lang) for s in shares],
            },
            hide_index=True,
        )


def suggestions_section(suggestions: Sequence[Mapping[str, Any]], names: Mapping[str, str], lang: str) -> None:
    """Approved, masked suggestions, newest first, as plain text (escaped: a suggestion is never markup)."""
    st.header(t("survey_results.suggestions_title", lang), anchor=False)
    st.caption(t("survey_results.suggestions_note", lang))
    if not suggestions:
        st.markdown(t("survey_results.suggestions_none", lang))
        return
    for item in suggestions[:MAX_SUGGESTIONS]:
        with st.container(border=True):
            # Escaped line by line, each line break kept as a hard break.
            st.markdown("  \n".join(escape_markdown(line) for line in str(item["saran"]).splitlines()))
            program = names.get(str(item["program"]), str(item["program"]))
            st.caption(f"{escape_markdown(program)} · {month_year(city_month(item['created_at']), lang)}")
    if len(suggestions) > MAX_SUGGESTIONS:
        st.caption(t("survey_results.suggestions_more", lang, count=number(len(suggestions) - MAX_SUGGESTIONS, lang)))


def _slug(text: str) -> str:
    return re.sub(r"[^0-9A-Za-z.]+", "-", text).strip("-").lower()


def export_name(scope: str, now: datetime, licence: str) -> str:
    """The download's file name without extension: source, scope, "data per" time (WITA) and licence.

    A CSV must keep its header row first (so it feeds ``survey-report``), so the name carries what a
    header would; the caption beside the buttons says it in full.
    """
    stamp = now.astimezone(CITY_TIMEZONE).strftime("%Y%m%d-%H%M")
    return f"portal-quick-win-banjarmasin_survei-{_slug(scope)}_{stamp}-wita_{_slug(licence)}"


def export_about(
    source: str, scope_label: str, now: datetime, licence: str, licence_url: str, lang: str
) -> list[tuple[str, str]]:
    """The XLSX's second sheet: source, scope, "data per", licence, privacy, columns, formulas."""
    return [
        (t("survey_results.about.source", lang), source),
        (t("survey_results.about.scope", lang), scope_label),
        (t("survey_results.about.as_of", lang), when(now, lang)),
        (t("survey_results.about.licence", lang), f"{licence} ({licence_url})"),
        (t("survey_results.about.privacy", lang), t("survey_results.about.privacy_text", lang)),
        (t("survey_results.about.columns", lang), t("survey_results.about.columns_text", lang)),
        (t("survey_results.about.safe", lang), t("survey_results.about.safe_text", lang)),
    ]


def downloads(
    csv_data: Callable[[], bytes],
    xlsx_data: Callable[[], bytes],
    json_data: Callable[[], bytes],
    *,
    count: int,
    scope: str,
    scope_label: str,
    source: str,
    licence: str,
    licence_url: str,
    now: datetime,
    lang: str,
) -> None:
    """CSV and XLSX buttons; the files are made only when the reader clicks, not on every run of the page."""
    st.header(t("survey_results.downloads_title", lang), anchor=False)
    st.caption(
        t(
            "survey_results.downloads_note",
            lang,
            count=number(count, lang, 0),
            scope=escape_markdown(scope_label),
            source=escape_markdown(source),
            when=when(now, lang),
            licence=escape_markdown(licence),
            url=licence_url,
        )
    )
    name = export_name(scope, now, licence)
    left, right, last = st.columns(3)
    file_button(left, t("survey_results.download_csv", lang), csv_data, f"{name}.csv", "survey_csv")
    file_button(right, t("survey_results.download_xlsx", lang), xlsx_data, f"{name}.xlsx", "survey_xlsx")
    file_button(last, "JSON", json_data, f"{name}.json", "survey_json")


def method(lang: str) -> None:
    with st.expander(t("survey_results.method_title", lang), icon=":material/calculate:"):
        st.markdown(t("survey_results.method_text", lang))
