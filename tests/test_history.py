"""History: every value as published, what changed between two dates, and edits after publication.

The unit tests build a sequence of snapshots from validated workbooks (as a sync would store them) with
each kind of edit, and check that each is found and told in both languages. The store tests save real
snapshots in a real SQLite file; the sample tests seed the bundled sample history as a first start does.
"""

from __future__ import annotations

import time as clock
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from builders import LOKASI_ROW, OTHER_CODE, PROGRAM_CODE, capaian, lokasi, program, sheet, validate, workbook
from conftest import SAMPLE_DATA, PortalSetup, write_source
from store_queries import snapshot_count

from core.snapshot_history import (
    Change,
    Edit,
    EditKind,
    History,
    Snapshot,
    State,
    changes,
    end_of_day,
    retroactive_edits,
    state_at,
    value_history,
)
from core.table import CellValue
from core.validation import validate_workbook
from core.wilayah import CITY_TIMEZONE
from data_sources.jobs.sample_history import seed_sample_history
from data_sources.jobs.sync import run_sync
from data_sources.published.memo import SnapshotMemo
from data_sources.published.stored_history import load_history, load_snapshots, program_edits, snapshot_ids_at
from data_sources.published.stored_history import state_at as stored_state_at
from data_sources.readers.workbook import read_workbook
from data_sources.store.snapshot_store import Store
from sample_data.generate import HISTORY_DATES, build_books, history_path, write_all

# One memo for the module's stores, as a serving process has one (PublishedData.memo).
MEMO = SnapshotMemo()

Records = Sequence[Mapping[str, CellValue]]


def read_at(day: date) -> datetime:
    """08:00 WITA on ``day``, in UTC as the store keeps it."""
    return datetime.combine(day, time(8), CITY_TIMEZONE).astimezone(UTC)


def snapshot(
    snapshot_id: int, source: str, day: date, programs: Records, capaians: Records, lokasis: Records = ()
) -> Snapshot:
    """A snapshot of the rows validation accepts from these records, read on ``day``."""
    # An empty worksheet still has its header row, as an SKPD's sheet without sites does.
    sites = list(lokasis) if lokasis else None
    empty = [] if lokasis else [sheet("lokasi", [], columns=list(LOKASI_ROW))]
    result = validate(workbook(list(programs), list(capaians), sites, extra=empty))
    assert not result.errors, [i.message.en for i in result.errors]
    return Snapshot(snapshot_id, source, read_at(day), result.rows)


def report(day: date, real: float, plan: float = 50, count: float = 100, code: str = PROGRAM_CODE) -> dict[str, Any]:
    return capaian(kode_program=code, tanggal=day, realisasi_persen=real, rencana_persen=plan, capaian_indikator=count)


MAR, APR, MAY, JUN = date(2024, 3, 31), date(2024, 4, 30), date(2024, 5, 31), date(2024, 6, 30)
DAY1, DAY2, DAY3, DAY4 = date(2024, 5, 1), date(2024, 6, 3), date(2024, 7, 1), date(2024, 8, 1)
SITE = lokasi(kode_lokasi="LOK-01")
SITE2 = lokasi(kode_lokasi="LOK-02", nama_lokasi="Kantor Disperkim")
PUPR = [program(kode_program=OTHER_CODE, nama_program="Sungaiku Baiman", skpd="PUPR")]
PUPR_REPORTS = [report(APR, 10, code=OTHER_CODE)]


def every_edit() -> list[Snapshot]:
    """Two sources; the Disperkim program goes through every kind of edit, PUPR's source fails after day 1."""
    first = program(target=500, anggaran="Rp9.200.000.000")
    return [
        snapshot(1, "disperkim", DAY1, [first], [report(MAR, 20), report(APR, 30, count=150)], [SITE]),
        snapshot(2, "pupr", DAY1, PUPR, PUPR_REPORTS, []),
        # 3 June: target lowered and budget cut; a new report.
        snapshot(
            3,
            "disperkim",
            DAY2,
            [program(target=460, anggaran="Rp8.500.000.000")],
            [report(MAR, 20), report(APR, 30, count=150), report(MAY, 40)],
            [SITE],
        ),
        # 1 July (PUPR's read failed: no snapshot of it): end date moved, April revised, March gone, a
        # site added, and June's realisation below May's.
        snapshot(
            4,
            "disperkim",
            DAY3,
            [program(target=460, anggaran="Rp8.500.000.000", tanggal_selesai=date(2025, 3, 31))],
            [report(APR, 30, count=140), report(MAY, 40), report(JUN, 35)],
            [SITE, SITE2],
        ),
        # 1 August: May revised downwards.
        snapshot(
            5,
            "disperkim",
            DAY4,
            [program(target=460, anggaran="Rp8.500.000.000", tanggal_selesai=date(2025, 3, 31))],
            [report(APR, 30, count=140), report(MAY, 38), report(JUN, 35)],
            [SITE, SITE2],
        ),
    ]


def find(edits: Sequence[Edit], kind: EditKind, **fields: Any) -> Edit:
    matching = [e for e in edits if e.kind is kind and all(getattr(e, k) == v for k, v in fields.items())]
    assert len(matching) == 1, (kind, fields, edits)
    return matching[0]


# --- each kind of edit after publication, found and told in both languages --------------------------


def test_a_lowered_target_is_found_and_told_in_both_languages() -> None:
    edit = find(retroactive_edits(every_edit()), EditKind.TARGET_CHANGED)
    assert (edit.code, edit.field, edit.old, edit.new, edit.snapshot_id) == (PROGRAM_CODE, "target", 500, 460, 3)
    assert edit.when == read_at(DAY2)
    assert edit.describe("id") == "Target diubah dari 500 menjadi 460 pada 3 Juni 2024"
    assert edit.describe("en") == "Target changed from 500 to 460 on 3 June 2024"


def test_a_budget_change_is_found_with_rupiah_in_each_language() -> None:
    edit = find(retroactive_edits(every_edit()), EditKind.BUDGET_CHANGED)
    assert edit.describe("id") == "Anggaran diubah dari Rp9.200.000.000 menjadi Rp8.500.000.000 pada 3 Juni 2024"
    assert edit.describe("en") == "Budget changed from Rp9,200,000,000 to Rp8,500,000,000 on 3 June 2024"


def test_a_moved_end_date_is_found() -> None:
    edit = find(retroactive_edits(every_edit()), EditKind.END_DATE_MOVED)
    assert (edit.old, edit.new, edit.snapshot_id) == (date(2024, 12, 31), date(2025, 3, 31), 4)
    assert (
        edit.describe("id") == "Tanggal selesai dipindah dari 31 Desember 2024 menjadi 31 Maret 2025 pada 1 Juli 2024"
    )
    assert edit.describe("en") == "End date moved from 31 December 2024 to 31 March 2025 on 1 July 2024"


def test_a_revised_past_report_is_found() -> None:
    edit = find(retroactive_edits(every_edit()), EditKind.REPORT_REVISED)
    assert (edit.report_date, edit.field, edit.old, edit.new) == (APR, "capaian_indikator", 150, 140)
    assert edit.kind is EditKind.REPORT_REVISED and edit.earlier_report is None
    assert edit.describe("id") == (
        "Laporan 30 April 2024 direvisi: capaian indikator diubah dari 150 menjadi 140 pada 1 Juli 2024"
    )
    assert (
        edit.describe("en") == "Report of 30 April 2024 revised: indicator count changed from 150 to 140 on 1 July 2024"
    )


def test_a_removed_report_is_found_with_what_it_said() -> None:
    edit = find(retroactive_edits(every_edit()), EditKind.REPORT_REMOVED)
    assert (edit.report_date, edit.old, edit.new, edit.snapshot_id) == (MAR, 20, None, 4)
    assert edit.describe("id") == "Laporan 31 Maret 2024 (realisasi 20%) dihapus pada 1 Juli 2024"
    assert edit.describe("en") == "Report of 31 March 2024 (progress 20%) removed on 1 July 2024"


def test_a_realisation_below_the_report_before_it_is_found_once() -> None:
    edit = find(retroactive_edits(every_edit()), EditKind.REALISATION_DOWN, earlier_report=MAY)
    assert (edit.report_date, edit.old, edit.new, edit.snapshot_id) == (JUN, 40, 35, 4)
    assert edit.earlier_report == MAY  # compared with the report before it: not a revision
    assert edit.describe("id") == (
        "Realisasi turun dari 40% (laporan 31 Mei 2024) menjadi 35% (laporan 30 Juni 2024), terbit pada 1 Juli 2024"
    )
    assert edit.describe("en") == (
        "Progress went down from 40% (report of 31 May 2024) to 35% (report of 30 June 2024), published on 1 July 2024"
    )


def test_a_report_revised_downwards_is_a_realisation_going_down() -> None:
    edit = find(retroactive_edits(every_edit()), EditKind.REALISATION_DOWN, earlier_report=None)
    assert (edit.report_date, edit.field, edit.old, edit.new, edit.snapshot_id) == (MAY, "realisasi_persen", 40, 38, 5)
    assert edit.earlier_report is None  # the report itself was lowered: a revision
    assert edit.describe("id") == "Realisasi laporan 31 Mei 2024 diturunkan dari 40% menjadi 38% pada 1 Agustus 2024"
    assert edit.describe("en") == "Progress in the report of 31 May 2024 lowered from 40% to 38% on 1 August 2024"


def test_nothing_else_is_flagged_and_edits_come_oldest_first() -> None:
    edits = retroactive_edits(every_edit())
    assert [e.kind for e in edits] == [
        EditKind.TARGET_CHANGED,
        EditKind.BUDGET_CHANGED,
        EditKind.END_DATE_MOVED,
        EditKind.REPORT_REMOVED,
        EditKind.REPORT_REVISED,
        EditKind.REALISATION_DOWN,
        EditKind.REALISATION_DOWN,
    ]
    # The source whose read failed after day 1 has no edit at all: its last good snapshot stands.
    assert {e.code for e in edits} == {PROGRAM_CODE}


def test_a_removed_program_is_one_edit_not_one_per_report() -> None:
    first = snapshot(1, "disperkim", DAY1, [program(), *PUPR], [report(MAR, 20), report(APR, 30), *PUPR_REPORTS])
    second = snapshot(2, "disperkim", DAY2, PUPR, PUPR_REPORTS)
    edits = retroactive_edits([first, second])
    assert [(e.kind, e.code) for e in edits] == [(EditKind.PROGRAM_REMOVED, PROGRAM_CODE)]
    assert edits[0].describe("id") == "Program dihapus dari sheet sumbernya pada 3 Juni 2024"
    assert edits[0].describe("en") == "Program removed from its source sheet on 3 June 2024"


# --- no change where nothing changed -------------------------------------------------------------


def test_an_unchanged_resync_is_no_change() -> None:
    sequence = every_edit()[:2]
    again = Snapshot(9, "pupr", read_at(DAY3), sequence[1].rows)
    before = state_at(sequence, end_of_day(DAY2))
    after = state_at([*sequence, again], end_of_day(DAY3))
    assert not changes(before, after)
    assert retroactive_edits([*sequence, again]) == retroactive_edits(sequence)
    assert value_history([*sequence, again]) == value_history(sequence)


def test_a_failed_source_is_no_change() -> None:
    # PUPR was read on day 1 only (its later reads failed, leaving no snapshot): still published, unchanged.
    history = History(tuple(every_edit()))
    for day in (DAY2, DAY3, DAY4):
        published = history.state_on(day)
        assert published.snapshots["pupr"].id == 2
        assert OTHER_CODE in {key[0] for key in published.rows("program")}
        assert not [c for c in history.changes_between(DAY1, day).rows if c.code == OTHER_CODE]


def test_a_program_moving_to_another_source_with_its_code_is_no_removal() -> None:
    mine, pupr = ([program()], [report(APR, 30)]), (PUPR, PUPR_REPORTS)
    day1 = [snapshot(1, "disperkim", DAY1, *mine), snapshot(2, "pupr", DAY1, *pupr)]
    # One sync round: the program leaves Disperkim's sheet and appears in PUPR's, same code and values.
    leaves = Snapshot(3, "disperkim", read_at(DAY2), {"program": [], "capaian": [], "lokasi": []})
    arrives = snapshot(4, "pupr", DAY2, [*pupr[0], *mine[0]], [*pupr[1], *mine[1]])
    arrives = Snapshot(4, "pupr", read_at(DAY2) + timedelta(seconds=5), arrives.rows)
    sequence = [*day1, leaves, arrives]
    assert retroactive_edits(sequence) == []
    published = state_at(sequence, end_of_day(DAY2))
    assert published.rows("program")[(PROGRAM_CODE,)].snapshot.source == "pupr"
    assert not changes(state_at(sequence, end_of_day(DAY1)), published)


def test_a_program_whose_code_changes_is_removed_and_added() -> None:
    before = [snapshot(1, "disperkim", DAY1, [program()], [report(APR, 30)])]
    renamed = "QW24-PERKIM-02"
    after = [
        *before,
        snapshot(2, "disperkim", DAY2, [program(kode_program=renamed)], [report(APR, 30, code=renamed)]),
    ]
    changed = changes(state_at(after, end_of_day(DAY1)), state_at(after, end_of_day(DAY2)))
    assert [(c.code, c.change) for c in changed.programs] == [(PROGRAM_CODE, Change.REMOVED), (renamed, Change.ADDED)]


# --- what changed between two dates ------------------------------------------------------------


def test_changes_between_two_dates_name_each_field_with_old_and_new_value() -> None:
    history = History(tuple(every_edit()))
    changed = history.changes_between(DAY2, DAY4)
    [programme] = changed.programs
    assert programme.change is Change.CHANGED
    assert [(f.field, f.old, f.new) for f in programme.fields] == [
        ("tanggal_selesai", date(2024, 12, 31), date(2025, 3, 31))
    ]
    reports = {(c.key[1], c.change): c for c in changed.reports}
    assert set(reports) == {(MAR, Change.REMOVED), (APR, Change.CHANGED), (MAY, Change.CHANGED), (JUN, Change.ADDED)}
    assert [(f.field, f.old, f.new) for f in reports[(APR, Change.CHANGED)].fields] == [("capaian_indikator", 150, 140)]
    assert [(f.field, f.old, f.new) for f in reports[(MAY, Change.CHANGED)].fields] == [("realisasi_persen", 40, 38)]
    assert reports[(MAR, Change.REMOVED)].seen_in.id == 5  # the source's snapshot at the second date
    [site] = changed.sites
    assert (site.change, site.key) == (Change.ADDED, (PROGRAM_CODE, "LOK-02"))


def test_a_date_means_the_end_of_that_day_in_the_city() -> None:
    history = History(tuple(every_edit()))
    assert history.first_day == DAY1 and history.last_day == DAY4
    assert not history.changes_between(DAY1, DAY1)
    assert not history.changes_between(DAY2, date(2024, 6, 30))  # nothing was read in between
    assert [f.field for c in history.changes_between(DAY1, DAY2).programs for f in c.fields] == ["target", "anggaran"]
    # Before the first snapshot nothing was published: everything is new.
    everything = history.changes_between(date(2024, 4, 30), DAY1)
    assert {c.change for c in everything.rows} == {Change.ADDED}


def test_two_dates_with_no_sync_in_between_are_told_unchanged_without_comparing_rows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    history = History(tuple(every_edit()))
    compared: list[str] = []
    real = State.rows
    monkeypatch.setattr(State, "rows", lambda self, sheet: compared.append(sheet) or real(self, sheet))
    assert not history.changes_between(DAY2, date(2024, 6, 30)) and compared == []
    assert history.changes_between(DAY1, DAY2) and compared  # another set of snapshots is compared


# --- every value as published --------------------------------------------------------------------


def test_each_value_is_listed_with_the_snapshot_it_first_appeared_in() -> None:
    entries = value_history(every_edit(), PROGRAM_CODE)
    assert {e.code for e in entries} == {PROGRAM_CODE}
    targets = [(e.value, e.snapshot_id, e.read_at) for e in entries if e.report_date is None and e.field == "target"]
    assert targets == [(500, 1, read_at(DAY1)), (460, 3, read_at(DAY2))]
    may = [(e.value, e.snapshot_id) for e in entries if e.report_date == MAY and e.field == "realisasi_persen"]
    assert may == [(40, 3), (38, 5)]
    march = [(e.field, e.removed, e.snapshot_id) for e in entries if e.report_date == MAR]
    assert ("realisasi_persen", False, 1) in march and march[-1] == (None, True, 4)
    # A value published once and never changed is listed once.
    assert [e.snapshot_id for e in entries if e.report_date is None and e.field == "nama_program"] == [1]


def test_a_history_answers_a_repeated_question_without_recomputing(monkeypatch: pytest.MonkeyPatch) -> None:
    import core.snapshot_history as history_module

    history = History(tuple(every_edit()))
    first = history.value_history(PROGRAM_CODE)
    calls: list[str] = []
    # A spy on the pure function, to see a page's rerun is served from the History's memory.
    monkeypatch.setattr(history_module, "value_history", lambda *a, **k: calls.append("again") or [])
    assert history.value_history(PROGRAM_CODE) == first and calls == []
    assert history.value_history(OTHER_CODE) == [] and calls == ["again"]  # a new question is computed


def test_realisation_versions_show_a_revised_report() -> None:
    versions = History(tuple(every_edit())).realisation_versions(PROGRAM_CODE)
    assert [s.id for s, _ in versions] == [1, 3, 4, 5]
    assert versions[-1][1] == [(APR, 30), (MAY, 38), (JUN, 35)]
    assert (MAY, 40) in versions[-2][1]


def test_a_programs_questions_are_answered_from_its_own_rows_with_the_same_answers_as_from_all(
    seeded: History,
) -> None:
    # A History answers a program's questions from copies of the snapshots holding only that program's rows;
    # the answers are those the pure functions give over every row, and name the stored snapshots themselves.
    import core.snapshot_history as history_module

    everything = seeded.snapshots
    assert seeded.edits == tuple(history_module.retroactive_edits(everything))
    for code in seeded.program_names():
        assert seeded.value_history(code) == value_history(everything, code)
        versions = seeded.realisation_versions(code)
        assert versions == history_module.realisation_versions(everything, code)
        assert all(any(s is stored for stored in everything) for s, _ in versions)
    assert seeded.value_history("QW24-NONE-99") == []


def test_readers_asking_together_wait_for_one_history_and_a_new_sync_gives_a_new_one(
    make_portal: Callable[..., PortalSetup], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    import data_sources.published.stored_history as stored_history

    source = write_source(tmp_path / "perkim.xlsx", [program(target=500)])
    setup = make_portal({"disperkim": source})
    store = Store(setup.config.database_url)
    run_sync(setup.config, store)
    loads: list[int] = []
    real = stored_history.load_snapshots

    def slow(*args: Any) -> list[Snapshot]:
        loads.append(1)
        clock.sleep(0.2)  # long enough for the other readers to arrive while it loads
        return real(*args)

    monkeypatch.setattr(stored_history, "load_snapshots", slow)
    start = threading.Barrier(4)
    got: list[History] = []

    def reader() -> None:
        start.wait()
        got.append(load_history(store, MEMO))

    threads = [threading.Thread(target=reader) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(loads) == 1 and len({id(h) for h in got}) == 1
    assert load_history(store, MEMO) is got[0] and got[0].edits == ()
    write_source(source, [program(target=460)])
    run_sync(setup.config, store)
    [edit] = load_history(store, MEMO).edits
    assert edit.kind is EditKind.TARGET_CHANGED and len(loads) == 2


# --- the store: snapshots as a history ----------------------------------------------------------


def test_the_store_gives_back_the_sequence_and_the_state_at_a_moment(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'store.sqlite'}")
    for day, target in ((DAY1, 500), (DAY2, 460)):
        result = validate(workbook([program(target=target)], [report(APR, 30)], [SITE]))
        store.save("disperkim", result, started_at=read_at(day))
    store.save("pupr", validate(workbook(PUPR, PUPR_REPORTS, [])), started_at=read_at(DAY1))
    # The same content again is no new snapshot.
    store.save("pupr", validate(workbook(PUPR, PUPR_REPORTS, [])), started_at=read_at(DAY2))
    loaded = load_snapshots(store)
    assert [(s.source, s.read_at) for s in loaded] == [
        ("disperkim", read_at(DAY1)),
        ("pupr", read_at(DAY1)),
        ("disperkim", read_at(DAY2)),
    ]
    assert snapshot_ids_at(store, end_of_day(DAY1)) == {"disperkim": loaded[0].id, "pupr": loaded[1].id}
    published = stored_state_at(store, end_of_day(DAY2))
    assert published.rows("program")[(PROGRAM_CODE,)].row["target"] == 460
    history = load_history(store, MEMO)
    assert load_history(store, MEMO) is history  # kept while no new snapshot arrives
    [edit] = history.edits
    assert edit.describe("id") == "Target diubah dari 500 menjadi 460 pada 3 Juni 2024"


def test_a_failing_source_in_a_real_sync_is_no_change(make_portal: Callable[..., PortalSetup], tmp_path: Path) -> None:
    pupr = write_source(tmp_path / "pupr.xlsx", PUPR, PUPR_REPORTS, [lokasi(kode_program=OTHER_CODE)])
    setup = make_portal({"disperkim": write_source(tmp_path / "perkim.xlsx"), "pupr": pupr})
    store = Store(setup.config.database_url)
    run_sync(setup.config, store)
    pupr.unlink()  # the next read of PUPR fails
    outcomes = run_sync(setup.config, store)
    assert outcomes is not None and [o.outcome for o in outcomes] == ["unchanged", "failed"]
    history = load_history(store, MEMO)
    assert len(history.snapshots) == 2 and history.edits == ()
    assert not history.changes_between(history.first_day, date.today() + timedelta(days=1))


# --- the built-in sample history ----------------------------------------------------------------


@pytest.fixture
def seeded(sample_portal: PortalSetup) -> History:
    store = Store(sample_portal.config.database_url)
    outcomes = run_sync(sample_portal.config, store)
    assert outcomes is not None and {o.outcome for o in outcomes} == {"new"}
    return load_history(store, MEMO)


def test_the_first_sync_of_sample_data_stores_its_history_first(seeded: History) -> None:
    days = sorted({s.read_at.astimezone(CITY_TIMEZONE) for s in seeded.snapshots[:-6]})
    assert [d.date() for d in days] == list(HISTORY_DATES)
    assert all(d.time() == time(8) for d in days)
    # Oldest first, then the six current workbooks on top.
    assert len(seeded.snapshots) == 6 * len(HISTORY_DATES) + 6
    assert [s.id for s in seeded.snapshots] == sorted(s.id for s in seeded.snapshots)
    assert all(s.origin.startswith("riwayat/") for s in seeded.snapshots[:-6])
    assert not any(s.origin.startswith("riwayat/") for s in seeded.snapshots[-6:])


def test_the_sample_history_shows_each_kind_of_edit(seeded: History) -> None:
    told = {(e.kind, e.code, e.describe("id")) for e in seeded.edits}
    assert told >= {
        (EditKind.TARGET_CHANGED, "QW24-PERKIM-01", "Target diubah dari 500 menjadi 460 pada 3 Juni 2024"),
        (
            EditKind.END_DATE_MOVED,
            "QW24-PUPR-01",
            "Tanggal selesai dipindah dari 30 November 2024 menjadi 31 Desember 2024 pada 2 September 2024",
        ),
    }
    kinds = {(e.kind, e.code, e.earlier_report is None) for e in seeded.edits}
    assert (EditKind.REPORT_REVISED, "QW24-DPMPTSP-01", True) in kinds
    assert (EditKind.REPORT_REMOVED, "QW24-DLH-01", True) in kinds
    assert (EditKind.REALISATION_DOWN, "QW24-DISDIK-01", True) in kinds  # a report lowered afterwards
    assert (EditKind.REALISATION_DOWN, "QW24-DISKOP-01", False) in kinds  # August below July
    added = seeded.changes_between(date(2024, 6, 3), date(2024, 9, 2)).of("lokasi", Change.ADDED)
    assert [c.key for c in added] == [("QW24-DPMPTSP-01", "SMT-05")]
    # The current workbooks change nothing already published, only add to it.
    assert all(e.when < datetime(2025, 1, 1, tzinfo=UTC) for e in seeded.edits)


def test_a_programs_edits_read_from_its_own_rows_are_those_of_the_whole_history(
    sample_portal: PortalSetup, monkeypatch: pytest.MonkeyPatch
) -> None:
    import data_sources.published.stored_history as stored_history

    store = Store(sample_portal.config.database_url)
    run_sync(sample_portal.config, store)
    history = load_history(store, MEMO)
    assert history.edits  # the sample history has edits of every kind
    loads: list[str | None] = []
    real = stored_history.load_snapshots
    spy = lambda *a, **k: loads.append(k.get("program")) or real(*a, **k)  # noqa: E731
    monkeypatch.setattr(stored_history, "load_snapshots", spy)
    for code in [*history.program_names(), "QW24-NONE-99"]:
        assert program_edits(store, MEMO, code) == history.edits_of(code), code
        assert program_edits(store, MEMO, code) == history.edits_of(code)  # asked again: remembered
    assert loads == [*history.program_names(), "QW24-NONE-99"]  # one load per program, of its rows only


def test_a_programs_edits_follow_a_new_sync(make_portal: Callable[..., PortalSetup], tmp_path: Path) -> None:
    source = write_source(tmp_path / "perkim.xlsx", [program(target=500)])
    setup = make_portal({"disperkim": source})
    store = Store(setup.config.database_url)
    run_sync(setup.config, store)
    assert program_edits(store, MEMO, PROGRAM_CODE) == []
    write_source(source, [program(target=460)])
    run_sync(setup.config, store)
    [edit] = program_edits(store, MEMO, PROGRAM_CODE)
    assert (edit.kind, edit.old, edit.new) == (EditKind.TARGET_CHANGED, 500, 460)


def test_the_sample_history_is_seeded_once_and_only_for_sample_sources(
    sample_portal: PortalSetup, make_portal: Callable[..., PortalSetup], tmp_path: Path
) -> None:
    store = Store(sample_portal.config.database_url)
    run_sync(sample_portal.config, store)
    count = snapshot_count(store)
    assert seed_sample_history(sample_portal.config, store) == 0  # the store is not empty any more
    run_sync(sample_portal.config, store)
    assert snapshot_count(store) == count

    real = make_portal({p.stem: p for p in sorted(SAMPLE_DATA.glob("*.xlsx"))}, sample=False)
    other = Store(f"sqlite:///{tmp_path / 'real.sqlite'}")
    assert seed_sample_history(real.config, other) == 0
    assert other.is_empty()


def test_the_committed_sample_history_is_what_the_generator_writes(tmp_path: Path) -> None:
    # Compared by what the portal reads from them (as tests/test_sample_data.py does for the workbooks),
    # so that another openpyxl writing other bytes does not make the committed files look stale.
    def content(path: Path, day: date) -> dict[str, Any]:
        result = validate_workbook(read_workbook(path), day)
        counts = {name: c.as_dict() for name, c in result.counts.items()}
        return {"rows": result.rows, "counts": counts, "issues": [i.as_dict() for i in result.issues]}

    write_all(tmp_path)
    committed = sorted(p.relative_to(SAMPLE_DATA) for p in (SAMPLE_DATA / "riwayat").glob("*/*.xlsx"))
    assert committed == sorted(p.relative_to(tmp_path) for p in (tmp_path / "riwayat").glob("*/*.xlsx"))
    for book in build_books():
        for day in HISTORY_DATES:
            path = history_path(SAMPLE_DATA, book, day)
            assert content(path, day) == content(history_path(tmp_path, book, day), day), (
                f"{path} differs from what sample_data/generate.py writes; rerun the generator"
            )
            assert content(path, day)["rows"]["program"], path
