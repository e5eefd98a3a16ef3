"""A damaged store (pages of the SQLite file overwritten) is told, survived and recoverable.

Real parts throughout: a real SQLite file filled by a real sync, damaged by overwriting its pages on disk,
checked with PRAGMA quick_check, backed up and restored by the CLI, and the real app through AppTest.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import tomllib
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import APOLOGY, PortalSetup, run_app, write_source
from feedback_helpers import checked_response
from replicas_support import REPO, Cluster, postgres_cluster
from store_queries import snapshot_count

from core.questionnaire import parse_questionnaire
from core.survey import ELEMENTS
from data_sources.cli import main
from data_sources.config.portal_config import load_config
from data_sources.jobs.sync import run_sync
from data_sources.store.feedback_intake import Feedback
from data_sources.store.feedback_store import FeedbackStore
from data_sources.store.snapshot_store import Store
from data_sources.store.store_integrity import check_store
from server.portal import _portal_for

QUESTIONNAIRE = parse_questionnaire(tomllib.loads((REPO / "kuesioner.toml").read_text(encoding="utf-8")))
LONG_AGO = datetime(2026, 1, 1, tzinfo=UTC)


def damage(database: Path) -> None:
    """Overwrite every page but the first (the header) with garbage, as a failing disk or a stray write would."""
    with sqlite3.connect(database) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # everything in the main file, nothing left in the WAL
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    size = database.stat().st_size
    assert size > 2 * page_size
    with database.open("r+b") as f:
        for offset in range(page_size, size, page_size):
            f.seek(offset)
            f.write(b"\xa5" * page_size)


@pytest.fixture
def filled(make_portal: Callable[..., PortalSetup], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> PortalSetup:
    """One workbook synced into a SQLite store, and one survey response in it."""
    setup = make_portal({"disperkim": write_source(tmp_path / "perkim.xlsx")})
    with setup.config_path.open("a", encoding="utf-8") as f:
        f.write('\n[feedback]\nmin_seconds = 0\nspool_file = "spool/feedback.jsonl"\n')
    monkeypatch.setenv("PORTAL_CONFIG", str(setup.config_path))
    store = Store(setup.config.database_url)
    try:
        assert run_sync(setup.config, store)
        FeedbackStore(store.engine).add(
            checked_response(QUESTIONNAIRE), session_key="s", client_key="c", now=datetime.now(UTC)
        )
    finally:
        store.close()
    return setup


@pytest.fixture
def fresh_portal() -> Iterator[None]:
    _portal_for.clear()
    yield
    _portal_for.clear()


def test_quick_check_finds_overwritten_pages(filled: PortalSetup) -> None:
    assert check_store(filled.config.database_url).ok
    damage(filled.database)
    found = check_store(filled.config.database_url)
    assert not found.ok
    assert "DAMAGED" in found.line() and str(filled.database) in found.line()


def test_a_damaged_store_is_restored_from_the_backup_command(filled: PortalSetup, tmp_path: Path) -> None:
    config = str(filled.config_path)
    backup = tmp_path / "backups" / "portal.sqlite"
    assert main(["backup", str(backup), "--config", config]) == 0
    damage(filled.database)
    # A backup of a damaged store is written but reported as damaged (exit 1), never passed off as good.
    assert main(["backup", str(tmp_path / "bad.sqlite"), "--config", config]) == 1

    assert main(["restore", str(backup), "--config", config]) == 0

    assert check_store(filled.config.database_url).ok
    store = Store(filled.config.database_url)
    try:
        assert snapshot_count(store) == 1
        assert FeedbackStore(store.engine).count() == 1
    finally:
        store.close()
    # The damaged file is kept aside for a forensic look, never deleted.
    assert list(filled.folder.glob("store.sqlite.damaged-*"))


def test_restore_refuses_a_damaged_backup_and_leaves_the_store_alone(filled: PortalSetup, tmp_path: Path) -> None:
    backup = tmp_path / "portal-backup.sqlite"
    assert main(["backup", str(backup), "--config", str(filled.config_path)]) == 0
    damage(backup)
    assert main(["restore", str(backup), "--config", str(filled.config_path)]) == 2
    assert check_store(filled.config.database_url).ok


def test_a_response_the_store_cannot_take_is_spooled_and_replayed_when_the_store_is_back(
    filled: PortalSetup, tmp_path: Path
) -> None:
    backup = tmp_path / "portal-backup.sqlite"
    assert main(["backup", str(backup), "--config", str(filled.config_path)]) == 0
    config = load_config(filled.config_path)
    store = Store(config.database_url)
    feedback = Feedback(config, FeedbackStore(store.engine))
    response = checked_response(QUESTIONNAIRE, saran="Jalan depan rumah sudah bagus")
    damage(filled.database)
    store.engine.dispose()  # no pooled connection keeps pages of the healthy file in its cache

    sent = feedback.submit(response, session="s1", address="10.0.0.1", opened_at=LONG_AGO)

    assert sent.response_id is not None and sent.spooled
    lines = (filled.folder / "spool" / "feedback.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["id"] for line in lines] == [sent.response_id]
    store.close()

    assert main(["restore", str(backup), "--config", str(filled.config_path)]) == 0
    store = Store(config.database_url)
    try:
        replayed = Feedback(config, FeedbackStore(store.engine)).replay_quietly()
        assert replayed is not None and (replayed.stored, replayed.kept) == (1, 0)
        row = FeedbackStore(store.engine).response(sent.response_id)
        assert row is not None
        assert row["suggestion"] == "Jalan depan rumah sudah bagus" and row["suggestion_status"] == "pending"
        assert row["created_at"] > datetime.now(UTC) - timedelta(minutes=5)
        # The outbox entry came with it: the mirror will still receive this response.
        assert [e.response["id"] for e in FeedbackStore(store.engine).due(datetime.now(UTC))][-1] == sent.response_id
        # A second replay finds nothing left: no response is stored twice.
        assert Feedback(config, FeedbackStore(store.engine)).replay_quietly() is None
    finally:
        store.close()


def test_a_response_is_refused_without_a_thank_you_when_neither_store_nor_spool_can_take_it(
    filled: PortalSetup,
) -> None:
    config = load_config(filled.config_path)
    store = Store(config.database_url)
    feedback = Feedback(config, FeedbackStore(store.engine))
    damage(filled.database)
    store.engine.dispose()
    (filled.folder / "spool").write_text("not a folder", encoding="utf-8")  # the spool cannot be created
    try:
        with pytest.raises(OSError):
            feedback.submit(checked_response(QUESTIONNAIRE), session="s", address=None, opened_at=LONG_AGO)
    finally:
        store.close()


@pytest.mark.parametrize("page", ["app_pages/map.py", "app_pages/survey_results.py", "app_pages/overview.py"])
def test_after_a_restart_on_a_damaged_store_pages_say_the_data_are_unavailable_and_link_the_open_data(
    filled: PortalSetup, fresh_portal: None, page: str, caplog: pytest.LogCaptureFixture
) -> None:
    damage(filled.database)
    with caplog.at_level(logging.ERROR, logger="portal"):
        at = run_app(page)
    assert not at.exception
    shown = " ".join(w.value for w in at.warning)
    assert "Data portal untuk sementara tidak tersedia" in shown
    assert not any(a in e.value for e in at.error for a in APOLOGY)
    links = " ".join(m.value for m in at.markdown)
    assert "/app/static/data/capaian.csv" in links
    # The admin finds the check's finding in the log, with the file and what to do.
    assert any("DAMAGED" in r.getMessage() and "Restore the last backup" in r.getMessage() for r in caplog.records)


def test_after_a_restart_on_a_damaged_store_the_survey_still_takes_a_general_response(
    filled: PortalSetup, fresh_portal: None
) -> None:
    damage(filled.database)
    at = run_app("app_pages/feedback.py")
    assert not at.exception
    at.radio(key="fb_tahu").set_value("ya")
    at.radio(key="fb_pernah").set_value("ya")
    for key in ELEMENTS:
        at.radio(key=f"fb_{key}").set_value(4)
    at.radio(key="fb_manfaat").set_value(3)
    next(b for b in at.button if b.label in ("Kirim tanggapan", "Send response")).click()
    at.run()
    assert not at.exception
    thanks = [s.value for s in at.success]
    assert thanks and "QW-" in thanks[0]
    response_id = thanks[0].split("**")[1]
    spooled = (filled.folder / "spool" / "feedback.jsonl").read_text(encoding="utf-8")
    assert response_id in spooled


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    with postgres_cluster() as made:
        yield made


@pytest.mark.postgres
def test_a_postgresql_store_is_backed_up_with_pg_dump_and_restored_with_pg_restore(
    make_portal: Callable[..., PortalSetup], cluster: Cluster, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    url = cluster.create_database(f"t_{uuid.uuid4().hex[:12]}")
    monkeypatch.setenv("DATABASE_URL", url)
    setup = make_portal({"disperkim": write_source(tmp_path / "perkim.xlsx")})
    store = Store(url)
    try:
        assert run_sync(setup.config, store)
        FeedbackStore(store.engine).add(checked_response(QUESTIONNAIRE), session_key="s", client_key="c", now=LONG_AGO)
    finally:
        store.close()
    backup = tmp_path / "portal.dump"
    assert main(["backup", str(backup), "--config", str(setup.config_path)]) == 0
    assert backup.read_bytes().startswith(b"PGDMP")  # pg_dump's custom format, what pg_restore reads
    # The damage PostgreSQL lets one do: rows gone from two tables.
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM feedback_outbox"))
        conn.execute(sa.text("DELETE FROM feedback_responses"))
    engine.dispose()

    assert main(["restore", str(backup), "--config", str(setup.config_path)]) == 0

    store = Store(url)
    try:
        assert FeedbackStore(store.engine).count() == 1
        assert snapshot_count(store) == 1
    finally:
        store.close()
