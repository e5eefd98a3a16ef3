"""The store keeps every snapshot, writes one only when content changed, and never half a snapshot."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from builders import CAPAIAN_ROW, PROGRAM_CODE, capaian, program, validate, workbook
from store_queries import snapshot_count

from core import contract
from core.text import Text
from data_sources.store.snapshot_store import RunCost, Store, content_hash, row_tables, snapshots, sync_runs

REPO = Path(__file__).resolve().parent.parent


def _store(tmp_path: Path) -> Store:
    return Store(f"sqlite:///{tmp_path / 'store.sqlite'}")


def test_store_tables_have_a_column_for_every_contract_column() -> None:
    for spec in contract.WORKSHEETS:
        table = row_tables[spec.name]
        assert {c.name for c in spec.columns} <= set(table.c.keys())


def test_first_save_writes_a_snapshot_with_its_rows_and_report(tmp_path: Path) -> None:
    store = _store(tmp_path)
    result = validate(workbook())
    outcome, snapshot_id = store.save("disperkim", result, datetime.now(UTC))
    assert outcome == "new"
    rows = store.rows("program", [snapshot_id])
    assert [r["kode_program"] for r in rows] == [PROGRAM_CODE]
    assert rows[0]["anggaran"] == 9_200_000_000
    latest = store.latest_snapshots()["disperkim"]
    assert latest.counts["program"] == {"rows": 1, "accepted": 1, "rejected": 0}
    assert latest.report["source"] == "disperkim.xlsx"


def test_saving_the_same_content_again_writes_no_snapshot_but_logs_the_run(tmp_path: Path) -> None:
    store = _store(tmp_path)
    store.save("disperkim", validate(workbook()), datetime.now(UTC))
    outcome, _ = store.save("disperkim", validate(workbook()), datetime.now(UTC))
    assert outcome == "unchanged"
    assert snapshot_count(store, "disperkim") == 1
    with store.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(sync_runs)).scalar_one() == 2


def test_changed_content_writes_a_second_snapshot_and_keeps_the_first(tmp_path: Path) -> None:
    store = _store(tmp_path)
    _, first = store.save("disperkim", validate(workbook()), datetime.now(UTC))
    changed = workbook(capaians=[capaian(realisasi_persen=47)])
    outcome, second = store.save("disperkim", validate(changed), datetime.now(UTC))
    assert outcome == "new" and second != first
    assert store.rows("capaian", [first])[0]["realisasi_persen"] == 45
    assert store.rows("capaian", [second])[0]["realisasi_persen"] == 47
    assert store.latest_snapshots()["disperkim"].id == second


def test_content_hash_ignores_row_positions_and_warnings_but_not_values() -> None:
    first = validate(workbook(capaians=[capaian(tanggal="2024-05-31"), capaian()]))
    moved = validate(workbook(capaians=[None, capaian(), capaian(tanggal="2024-05-31")]))
    assert content_hash(first.rows) == content_hash(moved.rows)
    other = validate(workbook(capaians=[capaian(tanggal="2024-05-31"), capaian(realisasi_persen=46)]))
    assert content_hash(first.rows) != content_hash(other.rows)


def test_a_failed_read_is_logged_and_the_last_snapshot_stays_latest(tmp_path: Path) -> None:
    store = _store(tmp_path)
    _, snapshot_id = store.save("disperkim", validate(workbook()), datetime.now(UTC))
    store.record_failure("disperkim", datetime.now(UTC), Text("berkas tidak ada", "file not found"), RunCost(3, 10, 5))
    assert store.latest_snapshots()["disperkim"].id == snapshot_id
    run = store.latest_runs()["disperkim"]
    assert run.outcome == "failed" and run.message == Text("berkas tidak ada", "file not found")
    assert run.cost == RunCost(3, 10, 5)


def test_a_sync_that_crashes_mid_write_leaves_the_previous_snapshot_intact(tmp_path: Path) -> None:
    """A real crash: a second process dies (os._exit, no cleanup) after writing half its rows."""
    database = tmp_path / "store.sqlite"
    store = Store(f"sqlite:///{database}")
    _, first = store.save("disperkim", validate(workbook()), datetime.now(UTC))
    store.close()

    crash = textwrap.dedent(
        f"""
        import os, sys
        from datetime import UTC, datetime
        import sqlalchemy as sa
        sys.path[:0] = [{str(REPO)!r}, {str(REPO / "tests")!r}]
        from builders import capaian, validate, workbook
        from data_sources.store.snapshot_store import Store

        store = Store("sqlite:///{database.as_posix()}")

        @sa.event.listens_for(store.engine, "after_cursor_execute")
        def die_after_the_snapshot_row(conn, cursor, statement, parameters, context, executemany):
            if statement.startswith("INSERT INTO capaian_rows"):
                os._exit(17)  # the process dies between the snapshot row and its content

        reports = [capaian(tanggal=f"2024-{{m:02d}}-01", realisasi_persen=m) for m in range(1, 12)]
        store.save("disperkim", validate(workbook(capaians=reports)), datetime.now(UTC))
        """
    )
    done = subprocess.run([sys.executable, "-c", crash], capture_output=True, text=True, timeout=120)
    assert done.returncode == 17, done.stderr

    reopened = Store(f"sqlite:///{database}")
    assert snapshot_count(reopened) == 1
    assert reopened.latest_snapshots()["disperkim"].id == first
    with reopened.engine.connect() as conn:
        orphans = conn.execute(
            sa.select(sa.func.count())
            .select_from(row_tables["program"])
            .where(row_tables["program"].c.snapshot_id != first)
        ).scalar_one()
        assert orphans == 0
        assert conn.execute(sa.select(sa.func.count()).select_from(snapshots)).scalar_one() == 1
    assert reopened.rows("capaian", [first])[0]["realisasi_persen"] == CAPAIAN_ROW["realisasi_persen"]


def test_program_row_reads_back_with_its_types(tmp_path: Path) -> None:
    store = _store(tmp_path)
    _, snapshot_id = store.save(
        "disperkim", validate(workbook(programs=[program(lokasi_pribadi="ya")])), datetime.now(UTC)
    )
    row = store.rows("program", [snapshot_id])[0]
    assert row["tanggal_mulai"].isoformat() == "2024-01-15"
    assert row["lokasi_pribadi"] == "ya"
    assert row["sheet_row"] == 2


def test_processes_opening_a_new_store_at_the_same_moment_all_get_a_working_store(tmp_path: Path) -> None:
    """Replicas starting together race to create the tables; none of them may fail."""
    import threading

    errors: list[BaseException] = []

    def open_store(url: str, barrier: threading.Barrier) -> None:
        barrier.wait()
        try:
            Store(url).close()
        except BaseException as exc:  # collected, so the assertion below names it
            errors.append(exc)

    for round_ in range(5):
        url = f"sqlite:///{tmp_path / f'race-{round_}.sqlite'}"
        barrier = threading.Barrier(4)
        threads = [threading.Thread(target=open_store, args=(url, barrier)) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert errors == []
        assert Store(url).is_empty()


def test_a_store_from_an_earlier_version_gains_the_new_columns(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    old = sa.create_engine(url)
    with old.begin() as conn:
        conn.exec_driver_sql(
            "CREATE TABLE sync_runs (id INTEGER PRIMARY KEY, source VARCHAR(100) NOT NULL,"
            " started_at DATETIME NOT NULL, finished_at DATETIME NOT NULL, outcome VARCHAR(20) NOT NULL,"
            " snapshot_id INTEGER, message TEXT NOT NULL, counts JSON, report JSON)"
        )
    old.dispose()
    store = Store(url)
    store.record_failure("x", datetime.now(UTC), Text("gagal", "failed"), RunCost(2, 100, 7))
    assert store.latest_runs()["x"].cost == RunCost(2, 100, 7)
