"""One sync at a time across processes, and the background sync when the data are older than the interval."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from conftest import PortalSetup, write_source

from data_sources.jobs.sync import SYNC_LOCK, run_sync
from data_sources.store.snapshot_store import Store, sync_runs
from server.portal import Portal


def _runs(store: Store) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(sync_runs)).scalar_one())


def test_a_sync_does_nothing_while_another_holds_the_lock(
    tmp_path: Path, make_portal: Callable[..., PortalSetup]
) -> None:
    setup = make_portal({"disperkim": write_source(tmp_path / "a.xlsx")})
    store = Store(setup.config.database_url)
    assert store.try_lock(SYNC_LOCK, "another-process", timedelta(minutes=5))
    assert run_sync(setup.config, store) is None
    assert _runs(store) == 0
    store.release_lock(SYNC_LOCK, "another-process")
    outcomes = run_sync(setup.config, store)
    assert outcomes is not None and [o.outcome for o in outcomes] == ["new"]


def test_a_lock_left_by_a_crashed_sync_expires(tmp_path: Path, make_portal: Callable[..., PortalSetup]) -> None:
    setup = make_portal({"disperkim": write_source(tmp_path / "a.xlsx")})
    store = Store(setup.config.database_url)
    assert store.try_lock(SYNC_LOCK, "crashed", timedelta(seconds=-1))  # already past its expiry
    assert run_sync(setup.config, store) is not None
    assert store.try_lock(SYNC_LOCK, "next", timedelta(minutes=1))  # and the finished sync released it


def test_only_the_holder_releases_the_lock(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 's.sqlite'}")
    assert store.try_lock("sync", "a", timedelta(minutes=1))
    store.release_lock("sync", "b")
    assert not store.try_lock("sync", "c", timedelta(minutes=1))


def test_the_portal_syncs_in_the_background_only_when_the_last_sync_is_older_than_the_interval(
    tmp_path: Path, make_portal: Callable[..., PortalSetup]
) -> None:
    setup = make_portal({"disperkim": write_source(tmp_path / "a.xlsx")})
    portal = Portal(setup.config)
    portal.sync_if_empty()
    assert _runs(portal.store) == 1
    assert not portal.sync_due()
    assert portal.sync_in_background_if_due() is None

    with portal.store.engine.begin() as conn:
        conn.execute(sync_runs.update().values(finished_at=datetime.now(UTC) - timedelta(minutes=6)))
    assert portal.sync_due()
    portal._checked_at = float("-inf")  # the 30-second throttle on asking the store
    thread = portal.sync_in_background_if_due()
    assert thread is not None
    thread.join(timeout=60)
    assert _runs(portal.store) == 2
    assert not portal.sync_due()
