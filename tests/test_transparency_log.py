"""The transparency log in the store (issue 24): one leaf per new snapshot, written with it, in publication order;
an old store gains its log once when opened. Each test runs on a real SQLite file and on a real PostgreSQL."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from builders import PROGRAM_CODE, capaian, program, validate, workbook
from replicas_support import Cluster, postgres_cluster
from store_queries import snapshot_count

from core.log_leaf import parse_leaf
from core.merkle_tree import leaf_hash
from data_sources.store.snapshot_store import Store, content_hash, row_tables
from data_sources.store.transparency_log import (
    canonical_rows,
    log_checkpoints,
    log_leaves,
    rows_sha256,
    skpd_of,
)

T0 = datetime(2026, 11, 27, 0, 0, 0, 123456, tzinfo=UTC)


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    with postgres_cluster() as made:
        yield made


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new, empty store: a SQLite file, or a fresh database in a throwaway PostgreSQL cluster."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite'}"
    cluster: Cluster = request.getfixturevalue("cluster")
    return cluster.create_database(f"t_{uuid.uuid4().hex[:12]}")


def _three_snapshots(store: Store) -> list[int]:
    """disperkim, then pupr, then disperkim again with a new report: three snapshots, ids ascending."""
    _, first = store.save("disperkim", validate(workbook()), T0)
    pupr = workbook(programs=[program(kode_program="QW24-PUPR-01", skpd="Dinas PUPR")], capaians=[], lokasis=[])
    _, second = store.save("pupr", validate(pupr), T0 + timedelta(minutes=1))
    changed = workbook(capaians=[capaian(realisasi_persen=47)])
    _, third = store.save("disperkim", validate(changed), T0 + timedelta(minutes=2))
    return [first, second, third]


def _stored_leaves(store: Store) -> list[tuple[int, int, bytes, bytes]]:
    with store.engine.connect() as conn:
        query = sa.select(log_leaves).order_by(log_leaves.c.leaf_index)
        return [(r.leaf_index, r.snapshot_id, bytes(r.leaf), bytes(r.leaf_hash)) for r in conn.execute(query)]


def _drop_the_log(store: Store) -> None:
    """Make the store look like one from before issue 24: no log tables at all."""
    with store.engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE log_leaves"))
        conn.execute(sa.text("DROP TABLE log_checkpoints"))


def test_each_new_snapshot_appends_one_leaf_in_snapshot_id_order(url: str) -> None:
    store = Store(url)
    ids = _three_snapshots(store)
    stored = _stored_leaves(store)
    assert [(index, snapshot) for index, snapshot, _, _ in stored] == list(enumerate(ids))
    assert all(hashed == leaf_hash(leaf) for _, _, leaf, hashed in stored)
    assert store.log.size() == 3
    assert store.log.leaves(0, 3) == [leaf for _, _, leaf, _ in stored]
    assert store.log.leaves(1, 2) == [stored[1][2]]
    assert store.log.leaf_hashes() == [hashed for _, _, _, hashed in stored]
    assert store.log.leaf_hashes(2) == [hashed for _, _, _, hashed in stored[:2]]
    assert [store.log.leaf_index_of(i) for i in ids] == [0, 1, 2]
    assert store.log.leaf_index_of(max(ids) + 1) is None
    # Many at once, in one query: an unknown snapshot is left out.
    assert store.log.leaf_indexes([ids[2], max(ids) + 1, ids[0]]) == {ids[2]: 2, ids[0]: 0}
    assert store.log.latest_checkpoint() is None and store.log.checkpoint_at(3) is None

    fields = [parse_leaf(leaf) for _, _, leaf, _ in stored]
    assert [f.source for f in fields] == ["disperkim", "pupr", "disperkim"]
    # The SKPD is the program rows' own column, as stored with the snapshot.
    assert [f.skpd for f in fields] == ["Disperkim", "Dinas PUPR", "Disperkim"]
    assert [f.read_at for f in fields] == [T0, T0 + timedelta(minutes=1), T0 + timedelta(minutes=2)]
    assert {f.contract_version for f in fields} == {1}
    assert fields[0].rows_sha256 != fields[2].rows_sha256  # a changed report is other rows
    store.close()


def test_an_unchanged_save_appends_nothing(url: str) -> None:
    store = Store(url)
    store.save("disperkim", validate(workbook()), T0)
    outcome, _ = store.save("disperkim", validate(workbook()), T0 + timedelta(hours=1))
    assert outcome == "unchanged"
    assert store.log.size() == 1
    store.close()


def test_the_leaf_is_recomputed_from_the_rows_as_stored(url: str) -> None:
    """rows_sha256 is the hash of the rows read back from the store, which the start-up check recomputes; Store.rows
    gives Rupiah back as a float, the row tables as a Decimal: both are the same canonical rows."""
    store = Store(url)
    ids = _three_snapshots(store)
    for snapshot_id, leaf in zip(ids, store.log.leaves(0, 3), strict=True):
        rows = {sheet: store.rows(sheet, [snapshot_id]) for sheet in row_tables}
        assert parse_leaf(leaf).rows_sha256 == rows_sha256(rows)
        assert store.log.expected_leaves([snapshot_id]) == {snapshot_id: leaf}
    store.close()


def test_why_the_log_does_not_reuse_content_hash_rupiah_below_a_cent_is_rounded_when_stored(url: str) -> None:
    """content_hash (which decides "unchanged", and keeps its meaning) hashes the rows the sync read: a Rupiah of
    1.250.000,555 is stored as 1.250.000,55, so it cannot be recomputed from the store. rows_sha256 can."""
    store = Store(url)
    result = validate(workbook(programs=[program(anggaran=1_250_000.555)]))
    _, snapshot_id = store.save("disperkim", result, T0)
    rows = {sheet: store.rows(sheet, [snapshot_id]) for sheet in row_tables}
    read_back = {
        s: [{k: v for k, v in r.items() if k not in ("snapshot_id", "sheet_row")} for r in rs] for s, rs in rows.items()
    }
    assert content_hash(result.rows) != content_hash(read_back)
    [leaf] = store.log.leaves(0, 1)
    assert parse_leaf(leaf).rows_sha256 == rows_sha256(rows)
    # PostgreSQL rounds the half cent up, SQLite's driver formats the binary float (…554999…) down: each store
    # hashes what it holds.
    stored = "1250000.56" if store.engine.dialect.name == "postgresql" else "1250000.55"
    assert f'"anggaran":"{stored}"' in canonical_rows(rows).decode()
    store.close()


def test_a_save_that_fails_after_its_snapshot_row_leaves_neither_snapshot_nor_leaf(url: str) -> None:
    store = Store(url)
    store.save("disperkim", validate(workbook()), T0)

    @sa.event.listens_for(store.engine, "before_cursor_execute")
    def fail_on_the_leaf(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if statement.startswith("INSERT INTO log_leaves"):
            raise RuntimeError("the database went away between the rows and the leaf")

    with pytest.raises(RuntimeError):
        store.save("disperkim", validate(workbook(capaians=[capaian(realisasi_persen=47)])), T0 + timedelta(hours=1))
    sa.event.remove(store.engine, "before_cursor_execute", fail_on_the_leaf)
    assert snapshot_count(store) == 1 and store.log.size() == 1
    store.close()


def test_a_store_from_before_the_log_gains_the_leaves_appending_would_have_made_once(url: str) -> None:
    store = Store(url)
    ids = _three_snapshots(store)
    appended = _stored_leaves(store)
    _drop_the_log(store)
    store.close()

    reopened = Store(url)
    assert _stored_leaves(reopened) == [(i, s, leaf, hashed) for i, s, leaf, hashed in appended]
    assert [s for _, s, _, _ in _stored_leaves(reopened)] == ids
    reopened.close()
    again = Store(url)  # opening it again builds nothing more
    assert _stored_leaves(again) == appended
    # and the next snapshot follows the built ones
    _, fourth = again.save("pupr", validate(workbook(capaians=[capaian(realisasi_persen=48)])), T0 + timedelta(days=1))
    assert again.log.leaf_index_of(fourth) == 3
    again.close()


def _open_store(url: str, barrier: threading.Barrier, errors: list[BaseException]) -> None:
    barrier.wait()
    try:
        Store(url).close()
    except BaseException as exc:  # collected, so the assertion names it
        errors.append(exc)


def test_stores_opening_an_old_store_at_the_same_moment_build_its_log_once(url: str) -> None:
    """Replicas starting together after an upgrade race to build the log: the unique keys decide, none fails."""
    store = Store(url)
    ids = _three_snapshots(store)
    expected = _stored_leaves(store)
    store.close()
    for _round in range(3):
        first = Store(url)
        _drop_the_log(first)
        first.close()
        errors: list[BaseException] = []
        barrier = threading.Barrier(4)
        threads = [threading.Thread(target=_open_store, args=(url, barrier, errors)) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert errors == []
        check = Store(url)
        assert [s for _, s, _, _ in _stored_leaves(check)] == ids
        assert _stored_leaves(check) == expected
        check.close()


def test_the_log_tables_have_the_agreed_columns_and_keys(url: str) -> None:
    store = Store(url)
    inspector = sa.inspect(store.engine)
    leaves = {c["name"] for c in inspector.get_columns("log_leaves")}
    assert leaves == {"leaf_index", "snapshot_id", "leaf", "leaf_hash", "appended_at"}
    assert inspector.get_pk_constraint("log_leaves")["constrained_columns"] == ["leaf_index"]
    unique = [u["column_names"] for u in inspector.get_unique_constraints("log_leaves")]
    unique += [i["column_names"] for i in inspector.get_indexes("log_leaves") if i["unique"]]
    assert ["snapshot_id"] in unique
    [foreign] = inspector.get_foreign_keys("log_leaves")
    assert foreign["referred_table"] == "snapshots" and foreign["constrained_columns"] == ["snapshot_id"]
    checkpoints = {c["name"] for c in inspector.get_columns("log_checkpoints")}
    assert checkpoints == {"tree_size", "root", "note", "signed_at"}
    assert inspector.get_pk_constraint("log_checkpoints")["constrained_columns"] == ["tree_size"]

    # A second leaf for one snapshot, or a second leaf at one index, is refused by the database itself.
    [snapshot_id] = [store.save("disperkim", validate(workbook()), T0)[1]]
    row = {"leaf": b"x", "leaf_hash": b"y" * 32, "appended_at": T0}
    for duplicate in ({"leaf_index": 7, "snapshot_id": snapshot_id}, {"leaf_index": 0, "snapshot_id": snapshot_id}):
        with pytest.raises(sa.exc.IntegrityError), store.engine.begin() as conn:
            conn.execute(log_leaves.insert().values(**duplicate, **row))
    with store.engine.begin() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(log_checkpoints)).scalar_one() == 0
    store.close()


# --- the canonical rows (pure) ------------------------------------------------------------------------


def test_the_canonical_rows_are_the_same_whatever_type_a_database_hands_back() -> None:
    """PostgreSQL gives Numeric back as a Decimal, Store.rows as a float; dates, coordinates as lists or tuples."""
    from_postgres = {
        "program": [
            {"sheet_row": 2, "kode_program": PROGRAM_CODE, "anggaran": Decimal("9200000000.00"), "target": 460.0}
        ],
        "lokasi": [{"sheet_row": 3, "koordinat": [[-3.3278, 114.5887]], "tanggal_update": date(2024, 6, 30)}],
    }
    as_read = {
        "program": [{"sheet_row": 2, "kode_program": PROGRAM_CODE, "anggaran": 9_200_000_000.0, "target": 460}],
        "lokasi": [{"sheet_row": 3, "koordinat": [(-3.3278, 114.5887)], "tanggal_update": date(2024, 6, 30)}],
        "capaian": [],
    }
    assert canonical_rows(from_postgres) == canonical_rows(as_read)
    text = canonical_rows(as_read).decode("utf-8")
    assert '"anggaran":"9200000000.00"' in text and '"tanggal_update":"2024-06-30"' in text
    assert '"koordinat":[[-3.3278,114.5887]]' in text and " " not in text.replace("Smart ", "")
    assert '"nama_program":null' in text  # every contract column, empty ones as null


def test_the_canonical_rows_follow_sheet_row_order_and_any_change_of_a_value_changes_the_hash() -> None:
    a = {"program": [{"sheet_row": 2, "nama_program": "A"}, {"sheet_row": 3, "nama_program": "B"}]}
    b = {"program": [{"sheet_row": 3, "nama_program": "B"}, {"sheet_row": 2, "nama_program": "A"}]}
    assert rows_sha256(a) == rows_sha256(b)
    assert rows_sha256(a) != rows_sha256({"program": [{"sheet_row": 2, "nama_program": "A "}, a["program"][1]]})
    assert rows_sha256(a) != rows_sha256({"program": [{"sheet_row": 4, "nama_program": "A"}, a["program"][1]]})


def test_the_skpd_of_a_snapshot_is_its_program_rows_skpd() -> None:
    assert skpd_of([{"skpd": "Disperkim"}, {"skpd": "Disperkim"}]) == "Disperkim"
    assert skpd_of([{"skpd": "Dinas PUPR"}, {"skpd": "Bappeda"}, {"skpd": None}]) == "Bappeda; Dinas PUPR"
    assert skpd_of([]) == ""
