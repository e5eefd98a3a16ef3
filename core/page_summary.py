"""What a public page says first, in one language, as plain text: one answer for every face of the page.

The Streamlit page, the HTML a crawler or a link preview reads (``core.page_html``) and the page's meta
description are all written from these summaries, made from the published data (``core.progress``); so
the text the first screen shows and the text a search engine indexes cannot drift apart.

Sheet text (a program's name, the SKPD) stays as typed here: each face escapes it for its own markup. A face
that cannot escape a whole line after the fact (Streamlit's markdown, where the line's own words must stay as
they are) passes its escape to ``program_facts``, which applies it to the sheet's words only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from core.formatting import long_date, number, percent, rupiah_short
from core.i18n import t
from core.progress import TRACK_LABELS, TRACK_ORDER, ProgramProgress, Track, lag_threshold
from core.sources import SourceState
from core.text import Text
from core.wilayah import CITY_TIMEZONE

# Longer descriptions are cut by search engines and link previews.
DESCRIPTION_LIMIT = 300


@dataclass(frozen=True)
class ProgramFacts:
    """One program's card: its name, status word and why, figures and "data per".

    The one source of a program's card lines: the home page's Streamlit cards (``components.progress_cards``),
    the pages' HTML, their descriptions and the pictures the server draws all read them from here.
    """

    code: str
    name: str
    dimension: str
    skpd: str
    status: str  # the status word, never a colour alone
    reason: str  # the rule that gave the status, in plain words
    progress: str | None  # realisation against plan
    indicator: str | None
    budget: str | None
    as_of: str | None  # "Data per 27 November 2026" (the last report's date)
    last_report: str | None  # the last report's own note, as the SKPD wrote it
    actual: float | None = None  # realisation, % (for the pictures)
    plan: float | None = None  # plan at the last report, %


@dataclass(frozen=True)
class PageSummary:
    lang: str
    title: str  # the <title>: the page's own name, then the portal's
    heading: str
    description: str  # the meta description, from the data where the page has data
    paragraphs: tuple[str, ...] = ()
    programs: tuple[ProgramFacts, ...] = ()
    # "Data per 30 September 2024": the newest report date among the page's programs, the date its figures
    # describe (each program's own is in its facts). The one meaning of "data per" (issue #26, item 7).
    data_per: str | None = None
    read_at: str | None = None  # "Dibaca portal …": when the page's sources were last read, in the city's time
    sample: bool = False  # the sources are the bundled sample data: every face says so


def status_word(track: Track, lang: str) -> str:
    return TRACK_LABELS[track][1].get(lang)


def status_reason(item: ProgramProgress, lang: str) -> str:
    """The rule that gave the program its status, with its figures (the program page's "why")."""
    latest = item.latest
    if item.track is Track.NO_DATA or latest is None:
        return t(f"rule.{item.track.value}", lang)
    plan, actual = latest["rencana_persen"], latest["realisasi_persen"]
    values = {
        "plan": percent(plan, lang),
        "actual": percent(actual, lang),
        "lag": number(max(plan - actual, 0), lang, 1),
        "threshold": number(lag_threshold(plan), lang, 0),
        "end": long_date(item.program["tanggal_selesai"], lang),
    }
    reasons = [f"rule.{item.track.value}"]
    if item.track is Track.LATE:
        # Late for one reason or both: behind the plan, and/or past the end date.
        reasons = (["rule.late"] if actual < plan else []) + (["rule.overdue"] if item.overdue else [])
    return " ".join(t(key, lang, **values) for key in reasons)


def _as_typed(text: str) -> str:
    return text


def program_facts(item: ProgramProgress, lang: str, escape: Callable[[str], str] = _as_typed) -> ProgramFacts:
    """``escape``: what the face does to sheet text inside a line (``escape_markdown`` for Streamlit's markdown);
    the portal's own words and the figures it formats are never passed through it."""
    program, latest = item.program, item.latest
    progress = indicator = budget = as_of = last_report = None
    if latest is not None:
        actual, plan = percent(item.actual or 0.0, lang), percent(item.plan or 0.0, lang)
        progress = t("card.progress", lang, actual=actual, plan=plan)
        if latest.get("capaian_indikator") is not None:
            indicator = t(
                "card.indicator",
                lang,
                indicator=escape(str(program["indikator"])),
                count=number(latest["capaian_indikator"], lang),
                target=number(program["target"], lang),
                unit=escape(str(program["satuan"])),
            )
        as_of = t("card.as_of", lang, date=long_date(latest["tanggal"], lang))
        last_report = escape(str(latest.get("keterangan") or "")) or None
    if program.get("anggaran"):
        spent = latest.get("realisasi_anggaran") if latest else None
        whole = rupiah_short(program["anggaran"], lang)
        budget = (
            t("card.budget_spent", lang, spent=rupiah_short(spent, lang), budget=whole)
            if spent is not None
            else t("card.budget", lang, budget=whole)
        )
    return ProgramFacts(
        code=item.code,
        name=escape(str(program["nama_program"])),
        dimension=escape(str(program["dimensi"])),
        skpd=escape(str(program["skpd"])),
        status=status_word(item.track, lang),
        reason=status_reason(item, lang),
        progress=progress,
        indicator=indicator,
        budget=budget,
        as_of=as_of,
        last_report=last_report,
        actual=item.actual,
        plan=item.plan,
    )


def figures_source(facts: ProgramFacts, origin: str | None, lang: str) -> str:
    """The line beside a group of a program's figures: its "data per" (the report date they describe) and its
    source (SKPD and sheet), e.g. "Data per 30 September 2024 · Sumber: Disperkim, disperkim.xlsx".

    ``origin`` is the sheet as the public may see it (no server folders), escaped by the face like ``facts``."""
    said = (
        t("card.source", lang, skpd=facts.skpd, origin=origin)
        if origin
        else t("card.source_skpd", lang, skpd=facts.skpd)
    )
    return f"{facts.as_of or t('rule.no_data', lang)} · {said}"


def data_per(progress: Sequence[ProgramProgress], lang: str) -> str | None:
    """A page's "data per": the newest report date among its programs (``None`` when none has a report)."""
    dates = [p.as_of for p in progress if p.as_of is not None]
    return t("card.as_of", lang, date=long_date(max(dates), lang)) if dates else None


def read_at(states: Sequence[SourceState], lang: str) -> str | None:
    """When the portal last read the page's sources ("Dibaca portal …"): never called "data per"."""
    times = [s.read_at for s in states if s.read_at is not None]
    if not times:
        return None
    newest: datetime = max(times).astimezone(CITY_TIMEZONE)
    return t("page.read_at", lang, when=f"{long_date(newest.date(), lang)} {newest:%H.%M} WITA")


def _title(page: str, portal_title: Text, lang: str) -> str:
    return f"{page} · {portal_title.get(lang)}"


def _cut(text: str) -> str:
    return text if len(text) <= DESCRIPTION_LIMIT else text[: DESCRIPTION_LIMIT - 1].rstrip() + "…"


def home_summary(
    progress: Sequence[ProgramProgress], sources: Sequence[SourceState], portal_title: Text, lang: str
) -> PageSummary:
    """The home page: every program with its status word, realisation against plan and "data per"."""
    counts = {track: sum(1 for p in progress if p.track is track) for track in TRACK_ORDER}
    tally = ", ".join(f"{status_word(track, lang)}: {counts[track]}" for track in TRACK_ORDER if counts[track])
    when = data_per(progress, lang)
    said_when = when + "." if when else None
    description = " ".join(
        part for part in (t("overview.intro", lang), tally + "." if tally else "", said_when) if part
    )
    return PageSummary(
        lang=lang,
        title=portal_title.get(lang),
        heading=portal_title.get(lang),
        description=_cut(description),
        paragraphs=(t("overview.intro", lang),),
        programs=tuple(program_facts(item, lang) for item in progress),
        data_per=when,
        read_at=read_at(sources, lang),
        sample=any(s.sample for s in sources),
    )


def program_summary(
    item: ProgramProgress, source: SourceState | None, portal_title: Text, lang: str, sample: bool
) -> PageSummary:
    """A program's page: its SKPD, status and the reason, figures and last report."""
    facts = program_facts(item, lang)
    figures = [facts.progress, facts.indicator, facts.budget]
    parts = [f"{facts.name} ({facts.skpd}): {facts.status}.", *(f"{f}." for f in figures if f), facts.as_of]
    return PageSummary(
        lang=lang,
        title=_title(facts.name, portal_title, lang),
        heading=facts.name,
        description=_cut(" ".join(p for p in parts if p)),
        programs=(facts,),
        data_per=facts.as_of,
        read_at=read_at([source] if source else [], lang),
        sample=sample,
    )


def page_summary(
    name: str,
    intro: str,
    sources: Sequence[SourceState],
    portal_title: Text,
    lang: str,
    description: str | None = None,
) -> PageSummary:
    """A page whose first screen is its title and its introduction (the map, history, survey, about...)."""
    return PageSummary(
        lang=lang,
        title=_title(name, portal_title, lang),
        heading=name,
        description=_cut(description or intro),
        paragraphs=(intro,),
        read_at=read_at(sources, lang),
        sample=any(s.sample for s in sources),
    )
