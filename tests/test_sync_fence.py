"""The sync lock's lease is fenced: a holder that stalled past its lease and was taken over writes nothing more.

Real parts: a SQLite file or a throwaway PostgreSQL cluster, the store's own lock (``Store.try_lock``,
``Lease``), and ``python -m data_sources sync`` in a subprocess reading Google Sheets over HTTP from the emulator.
The stall is made deterministic: the stalled holder's lease is made to lapse in the store (its expiry set in the
past, or taken with a lease that is already over) and another holder takes the lock over with ``try_lock``, while
the stalled sync's read of its second source is held back by the emulator until the test lets it go.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from builders import capaian, validate, workbook
from conftest import GoogleSetup, PortalSetup, write_source
from replicas_support import REPO, Cluster, postgres_cluster
from store_queries import snapshot_count

from core.text import Text
from data_sources.config.portal_config import load_config
from data_sources.jobs.sync import SYNC_LOCK, run_sync
from data_sources.store.lease import Lease
from data_sources.store.snapshot_store import LeaseLost, Store, locks, sync_runs

LEASE_SECONDS = 3
WAIT_SECONDS = 180.0  # only reached when something is broken
LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    with postgres_cluster() as made:
        yield made


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest) -> str | None:
    """None for the config's SQLite file, else the URL of a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return None
    cluster: Cluster = request.getfixturevalue("cluster")
    return cluster.create_database(f"t_{uuid.uuid4().hex[:12]}")


@pytest.fixture
def store_url(database: str | None, tmp_path: Path) -> str:
    return database or f"sqlite:///{tmp_path / 'store.sqlite'}"


def _wait(what: str, ready: Callable[[], bool], child: subprocess.Popen[str] | None = None) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not ready():
        if child is not None and child.poll() is not None:
            pytest.fail(f"the child exited ({child.returncode}) before {what}:\n{child.communicate()}")
        if time.monotonic() > deadline:
            pytest.fail(f"waited {WAIT_SECONDS} s for {what}")
        time.sleep(0.05)


def _take_over(store: Store, holder: str) -> None:
    """What another sync does once a stalled holder's lease ran out: the lease is made to lapse in the store, and
    ``holder`` takes the lock over. (A renewal landing between the two steps makes the takeover fail; then again.)"""

    def taken() -> bool:
        with store.engine.begin() as conn:
            conn.execute(locks.update().where(locks.c.name == SYNC_LOCK).values(expires_at=LONG_AGO))
        return store.try_lock(SYNC_LOCK, holder, timedelta(minutes=5))

    _wait(f"{holder} to take the lock over", taken)


def _runs(store: Store, source: str) -> list[str]:
    with store.engine.connect() as conn:
        return list(
            conn.execute(sa.select(sync_runs.c.outcome).where(sync_runs.c.source == source).order_by(sync_runs.c.id))
            .scalars()
            .all()
        )


# --- the store refuses a write on behalf of a lease that was taken over --------------------------------------


def test_a_holder_whose_lease_was_taken_over_commits_neither_a_snapshot_nor_a_failure(store_url: str) -> None:
    stalled_store, new_store = Store(store_url), Store(store_url)
    stalled = Lease(stalled_store, SYNC_LOCK, "stalled", timedelta(minutes=1))
    assert stalled.acquire()
    stalled_fence = stalled.fence
    read_early = datetime.now(UTC) - timedelta(minutes=1)
    _take_over(new_store, "new")

    # The new holder reads the sheet and saves the newer reading; then the stalled one wakes up with its older one.
    newer = validate(workbook(capaians=[capaian(realisasi_persen=47)]))
    _, newest_id = new_store.save("disperkim", newer, datetime.now(UTC))
    with pytest.raises(LeaseLost) as refused:
        stalled_store.save("disperkim", validate(workbook()), read_early, fence=stalled_fence)
    assert refused.value.source == "disperkim"
    taken = refused.value.holder
    assert taken is not None and taken.holder == "new" and taken.pid == os.getpid()
    assert "taken over by" in str(refused.value) and f"pid {os.getpid()}" in str(refused.value)
    with pytest.raises(LeaseLost):
        stalled_store.record_failure("disperkim", read_early, Text("gagal", "failed"), fence=stalled_fence)
    with pytest.raises(LeaseLost):  # a source the new holder has not reached yet gets nothing either
        stalled_store.save("perkim", validate(workbook()), read_early, fence=stalled_fence)

    assert new_store.latest_snapshots()["disperkim"].id == newest_id  # the latest is still the newer reading
    assert snapshot_count(new_store, "disperkim") == 1 and snapshot_count(new_store, "perkim") == 0
    assert _runs(new_store, "disperkim") == ["new"] and _runs(new_store, "perkim") == []
    stalled.release()  # and its release leaves the new holder's lock alone
    holder = new_store.lock_holder(SYNC_LOCK)
    assert holder is not None and holder.holder == "new"
    stalled_store.close()
    new_store.close()


def test_the_same_holder_taking_the_lock_again_gets_a_greater_generation_and_the_old_one_is_fenced_off(
    store_url: str,
) -> None:
    """Even the same host, pid and holder name re-acquiring cannot be confused with its earlier, stalled self."""
    store = Store(store_url)
    stalled = store.acquire_lock(SYNC_LOCK, "me", timedelta(seconds=-1))  # a lease already over: a stalled holder
    again = store.acquire_lock(SYNC_LOCK, "me", timedelta(minutes=5))
    assert stalled is not None and again is not None and again.generation > stalled.generation
    with pytest.raises(LeaseLost):
        store.save("disperkim", validate(workbook()), datetime.now(UTC), fence=stalled)
    assert not store.renew_lock(SYNC_LOCK, "me", timedelta(minutes=5), stalled.generation)
    store.release_lock(SYNC_LOCK, "me", stalled.generation)
    holder = store.lock_holder(SYNC_LOCK)
    assert holder is not None and holder.generation == again.generation  # neither renewed nor released by the old one

    # The lease held: the same write commits, exactly as without a fence.
    assert store.save("disperkim", validate(workbook()), datetime.now(UTC), fence=again)[0] == "new"
    store.record_failure("disperkim", datetime.now(UTC), Text("gagal", "failed"), fence=again)
    assert _runs(store, "disperkim") == ["new", "failed"]
    store.release_lock(SYNC_LOCK, "me", again.generation)
    assert store.lock_holder(SYNC_LOCK) is None
    after = store.acquire_lock(SYNC_LOCK, "me", timedelta(minutes=5))  # a released lock's row is gone...
    assert after is not None and after.generation > again.generation  # ...and its generations still grow
    store.close()


def test_a_store_made_by_an_earlier_version_gains_the_generation_and_its_lock_still_counts(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        # The locks table as the previous version made it (host, pid, times, no generation), held by an old sync.
        conn.execute(
            sa.text(
                "CREATE TABLE locks (name VARCHAR(100) NOT NULL PRIMARY KEY, holder VARCHAR(200) NOT NULL, "
                "expires_at DATETIME NOT NULL, host VARCHAR(255), pid INTEGER, acquired_at DATETIME, "
                "renewed_at DATETIME)"
            )
        )
        until = (datetime.now(UTC) + timedelta(minutes=30)).strftime("%Y-%m-%d %H:%M:%S.%f")
        conn.execute(sa.text(f"INSERT INTO locks (name, holder, expires_at) VALUES ('sync', 'old:1:ab', '{until}')"))
    engine.dispose()

    store = Store(f"sqlite:///{path}")
    assert "generation" in {c["name"] for c in sa.inspect(store.engine).get_columns("locks")}
    old = store.lock_holder(SYNC_LOCK)
    assert old is not None and old.generation is None and not old.expired
    assert store.acquire_lock(SYNC_LOCK, "new", timedelta(minutes=1)) is None  # the old holder's lock counts
    with store.engine.begin() as conn:
        conn.execute(locks.update().values(expires_at=LONG_AGO))
    fence = store.acquire_lock(SYNC_LOCK, "new", timedelta(minutes=1))
    assert fence is not None and fence.generation == 1
    assert store.save("disperkim", validate(workbook()), datetime.now(UTC), fence=fence)[0] == "new"
    store.close()


# --- a sync taken over midway stops, and says so ---------------------------------------------------------------


def test_a_sync_stalled_past_its_lease_writes_nothing_more_stops_and_exits_non_zero(
    google: Callable[..., GoogleSetup], monkeypatch: pytest.MonkeyPatch, database: str | None
) -> None:
    setup = google()
    first, second, third = list(setup.keys)[:3]
    setup.keys = {name: setup.keys[name] for name in (first, second, third)}
    path = setup.write_config(timeout=900, budget=5)
    text = path.read_text(encoding="utf-8").replace("[sync]\n", f"[sync]\nlock_lease_seconds = {LEASE_SECONDS}\n")
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("PORTAL_CONFIG", str(path))
    monkeypatch.delenv("PORTAL_DEBUG", raising=False)
    if database is not None:
        monkeypatch.setenv("DATABASE_URL", database)  # the google fixture cleared it; the child inherits this
    setup.emulator.slow(600, match=setup.keys[second])  # the stalled sync's read of the second source hangs
    store = Store(load_config(path).database_url)
    child = subprocess.Popen(
        [sys.executable, "-m", "data_sources", "sync"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait(
            "the sync to hold the lock and have written its first source",
            lambda: (
                (h := store.lock_holder(SYNC_LOCK)) is not None
                and h.pid == child.pid
                and first in store.attempted_sources()
            ),
            child,
        )
        # Meanwhile its lease lapsed and another sync took over and stored a newer reading of the second source.
        _take_over(store, "new-holder")
        _, newest_id = store.save(second, validate(workbook()), datetime.now(UTC))
        setup.emulator.hurry()  # the stalled sync wakes up with its reading
        out, err = child.communicate(timeout=WAIT_SECONDS)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()

    assert child.returncode == 3, (out, err)
    lines = out.strip().splitlines()
    assert lines[0].startswith(f"{first}: new snapshot"), out  # written while it held the lock, as always
    assert lines[-1].startswith(f"{second}: NOT WRITTEN:") and "taken over by" in lines[-1], out
    assert not any(line.startswith(f"{third}:") for line in lines), out  # it stopped there
    # One line on stderr, no traceback: which source was not written, and who took the lock over when.
    assert len(err.strip().splitlines()) == 1, err
    assert second in err and "taken over by" in err and f"{socket.gethostname()} (pid {os.getpid()})" in err, err
    assert "Traceback" not in err

    assert store.latest_snapshots()[second].id == newest_id  # the newer reading stays the latest
    assert snapshot_count(store, second) == 1 and _runs(store, second) == ["new"]
    assert third not in store.attempted_sources()  # left to the new holder
    holder = store.lock_holder(SYNC_LOCK)
    assert holder is not None and holder.holder == "new-holder"  # the stalled sync's release took nothing of it
    store.close()


def test_a_sync_that_keeps_its_lease_writes_every_source_as_before_and_each_sync_gets_a_new_generation(
    tmp_path: Path,
    make_portal: Callable[..., PortalSetup],
    monkeypatch: pytest.MonkeyPatch,
    database: str | None,
) -> None:
    setup = make_portal({"a": write_source(tmp_path / "a.xlsx"), "b": write_source(tmp_path / "b.xlsx")})
    if database is not None:
        monkeypatch.setenv("DATABASE_URL", database)
    store = Store(setup.config.database_url)
    outcomes = run_sync(setup.config, store)
    assert outcomes is not None and [(o.source, o.outcome) for o in outcomes] == [("a", "new"), ("b", "new")]
    again = run_sync(setup.config, store)
    assert again is not None and [o.outcome for o in again] == ["unchanged", "unchanged"]
    assert not any(o.lost for o in [*outcomes, *again])
    assert store.lock_holder(SYNC_LOCK) is None  # released, as before
    # Two syncs, two acquisitions: the next one is the third generation.
    after = store.acquire_lock(SYNC_LOCK, "next", timedelta(minutes=1))
    assert after is not None and after.generation == 3
    store.close()
