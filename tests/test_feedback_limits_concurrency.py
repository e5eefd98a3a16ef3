"""The hourly feedback limits hold exactly when many sessions from one address submit at the same moment.

Real threads against a real store (a SQLite file; a throwaway PostgreSQL cluster for the postgres test):
counting and writing were two steps, so concurrent sessions all saw the same count and passed together.
With the store down (its SQLite file damaged) the responses go to the spool, counted under its file lock.
"""

from __future__ import annotations

import threading
import tomllib
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import PortalSetup
from feedback_helpers import checked_response
from replicas_support import REPO, Cluster, postgres_cluster
from test_store_damage import damage

from core.questionnaire import parse_questionnaire
from core.survey import ELEMENTS
from data_sources.config.portal_config import Config, load_config
from data_sources.store.feedback_intake import Feedback, Submitted
from data_sources.store.feedback_store import FeedbackStore
from data_sources.store.snapshot_store import Store

QUESTIONNAIRE = parse_questionnaire(tomllib.loads((REPO / "kuesioner.toml").read_text(encoding="utf-8")))
SUBMISSIONS = 50
PER_ADDRESS = 10


def _config(make_portal: Callable[..., PortalSetup]) -> PortalSetup:
    setup = make_portal({})
    with setup.config_path.open("a", encoding="utf-8") as f:
        f.write(f"\n[feedback]\nmin_seconds = 0\nper_address_per_hour = {PER_ADDRESS}\nper_session_per_hour = 3\n")
    return setup


def _submit_all_at_once(feedback: Feedback) -> list[Submitted]:
    """50 sessions from one address, each with different answers (no duplicate refusal), released together."""
    opened = datetime(2026, 1, 1, tzinfo=UTC)
    responses = [
        checked_response(QUESTIONNAIRE, **{list(ELEMENTS)[i % 9]: 1 + (i // 9) % 4, "saran": f"saran nomor {i}"})
        for i in range(SUBMISSIONS)
    ]
    start = threading.Barrier(SUBMISSIONS)
    results: list[Submitted | BaseException] = [RuntimeError("not run")] * SUBMISSIONS

    def send(i: int) -> None:
        start.wait()
        try:
            results[i] = feedback.submit(responses[i], session=f"session-{i}", address="203.0.113.7", opened_at=opened)
        except BaseException as exc:  # reported below with the others
            results[i] = exc

    threads = [threading.Thread(target=send, args=(i,)) for i in range(SUBMISSIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    failures = [r for r in results if isinstance(r, BaseException)]
    assert not failures, failures[:3]
    return [r for r in results if isinstance(r, Submitted)]


def _check(feedback: Feedback, store: FeedbackStore | None) -> None:
    results = _submit_all_at_once(feedback)
    accepted = [r for r in results if r.response_id is not None]
    if store is not None:
        assert not any(r.spooled for r in accepted)  # the store took every one it accepted
        assert store.count() == PER_ADDRESS
    else:
        assert all(r.spooled for r in accepted)
        assert feedback.spool.waiting() == PER_ADDRESS
    assert len(accepted) == PER_ADDRESS
    refused = [r for r in results if r.response_id is None]
    assert len(refused) == SUBMISSIONS - PER_ADDRESS
    assert all(r.refusal is not None and "jaringan Anda" in r.refusal.id for r in refused)


def _check_on_store(config: Config) -> None:
    store = Store(config.database_url)
    try:
        feedback_store = FeedbackStore(store.engine)
        _check(Feedback(config, feedback_store), feedback_store)
    finally:
        store.close()


def test_fifty_concurrent_submissions_from_one_address_never_pass_the_hourly_limit_on_sqlite(
    make_portal: Callable[..., PortalSetup],
) -> None:
    config = load_config(_config(make_portal).config_path)
    _check_on_store(config)


def test_fifty_concurrent_submissions_from_one_address_never_pass_the_hourly_limit_while_the_store_is_down(
    make_portal: Callable[..., PortalSetup],
) -> None:
    setup = _config(make_portal)
    config = load_config(setup.config_path)
    Store(config.database_url).close()
    damage(setup.database)
    _check(Feedback(config, FeedbackStore(sa.create_engine(config.database_url), create=False)), None)


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    with postgres_cluster() as made:
        yield made


@pytest.mark.postgres
def test_fifty_concurrent_submissions_from_one_address_never_pass_the_hourly_limit_on_postgresql(
    make_portal: Callable[..., PortalSetup], cluster: Cluster, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DATABASE_URL", cluster.create_database(f"t_{uuid.uuid4().hex[:12]}"))
    config = load_config(_config(make_portal).config_path)
    _check_on_store(config)
