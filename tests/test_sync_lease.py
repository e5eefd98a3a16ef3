"""The sync lock is a lease: a holder killed with ``kill -9`` blocks syncing for one lease at most.

Real parts throughout: ``python -m data_sources sync`` (and the portal's first-start sync) in a subprocess,
reading Google Sheets over HTTP from the emulator, whose answer for the second source is held back so the
sync is caught halfway; the store is a SQLite file or a throwaway PostgreSQL cluster. The lease is three
seconds in these configs (``[sync] lock_lease_seconds``): the only times asserted are the lease's own bounds.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import GoogleSetup, PortalSetup, write_source
from replicas_support import REPO, Cluster, postgres_cluster

from data_sources.config.portal_config import Config, ConfigError, load_config
from data_sources.jobs.sync import SYNC_LOCK, lock_ttl, run_sync
from data_sources.store.lease import Lease
from data_sources.store.snapshot_store import LockHolder, Store, sync_runs
from server.portal import Portal

LEASE_SECONDS = 3
# Generous bounds for a loaded machine; a test only waits this long when something is broken.
WAIT_SECONDS = 180.0


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    with postgres_cluster() as made:
        yield made


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str | None:
    """Which store the sync uses: None for the config's SQLite file, else a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return None
    cluster: Cluster = request.getfixturevalue("cluster")
    return cluster.create_database(f"t_{uuid.uuid4().hex[:12]}")


def _slow_config(
    google: Callable[..., GoogleSetup], monkeypatch: pytest.MonkeyPatch, database: str | None
) -> tuple[Config, list[str]]:
    """Two sample sheets in the emulator; the first read of the second one is held back for ten minutes."""
    setup = google()
    names = list(setup.keys)[:2]
    setup.keys = {name: setup.keys[name] for name in names}
    path = setup.write_config(timeout=900, budget=5)
    text = path.read_text(encoding="utf-8").replace("[sync]\n", f"[sync]\nlock_lease_seconds = {LEASE_SECONDS}\n")
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("PORTAL_CONFIG", str(path))
    if database is not None:
        monkeypatch.setenv("DATABASE_URL", database)  # the google fixture cleared it; the child inherits this
    setup.emulator.slow(600, match=setup.keys[names[1]])
    return load_config(path), names


def _wait(what: str, ready: Callable[[], bool], child: subprocess.Popen[str] | None = None) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not ready():
        if child is not None and child.poll() is not None:
            pytest.fail(f"the child exited ({child.returncode}) before {what}:\n{child.communicate()}")
        if time.monotonic() > deadline:
            pytest.fail(f"waited {WAIT_SECONDS} s for {what}")
        time.sleep(0.1)


def _caught_halfway(store: Store, child: subprocess.Popen[str], first: str) -> LockHolder:
    """Until the child holds the lock, has read the first source, and has kept the lock past two leases
    (only renewing can do that); then the lock as the store sees it."""

    def ready() -> bool:
        holder = store.lock_holder(SYNC_LOCK)
        return (
            holder is not None
            and holder.pid == child.pid
            and first in store.attempted_sources()
            and holder.acquired_at is not None
            and holder.renewed_at is not None
            and holder.renewed_at - holder.acquired_at > 2 * timedelta(seconds=LEASE_SECONDS)
        )

    _wait("the child to hold the lock halfway through its sync", ready, child)
    holder = store.lock_holder(SYNC_LOCK)
    assert holder is not None
    assert not holder.expired  # alive and renewing: past two leases, and still held
    return holder


def _kill(child: subprocess.Popen[str]) -> None:
    os.kill(child.pid, signal.SIGKILL)  # no release, no clean disconnect, no finally
    child.wait()


def _next_sync_after_the_lease(config: Config, store: Store, dead: LockHolder) -> list[str]:
    """Try a sync every tenth of a second until one runs; every refused try started before the dead holder's
    lease ran out, and one runs soon after. Returns the names of the sources the sync read."""
    assert dead.renewed_at is not None
    assert dead.expires_at - dead.renewed_at <= lock_ttl(config)  # gone within one lease of its last renewal
    refused: list[datetime] = []
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        tried_at = datetime.now(UTC)
        outcomes = run_sync(config, store)
        if outcomes is not None:
            break
        refused.append(tried_at)
        assert time.monotonic() < deadline, "the dead holder's lock never lapsed"
        time.sleep(0.1)
    assert all(t < dead.expires_at for t in refused)
    return [o.source for o in outcomes if o.outcome != "failed"]


def test_a_killed_sync_blocks_the_next_one_for_one_lease_at_most(
    google: Callable[..., GoogleSetup], monkeypatch: pytest.MonkeyPatch, database: str | None
) -> None:
    config, (first, second) = _slow_config(google, monkeypatch, database)
    store = Store(config.database_url)
    child = subprocess.Popen(
        [sys.executable, "-m", "data_sources", "sync"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        holder = _caught_halfway(store, child, first)
        assert run_sync(config, store) is None  # a live holder still keeps the next sync out
        _kill(child)
    finally:
        if child.poll() is None:
            _kill(child)

    dead = store.lock_holder(SYNC_LOCK)
    assert dead is not None and dead.pid == holder.pid  # the dead holder's row is still there (the admin sees it)
    assert second not in store.attempted_sources()
    read = _next_sync_after_the_lease(config, store, dead)
    assert read == [first, second]  # the source the dead sync never reached is read now
    assert store.lock_holder(SYNC_LOCK) is None  # and the finished sync released the lock
    store.close()


FIRST_START = textwrap.dedent(
    """
    from data_sources.config.portal_config import load_config
    from server.portal import Portal
    Portal(load_config()).sync_if_empty()  # what the server runs on its first start, before the first page
    """
)


def test_a_server_killed_during_its_first_start_sync_is_followed_by_a_sync_of_the_sources_it_never_read(
    google: Callable[..., GoogleSetup], monkeypatch: pytest.MonkeyPatch
) -> None:
    config, (first, second) = _slow_config(google, monkeypatch, None)
    store = Store(config.database_url)
    child = subprocess.Popen(
        [sys.executable, "-c", FIRST_START], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        _caught_halfway(store, child, first)
        _kill(child)
    finally:
        if child.poll() is None:
            _kill(child)

    # The next start: the store is no longer empty, so its first-start sync does nothing...
    portal = Portal(config)
    assert portal.sync_if_empty() == []
    # ...but a source never read makes a sync due at once, not an interval later, and the background sync
    # runs as soon as the dead holder's lease lapses.
    assert portal.sync_due()

    def synced_the_rest() -> bool:
        portal._checked_at = float("-inf")  # the 30-second throttle between page runs asking the store
        thread = portal.sync_in_background_if_due()
        if thread is not None:
            thread.join(WAIT_SECONDS)
        return second in portal.store.attempted_sources()

    _wait("the next due sync to read the source the killed one never reached", synced_the_rest)
    assert {r.outcome for r in portal.store.latest_runs().values()} <= {"new", "unchanged"}
    assert not portal.sync_due()
    store.close()


# --- the lease itself ---------------------------------------------------------------------------


def test_a_renewed_lease_outlives_its_length_and_a_released_one_is_free_at_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 's.sqlite'}"
    mine, other = Store(url), Store(url)
    with Lease(mine, SYNC_LOCK, "me", timedelta(seconds=LEASE_SECONDS)) as lease:
        assert lease.held
        _wait(
            "two leases' worth of renewals",
            lambda: (
                (h := mine.lock_holder(SYNC_LOCK)) is not None
                and h.renewed_at is not None
                and h.acquired_at is not None
                and h.renewed_at - h.acquired_at > 2 * timedelta(seconds=LEASE_SECONDS)
            ),
        )
        assert not other.try_lock(SYNC_LOCK, "other", timedelta(seconds=LEASE_SECONDS))
        assert not lease.lost
    assert other.try_lock(SYNC_LOCK, "other", timedelta(seconds=LEASE_SECONDS))
    mine.close()
    other.close()


def test_a_holder_stalled_past_its_lease_and_taken_over_knows_it_lost_the_lock(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 's.sqlite'}"
    mine, other = Store(url), Store(url)
    lease = Lease(mine, SYNC_LOCK, "stalled", timedelta(seconds=LEASE_SECONDS))
    assert lease.acquire()
    # What a stall past the lease looks like from outside: the row lapsed, and another holder took it.
    with mine.engine.begin() as conn:
        conn.execute(sa.text("UPDATE locks SET expires_at = '2000-01-01 00:00:00'"))
    assert other.try_lock(SYNC_LOCK, "other", timedelta(minutes=5))
    _wait("the stalled holder to notice", lambda: lease.lost)
    lease.release()  # releases nothing of the new holder's
    holder = other.lock_holder(SYNC_LOCK)
    assert holder is not None and holder.holder == "other"
    mine.close()
    other.close()


def test_the_lock_row_says_who_holds_it_and_since_when(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 's.sqlite'}")
    before = datetime.now(UTC)
    assert store.try_lock(SYNC_LOCK, "me", timedelta(seconds=45))
    holder = store.lock_holder(SYNC_LOCK)
    assert holder is not None
    assert (holder.host, holder.pid) == (os.uname().nodename, os.getpid())
    assert holder.acquired_at is not None and before <= holder.acquired_at <= holder.checked_at
    assert holder.renewed_at == holder.acquired_at
    assert holder.expires_at == holder.acquired_at + timedelta(seconds=45) and not holder.expired
    assert store.renew_lock(SYNC_LOCK, "me", timedelta(seconds=45))
    assert not store.renew_lock(SYNC_LOCK, "someone-else", timedelta(seconds=45))
    store.release_lock(SYNC_LOCK, "me")
    assert store.lock_holder(SYNC_LOCK) is None
    store.close()


def test_a_store_made_by_the_previous_version_keeps_its_lock_and_gains_the_holder_columns(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        # The locks table as the previous version made it, with a lock a running old sync holds.
        conn.execute(
            sa.text(
                "CREATE TABLE locks (name VARCHAR(100) NOT NULL PRIMARY KEY, holder VARCHAR(200) NOT NULL, "
                "expires_at DATETIME NOT NULL)"
            )
        )
        until = (datetime.now(UTC) + timedelta(minutes=30)).strftime("%Y-%m-%d %H:%M:%S.%f")
        conn.execute(sa.text(f"INSERT INTO locks VALUES ('sync', 'old-host:4242:0123abcd', '{until}')"))
    engine.dispose()

    store = Store(f"sqlite:///{path}")
    holder = store.lock_holder(SYNC_LOCK)
    assert holder is not None and (holder.host, holder.pid) == ("old-host", 4242) and not holder.expired
    assert holder.acquired_at is None and holder.renewed_at is None
    assert not store.try_lock(SYNC_LOCK, "new", timedelta(seconds=45))  # the old holder's lock still counts
    with store.engine.begin() as conn:
        conn.execute(sa.text("UPDATE locks SET expires_at = '2000-01-01 00:00:00'"))
    assert store.try_lock(SYNC_LOCK, "new", timedelta(seconds=45))
    taken = store.lock_holder(SYNC_LOCK)
    assert taken is not None and taken.pid == os.getpid() and taken.acquired_at is not None
    store.close()


def test_closing_a_store_releases_the_locks_it_holds(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 's.sqlite'}"
    one, other = Store(url), Store(url)
    assert one.try_lock(SYNC_LOCK, "one", timedelta(minutes=5))
    one.close()
    assert other.try_lock(SYNC_LOCK, "other", timedelta(minutes=5))
    other.close()


def test_the_default_lease_lets_a_dead_holder_block_syncing_for_under_a_minute(tmp_path: Path) -> None:
    config_path = tmp_path / "portal.toml"
    config_path.write_text("", encoding="utf-8")
    ttl = lock_ttl(load_config(config_path))
    assert timedelta(seconds=30) <= ttl <= timedelta(seconds=60)
    config_path.write_text("[sync]\nlock_lease_seconds = 1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="lock_lease_seconds"):
        load_config(config_path)


def test_a_source_never_read_makes_a_sync_due_at_once_but_once_per_interval_from_one_process(
    tmp_path: Path, make_portal: Callable[..., PortalSetup]
) -> None:
    setup = make_portal({"a": write_source(tmp_path / "a.xlsx"), "b": write_source(tmp_path / "b.xlsx")})
    portal = Portal(setup.config)
    assert portal.sync_now() is not None
    assert not portal.sync_due()
    # What a sync killed before reaching "b" leaves: "a" read a moment ago, "b" never.
    with portal.store.engine.begin() as conn:
        conn.execute(sync_runs.delete().where(sync_runs.c.source == "b"))
    assert Portal(setup.config).sync_due()  # another process (a restarted server) syncs at once
    # The process whose own sync just ran does not start another before the interval: a source that
    # breaks every sync is not retried on every page run.
    assert not portal.sync_due()
    assert portal.sync_due(datetime.now(UTC) + timedelta(minutes=setup.config.sync.interval_minutes))
