"""``backup`` and ``restore`` cannot destroy the store: what a tired admin might type, tried on real files.

Real parts: a SQLite store filled by a real sync, the CLI's ``main``, real files, symlinks and hard links, and a
real second process holding the store open as a running portal does (a Python process with the portal's own
``Store``, not the whole Streamlit server: what restore looks for is the open file, whoever holds it).
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import PortalSetup, write_source
from replicas_support import REPO, Cluster, postgres_cluster
from store_queries import snapshot_count

from data_sources.cli import main
from data_sources.jobs.sync import run_sync
from data_sources.store.snapshot_store import Store


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def store(make_portal: Callable[..., PortalSetup], tmp_path: Path) -> PortalSetup:
    """One workbook synced into a SQLite store, checkpointed so its bytes say everything it holds."""
    setup = make_portal({"disperkim": write_source(tmp_path / "perkim.xlsx")})
    opened = Store(setup.config.database_url)
    try:
        assert run_sync(setup.config, opened)
    finally:
        opened.close()
    with sqlite3.connect(setup.database) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return setup


@pytest.fixture
def backup(store: PortalSetup, tmp_path: Path) -> Path:
    made = tmp_path / "backups" / "good.sqlite"
    assert main(["backup", str(made), "--config", str(store.config_path)]) == 0
    return made


def restore(setup: PortalSetup, backup: Path, *flags: str) -> int:
    return main(["restore", str(backup), "--config", str(setup.config_path), *flags])


def assert_untouched(setup: PortalSetup, before: str) -> None:
    """The live store is at its path with the same bytes, and nothing was set aside."""
    assert setup.database.is_file() and not setup.database.is_symlink()
    assert digest(setup.database) == before
    assert not list(setup.folder.glob("store.sqlite.damaged-*"))
    assert not list(setup.folder.glob(".store.sqlite.*.partial"))


# -- restore refuses what is not a store of this portal -------------------------------------------


def test_restore_refuses_an_empty_file_and_leaves_the_store_alone(
    store: PortalSetup, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = digest(store.database)
    empty = tmp_path / "empty.sqlite"
    empty.touch()

    assert restore(store, empty) == 2

    err = capsys.readouterr().err
    assert "not a store of this portal" in err and "not touched" in err
    assert "Traceback" not in err
    assert_untouched(store, before)


def test_restore_refuses_another_program_s_database(
    store: PortalSetup, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = digest(store.database)
    foreign = tmp_path / "firefox-places.sqlite"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    conn.close()

    assert restore(store, foreign) == 2

    assert "no table 'snapshots'" in capsys.readouterr().err
    assert_untouched(store, before)


def test_restore_refuses_a_text_file(store: PortalSetup, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = digest(store.database)
    text = tmp_path / "notes.txt"
    text.write_text("not a database at all\n" * 50, encoding="utf-8")

    assert restore(store, text) == 2

    assert "not an SQLite database" in capsys.readouterr().err
    assert_untouched(store, before)


def test_restore_refuses_a_store_written_by_a_newer_contract(
    store: PortalSetup, backup: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = digest(store.database)
    with sqlite3.connect(backup) as conn:
        conn.execute("UPDATE snapshots SET contract_version = 99")
    conn.close()

    assert restore(store, backup) == 2

    assert "newer portal (contract version 99" in capsys.readouterr().err
    assert_untouched(store, before)


# -- restore refuses the live store itself -------------------------------------------------------


@pytest.mark.parametrize("link", ["itself", "symlink", "hard link"])
def test_restore_refuses_the_live_store_itself_however_it_is_named(
    store: PortalSetup, tmp_path: Path, capsys: pytest.CaptureFixture[str], link: str
) -> None:
    before = digest(store.database)
    named = {"itself": store.database, "symlink": tmp_path / "alias.sqlite", "hard link": tmp_path / "same.sqlite"}[
        link
    ]
    if link == "symlink":
        named.symlink_to(store.database)
    elif link == "hard link":
        os.link(store.database, named)

    assert restore(store, named) == 2

    err = capsys.readouterr().err
    assert "is the live store itself" in err and "Traceback" not in err
    assert_untouched(store, before)
    opened = Store(store.config.database_url)
    try:
        assert snapshot_count(opened) == 1
    finally:
        opened.close()


# -- restore refuses a store in use --------------------------------------------------------------

HOLD_OPEN = """
import sys
from data_sources.store.snapshot_store import Store
store = Store(sys.argv[1])
with store.engine.connect() as conn:
    conn.exec_driver_sql("SELECT count(*) FROM snapshots").scalar()
    print("ready", flush=True)
    sys.stdin.read()
"""


@pytest.fixture
def portal_process(store: PortalSetup) -> Iterator[subprocess.Popen[str]]:
    """Another process with the store open through the portal's own ``Store``, as a running portal keeps it."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD_OPEN, store.config.database_url],
        cwd=REPO,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None and process.stdout.readline().strip() == "ready"
        yield process
    finally:
        process.kill()
        process.wait()


def test_restore_refuses_while_another_process_has_the_store_open_and_force_overrides_it(
    store: PortalSetup, backup: Path, portal_process: subprocess.Popen[str], capsys: pytest.CaptureFixture[str]
) -> None:
    before = digest(store.database)

    assert restore(store, backup) == 2

    err = capsys.readouterr().err
    assert f"process {portal_process.pid}" in err and "--force" in err
    assert_untouched(store, before)

    assert restore(store, backup, "--force") == 0
    assert list(store.folder.glob("store.sqlite.damaged-*"))


def test_restore_refuses_while_a_sync_holds_its_lock(
    store: PortalSetup, backup: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Held by this process, which restore does not count among the processes with the file open: only the lock
    # row can refuse it here.
    syncing = Store(store.config.database_url)
    try:
        assert syncing.acquire_lock("sync", "host:4242:abc", timedelta(minutes=10)) is not None
        before = digest(store.database)

        assert restore(store, backup) == 2

        assert "the sync lock (host:4242:abc" in capsys.readouterr().err
        assert digest(store.database) == before
        assert not list(store.folder.glob("store.sqlite.damaged-*"))
    finally:
        syncing.close()


# -- restore swaps in one step, and puts the backup's content in place ---------------------------


def test_restore_sets_the_old_store_and_its_wal_aside_and_the_backup_s_content_is_served(
    store: PortalSetup, backup: Path
) -> None:
    # A later sync adds a second snapshot to the live store, left in a WAL file beside it.
    opened = Store(store.config.database_url)
    try:
        with opened.engine.begin() as conn:
            conn.exec_driver_sql("PRAGMA wal_autocheckpoint=0")
            conn.exec_driver_sql(
                "INSERT INTO snapshots (source, origin, read_at, content_hash, contract_version, counts, report) "
                "SELECT source, origin, read_at, 'later', contract_version, counts, report FROM snapshots"
            )
        wal = store.database.with_name("store.sqlite-wal")
        kept_wal = wal.read_bytes()
        assert kept_wal, "the later snapshot should still be in the WAL"
        # A crash leaves the WAL behind: copy the files as they are while the connection holds them.
        crashed = store.folder / "crashed"
        crashed.mkdir()
        (crashed / "store.sqlite").write_bytes(store.database.read_bytes())
        (crashed / "store.sqlite-wal").write_bytes(kept_wal)
    finally:
        opened.close()
    os.replace(crashed / "store.sqlite", store.database)
    os.replace(crashed / "store.sqlite-wal", wal)

    assert restore(store, backup) == 0

    (aside,) = [p for p in store.folder.glob("store.sqlite.damaged-*") if not p.name.endswith("-wal")]
    assert aside.with_name(aside.name + "-wal").read_bytes() == kept_wal
    assert not wal.exists() or wal.read_bytes() != kept_wal
    opened = Store(store.config.database_url)
    try:
        assert snapshot_count(opened) == 1  # the backup's one snapshot, not the WAL's later one
    finally:
        opened.close()
    # The set-aside store with its WAL still holds the later snapshot, for a forensic look.
    with sqlite3.connect(aside) as conn:
        assert conn.execute("SELECT count(*) FROM snapshots").fetchone()[0] == 2
    conn.close()


def test_restore_of_a_missing_backup_says_so_in_one_line(
    store: PortalSetup, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = digest(store.database)
    assert restore(store, tmp_path / "nowhere.sqlite") == 2
    assert "no backup file at" in capsys.readouterr().err
    assert_untouched(store, before)


# -- backup never overwrites or deletes what it did not write ------------------------------------


def test_backup_refuses_an_existing_file_unless_forced(
    store: PortalSetup, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dest = tmp_path / "thesis.txt"
    dest.write_text("three years of work\n", encoding="utf-8")

    assert main(["backup", str(dest), "--config", str(store.config_path)]) == 2

    assert "exists" in capsys.readouterr().err
    assert dest.read_text(encoding="utf-8") == "three years of work\n"
    assert not list(tmp_path.glob(".thesis.txt.*.partial"))

    assert main(["backup", str(dest), "--config", str(store.config_path), "--force"]) == 0
    with sqlite3.connect(dest) as conn:
        assert conn.execute("SELECT count(*) FROM snapshots").fetchone()[0] == 1
    conn.close()


def test_backup_never_deletes_a_partial_file_it_did_not_write(store: PortalSetup, tmp_path: Path) -> None:
    dest = tmp_path / "portal.sqlite"
    unrelated = tmp_path / "portal.sqlite.partial"
    unrelated.write_text("someone else's download\n", encoding="utf-8")

    assert main(["backup", str(dest), "--config", str(store.config_path)]) == 0

    assert unrelated.read_text(encoding="utf-8") == "someone else's download\n"
    assert dest.is_file()


def test_backup_into_a_folder_writes_a_dated_file_there(
    store: PortalSetup, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()

    assert main(["backup", str(folder), "--config", str(store.config_path)]) == 0

    (written,) = folder.iterdir()
    assert written.name.startswith("portal-") and written.suffix == ".sqlite"
    assert f"{written}: backup written, integrity ok" in capsys.readouterr().out
    assert restore(store, written) == 0


def test_backup_to_a_place_that_cannot_be_written_is_one_line_and_leaves_nothing(
    store: PortalSetup, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a_file = tmp_path / "a-file"
    a_file.write_text("x", encoding="utf-8")

    assert main(["backup", str(a_file / "portal.sqlite"), "--config", str(store.config_path)]) == 2

    err = capsys.readouterr().err
    assert err.startswith("backup failed: ") and len(err.strip().splitlines()) == 1
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("a-file")) == ["a-file"]


# -- PostgreSQL: the same refusals, from the dump's table of contents and the server's sessions ------------


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    with postgres_cluster() as made:
        yield made


@pytest.mark.postgres
def test_a_postgresql_restore_refuses_a_foreign_dump_and_a_database_in_use(
    make_portal: Callable[..., PortalSetup],
    cluster: Cluster,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = cluster.create_database(f"t_{uuid.uuid4().hex[:12]}")
    monkeypatch.setenv("DATABASE_URL", url)
    setup = make_portal({"disperkim": write_source(tmp_path / "perkim.xlsx")})
    opened = Store(url)
    try:
        assert run_sync(setup.config, opened)
    finally:
        opened.close()
    good = tmp_path / "portal.dump"
    assert main(["backup", str(good), "--config", str(setup.config_path)]) == 0
    # Another program's database, dumped the same way.
    other = cluster.create_database(f"o_{uuid.uuid4().hex[:12]}")
    engine = sa.create_engine(other)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE invoices (id integer PRIMARY KEY, total numeric)"))
    engine.dispose()
    foreign = tmp_path / "invoices.dump"
    monkeypatch.setenv("DATABASE_URL", other)
    assert main(["backup", str(foreign), "--config", str(setup.config_path)]) == 0
    monkeypatch.setenv("DATABASE_URL", url)
    capsys.readouterr()

    assert restore(setup, foreign) == 2
    assert "not a pg_dump of this portal's store" in capsys.readouterr().err

    serving = Store(url)  # a portal connected to the database
    try:
        assert snapshot_count(serving) == 1
        assert restore(setup, good) == 2
        assert "other session(s) on the database" in capsys.readouterr().err
        assert snapshot_count(serving) == 1
    finally:
        serving.close()
    assert restore(setup, good) == 0
