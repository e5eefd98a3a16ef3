"""Sync: every configured source into the store, one snapshot per change, failures kept apart."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from builders import OTHER_CODE, PROGRAM_CODE, TODAY, capaian, lokasi, program
from conftest import PortalSetup, write_source
from store_queries import snapshot_count

from data_sources.jobs.sync import sync_all
from data_sources.store.snapshot_store import Store


def _sync(setup: PortalSetup) -> list:
    store = Store(setup.config.database_url)
    try:
        return sync_all(setup.config, store, TODAY)
    finally:
        store.close()


def _count(setup: PortalSetup) -> int:
    store = Store(setup.config.database_url)
    try:
        return snapshot_count(store)
    finally:
        store.close()


def test_a_first_sync_writes_one_snapshot_and_a_repeated_sync_writes_none(
    tmp_path: Path, make_portal: Callable[..., PortalSetup]
) -> None:
    setup = make_portal({"disperkim": write_source(tmp_path / "a.xlsx")})
    first = _sync(setup)
    assert [o.outcome for o in first] == ["new"]
    assert _count(setup) == 1
    again = _sync(setup)
    assert [o.outcome for o in again] == ["unchanged"]
    assert _count(setup) == 1


def test_an_edited_sheet_gives_a_new_snapshot(tmp_path: Path, make_portal: Callable[..., PortalSetup]) -> None:
    path = write_source(tmp_path / "a.xlsx")
    setup = make_portal({"disperkim": path})
    _sync(setup)
    write_source(path, capaians=[capaian(realisasi_persen=48)])
    assert [o.outcome for o in _sync(setup)] == ["new"]
    assert _count(setup) == 2


def test_a_missing_source_fails_alone_and_keeps_its_last_good_snapshot(
    tmp_path: Path, make_portal: Callable[..., PortalSetup]
) -> None:
    good = write_source(tmp_path / "good.xlsx")
    flaky = write_source(
        tmp_path / "flaky.xlsx",
        programs=[program(kode_program=OTHER_CODE)],
        capaians=[capaian(kode_program=OTHER_CODE)],
        lokasis=[lokasi(kode_program=OTHER_CODE)],
    )
    setup = make_portal({"flaky": flaky, "good": good})
    _sync(setup)
    flaky.unlink()
    outcomes = _sync(setup)
    assert [(o.source, o.outcome) for o in outcomes] == [("flaky", "failed"), ("good", "unchanged")]
    assert "file not found" in outcomes[0].line()
    store = Store(setup.config.database_url)
    assert set(store.latest_snapshots()) == {"flaky", "good"}
    assert store.latest_runs()["flaky"].outcome == "failed"


def test_a_program_code_claimed_by_an_earlier_source_is_rejected_in_the_later_one(
    tmp_path: Path, make_portal: Callable[..., PortalSetup]
) -> None:
    first = write_source(tmp_path / "first.xlsx")
    second = write_source(tmp_path / "second.xlsx")
    setup = make_portal({"first": first, "second": second})
    outcomes = _sync(setup)
    later = outcomes[1].result
    assert later is not None
    assert later.rows["program"] == [] and later.rows["capaian"] == []
    clash = [i for i in later.errors if i.column == "kode_program"]
    assert clash and all("first" in i.message.en for i in clash)
    assert clash[0].cell == "A2" and clash[0].value == PROGRAM_CODE
    assert outcomes[0].result is not None and outcomes[0].result.rows["program"]
