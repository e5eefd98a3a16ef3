"""History of every published figure: what was published when, what changed, and what was edited afterwards.

Pure: the caller hands over the sequence of snapshots (each with its rows per worksheet), as the store
keeps them. A snapshot exists only when a source's content changed, so a sync that failed or found
nothing new leaves no trace here and is never a change.

What was published at a moment is, per source, its newest snapshot up to that moment. Rows are matched
across sources by their key, so a program that moves from one SKPD's sheet to another with the same
code is the same program (its values are compared), and one whose code changes is removed and added:

- program: ``kode_program`` (unique across sources, the sync enforces it);
- capaian (a progress report): ``kode_program`` + ``tanggal``;
- lokasi (a site): ``kode_program`` + ``kode_lokasi``. The contract makes ``kode_lokasi`` unique only
  within one sheet, so two SKPDs may both have a ``LOK-01``; program codes are unique across sources,
  so the pair is unique across the portal.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import Enum
from typing import Any

from core import contract
from core.contract import Column, Kind
from core.formatting import long_date, number, percent, rupiah
from core.i18n import STRINGS, t
from core.personal_data import mask_personal_data, may_hold
from core.wilayah import CITY_TIMEZONE

SHEETS: tuple[str, ...] = ("program", "capaian", "lokasi")
KEYS: dict[str, tuple[str, ...]] = {
    "program": ("kode_program",),
    "capaian": ("kode_program", "tanggal"),
    "lokasi": ("kode_program", "kode_lokasi"),
}
# The figures of a progress report; a change to one of them after publication is a revision.
REPORT_FIGURES: tuple[str, ...] = ("rencana_persen", "realisasi_persen", "capaian_indikator", "realisasi_anggaran")
# Snapshots of different sources read within this span of each other belong to one sync round (a sync
# reads the sources one after another). A round is applied as a whole before comparing, so a program
# moving from one source to another within a round is a move, not a removal followed by an addition.
SAME_ROUND = timedelta(minutes=30)
# Row keys the store adds beside the contract's columns; keys starting with "_" (validation's) are skipped too.
_NOT_CONTENT = frozenset({"snapshot_id", "sheet_row"})
_COLUMN_ORDER: dict[str, tuple[str, ...]] = {
    spec.name: tuple(c.name for c in spec.columns) for spec in contract.WORKSHEETS
}
# Field name -> its column; a name shared by worksheets (status, realisasi_persen) has the same kind in each.
COLUMNS: dict[str, Column] = {c.name: c for spec in contract.WORKSHEETS for c in spec.columns}

Key = tuple[Any, ...]
Row = dict[str, Any]


@dataclass(frozen=True)
class Snapshot:
    """One stored snapshot: ``rows`` maps a worksheet name to its accepted rows."""

    id: int
    source: str
    read_at: datetime
    rows: Mapping[str, Sequence[Mapping[str, Any]]]
    origin: str = ""


# The text columns of each worksheet: where a clerk can type personal data into free text.
_TEXT_COLUMNS = {w.name: tuple(c.name for c in w.columns if c.kind is Kind.TEXT) for w in contract.WORKSHEETS}


def masked_row(sheet: str, row: dict[str, Any]) -> dict[str, Any]:
    """A stored row with personal data masked in its text columns.

    Validation masks on the way in; rows stored before it did (by an older portal) are masked on the way out,
    so the history, its downloads and the feed never show what a sync today would have masked.
    """
    changed = {
        name: mask_personal_data(value)
        for name in _TEXT_COLUMNS.get(sheet, ())
        if isinstance(value := row.get(name), str) and may_hold(value)
    }
    return {**row, **changed} if changed else row


def city_day(moment: datetime) -> date:
    """The calendar day of a moment in the city (WITA); snapshots are stored in UTC."""
    return moment.astimezone(CITY_TIMEZONE).date() if moment.tzinfo else moment.date()


def _plain(value: Any) -> Any:
    # The store gives JSON lists and floats where validation gives tuples and Decimals: compare like with like.
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _content(row: Mapping[str, Any]) -> Row:
    return {k: _plain(v) for k, v in row.items() if not k.startswith("_") and k not in _NOT_CONTENT}


def _sort_key(key: Key) -> tuple[str, ...]:
    # Keys hold codes and dates; ISO dates sort as text in calendar order.
    return tuple(v.isoformat() if isinstance(v, date) else str(v) for v in key)


@dataclass(frozen=True)
class Located:
    """A published row and the snapshot it was published in."""

    row: Row
    snapshot: Snapshot


@dataclass(frozen=True)
class State:
    """What the portal published at one moment: the newest snapshot of each source up to then."""

    snapshots: Mapping[str, Snapshot]
    _index: dict[str, dict[Key, Located]] = field(default_factory=dict, compare=False, repr=False)

    def rows(self, sheet: str) -> dict[Key, Located]:
        """The published rows of one worksheet by key, across sources."""
        if sheet not in self._index:
            found: dict[Key, Located] = {}
            # Oldest first, so that when two sources publish the same key the newer publication wins.
            for snapshot in sorted(self.snapshots.values(), key=lambda s: (s.read_at, s.id)):
                for raw in snapshot.rows.get(sheet, ()):
                    row = _content(raw)
                    found[tuple(row.get(k) for k in KEYS[sheet])] = Located(row, snapshot)
            self._index[sheet] = found
        return self._index[sheet]


def state_at(snapshots: Iterable[Snapshot], moment: datetime) -> State:
    """The state as published at ``moment``: per source, its newest snapshot read at or before it."""
    newest: dict[str, Snapshot] = {}
    for snapshot in sorted(snapshots, key=lambda s: (s.read_at, s.id)):
        if snapshot.read_at <= moment:
            newest[snapshot.source] = snapshot
    return State(newest)


# The worksheets a program's history and its edits are made of (sites have no history of values).
PROGRAM_SHEETS: tuple[str, ...] = ("program", "capaian")


def only_sheets(snapshots: Iterable[Snapshot], sheets: Sequence[str]) -> tuple[Snapshot, ...]:
    """The snapshots holding only these worksheets' rows (the same rows, not copies)."""
    return tuple(
        Snapshot(s.id, s.source, s.read_at, {sheet: s.rows.get(sheet, ()) for sheet in sheets}, s.origin)
        for s in snapshots
    )


def end_of_day(day: date) -> datetime:
    """The last moment of a day in the city: "as published on 3 June" means at the end of that day (WITA)."""
    return datetime.combine(day + timedelta(days=1), datetime.min.time(), CITY_TIMEZONE) - timedelta(microseconds=1)


# --- what changed between two states ----------------------------------------------------------


class Change(Enum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


# A change in words of the data (the download's ``perubahan`` column; the data dictionary lists them as its choices).
CHANGE_WORDS: dict[Change, str] = {Change.CHANGED: "diubah", Change.REMOVED: "dihapus", Change.ADDED: "ditambah"}


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class RowChange:
    """One program, report or site added, removed or changed.

    ``row`` is the new row (the old one when removed); ``seen_in`` the snapshot where the change shows:
    the one publishing the new row, or, for a removal, the newer snapshot of the source that had it.
    """

    sheet: str
    change: Change
    key: Key
    row: Row
    seen_in: Snapshot
    fields: tuple[FieldChange, ...] = ()

    @property
    def code(self) -> str:
        return str(self.row["kode_program"])


@dataclass(frozen=True)
class Changes:
    rows: tuple[RowChange, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.rows)

    def of(self, sheet: str, change: Change | None = None) -> list[RowChange]:
        return [r for r in self.rows if r.sheet == sheet and (change is None or r.change is change)]

    @property
    def programs(self) -> list[RowChange]:
        return self.of("program")

    @property
    def reports(self) -> list[RowChange]:
        return self.of("capaian")

    @property
    def sites(self) -> list[RowChange]:
        return self.of("lokasi")


def _field_changes(sheet: str, old: Row, new: Row) -> tuple[FieldChange, ...]:
    known = _COLUMN_ORDER[sheet]
    names = [*known, *sorted((set(old) | set(new)) - set(known))]
    return tuple(
        FieldChange(name, old.get(name), new.get(name))
        for name in names
        if name not in KEYS[sheet] and old.get(name) != new.get(name)
    )


def _ids(state: State) -> dict[str, int]:
    return {source: snapshot.id for source, snapshot in state.snapshots.items()}


def changes(before: State, after: State) -> Changes:
    """Programs, reports and sites added, removed or changed from ``before`` to ``after``, field by field."""
    if _ids(before) == _ids(after):
        return Changes()  # the same snapshots publish the same rows: nothing to compare (no sync in between)
    found: list[RowChange] = []
    for sheet in SHEETS:
        old, new = before.rows(sheet), after.rows(sheet)
        for key in sorted(old.keys() | new.keys(), key=_sort_key):
            was, now = old.get(key), new.get(key)
            if was is None and now is not None:
                found.append(RowChange(sheet, Change.ADDED, key, now.row, now.snapshot))
            elif now is None and was is not None:
                seen_in = after.snapshots.get(was.snapshot.source, was.snapshot)
                found.append(RowChange(sheet, Change.REMOVED, key, was.row, seen_in))
            elif was is not None and now is not None and was.row != now.row:
                fields = _field_changes(sheet, was.row, now.row)
                found.append(RowChange(sheet, Change.CHANGED, key, now.row, now.snapshot, fields))
    return Changes(tuple(found))


def _rounds(snapshots: Iterable[Snapshot]) -> list[list[Snapshot]]:
    rounds: list[list[Snapshot]] = []
    for snapshot in sorted(snapshots, key=lambda s: (s.read_at, s.id)):
        current = rounds[-1] if rounds else None
        if (
            current is not None
            and snapshot.read_at - current[0].read_at <= SAME_ROUND
            and snapshot.source not in {s.source for s in current}
        ):
            current.append(snapshot)
        else:
            rounds.append([snapshot])
    return rounds


def steps(snapshots: Iterable[Snapshot]) -> Iterator[tuple[State, State, Changes]]:
    """Each sync round in turn: the state before it, the state after it, and what it changed."""
    published: dict[str, Snapshot] = {}
    before = State({})
    for round_ in _rounds(snapshots):
        for snapshot in round_:
            published[snapshot.source] = snapshot
        after = State(dict(published))
        yield before, after, changes(before, after)
        before = after


# --- every value as published -----------------------------------------------------------------


@dataclass(frozen=True)
class HistoryEntry:
    """A value as published, with the snapshot it first appeared in.

    ``report_date`` is None for the program's own row. ``field`` is None (and ``removed`` True) when the
    whole report or program disappeared in that snapshot.
    """

    code: str
    report_date: date | None
    field: str | None
    value: Any
    snapshot_id: int
    source: str
    read_at: datetime
    removed: bool = False


def _entries(change: RowChange) -> list[HistoryEntry]:
    report_date = change.row.get("tanggal") if change.sheet == "capaian" else None
    seen = change.seen_in

    def entry(name: str | None, value: Any, removed: bool = False) -> HistoryEntry:
        return HistoryEntry(change.code, report_date, name, value, seen.id, seen.source, seen.read_at, removed)

    if change.change is Change.REMOVED:
        return [entry(None, None, removed=True)]
    if change.change is Change.CHANGED:
        return [entry(f.field, f.new) for f in change.fields]
    # First publication: every value given (an empty optional cell is not a value).
    return [
        entry(name, change.row[name])
        for name in _COLUMN_ORDER[change.sheet]
        if name not in KEYS[change.sheet] and change.row.get(name) is not None
    ]


def value_history(snapshots: Iterable[Snapshot], code: str | None = None) -> list[HistoryEntry]:
    """Every value of the program rows and their reports as published over time, oldest first.

    A value is listed when it was first published and again each time it changed (a value that
    returns after a change is listed again: it was published again). ``code`` keeps one program.
    """
    found: list[HistoryEntry] = []
    for _before, _after, changed in steps(snapshots):
        for change in (*changed.programs, *changed.reports):
            if code is None or change.code == code:
                found.extend(_entries(change))
    return found


def realisation_versions(snapshots: Iterable[Snapshot], code: str) -> list[tuple[Snapshot, list[tuple[date, float]]]]:
    """The program's realisation per report date as published, once per change to its reports.

    Each item is the snapshot that published the change and (report date, realisasi) for every report
    of the program then published: drawn together, a revised report shows as a line that departs.
    """
    versions: list[tuple[Snapshot, list[tuple[date, float]]]] = []
    for _before, after, changed in steps(snapshots):
        mine = [c for c in changed.reports if c.code == code]
        if not mine:
            continue
        reports = sorted(
            (key[1], float(located.row["realisasi_persen"]))
            for key, located in after.rows("capaian").items()
            if key[0] == code and located.row.get("realisasi_persen") is not None
        )
        versions.append((mine[0].seen_in, reports))
    return versions


# --- edits after publication ------------------------------------------------------------------


class EditKind(Enum):
    REPORT_REVISED = "report_revised"
    REPORT_REMOVED = "report_removed"
    REALISATION_DOWN = "realisation_down"
    TARGET_CHANGED = "target_changed"
    END_DATE_MOVED = "end_date_moved"
    BUDGET_CHANGED = "budget_changed"
    PROGRAM_REMOVED = "program_removed"


PROGRAM_EDITS: dict[str, EditKind] = {
    "target": EditKind.TARGET_CHANGED,
    "tanggal_selesai": EditKind.END_DATE_MOVED,
    "anggaran": EditKind.BUDGET_CHANGED,
}


@dataclass(frozen=True)
class Edit:
    """A published figure that changed afterwards, or a realisation that went down.

    ``when``/``snapshot_id``/``source``: the snapshot where it was seen. ``report_date``: the report
    concerned. A realisation going down has two shapes: a report revised downwards (``earlier_report``
    is None; it is a revision too, typed REALISATION_DOWN so that it is told once), or a report whose
    realisation is below the report before it (``earlier_report`` is that report's date, ``old`` its
    realisation).
    """

    kind: EditKind
    code: str
    field: str
    old: Any
    new: Any
    when: datetime
    snapshot_id: int
    source: str
    report_date: date | None = None
    earlier_report: date | None = None

    def describe(self, lang: str) -> str:
        """One sentence in the reader's language, e.g. "Target diubah dari 500 menjadi 460 pada 3 Juni 2024".

        Only numbers, dates and the portal's own words: no sheet text, so it is safe as markdown.
        """
        values = {
            "old": format_value(self.field, self.old, lang),
            "new": format_value(self.field, self.new, lang),
            "when": long_date(city_day(self.when), lang),
            "field": field_label(self.field, lang, sentence=True),
            "date": long_date(self.report_date, lang) if self.report_date else "",
            "earlier": long_date(self.earlier_report, lang) if self.earlier_report else "",
        }
        key = f"history.edit.{self.kind.value}"
        if self.kind is EditKind.REALISATION_DOWN:
            key += ".revised" if self.earlier_report is None else ".next"
        return t(key, lang, **values)


def _drops(state: State) -> dict[tuple[str, date, date], tuple[float, float, Located]]:
    """Consecutive reports of a program (by date) where the realisation went down.

    Keyed by (program, earlier report date, later report date); the values are the two realisations and
    the later report. A drop is told once while it lasts, even if a revision changes its figures.
    """
    by_program: dict[str, list[Located]] = {}
    for (code, _day), located in state.rows("capaian").items():
        by_program.setdefault(code, []).append(located)
    found: dict[tuple[str, date, date], tuple[float, float, Located]] = {}
    for code, reports in by_program.items():
        reports.sort(key=lambda r: r.row["tanggal"])
        for earlier, later in itertools.pairwise(reports):
            was, now = earlier.row.get("realisasi_persen"), later.row.get("realisasi_persen")
            if isinstance(was, int | float) and isinstance(now, int | float) and now < was:
                found[(code, earlier.row["tanggal"], later.row["tanggal"])] = (was, now, later)
    return found


def _edit(kind: EditKind, change: RowChange, name: str, old: Any, new: Any) -> Edit:
    seen = change.seen_in
    report_date = change.row.get("tanggal") if change.sheet == "capaian" else None
    return Edit(kind, change.code, name, old, new, seen.read_at, seen.id, seen.source, report_date)


def retroactive_edits(snapshots: Iterable[Snapshot]) -> list[Edit]:
    """Every edit after publication, oldest first: revised, removed and lowered reports, moved targets,
    end dates and budgets, removed programs, and realisations below the report before them."""
    found: list[Edit] = []
    drops_before: dict[tuple[str, date, date], tuple[float, float, Located]] = {}
    for _before, after, changed in steps(snapshots):
        removed_programs = {c.code for c in changed.of("program", Change.REMOVED)}
        for change in changed.programs:
            if change.change is Change.REMOVED:
                found.append(_edit(EditKind.PROGRAM_REMOVED, change, "kode_program", change.code, None))
            for f in change.fields:
                if f.field in PROGRAM_EDITS:
                    found.append(_edit(PROGRAM_EDITS[f.field], change, f.field, f.old, f.new))
        for change in changed.reports:
            if change.change is Change.REMOVED and change.code not in removed_programs:
                # Told with the realisation it had, so a reader knows what vanished.
                old = change.row.get("realisasi_persen")
                found.append(_edit(EditKind.REPORT_REMOVED, change, "realisasi_persen", old, None))
            for f in change.fields:
                if f.field not in REPORT_FIGURES:
                    continue
                lowered = (
                    f.field == "realisasi_persen"
                    and isinstance(f.old, int | float)
                    and isinstance(f.new, int | float)
                    and f.new < f.old
                )
                kind = EditKind.REALISATION_DOWN if lowered else EditKind.REPORT_REVISED
                found.append(_edit(kind, change, f.field, f.old, f.new))
        drops_after = _drops(after)
        for (code, earlier_day, later_day), (was, now, later) in drops_after.items():
            if (code, earlier_day, later_day) in drops_before:
                continue  # seen already; told once, when it first appeared
            seen = later.snapshot
            found.append(
                Edit(
                    EditKind.REALISATION_DOWN,
                    code,
                    "realisasi_persen",
                    was,
                    now,
                    seen.read_at,
                    seen.id,
                    seen.source,
                    later_day,
                    earlier_day,
                )
            )
        drops_before = drops_after
    return found


# --- words and formats ------------------------------------------------------------------------


def field_label(name: str | None, lang: str, sentence: bool = False) -> str:
    """A column's name for readers ("Realisasi fisik"); ``sentence`` lowers its first letter for use mid-sentence."""
    if name is None:
        return ""
    key = f"history.field.{name}"
    label = t(key, lang) if key in STRINGS else name
    # "SKPD" stays as it is; "Realisasi fisik" reads "realisasi fisik" inside a sentence.
    return label[:1].lower() + label[1:] if sentence and not label[:2].isupper() else label


def format_value(name: str | None, value: Any, lang: str) -> str:
    """A published value formatted for the reader's language by the kind of its column."""
    if value is None:
        return t("history.empty", lang)
    column = COLUMNS.get(name or "")
    if column is None:
        return str(value)
    kind = column.kind
    if kind is Kind.PERCENT and isinstance(value, int | float):
        return percent(value, lang)
    if kind is Kind.RUPIAH and isinstance(value, int | float):
        return rupiah(value, lang)
    if kind is Kind.NUMBER and isinstance(value, int | float):
        return number(value, lang)
    if kind is Kind.DATE and isinstance(value, date):
        return long_date(value, lang)
    if kind is Kind.CHOICE:
        return next((c.label.get(lang) for c in column.choices if c.canonical == value), str(value))
    if kind is Kind.COORDINATES and isinstance(value, list):
        return "; ".join(f"{p[0]:.5f}, {p[1]:.5f}" for p in value if len(p) == 2)
    return str(value)


# The field that best says what a whole row held, when the row was added or removed.
SUMMARY_FIELDS: dict[str, str] = {"program": "target", "capaian": "realisasi_persen", "lokasi": "status"}


def summary_value(sheet: str, row: Mapping[str, Any], lang: str) -> tuple[str, str]:
    """The summary field of a row and its value for readers ("460 unit": a target says its unit)."""
    name = SUMMARY_FIELDS.get(sheet, "target")
    value = format_value(name, row.get(name), lang)
    if name == "target" and row.get("satuan"):
        value = f"{value} {row['satuan']}"
    return name, value


# --- what changed between two dates, line by line ----------------------------------------------

# The order a comparison is told in, on the page and in its download: programs, then reports, then sites, and
# within each the changed rows first (what a reader comes for), then the removed, then the added.
_SHEET_ORDER = {name: i for i, name in enumerate(SHEETS)}
_CHANGE_ORDER = {Change.CHANGED: 0, Change.REMOVED: 1, Change.ADDED: 2}


@dataclass(frozen=True)
class ComparisonLine:
    """One line of a comparison: a changed field (old and new value), or a row added or removed (its summary
    figure, ``SUMMARY_FIELDS``, as the new or the old value).

    ``data_per`` is the date the figures describe: a report's own date, else the date of the program's latest
    report as published at the end of the comparison (before it, for a program no longer published).
    """

    row: RowChange
    field: str
    old: Any
    new: Any
    data_per: date | None

    @property
    def sheet(self) -> str:
        return self.row.sheet

    @property
    def change(self) -> Change:
        return self.row.change


def latest_report_dates(state: State) -> dict[str, date]:
    """Each program's latest report date in a published state."""
    latest: dict[str, date] = {}
    for code, day in state.rows("capaian"):
        if isinstance(day, date) and (code not in latest or day > latest[code]):
            latest[code] = day
    return latest


def comparison_lines(before: State, after: State, changed: Changes) -> list[ComparisonLine]:
    """What changed from ``before`` to ``after`` as the lines a reader sees, in the order they are shown."""
    now, then = latest_report_dates(after), latest_report_dates(before)
    lines: list[ComparisonLine] = []
    for change in sorted(changed.rows, key=lambda r: (_SHEET_ORDER[r.sheet], _CHANGE_ORDER[r.change])):
        report_day = change.row.get("tanggal") if change.sheet == "capaian" else None
        day = report_day if isinstance(report_day, date) else now.get(change.code, then.get(change.code))
        if change.change is Change.CHANGED:
            lines += [ComparisonLine(change, f.field, f.old, f.new, day) for f in change.fields]
        else:
            name = SUMMARY_FIELDS.get(change.sheet, "target")
            value = change.row.get(name)
            added = change.change is Change.ADDED
            lines.append(ComparisonLine(change, name, None if added else value, value if added else None, day))
    return lines


# --- the whole history, for pages -------------------------------------------------------------


@dataclass(frozen=True)
class History:
    """The sequence of snapshots with what pages ask of it; computed once (snapshots never change)."""

    snapshots: tuple[Snapshot, ...]
    edits: tuple[Edit, ...] = field(init=False)
    # Answers already computed, by question: a History is kept per set of snapshots (which never change), so a
    # page's rerun asks the same questions again and gets them without recomputing.
    _memo: dict[tuple[Any, ...], Any] = field(init=False, default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        ordered = tuple(sorted(self.snapshots, key=lambda s: (s.read_at, s.id)))
        object.__setattr__(self, "snapshots", ordered)
        # Edits concern programs and reports only: the sites (as many rows as reports) are left out of the pass.
        object.__setattr__(self, "edits", tuple(retroactive_edits(only_sheets(ordered, PROGRAM_SHEETS))))

    def _remember(self, question: tuple[Any, ...], answer: Callable[[], Any]) -> Any:
        if question not in self._memo:
            self._memo[question] = answer()
        return self._memo[question]

    @property
    def first_day(self) -> date | None:
        return city_day(self.snapshots[0].read_at) if self.snapshots else None

    @property
    def last_day(self) -> date | None:
        return city_day(self.snapshots[-1].read_at) if self.snapshots else None

    def state_at(self, moment: datetime) -> State:
        return state_at(self.snapshots, moment)

    def state_on(self, day: date) -> State:
        """As published at the end of ``day`` (WITA)."""
        return self.state_at(end_of_day(day))

    def changes_between(self, first: date, second: date) -> Changes:
        """What changed from the end of ``first`` to the end of ``second`` (both WITA days)."""
        return self._remember(("changes", first, second), lambda: changes(self.state_on(first), self.state_on(second)))

    def comparison(self, first: date, second: date) -> list[ComparisonLine]:
        """``changes_between`` as lines, in the order the page shows them and its download lists them."""

        def lines() -> list[ComparisonLine]:
            before, after = self.state_on(first), self.state_on(second)
            return comparison_lines(before, after, self.changes_between(first, second))

        return list(self._remember(("comparison", first, second), lines))

    def value_history(self, code: str) -> list[HistoryEntry]:
        return list(self._remember(("values", code), lambda: value_history(self._of_program(code), code)))

    def realisation_versions(self, code: str) -> list[tuple[Snapshot, list[tuple[date, float]]]]:
        def versions() -> list[tuple[Snapshot, list[tuple[date, float]]]]:
            # Told with the stored snapshots themselves, not the one-program copies they were computed from.
            by_id = {s.id: s for s in self.snapshots}
            return [(by_id[seen.id], reports) for seen, reports in realisation_versions(self._of_program(code), code)]

        return list(self._remember(("versions", code), versions))

    def _of_program(self, code: str) -> tuple[Snapshot, ...]:
        """Every snapshot (none left out: an empty one is a removal) holding only this program's row and reports.

        A program's values depend on its own rows alone (every key starts with its code), so its questions are
        answered from these copies: a program's history costs its own rows, not the whole portal's.
        """
        grouped = self._remember(("by_program",), self._rows_by_program)
        return tuple(
            Snapshot(
                s.id,
                s.source,
                s.read_at,
                {sheet: grouped[s.id][sheet].get(code, []) for sheet in PROGRAM_SHEETS},
                s.origin,
            )
            for s in self.snapshots
        )

    def _rows_by_program(self) -> dict[int, dict[str, dict[str, list[Mapping[str, Any]]]]]:
        """Per snapshot and worksheet (programs and reports), the stored rows by program code (the rows themselves)."""
        grouped: dict[int, dict[str, dict[str, list[Mapping[str, Any]]]]] = {}
        for snapshot in self.snapshots:
            sheets = grouped[snapshot.id] = {}
            for sheet in PROGRAM_SHEETS:
                by_code: dict[str, list[Mapping[str, Any]]] = {}
                for row in snapshot.rows.get(sheet, ()):
                    by_code.setdefault(str(row.get("kode_program")), []).append(row)
                sheets[sheet] = by_code
        return grouped

    def edits_of(self, code: str) -> list[Edit]:
        return [e for e in self.edits if e.code == code]

    def program_names(self) -> dict[str, str]:
        """Every program ever published, code -> its latest published name (removed ones included)."""
        return dict(self._remember(("names",), self._program_names))

    def _program_names(self) -> dict[str, str]:
        names: dict[str, str] = {}
        for snapshot in self.snapshots:
            for row in snapshot.rows.get("program", ()):
                names[str(row["kode_program"])] = str(row.get("nama_program") or row["kode_program"])
        return names
