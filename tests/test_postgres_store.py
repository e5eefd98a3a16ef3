"""The store, the feedback store and the sign-in failures on a real PostgreSQL (a throwaway cluster).

The cluster is Debian's PostgreSQL, made and removed by tests/replicas_support.py; it is missing only
when `make test` did not run (it installs it), and then these tests fail, never skip.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import tomllib
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from conftest import SAMPLE_DATA, PortalSetup
from feedback_helpers import checked_response
from replicas_support import REPO, Cluster, postgres_cluster
from store_queries import snapshot_count

from core.questionnaire import parse_questionnaire
from data_sources.jobs.sync import SYNC_LOCK, run_sync
from data_sources.store.feedback_store import FeedbackStore
from data_sources.store.login_attempts import LoginAttempts
from data_sources.store.snapshot_store import Store, database_url, sync_runs

# Starts a throwaway PostgreSQL cluster (make test-fast leaves these out; make test runs them).
pytestmark = pytest.mark.postgres

QUESTIONNAIRE = parse_questionnaire(tomllib.loads((REPO / "kuesioner.toml").read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    with postgres_cluster() as made:
        yield made


@pytest.fixture
def pg_url(cluster: Cluster) -> str:
    """A fresh, empty database in the cluster for each test."""
    return cluster.create_database(f"t_{uuid.uuid4().hex[:12]}")


@pytest.fixture
def pg_portal(make_portal: Callable[..., PortalSetup], pg_url: str, monkeypatch: pytest.MonkeyPatch) -> PortalSetup:
    """Two sample workbooks, the store in PostgreSQL through DATABASE_URL (as a replica is configured)."""
    setup = make_portal({p.stem: p for p in sorted(SAMPLE_DATA.glob("*.xlsx"))[:2]}, sample=True)
    monkeypatch.setenv("DATABASE_URL", pg_url)
    return setup


def test_a_plain_postgresql_url_means_psycopg_3() -> None:
    assert database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("sqlite:///x.sqlite") == "sqlite:///x.sqlite"


def test_a_sync_saves_snapshots_runs_and_rows_in_postgresql(pg_portal: PortalSetup) -> None:
    config = pg_portal.config
    store = Store(config.database_url)
    assert store.engine.dialect.name == "postgresql"
    assert store.is_empty()
    outcomes = run_sync(config, store)
    assert outcomes is not None and {o.outcome for o in outcomes} == {"new"}, [o.line() for o in outcomes or []]
    latest = store.latest_snapshots()
    assert set(latest) == {s.name for s in config.sources}
    for info in latest.values():
        assert info.read_at.tzinfo is not None
        assert info.counts["program"]["accepted"] >= 1  # JSON read back as a dict
    ids = [info.id for info in latest.values()]
    programs = store.rows("program", ids)
    assert programs and all(isinstance(p["anggaran"], float) for p in programs if p.get("anggaran") is not None)
    sites = store.rows("lokasi", ids)
    assert any(isinstance(s.get("koordinat"), list) for s in sites)

    again = run_sync(config, store)
    assert again is not None and {o.outcome for o in again} == {"unchanged"}
    runs = store.latest_runs()
    assert {r.outcome for r in runs.values()} == {"unchanged"}
    last = store.last_attempt_at()
    assert last is not None and last.tzinfo is not None and datetime.now(UTC) - last < timedelta(minutes=5)
    store.close()


def test_a_store_made_by_an_earlier_version_gains_the_new_columns(pg_url: str) -> None:
    store = Store(pg_url)
    with store.engine.begin() as conn:
        conn.execute(sa.text("ALTER TABLE sync_runs DROP COLUMN duration_ms"))
        conn.execute(sa.text("ALTER TABLE sync_runs DROP COLUMN message_en"))
    store.close()
    reopened = Store(pg_url)
    columns = {c["name"] for c in sa.inspect(reopened.engine).get_columns("sync_runs")}
    assert {"duration_ms", "message_en"} <= columns
    reopened.close()


# --- the sync lock: a lease row in PostgreSQL, on the database's clock -----------------------------
# (a killed holder's lease lapsing: tests/test_sync_lease.py, with a real sync killed by kill -9)

HOLDER = textwrap.dedent(
    """
    import sys, time
    from datetime import timedelta
    from data_sources.store.snapshot_store import Store
    store = Store(sys.argv[1])
    print("taken" if store.try_lock(sys.argv[2], "child", timedelta(minutes=5)) else "busy", flush=True)
    if sys.stdin.readline().strip() == "release":
        store.release_lock(sys.argv[2], "child")
        print("released", flush=True)
        sys.stdin.readline()
    """
)


def _holder(url: str, name: str = SYNC_LOCK) -> subprocess.Popen[str]:
    child = subprocess.Popen(
        [sys.executable, "-c", HOLDER, url, name],
        cwd=REPO,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "taken"
    return child


def test_the_sync_lock_is_held_by_one_process_until_it_releases_it(pg_url: str) -> None:
    store = Store(pg_url)
    child = _holder(pg_url)
    try:
        assert not store.try_lock(SYNC_LOCK, "me", timedelta(minutes=1))
        holder = store.lock_holder(SYNC_LOCK)
        assert holder is not None and holder.pid == child.pid and not holder.expired
        assert store.try_lock("feedback-mirror", "me", timedelta(minutes=1))  # another name is free
        store.release_lock("feedback-mirror", "me")
        assert child.stdin is not None and child.stdout is not None
        child.stdin.write("release\n")
        child.stdin.flush()
        assert child.stdout.readline().strip() == "released"
        assert store.try_lock(SYNC_LOCK, "me", timedelta(minutes=1))
    finally:
        child.kill()
        child.wait()
    # Within one Store (threads of one replica): taken once, refused again, released only by its holder.
    assert not store.try_lock(SYNC_LOCK, "another-thread", timedelta(minutes=1))
    store.release_lock(SYNC_LOCK, "another-thread")
    assert not store.try_lock(SYNC_LOCK, "another-thread", timedelta(minutes=1))
    store.release_lock(SYNC_LOCK, "me")
    assert store.try_lock(SYNC_LOCK, "another-thread", timedelta(minutes=1))
    store.release_lock(SYNC_LOCK, "another-thread")
    store.close()


def test_a_lapsed_lease_is_taken_over_by_the_first_store_that_asks_and_refused_to_the_next(pg_url: str) -> None:
    one, other = Store(pg_url), Store(pg_url)
    assert one.try_lock(SYNC_LOCK, "dead", timedelta(seconds=-1))  # a lease already past, as a dead holder's
    dead = one.lock_holder(SYNC_LOCK)
    assert dead is not None and dead.expired
    taken = [
        one.try_lock(SYNC_LOCK, "one", timedelta(minutes=1)),
        other.try_lock(SYNC_LOCK, "other", timedelta(minutes=1)),
    ]
    assert taken == [True, False]
    assert not one.renew_lock(SYNC_LOCK, "dead", timedelta(minutes=1))  # the dead holder's lease is gone for good
    one.close()
    other.close()


def test_closing_a_store_ends_its_locks(pg_url: str) -> None:
    one, other = Store(pg_url), Store(pg_url)
    assert one.try_lock(SYNC_LOCK, "one", timedelta(minutes=1))
    assert not other.try_lock(SYNC_LOCK, "other", timedelta(minutes=1))
    one.close()
    assert other.try_lock(SYNC_LOCK, "other", timedelta(minutes=1))
    other.release_lock(SYNC_LOCK, "other")
    other.close()


def test_a_sync_does_nothing_while_another_process_holds_the_lock(pg_portal: PortalSetup) -> None:
    config = pg_portal.config
    store = Store(config.database_url)
    child = _holder(config.database_url)
    try:
        assert run_sync(config, store) is None
        with store.engine.connect() as conn:
            assert conn.execute(sa.select(sa.func.count()).select_from(sync_runs)).scalar_one() == 0
    finally:
        child.kill()
        child.wait()
    store.close()


def _runs_per_source(store: Store) -> dict[str, int]:
    with store.engine.connect() as conn:
        return dict(conn.execute(sa.select(sync_runs.c.source, sa.func.count()).group_by(sync_runs.c.source)).all())


def test_two_sync_commands_at_once_record_what_one_sync_records(
    pg_portal: PortalSetup, cluster: Cluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The scheduled `python -m data_sources sync` started on two machines at the same moment."""
    url = pg_portal.config.database_url
    command = [sys.executable, "-m", "data_sources", "sync", "--config", str(pg_portal.config_path)]
    children = [
        subprocess.Popen(
            command, cwd=REPO, env={**os.environ, "DATABASE_URL": url}, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for _ in range(2)
    ]
    said = [child.communicate(timeout=120) for child in children]
    store = Store(url)
    together = _runs_per_source(store)

    # What one sync alone records on an empty database (sample history included).
    monkeypatch.setenv("DATABASE_URL", cluster.create_database(f"t_{uuid.uuid4().hex[:12]}"))
    alone_store = Store(pg_portal.config.database_url)
    assert run_sync(pg_portal.config, alone_store) is not None
    alone = _runs_per_source(alone_store)
    assert set(together) == set(alone) == {s.name for s in pg_portal.config.sources}
    busy = [b"another sync is running" in err for _, err in said]
    if any(busy):
        # One found the lock taken and did nothing.
        assert together == alone, (together, alone)
    else:
        # They ran one after the other: the second found nothing new (one "unchanged" run per source).
        assert together == {k: v + 1 for k, v in alone.items()}, (together, alone, said)
    assert snapshot_count(store) == snapshot_count(alone_store)
    store.close()
    alone_store.close()


# --- feedback and sign-in failures on the same engine --------------------------------------------


def test_a_feedback_response_is_committed_and_read_back_by_another_replica(pg_url: str) -> None:
    one, other = Store(pg_url), Store(pg_url)
    writer, reader = FeedbackStore(one.engine), FeedbackStore(other.engine)
    assert writer.salt() == reader.salt()
    now = datetime.now(UTC)
    response = checked_response(QUESTIONNAIRE, saran="Antrean perlu dipercepat, hubungi 081234567890")
    response_id = writer.add(response, session_key="s" * 32, client_key="c" * 32, now=now)

    found = reader.response(response_id)
    assert found is not None and found["created_at"].tzinfo is not None
    assert found["knows"] is True and found["suggestion_status"] == "pending"
    assert reader.count() == 1
    public = reader.public_responses()
    assert [r["id"] for r in public] == [response_id] and public[0]["saran"] == ""
    recent = reader.recent("s" * 32, "c" * 32, response.fingerprint(), now + timedelta(seconds=1), 24)
    assert recent.from_session == 1 and recent.duplicate

    assert reader.moderate(response_id, "approved")
    assert writer.approved_suggestions()[0]["saran"] == response.masked_suggestion
    reader.set_population("umum", 1200)
    reader.set_population("umum", 1500)
    assert writer.populations() == {"umum": 1500}

    due = writer.due(now + timedelta(seconds=1))
    assert [e.response["id"] for e in due] == [response_id]
    writer.mark_failed([response_id], now, "sheet unreachable", now + timedelta(minutes=1))
    status = reader.outbox_status()
    assert status.waiting == 1 and status.last_error == "sheet unreachable" and status.oldest_waiting is not None
    reader.mark_mirrored([response_id], now)
    assert writer.outbox_status().mirrored == 1
    one.close()
    other.close()


def test_sign_in_failures_are_shared_by_every_replica(pg_url: str) -> None:
    one, other = Store(pg_url), Store(pg_url)
    a, b = LoginAttempts(one.engine), LoginAttempts(other.engine)
    assert a.salt == b.salt
    now = datetime.now(UTC)
    a.record_failure("k1", now - timedelta(hours=2))
    a.record_failure("k1", now)
    b.record_failure("k2", now)
    since = b.failures_since("k1", now - timedelta(minutes=15))
    assert len(since) == 1 and since[0].tzinfo is not None and abs(since[0] - now) < timedelta(seconds=1)
    assert a.forget_before(now - timedelta(hours=1)) == 1
    b.clear("k1")
    assert a.failures_since("k1", now - timedelta(days=1)) == []
    assert len(a.failures_since("k2", now - timedelta(days=1))) == 1
    one.close()
    other.close()
