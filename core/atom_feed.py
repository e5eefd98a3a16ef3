"""The Atom feed of published changes (RFC 4287), for newsrooms that would rather subscribe than check by hand.

One entry per published snapshot (one source's sync) that changed a program or a progress report: which
program, which figure, old value → new value, "data per", a link to the /riwayat view of that program on that
day, and whether a figure was changed after publication (``core.snapshot_history.retroactive_edits``).

Only what /riwayat publishes as figures: the program and report worksheets (``PROGRAM_SHEETS``, the ones its
value history and edit list are made of). Sites are left out: a private home is never a figure here. Rows were
validated at ingest, so personal columns never reached a snapshot. Sheet text (names, notes) is data: titles are
plain text, and the content is HTML built as elements and serialised by ElementTree (each text escaped), then
escaped again as the XML text of a ``type="html"`` content: a cell can never become markup.

Every entry whose sync was signed into the portal's log (issue 24) carries that sync's checkpoint line, ``<origin>
<size> <base64 root>`` (the C2SP tlog-checkpoint's three lines on one), twice: as an extension element
``<checkpoint xmlns="https://c2sp.org/tlog-checkpoint">`` (RFC 4287 §6.4: a simple extension element, which every
reader ignores and keeps) for scripts and archives, and as a line of its content for people. A feed reader's
archive of entries is then a witness of the log: a checkpoint it holds can be checked against the portal's later
ones (``python -m data_sources verify``).

Pure: the caller hands in the ``History``, the portal's address, title and author, and the checkpoint lines.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import quote
from xml.etree import ElementTree

from core.formatting import date_time, long_date, number
from core.i18n import t
from core.sitemap import page_path
from core.snapshot_history import (
    PROGRAM_SHEETS,
    Change,
    Edit,
    History,
    RowChange,
    Snapshot,
    State,
    city_day,
    field_label,
    format_value,
    only_sheets,
    steps,
    summary_value,
)
from core.text import Text
from core.wilayah import CITY_TIMEZONE

ATOM_NS = "http://www.w3.org/2005/Atom"
MEDIA_TYPE = "application/atom+xml"
FEED_PATH = "/riwayat.atom"
HISTORY_PATH = "/riwayat"
# A reader polls the feed and keeps what it has seen; 50 syncs that changed something are months of reports
# from six offices. Older changes stay on /riwayat and in riwayat.csv, so the feed need not grow with the store.
MAX_ENTRIES = 50
# The year the feed's tag: URIs were first minted (RFC 4151): fixed, so an id never changes.
FEED_MINTED = "2026"
# The category a retroactive entry carries, so that a reader can filter on it (a token, the same in each language).
RETROACTIVE_TERM = "diubah-setelah-terbit"
# The extension element that carries an entry's checkpoint line: the namespace of the format it abbreviates.
CHECKPOINT_NS = "https://c2sp.org/tlog-checkpoint"
CHECKPOINT_PREFIX = "tlog"


@dataclass(frozen=True)
class Line:
    """One changed figure (or a whole report or program added or removed) in one snapshot."""

    code: str
    sheet: str
    change: Change
    field: str
    old: Any
    new: Any
    report_date: date | None
    reports: int = 0  # a program added or removed: how many of its reports came or went with it
    satuan: str = ""


@dataclass(frozen=True)
class Entry:
    """What one snapshot changed, in no language yet."""

    snapshot: Snapshot
    lines: tuple[Line, ...]
    edits: tuple[Edit, ...]  # the figures of this snapshot changed after publication
    names: Mapping[str, str]  # program code -> name
    skpd: Mapping[str, str]  # program code -> its office, as its row says
    data_per: Mapping[str, date | None]  # program code -> its newest published report after this sync
    first_day: date  # of the whole history: /riwayat refuses an earlier date

    @property
    def codes(self) -> list[str]:
        return list(dict.fromkeys(line.code for line in self.lines))

    def retroactive(self, line: Line) -> bool:
        """Whether this figure was published before and changed here (a new report lower than the one before it
        is an edit of the history page's list, but not this figure changed: it is told in the edits only)."""
        return any(
            (e.code, e.field, e.report_date) == (line.code, line.field, line.report_date) and e.earlier_report is None
            for e in self.edits
        )


@dataclass(frozen=True)
class Site:
    """The portal the feed speaks for."""

    base_url: str
    title: Text
    author: str
    email: str = ""
    rights: str = ""
    sample: bool = False
    # The tag: URIs' authority (RFC 4151), a DNS name (core.site_base.tag_authority): never the request's host,
    # so an id stays the same whatever address a reader used.
    tag_authority: str = "localhost"


def _lines(changes: Sequence[RowChange]) -> list[Line]:
    """Each changed field; a program added or removed is one line, its reports counted, not listed."""
    whole = {c.code: c for c in changes if c.sheet == "program" and c.change is not Change.CHANGED}
    reports = {code: sum(1 for c in changes if c.sheet == "capaian" and c.code == code) for code in whole}
    found: list[Line] = []
    for change in changes:
        day = change.row.get("tanggal") if change.sheet == "capaian" else None
        satuan = str(change.row.get("satuan") or "")
        if change.change is Change.CHANGED:
            found += [Line(change.code, change.sheet, change.change, f.field, f.old, f.new, day) for f in change.fields]
        elif change.sheet == "program":
            # The field a removal is told by in retroactive_edits (PROGRAM_REMOVED), so the two match.
            name = "target" if change.change is Change.ADDED else "kode_program"
            value = change.row.get("target")
            found.append(
                Line(change.code, "program", change.change, name, None, value, None, reports[change.code], satuan)
            )
        elif change.code not in whole:
            value = change.row.get("realisasi_persen")
            old, new = (None, value) if change.change is Change.ADDED else (value, None)
            found.append(Line(change.code, "capaian", change.change, "realisasi_persen", old, new, day))
    return found


def _newest_reports(state: State, codes: Sequence[str]) -> dict[str, date | None]:
    """Per program its newest published report date: the "data per" of its figures."""
    days = [key for key in state.rows("capaian") if isinstance(key[1], date)]
    return {code: max((day for c, day in days if c == code), default=None) for code in codes}


def feed_entries(history: History, limit: int = MAX_ENTRIES) -> list[Entry]:
    """One entry per snapshot that changed a program or a report, newest first, at most ``limit``."""
    if not history.snapshots:
        return []
    names = history.program_names()
    edits: dict[int, list[Edit]] = {}
    for edit in history.edits:
        edits.setdefault(edit.snapshot_id, []).append(edit)
    found: list[Entry] = []
    for before, after, changed in steps(only_sheets(history.snapshots, PROGRAM_SHEETS)):
        # A round may hold several sources' syncs: each snapshot is its own entry.
        by_snapshot: dict[int, list[RowChange]] = {}
        for change in changed.rows:
            by_snapshot.setdefault(change.seen_in.id, []).append(change)
        for changes in by_snapshot.values():
            lines = _lines(changes)
            codes = list(dict.fromkeys(line.code for line in lines))
            skpd = {c.code: str(c.row.get("skpd") or "") for c in changes if c.sheet == "program"}
            for code in codes:
                if code not in skpd:
                    row = after.rows("program").get((code,)) or before.rows("program").get((code,))
                    skpd[code] = str(row.row.get("skpd") or "") if row else ""
            snapshot = changes[0].seen_in
            found.append(
                Entry(
                    snapshot,
                    tuple(lines),
                    tuple(edits.get(snapshot.id, ())),
                    {code: names.get(code, code) for code in codes},
                    skpd,
                    _newest_reports(after, codes),
                    city_day(history.snapshots[0].read_at),
                )
            )
    found.sort(key=lambda e: (e.snapshot.read_at, e.snapshot.id), reverse=True)
    return found[:limit]


# --- words ---------------------------------------------------------------------------------------


def line_text(line: Line, lang: str) -> str:
    """One line for readers: "Realisasi fisik 40% → 45% (laporan 30 Juni 2024)"."""
    label = field_label(line.field, lang, sentence=True)
    old, new = format_value(line.field, line.old, lang), format_value(line.field, line.new, lang)
    day = long_date(line.report_date, lang) if line.report_date else ""
    if line.sheet == "program" and line.change is not Change.CHANGED:
        reports = number(line.reports, lang, 0)
        if line.change is Change.REMOVED:
            return t("feed.line.program_removed", lang, reports=reports)
        _, target = summary_value("program", {"target": line.new, "satuan": line.satuan}, lang)
        return t("feed.line.program_added", lang, field=label, new=target, reports=reports)
    if line.sheet == "program":
        return f"{field_label(line.field, lang)} {old} → {new}"
    if line.change is Change.REMOVED:
        return t("feed.line.report_removed", lang, date=day, field=label, old=old)
    key = "feed.line.report_changed" if line.change is Change.CHANGED else "feed.line.report_added"
    return t(key, lang, date=day, field=field_label(line.field, lang), old=old, new=new)


def _lower_first(text: str) -> str:
    # "Target indikator 500 → 460" reads "target indikator 500 → 460" after a colon; "SKPD" stays as it is.
    return text if text[:2].isupper() else text[:1].lower() + text[1:]


def title(entry: Entry, lang: str) -> str:
    """The program(s) and what changed: "Bakawan RTLH: realisasi fisik 40% → 45% (laporan 30 Juni 2024)".

    The headline is a figure changed after publication when there is one: that is the news.
    """
    flagged = [line for line in entry.lines if entry.retroactive(line)]
    headline = (flagged or list(entry.lines))[0]
    text = f"{', '.join(entry.names[c] for c in entry.codes)}: {_lower_first(line_text(headline, lang))}"
    if entry.retroactive(headline):
        text += f" ({t('feed.retroactive', lang)})"
    if len(entry.lines) > 1:
        text += " " + t("feed.more", lang, count=number(len(entry.lines) - 1, lang, 0))
    return text


def summary(entry: Entry, lang: str) -> str:
    changes = number(len(entry.lines), lang, 0)
    if entry.edits:
        return t("feed.summary.retroactive", lang, changes=changes, edits=number(len(entry.edits), lang, 0))
    return t("feed.summary", lang, changes=changes)


# --- addresses -----------------------------------------------------------------------------------


def history_link(entry: Entry, lang: str) -> str:
    """The /riwayat view of the entry's (first) program, comparing the day before with the day of the sync."""
    day = city_day(entry.snapshot.read_at)
    params = [("program", entry.codes[0])]
    if day - timedelta(days=1) >= entry.first_day:  # /riwayat refuses a day before its first snapshot
        params.append(("dari", (day - timedelta(days=1)).isoformat()))
    params.append(("sampai", day.isoformat()))
    return page_path(HISTORY_PATH, lang, params)


def feed_id(authority: str, lang: str) -> str:
    """A tag: URI (RFC 4151): the same for as long as the portal keeps its host name."""
    return f"tag:{authority},{FEED_MINTED}:riwayat/{lang}"


def entry_id(entry: Entry, authority: str, lang: str) -> str:
    """The snapshot's identity (its source and id, minted on the day it was read): stable across restarts."""
    snapshot = entry.snapshot
    minted = snapshot.read_at.astimezone(CITY_TIMEZONE).date().isoformat()
    return f"tag:{authority},{minted}:riwayat/{lang}/{quote(snapshot.source, safe='')}/{snapshot.id}"


def rfc3339(moment: datetime) -> str:
    """In the city's time with its offset (+08:00), as readers in Banjarmasin read it."""
    return moment.astimezone(CITY_TIMEZONE).isoformat(timespec="seconds")


# --- XML -----------------------------------------------------------------------------------------


def _atom(parent: ElementTree.Element, name: str, text: str | None = None, **attrs: str) -> ElementTree.Element:
    element = ElementTree.SubElement(parent, f"{{{ATOM_NS}}}{name}", attrs)
    element.text = text
    return element


def _html(parent: ElementTree.Element, name: str, text: str | None = None, **attrs: str) -> ElementTree.Element:
    element = ElementTree.SubElement(parent, name, attrs)
    element.text = text
    return element


def content_html(entry: Entry, site: Site, lang: str, link: str, checkpoint: str | None = None) -> str:
    """Per program its name, office and "data per", then its changed figures; then the edits after publication.

    Built as elements and serialised by ElementTree, so every text (a program's name is sheet text) is escaped.
    """
    div = ElementTree.Element("div")
    if site.sample:
        _html(div, "p", t("feed.sample", lang))
    for code in entry.codes:
        facts = [f"{entry.names[code]} ({code})", entry.skpd.get(code, "")]
        newest = entry.data_per.get(code)
        if newest is not None:
            facts.append(t("card.as_of", lang, date=long_date(newest, lang)))
        _html(div, "p", " · ".join(f for f in facts if f))
        listing = _html(div, "ul")
        for line in entry.lines:
            if line.code == code:
                flag = f" ({t('feed.retroactive', lang)})" if entry.retroactive(line) else ""
                _html(listing, "li", line_text(line, lang) + flag)
    if entry.edits:
        _html(div, "p", t("history.edits.title", lang))
        edits = _html(div, "ul")
        for edit in entry.edits:
            _html(edits, "li", f"{entry.names.get(edit.code, edit.code)}: {edit.describe(lang)}")
    footer = _html(div, "p", t("feed.read_at", lang, when=date_time(entry.snapshot.read_at, lang)) + " ")
    _html(footer, "a", t("feed.link", lang), href=link)
    if checkpoint is not None:
        _html(div, "p", t("feed.checkpoint", lang, line=checkpoint))
    return ElementTree.tostring(div, encoding="unicode", method="html")


def _entry(feed: ElementTree.Element, entry: Entry, site: Site, lang: str, checkpoint: str | None) -> None:
    base = site.base_url.rstrip("/")
    link = base + history_link(entry, lang)
    node = _atom(feed, "entry")
    _atom(node, "id", entry_id(entry, site.tag_authority, lang))
    _atom(node, "title", title(entry, lang), type="text")
    _atom(node, "updated", rfc3339(entry.snapshot.read_at))
    _atom(node, "published", rfc3339(entry.snapshot.read_at))
    _atom(node, "link", rel="alternate", type="text/html", href=link)
    if entry.edits:
        label = t("history.edits.title", lang)
        _atom(node, "category", term=RETROACTIVE_TERM, scheme=base + page_path(FEED_PATH, lang), label=label)
    for code in entry.codes:
        _atom(node, "category", term=code, scheme=base + page_path("/program", lang), label=entry.names[code])
    _atom(node, "summary", summary(entry, lang), type="text")
    # Escaped HTML, which every feed reader shows; XHTML content would reach some readers with its prefix
    # (xhtml:p) as ElementTree writes it. The cells were escaped once as HTML and stay text either way.
    _atom(node, "content", content_html(entry, site, lang, link, checkpoint), type="html")
    if checkpoint is not None:
        ElementTree.SubElement(node, f"{{{CHECKPOINT_NS}}}checkpoint").text = checkpoint


def atom_xml(
    found: Sequence[Entry],
    site: Site,
    lang: str,
    empty_updated: datetime,
    checkpoints: Mapping[int, str] | None = None,
) -> bytes:
    """The feed document; ``updated`` is its newest entry's, or ``empty_updated`` while there is none.

    ``checkpoints``: per snapshot id, the checkpoint line of the sync that published it (none: not signed yet)."""
    ElementTree.register_namespace("", ATOM_NS)
    ElementTree.register_namespace(CHECKPOINT_PREFIX, CHECKPOINT_NS)
    base = site.base_url.rstrip("/")
    feed = ElementTree.Element(f"{{{ATOM_NS}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": lang})
    _atom(feed, "id", feed_id(site.tag_authority, lang))
    _atom(feed, "title", t("feed.title", lang, site=site.title.get(lang)), type="text")
    subtitle = t("feed.subtitle", lang) + (" " + t("feed.sample", lang) if site.sample else "")
    _atom(feed, "subtitle", subtitle, type="text")
    newest = max((e.snapshot.read_at for e in found), default=empty_updated)
    _atom(feed, "updated", rfc3339(newest))
    author = _atom(feed, "author")
    _atom(author, "name", site.author)
    _atom(author, "uri", base + "/")
    if site.email:
        _atom(author, "email", site.email)
    _atom(feed, "link", rel="self", type=MEDIA_TYPE, href=base + page_path(FEED_PATH, lang))
    _atom(feed, "link", rel="alternate", type="text/html", href=base + page_path(HISTORY_PATH, lang))
    if site.rights:
        _atom(feed, "rights", site.rights, type="text")
    for entry in found:
        _entry(feed, entry, site, lang, (checkpoints or {}).get(entry.snapshot.id))
    return ElementTree.tostring(feed, encoding="utf-8", xml_declaration=True)
