"""The portal's start-up check of its transparency log catches tampering (issue 24, item 5): a real SQLite store,
edited behind the portal's back as someone with the database file could."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from builders import OTHER_CODE, capaian, lokasi, program
from conftest import PortalSetup, write_source

from data_sources.jobs.log_startup import start_log
from data_sources.jobs.sync import run_sync
from data_sources.store.log_audit import LogCheck, check_log
from data_sources.store.snapshot_store import Store

PUBLIC_URL = "https://transparansi.example.go.id/"
ORIGIN = "transparansi.example.go.id/log"
ROW_TABLES = ("program_rows", "capaian_rows", "lokasi_rows")


def _pupr(path: Path, realisasi: int) -> Path:
    return write_source(
        path,
        programs=[program(kode_program=OTHER_CODE, skpd="Dinas PUPR")],
        capaians=[capaian(kode_program=OTHER_CODE, realisasi_persen=realisasi)],
        lokasis=[lokasi(kode_program=OTHER_CODE)],
    )


@pytest.fixture
def published(tmp_path: Path, make_portal: Callable[..., PortalSetup]) -> PortalSetup:
    """Two syncs with a key: snapshots 1 (disperkim) and 2 (pupr), checkpoint 2; then snapshot 3 (pupr changed),
    checkpoint 3. Leaf i records snapshot i + 1."""
    from core.signed_note import generate_key

    signer, _ = generate_key(ORIGIN)
    key_file = tmp_path / "log-signer.key"
    key_file.write_text(signer + "\n", encoding="ascii")
    pupr = _pupr(tmp_path / "pupr.xlsx", 40)
    setup = make_portal({"disperkim": write_source(tmp_path / "perkim.xlsx"), "pupr": pupr})
    with setup.config_path.open("a", encoding="utf-8") as config:
        config.write(f'\n[open_data]\nenabled = false\npublic_url = "{PUBLIC_URL}"\n')
        config.write(f'\n[log]\nkey_file = "{key_file.as_posix()}"\n')
    for realisasi in (None, 48):
        if realisasi is not None:
            _pupr(pupr, realisasi)
        store = Store(setup.config.database_url)
        assert run_sync(setup.config, store) is not None
        store.close()
    return setup


def _tamper(setup: PortalSetup, *statements: str) -> None:
    """Raw SQL on the file, foreign keys off (as sqlite3 opens it): what an editor of the file can do."""
    conn = sqlite3.connect(setup.database)
    try:
        for statement in statements:
            conn.execute(statement)
        conn.commit()
    finally:
        conn.close()


def _start(setup: PortalSetup, caplog: pytest.LogCaptureFixture) -> tuple[LogCheck, list[str]]:
    """What the portal's start finds (its check and its ERROR lines)."""
    store = Store(setup.config.database_url)
    try:
        with caplog.at_level(logging.INFO, logger="portal"):
            found = start_log(setup.config, store)
    finally:
        store.close()
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    return found.check, errors


def test_an_untouched_log_passes_with_one_info_line(published: PortalSetup, caplog: pytest.LogCaptureFixture) -> None:
    check, errors = _start(published, caplog)
    assert check.ok and errors == []
    assert (check.leaves, check.checkpoints, check.signatures_checked) == (3, 2, True)
    assert "transparency log: 3 leaves and 2 checkpoints verified" in caplog.text


def test_an_edited_row_of_a_stored_snapshot_is_caught_at_its_leaf(
    published: PortalSetup, caplog: pytest.LogCaptureFixture
) -> None:
    _tamper(published, "UPDATE capaian_rows SET realisasi_persen = 99 WHERE snapshot_id = 2")
    check, [error] = _start(published, caplog)
    assert check.leaf_index == 1 and check.checkpoint_size is None
    assert error == (
        "transparency log: CHECK FAILED: leaf 1: snapshot 2 as stored no longer matches leaf 1 "
        "(its rows or details were changed after publication)"
    )
    assert "99" not in error  # the changed value (a row's content) is never in the log
    assert check.problem is not None and "diubah sesudah terbit" in check.problem.id


def test_a_deleted_snapshot_is_caught_at_its_leaf(published: PortalSetup, caplog: pytest.LogCaptureFixture) -> None:
    _tamper(
        published,
        *(f"DELETE FROM {table} WHERE snapshot_id = 2" for table in (*ROW_TABLES, "sync_runs")),
        "DELETE FROM snapshots WHERE id = 2",
    )
    check, [error] = _start(published, caplog)
    assert check.leaf_index == 1
    assert error == "transparency log: CHECK FAILED: leaf 1: leaf 1 records snapshot 2, which is no longer in the store"


def test_a_deleted_snapshot_whose_leaf_was_removed_and_the_log_renumbered_is_caught_at_the_first_checkpoint(
    published: PortalSetup, caplog: pytest.LogCaptureFixture
) -> None:
    """Every leaf then matches its snapshot and follows id order: the signed checkpoint is what remembers."""
    _tamper(
        published,
        *(f"DELETE FROM {table} WHERE snapshot_id = 2" for table in (*ROW_TABLES, "sync_runs")),
        "DELETE FROM log_leaves WHERE snapshot_id = 2",
        "DELETE FROM snapshots WHERE id = 2",
        "UPDATE log_leaves SET leaf_index = 1 WHERE leaf_index = 2",
    )
    check, [error] = _start(published, caplog)
    assert check.checkpoint_size == 2 and check.leaf_index is None
    assert (
        error == "transparency log: CHECK FAILED: checkpoint of size 2: its root is not the root of the first 2 leaves"
    )


def test_two_snapshots_swapped_are_caught_at_the_first_of_them(
    published: PortalSetup, caplog: pytest.LogCaptureFixture
) -> None:
    # Snapshot 1 becomes 2 and 2 becomes 1, with their rows and runs: the content published second now comes first.
    swap = [
        f"UPDATE {table} SET {column} = CASE {column} WHEN 1 THEN 2 WHEN 2 THEN 1 ELSE {column} END"
        for table, column in (*((t, "snapshot_id") for t in ROW_TABLES), ("sync_runs", "snapshot_id"))
    ]
    _tamper(published, "UPDATE snapshots SET id = -1 WHERE id = 1", "UPDATE snapshots SET id = 1 WHERE id = 2")
    _tamper(published, "UPDATE snapshots SET id = 2 WHERE id = -1", *swap)
    check, [error] = _start(published, caplog)
    assert check.leaf_index == 0
    assert error == (
        "transparency log: CHECK FAILED: leaf 0: snapshot 1 as stored no longer matches leaf 0 "
        "(its rows or details were changed after publication)"
    )


def test_two_leaves_swapped_are_caught_as_out_of_publication_order(
    published: PortalSetup, caplog: pytest.LogCaptureFixture
) -> None:
    _tamper(
        published,
        "UPDATE log_leaves SET leaf_index = -1 WHERE leaf_index = 0",
        "UPDATE log_leaves SET leaf_index = 0 WHERE leaf_index = 1",
        "UPDATE log_leaves SET leaf_index = 1 WHERE leaf_index = -1",
    )
    check, [error] = _start(published, caplog)
    assert check.leaf_index == 0
    assert error == (
        "transparency log: CHECK FAILED: leaf 0: leaf 0 records snapshot 2 where snapshot 1 belongs: "
        "not in publication order"
    )


def test_a_key_file_swapped_for_a_new_key_is_caught_at_the_first_checkpoint(
    published: PortalSetup, caplog: pytest.LogCaptureFixture
) -> None:
    from core.signed_note import generate_key

    key_file = published.config.log_key_file
    assert key_file is not None
    key_file.write_text(generate_key(ORIGIN)[0] + "\n", encoding="ascii")  # the same name, another key
    check, [error] = _start(published, caplog)
    assert check.checkpoint_size == 2
    assert error == (
        "transparency log: CHECK FAILED: checkpoint of size 2: its signature does not verify with the configured key"
    )


def test_without_a_key_the_check_still_checks_leaves_and_roots_and_says_signatures_were_not_checked(
    published: PortalSetup, caplog: pytest.LogCaptureFixture
) -> None:
    store = Store(published.config.database_url)
    found = check_log(store.log, None)
    store.close()
    assert found.ok and not found.signatures_checked
    assert found.line() == (
        "transparency log: 3 leaves and 2 checkpoints verified (signatures not checked: no signer key configured)"
    )
    _tamper(published, "UPDATE lokasi_rows SET nama_lokasi = 'Rumah Bapak X' WHERE snapshot_id = 3")
    store = Store(published.config.database_url)
    found = check_log(store.log, None)
    store.close()
    assert found.leaf_index == 2 and "Rumah" not in found.line()
