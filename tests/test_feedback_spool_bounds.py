"""While the store is down, the survey cannot fill the disk and the limits still hold.

Real parts: a real SQLite store filled by a real sync, damaged by overwriting its pages on disk (as in
test_store_damage.py) or write-locked by another connection, the real spool file, the real app through AppTest,
and real processes sharing the spool. Before, every response went to the spool unbounded and uncounted.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import subprocess
import sys
import time
import tomllib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import PortalSetup, run_app, write_source
from feedback_helpers import checked_response
from replicas_support import REPO
from test_store_damage import damage

from core.feedback_rules import Response
from core.questionnaire import parse_questionnaire
from core.survey import ELEMENTS
from data_sources.cli import main
from data_sources.config.portal_config import Config, load_config
from data_sources.jobs.sync import run_sync
from data_sources.store.feedback_intake import Feedback, Submitted
from data_sources.store.feedback_store import FeedbackStore, new_response_id, response_row
from data_sources.store.snapshot_store import Store
from server.portal import _portal_for

QUESTIONNAIRE = parse_questionnaire(tomllib.loads((REPO / "kuesioner.toml").read_text(encoding="utf-8")))
LONG_AGO = datetime(2026, 1, 1, tzinfo=UTC)
MB = 1024 * 1024
PER_ADDRESS = 10
# The most a suggestion may hold: the longest line a resident can add to the spool.
LONG = "Jalan lingkungan kami sudah diperbaiki, terima kasih. " * 18


def response(i: int, suggestion: str = "") -> Response:
    """The i-th of many different responses (no two are duplicates of each other)."""
    element = list(ELEMENTS)[i % 9]
    return checked_response(QUESTIONNAIRE, **{element: 1 + (i // 9) % 4, "saran": f"{suggestion} nomor {i}".strip()})


def _setup(make_portal: Callable[..., PortalSetup], tmp_path: Path, feedback: str) -> PortalSetup:
    """A synced SQLite store with one response and a backup beside it, and the limits the concurrency test uses."""
    made = make_portal({"disperkim": write_source(tmp_path / "perkim.xlsx")})
    with made.config_path.open("a", encoding="utf-8") as f:
        f.write(
            '\n[feedback]\nmin_seconds = 0\nspool_file = "spool/feedback.jsonl"\n'
            f"per_address_per_hour = {PER_ADDRESS}\nper_session_per_hour = 3\n{feedback}"
        )
    store = Store(made.config.database_url)
    try:
        assert run_sync(made.config, store)
        FeedbackStore(store.engine).add(response(999), session_key="s", client_key="c", now=datetime.now(UTC))
    finally:
        store.close()
    assert main(["backup", str(made.folder / "backup.sqlite"), "--config", str(made.config_path)]) == 0
    return made


@pytest.fixture
def setup(make_portal: Callable[..., PortalSetup], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> PortalSetup:
    """The spool as configured by default (20 MB)."""
    made = _setup(make_portal, tmp_path, "")
    monkeypatch.setenv("PORTAL_CONFIG", str(made.config_path))
    return made


@pytest.fixture
def capped(make_portal: Callable[..., PortalSetup], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> PortalSetup:
    """A spool of at most 1 MB."""
    made = _setup(make_portal, tmp_path, "spool_max_mb = 1\n")
    monkeypatch.setenv("PORTAL_CONFIG", str(made.config_path))
    return made


def spool_path(setup: PortalSetup) -> Path:
    return setup.folder / "spool" / "feedback.jsonl"


def down_feedback(config: Config) -> Feedback:
    """The survey's service on a damaged store, as the page gets it when the store does not even open."""
    damage(config.resolve("store.sqlite"))
    return Feedback(config, FeedbackStore(sa.create_engine(config.database_url), create=False))


def fill_spool(setup: PortalSetup, up_to: int) -> list[str]:
    """Responses accepted earlier (two hours ago, each from its own address), spooled until the file holds
    ``up_to`` bytes but for less than 200; returns their ids."""
    created = datetime.now(UTC) - timedelta(hours=2)

    def line(i: int, suggestion: str) -> tuple[str, str]:
        row = response_row(response(i, suggestion), session_key=f"s{i}", client_key=f"c{i}", now=created)
        row["created_at"] = {"$datetime": created.isoformat()}
        response_id = new_response_id()
        return response_id, json.dumps({"id": response_id, "row": row}, ensure_ascii=False) + "\n"

    ids, lines, size = [], [], 0
    while up_to - size > 200:
        suggestion = LONG
        response_id, text = line(len(ids), suggestion)
        while size + len(text) > up_to and suggestion:
            # The last one is shorter, to fill what is left: the suggestion is kept twice (as written, masked).
            suggestion = suggestion[: max(0, len(suggestion) - (size + len(text) - up_to) // 2 - 1)]
            response_id, text = line(len(ids), suggestion)
        if size + len(text) > up_to:
            break
        ids.append(response_id)
        lines.append(text)
        size += len(text)
    path = spool_path(setup)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(lines), encoding="utf-8")
    assert up_to - 200 < path.stat().st_size <= up_to
    return ids


def stored_ids(config: Config) -> set[str]:
    """Restore the backup, replay the spool into the store, and return every response id the store then holds."""
    assert main(["restore", str(config.base / "backup.sqlite"), "--config", str(config.base / "portal.toml")]) == 0
    store = Store(config.database_url)
    try:
        replayed = Feedback(config, FeedbackStore(store.engine)).replay()
        assert replayed.kept == 0
        with store.engine.connect() as conn:
            return set(conn.execute(sa.text("SELECT id FROM feedback_responses")).scalars())
    finally:
        store.close()


def test_a_full_spool_refuses_a_response_without_a_thank_you_and_keeps_every_one_it_accepted(
    capped: PortalSetup, caplog: pytest.LogCaptureFixture
) -> None:
    setup = capped
    config = load_config(setup.config_path)
    feedback = down_feedback(config)
    earlier = fill_spool(setup, MB - 6_000)  # room for two or three more long responses
    results: list[Submitted] = []
    with caplog.at_level(logging.ERROR, logger="portal"):
        for i in range(8):
            results.append(
                feedback.submit(response(i, LONG), session=f"s{i}", address=f"10.0.0.{i}", opened_at=LONG_AGO)
            )
    # One ERROR line for the admin, naming the file and the key, without a traceback; the refusals that follow
    # within the minute are counted, not logged one by one (a flood must not flood the log).
    full_lines = [r for r in caplog.records if "is full" in r.getMessage()]
    assert len(full_lines) == 1 and full_lines[0].levelno == logging.ERROR
    assert "spool_max_mb" in full_lines[0].getMessage() and full_lines[0].exc_info is None

    accepted = [r for r in results if r.response_id is not None]
    refused = [r for r in results if r.response_id is None]
    assert accepted and refused
    assert results == accepted + refused  # once full, every later one is refused (nothing frees space meanwhile)
    assert all(r.spooled for r in accepted)
    assert all(r.spool_full and r.refusal is None and not r.spooled for r in refused)
    assert spool_path(setup).stat().st_size <= MB

    # Everything accepted, before and now, reaches the store once it is back; nothing refused does.
    ids = stored_ids(config)
    assert set(earlier) <= ids
    assert {r.response_id for r in accepted} <= ids
    assert len(ids) == 1 + len(earlier) + len(accepted)


def test_a_store_down_or_a_full_spool_is_logged_once_a_minute_with_the_count_held_back(
    capped: PortalSetup, caplog: pytest.LogCaptureFixture
) -> None:
    config = load_config(capped.config_path)
    feedback = down_feedback(config)
    start = datetime.now(UTC)

    def submit_many(count: int, first: int, at: datetime) -> None:
        for i in range(first, first + count):
            feedback.submit(response(i), session=f"s{i}", address=f"10.1.0.{i}", opened_at=LONG_AGO, now=at)

    with caplog.at_level(logging.ERROR, logger="portal"):
        submit_many(12, 0, start)
        down = [r for r in caplog.records if "cannot take a response" in r.getMessage()]
        assert len(down) == 1 and down[0].exc_info is not None  # the cause, with its traceback, once
        caplog.clear()
        submit_many(3, 12, start + timedelta(seconds=61))
        down = [r for r in caplog.records if "cannot take a response" in r.getMessage()]
        assert len(down) == 1 and "(11 more since the last message, not logged)" in down[0].getMessage()

        fill_spool(capped, MB - 100)
        caplog.clear()
        submit_many(5, 20, start + timedelta(minutes=3))
        full = [r for r in caplog.records if "is full" in r.getMessage()]
        assert len(full) == 1 and "more since" not in full[0].getMessage()
        caplog.clear()
        submit_many(1, 30, start + timedelta(minutes=5))
        full = [r for r in caplog.records if "is full" in r.getMessage()]
        assert len(full) == 1 and "(4 more since the last message, not logged)" in full[0].getMessage()


def test_the_survey_page_says_a_response_could_not_be_saved_when_the_spool_is_full(capped: PortalSetup) -> None:
    setup = capped
    _portal_for.clear()
    try:
        damage(setup.database)
        fill_spool(setup, MB - 200)  # no response fits any more
        before = spool_path(setup).read_bytes()
        at = run_app("app_pages/feedback.py")
        at.radio(key="fb_tahu").set_value("ya")
        at.radio(key="fb_pernah").set_value("ya")
        for key in ELEMENTS:
            at.radio(key=f"fb_{key}").set_value(4)
        at.radio(key="fb_manfaat").set_value(3)
        next(b for b in at.button if b.label == "Kirim tanggapan").click()
        at.run()
    finally:
        _portal_for.clear()
    assert not at.exception
    assert not at.success  # no thank-you and no number for a response that was not kept
    shown = " ".join(e.value for e in at.error)
    assert "belum dapat disimpan" in shown and "kirim lagi nanti" in shown
    assert at.radio(key="fb_manfaat").value == 3  # the answers stay for another try
    assert spool_path(setup).read_bytes() == before


def _eleven_from_one_address(feedback: Feedback, now: datetime) -> list[Submitted]:
    return [
        feedback.submit(response(i), session=f"session-{i}", address="203.0.113.7", opened_at=LONG_AGO, now=now)
        for i in range(PER_ADDRESS + 1)
    ]


@pytest.mark.parametrize("store_up", [True, False], ids=["store up", "store down"])
def test_the_eleventh_response_from_one_address_within_the_hour_is_refused_whether_or_not_the_store_is_up(
    setup: PortalSetup, store_up: bool
) -> None:
    config = load_config(setup.config_path)
    store = Store(config.database_url) if store_up else None
    feedback = Feedback(config, FeedbackStore(store.engine)) if store else down_feedback(config)
    now = datetime.now(UTC)
    try:
        results = _eleven_from_one_address(feedback, now)
        assert [r.response_id is not None for r in results] == [True] * PER_ADDRESS + [False]
        assert all(r.spooled is not store_up for r in results[:PER_ADDRESS])
        refusal = results[-1].refusal
        assert refusal is not None and "jaringan Anda" in refusal.id and "your network" in refusal.en
        # Another address is not held back by this one.
        other = feedback.submit(response(50), session="other", address="198.51.100.1", opened_at=LONG_AGO, now=now)
        assert other.response_id is not None
        # An hour later the address may send again, as the rules say.
        later = now + timedelta(hours=1, minutes=1)
        again = feedback.submit(response(60), session="later", address="203.0.113.7", opened_at=LONG_AGO, now=later)
        assert again.response_id is not None
    finally:
        if store:
            store.close()


def test_while_the_store_is_down_the_session_limit_and_the_duplicate_rule_hold(setup: PortalSetup) -> None:
    feedback = down_feedback(load_config(setup.config_path))
    sent = [feedback.submit(response(i), session="one", address=f"10.1.0.{i}", opened_at=LONG_AGO) for i in range(4)]
    assert [s.response_id is not None for s in sent] == [True, True, True, False]
    assert sent[-1].refusal is not None and "batasnya 3" in sent[-1].refusal.id
    twice = [feedback.submit(response(7), session=f"t{i}", address="10.2.0.1", opened_at=LONG_AGO) for i in range(2)]
    assert twice[0].response_id is not None
    assert twice[1].refusal is not None and "sama persis" in twice[1].refusal.id
    # Only what was accepted was spooled: three from the session, one of the two identical responses.
    assert len(spool_path(setup).read_text(encoding="utf-8").splitlines()) == 4


def test_a_store_that_reads_but_cannot_write_still_counts_what_it_holds_toward_the_limit(
    setup: PortalSetup,
) -> None:
    config = load_config(setup.config_path)
    # A short wait for SQLite's write lock, so a locked store fails fast and the response is spooled.
    engine = sa.create_engine(config.database_url, connect_args={"timeout": 0.2})
    feedback = Feedback(config, FeedbackStore(engine))
    now = datetime.now(UTC)
    first = [
        feedback.submit(response(i), session=f"up-{i}", address="203.0.113.9", opened_at=LONG_AGO, now=now)
        for i in range(6)
    ]
    assert all(r.response_id is not None and not r.spooled for r in first)
    holder = sqlite3.connect(setup.database, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        rest = [
            feedback.submit(response(10 + i), session=f"down-{i}", address="203.0.113.9", opened_at=LONG_AGO, now=now)
            for i in range(5)
        ]
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        engine.dispose()
    # 6 in the store and 4 in the spool make the 10 the address may send in the hour; the 11th is refused.
    assert [r.spooled for r in rest[:4]] == [True] * 4
    assert rest[4].response_id is None and rest[4].refusal is not None and "jaringan Anda" in rest[4].refusal.id


# Each process builds its own survey service on the damaged store (and so hashes with its own fallback salt, the
# store's being unreadable), waits for the go file, then sends its share from one address.
_SENDER = """
import json, sys, time, tomllib
from datetime import UTC, datetime
from pathlib import Path
import sqlalchemy as sa
from data_sources.config.portal_config import load_config
from data_sources.store.feedback_intake import Feedback
from data_sources.store.feedback_store import FeedbackStore
from core.questionnaire import parse_questionnaire
from core.survey import ELEMENTS
from feedback_helpers import checked_response

config_path, go, process, count = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
config = load_config(config_path)
feedback = Feedback(config, FeedbackStore(sa.create_engine(config.database_url), create=False))
questionnaire = parse_questionnaire(tomllib.loads(Path("kuesioner.toml").read_text(encoding="utf-8")))
(go.parent / f"ready-{process}").touch()
while not go.exists():
    time.sleep(0.005)
accepted = 0
for j in range(count):
    i = process * count + j
    answer = {list(ELEMENTS)[i % 9]: 1 + (i // 9) % 4, "saran": f"saran nomor {i}"}
    sent = feedback.submit(
        checked_response(questionnaire, **answer),
        session=f"p{process}-{j}",
        address="203.0.113.7",
        opened_at=datetime(2026, 1, 1, tzinfo=UTC),
    )
    accepted += sent.response_id is not None
print(json.dumps({"accepted": accepted}))
"""


def test_processes_sending_together_from_one_address_never_pass_the_hourly_limit_through_the_spool(
    setup: PortalSetup,
) -> None:
    damage(setup.database)
    go = setup.folder / "go"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), str(REPO / "tests")])}
    children = [
        subprocess.Popen(
            [sys.executable, "-c", _SENDER, str(setup.config_path), str(go), str(p), "8"],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for p in range(4)
    ]
    deadline = time.monotonic() + 60
    while not all((setup.folder / f"ready-{p}").exists() for p in range(4)):  # each built its service
        assert time.monotonic() < deadline and all(c.poll() is None for c in children), "a sender did not start"
        time.sleep(0.01)
    go.touch()  # they start sending together
    accepted = 0
    for child in children:
        out, err = child.communicate(timeout=120)
        assert child.returncode == 0, err[-2000:]
        accepted += json.loads(out.strip().splitlines()[-1])["accepted"]
    assert accepted == PER_ADDRESS
    assert len(spool_path(setup).read_text(encoding="utf-8").splitlines()) == PER_ADDRESS
