"""Admin sign-in: the lockout rule, the failure log in a real SQLite store, and app_pages/admin.py through AppTest."""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import socket
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from conftest import PortalSetup, write_source
from streamlit.testing.v1 import AppTest

import components.admin_console
from components.admin_console import lockout_key
from core.formatting import date_time, escape_markdown
from core.lockout import attempts_left, history_start, locked_until
from core.passwords import hash_password
from data_sources.jobs.sync import SYNC_LOCK
from data_sources.store.login_attempts import LoginAttempts, login_failures
from data_sources.store.snapshot_store import Store
from server.portal import _portal_for

ADMIN = str(Path(__file__).resolve().parent.parent / "app_pages" / "admin.py")
PASSWORD = "rahasia-uji-panjang"
T0 = datetime(2026, 11, 27, 6, 0, tzinfo=UTC)
# [open_data] with an OC4IDS prefix of the shape the Helpdesk assigns (made up), so no placeholder warning shows.
REGISTERED_PREFIX = '[open_data]\noc4ids_prefix = "oc4ids-a1b2c3"\n'


def minutes(m: float) -> datetime:
    return T0 + timedelta(minutes=m)


# --- the rule (core/lockout.py) ----------------------------------------------------------------


def test_fewer_failures_than_the_maximum_do_not_lock() -> None:
    assert locked_until([minutes(0), minutes(1)], minutes(2), max_failures=3, lockout_minutes=15) is None
    assert locked_until([], minutes(2), max_failures=3, lockout_minutes=15) is None


def test_the_maximum_within_the_window_locks_until_the_newest_plus_the_window() -> None:
    failures = [minutes(0), minutes(5), minutes(10)]
    assert locked_until(failures, minutes(10), max_failures=3, lockout_minutes=15) == minutes(25)
    assert locked_until(list(reversed(failures)), minutes(24), 3, 15) == minutes(25)  # any order


def test_the_lockout_lasts_its_full_length_even_after_the_oldest_failure_ages_out() -> None:
    # At minute 20 the failure at minute 0 is older than the window, but the run 0-5-10 locked until 25.
    assert locked_until([minutes(0), minutes(5), minutes(10)], minutes(20), 3, 15) == minutes(25)


def test_the_lockout_ends_at_the_time_it_announced() -> None:
    failures = [minutes(0), minutes(5), minutes(10)]
    assert locked_until(failures, minutes(25), 3, 15) is None
    assert locked_until(failures, minutes(40), 3, 15) is None


def test_failures_spread_wider_than_the_window_do_not_lock() -> None:
    assert locked_until([minutes(0), minutes(10), minutes(20)], minutes(20), 3, 15) is None


def test_after_a_lockout_a_new_run_of_failures_locks_again() -> None:
    # 0-10 locked until 25. The first failure after that is more than the window after minute 10,
    # so it starts a new run; its second failure locks again.
    history = [minutes(0), minutes(10), minutes(25.5)]
    assert locked_until(history, minutes(25.5), 2, 15) is None
    assert locked_until([*history, minutes(30)], minutes(30), 2, 15) == minutes(45)


def test_zero_minutes_switches_the_lockout_off_and_zero_failures_counts_as_one() -> None:
    assert locked_until([minutes(0)] * 10, minutes(0), 1, 0) is None
    assert locked_until([minutes(0)], minutes(1), 0, 15) == minutes(15)


def test_the_history_needed_is_twice_the_window() -> None:
    assert history_start(minutes(30), 15) == minutes(0)
    # the oldest failure of a run that still locks at `now` is never older than that
    run = [minutes(0.5), minutes(15.4)]
    assert locked_until(run, minutes(30), 2, 15) == minutes(30.4)
    assert min(run) >= history_start(minutes(30), 15)


def test_attempts_left_counts_the_failures_of_the_last_window() -> None:
    assert attempts_left([], minutes(0), 5, 15) == 5
    assert attempts_left([minutes(0), minutes(1)], minutes(1), 5, 15) == 3
    assert attempts_left([minutes(0), minutes(1)], minutes(15.5), 5, 15) == 4
    assert attempts_left([minutes(0)] * 9, minutes(1), 5, 15) == 0


# --- the failure log in the store (data_sources/store/login_attempts.py) ---------------------------------


def _engine(path: Path) -> sa.Engine:
    return sa.create_engine(f"sqlite:///{path}")


def test_two_instances_on_one_database_file_see_each_others_failures(tmp_path: Path) -> None:
    database = tmp_path / "store.sqlite"
    first, second = LoginAttempts(_engine(database)), LoginAttempts(_engine(database))
    first.record_failure("k1", minutes(0))
    second.record_failure("k1", minutes(1))
    second.record_failure("k2", minutes(2))
    assert first.failures_since("k1", minutes(0)) == [minutes(0), minutes(1)]
    assert second.failures_since("k1", minutes(0.5)) == [minutes(1)]
    assert first.failures_since("k2", minutes(0)) == [minutes(2)]
    # and they derive the same keys: one salt per store, made by whichever came first
    assert first.salt == second.salt and len(first.salt) == 64


def test_failures_come_back_as_utc_aware_datetimes_whatever_zone_they_were_given_in(tmp_path: Path) -> None:
    attempts = LoginAttempts(_engine(tmp_path / "store.sqlite"))
    wita = datetime(2026, 11, 27, 14, 0, tzinfo=ZoneInfo("Asia/Makassar"))
    attempts.record_failure("k", wita)
    (back,) = attempts.failures_since("k", minutes(0))
    assert back.tzinfo is not None and back.utcoffset() == timedelta(0)
    assert back == wita


def test_clear_forgets_one_key_and_forget_before_drops_old_failures_of_every_key(tmp_path: Path) -> None:
    attempts = LoginAttempts(_engine(tmp_path / "store.sqlite"))
    for key in ("a", "b"):
        attempts.record_failure(key, minutes(0))
        attempts.record_failure(key, minutes(30))
    attempts.clear("a")
    assert attempts.failures_since("a", minutes(0)) == []
    assert attempts.forget_before(minutes(10)) == 1
    assert attempts.failures_since("b", minutes(0)) == [minutes(30)]


def test_a_different_store_has_a_different_salt(tmp_path: Path) -> None:
    one = LoginAttempts(_engine(tmp_path / "one.sqlite"))
    other = LoginAttempts(_engine(tmp_path / "other.sqlite"))
    assert one.salt != other.salt


# --- whose failures count together (components/admin_console.py) ---------------------------------------


def test_a_known_address_shares_one_key_across_sessions() -> None:
    assert lockout_key("203.0.113.7", "session-1", "salt") == lockout_key("203.0.113.7", "session-2", "salt")
    assert lockout_key("203.0.113.7", "session-1", "salt") != lockout_key("203.0.113.8", "session-1", "salt")


def test_an_unknown_address_falls_back_to_one_key_per_session() -> None:
    assert lockout_key(None, "session-1", "salt") != lockout_key(None, "session-2", "salt")
    assert lockout_key("", "session-1", "salt") == lockout_key(None, "session-1", "salt")
    # an address and a session id that happen to be equal still never share a key
    assert lockout_key("x", "y", "salt") != lockout_key(None, "x", "salt")


def test_the_key_hides_the_address_and_depends_on_the_salt() -> None:
    key = lockout_key("203.0.113.7", "s", "salt")
    assert "203.0.113.7" not in key and len(key) <= 64
    assert key != lockout_key("203.0.113.7", "s", "other salt")


# --- the page (app_pages/admin.py through AppTest) -------------------------------------------------


@pytest.fixture
def admin_portal(
    tmp_path: Path, make_portal: Callable[..., PortalSetup], monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[[str], PortalSetup]]:
    """A portal with one workbook whose portal.toml ends with ``extra`` (e.g. an ``[admin]`` table)."""

    def make(extra: str = "") -> PortalSetup:
        setup = make_portal({"disperkim": write_source(tmp_path / "perkim.xlsx")})
        with setup.config_path.open("a", encoding="utf-8") as config:
            config.write("\n" + extra)
        monkeypatch.setenv("PORTAL_CONFIG", str(setup.config_path))
        return setup

    _portal_for.clear()
    yield make
    _portal_for.clear()


def _page(secrets: dict[str, Any] | None = None) -> AppTest:
    at = AppTest.from_file(ADMIN, default_timeout=60)
    if secrets is not None:
        at.secrets["admin"] = secrets
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _sign_in(at: AppTest, password: str) -> AppTest:
    at.text_input[0].input(password)
    next(b for b in at.button if b.label == "Masuk").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _signed_in(at: AppTest) -> bool:
    return bool(at.dataframe) and any(b.label == "Sinkronkan sekarang" for b in at.button)


def _errors(at: AppTest) -> str:
    return "\n".join(e.value for e in at.error)


def _stored_failures(setup: PortalSetup) -> list[tuple[str, datetime]]:
    engine = _engine(setup.database)
    try:
        with engine.connect() as conn:
            return [(r.key, r.failed_at) for r in conn.execute(sa.select(login_failures)).all()]
    finally:
        engine.dispose()


def test_without_a_password_hash_the_page_says_how_to_make_one_and_asks_for_nothing(
    admin_portal: Callable[[str], PortalSetup],
) -> None:
    admin_portal("")
    at = _page()
    assert "password_hash" in at.info[0].value and "hash-password" in at.info[0].value
    assert not at.text_input and not at.button

    at = _page({"password_hash": ""})
    assert "password_hash" in at.info[0].value and not at.text_input


def test_an_old_plain_password_is_refused_with_how_to_make_a_hash(admin_portal: Callable[[str], PortalSetup]) -> None:
    admin_portal("")
    at = _page({"password": PASSWORD})
    assert not at.text_input and not at.info
    assert "hash-password" in _errors(at) and "password_hash" in _errors(at)


def test_a_malformed_hash_is_named_as_the_problem_without_showing_it(
    admin_portal: Callable[[str], PortalSetup],
) -> None:
    admin_portal("")
    broken = hash_password(PASSWORD).rsplit("$", 1)[0]  # the hash field cut off
    at = _page({"password_hash": broken})
    assert not at.text_input
    assert "password_hash" in _errors(at) and "scrypt$N$r$p$garam$hash" in _errors(at)
    assert broken not in _errors(at) and broken.split("$")[4] not in _errors(at)


def test_a_wrong_then_the_right_password_signs_in_and_clears_the_failures(
    admin_portal: Callable[[str], PortalSetup],
) -> None:
    setup = admin_portal("[admin]\nmax_failures = 3\n")
    at = _page({"password_hash": hash_password(PASSWORD)})
    _sign_in(at, "salah-sekali")
    assert "Kata sandi salah." in _errors(at) and "Sisa percobaan sebelum dikunci: 2." in _errors(at)
    assert not _signed_in(at)
    assert len(_stored_failures(setup)) == 1

    _sign_in(at, PASSWORD)
    assert _signed_in(at)
    assert _stored_failures(setup) == []


def test_after_max_failures_even_the_right_password_is_refused_until_the_time_shown(
    admin_portal: Callable[[str], PortalSetup],
) -> None:
    setup = admin_portal("[admin]\nmax_failures = 2\nlockout_minutes = 15\n")
    at = _page({"password_hash": hash_password(PASSWORD)})
    _sign_in(at, "salah-satu")
    assert "Sisa percobaan sebelum dikunci: 1." in _errors(at)
    _sign_in(at, "salah-dua")
    stored = _stored_failures(setup)
    assert len(stored) == 2
    newest = max(t.replace(tzinfo=UTC) for _, t in stored)
    unlocks = date_time(newest + timedelta(minutes=15), "id")
    assert "Terlalu banyak percobaan" in _errors(at) and unlocks in _errors(at)

    _sign_in(at, PASSWORD)
    assert not _signed_in(at)
    assert "Terlalu banyak percobaan" in _errors(at) and unlocks in _errors(at)
    assert len(_stored_failures(setup)) == 2  # not checked, so not counted either


def test_an_unknown_address_is_locked_per_session_so_a_new_session_can_still_sign_in(
    admin_portal: Callable[[str], PortalSetup],
) -> None:
    # AppTest has no connection, so the reader's address is unknown and failures are counted per
    # browser session (docs/admin.md). Counting every unknown reader together would let anyone
    # lock the real admin out from behind the same proxy.
    admin_portal("[admin]\nmax_failures = 2\n")
    secrets = {"password_hash": hash_password(PASSWORD)}
    locked = _page(secrets)
    _sign_in(locked, "salah-satu")
    _sign_in(locked, "salah-dua")
    _sign_in(locked, PASSWORD)
    assert not _signed_in(locked) and "Terlalu banyak percobaan" in _errors(locked)

    fresh = _sign_in(_page(secrets), PASSWORD)
    assert _signed_in(fresh)


def test_a_known_address_is_locked_in_every_session(
    admin_portal: Callable[[str], PortalSetup], monkeypatch: pytest.MonkeyPatch
) -> None:
    # AppTest cannot send headers, so the address a proxy would put in X-Real-IP is supplied by
    # replacing client_address; everything after it (key, store, rule, page) is the real thing.
    setup = admin_portal('[admin]\nmax_failures = 2\n\n[feedback]\nclient_address_header = "X-Real-IP"\n')
    monkeypatch.setattr(
        components.admin_console, "client_address", lambda header="": "203.0.113.7" if header == "X-Real-IP" else None
    )
    secrets = {"password_hash": hash_password(PASSWORD)}
    first = _page(secrets)
    _sign_in(first, "salah-satu")
    _sign_in(first, "salah-dua")

    second = _sign_in(_page(secrets), PASSWORD)
    assert not _signed_in(second) and "Terlalu banyak percobaan" in _errors(second)
    assert all("203.0.113.7" not in key for key, _ in _stored_failures(setup))
    assert b"203.0.113.7" not in setup.database.read_bytes()


def test_sign_out_ends_the_admin_session_and_shows_the_sign_in_form_again(
    admin_portal: Callable[[str], PortalSetup],
) -> None:
    admin_portal("")
    at = _sign_in(_page({"password_hash": hash_password(PASSWORD)}), PASSWORD)
    assert _signed_in(at)

    next(b for b in at.button if b.label == "Keluar").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert not _signed_in(at)
    assert "Anda sudah keluar" in at.success[0].value
    assert at.text_input and at.text_input[0].value == ""  # the password typed before is not kept
    at.run()  # still signed out on the next run: nothing brings the session back without the password
    assert not _signed_in(at) and not at.success

    _sign_in(at, PASSWORD)
    assert _signed_in(at)


def _signed_in_in_english() -> AppTest:
    at = AppTest.from_file(ADMIN, default_timeout=60)
    at.secrets["admin"] = {"password_hash": hash_password(PASSWORD)}
    at.query_params["lang"] = "en"
    at.run()
    at.text_input[0].input(PASSWORD)
    next(b for b in at.button if b.label == "Sign in").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_sign_out_button_is_in_english_on_the_english_page(admin_portal: Callable[[str], PortalSetup]) -> None:
    admin_portal("")
    at = _signed_in_in_english()
    next(b for b in at.button if b.label == "Sign out").click().run()
    assert "You have signed out" in at.success[0].value


def test_a_hash_with_scrypt_n_below_2_to_the_14_is_refused_on_the_page_and_in_the_log(
    admin_portal: Callable[[str], PortalSetup], caplog: pytest.LogCaptureFixture
) -> None:
    admin_portal("")
    salt = b"0123456789abcdef"
    digest = hashlib.scrypt(PASSWORD.encode(), salt=salt, n=2, r=8, p=1, dklen=32)
    weak = f"scrypt$2$8$1${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"
    with caplog.at_level(logging.WARNING, logger="portal.admin"):
        at = _page({"password_hash": weak})
    assert not at.text_input  # no password is asked for, so none can be checked against the weak hash
    assert "di bawah batas minimum 2^14 (16384)" in _errors(at) and "hash-password" in _errors(at)
    assert "below the minimum 2**14" in caplog.text
    assert weak.split("$")[4] not in caplog.text and weak.split("$")[5] not in caplog.text


# --- who holds the sync lock ---------------------------------------------------------------------


def test_the_admin_page_says_who_holds_the_sync_lock_since_when_and_whether_its_lease_lapsed(
    admin_portal: Callable[[str], PortalSetup],
) -> None:
    # A prefix of the registered shape: the page's only warning is then the lapsed lease's.
    setup = admin_portal(REGISTERED_PREFIX)
    secrets = {"password_hash": hash_password(PASSWORD)}
    at = _sign_in(_page(secrets), PASSWORD)
    assert any(c.value == "Tidak ada sinkronisasi yang sedang berjalan." for c in at.caption)

    store = Store(setup.config.database_url)
    assert store.try_lock(SYNC_LOCK, "a-running-sync", timedelta(minutes=1))
    held = store.lock_holder(SYNC_LOCK)
    assert held is not None and held.acquired_at is not None
    at.run()
    shown = "\n".join(i.value for i in at.info)
    assert f"Sinkronisasi sedang berjalan di {escape_markdown(socket.gethostname())} (pid {os.getpid()})" in shown
    assert f"sejak {date_time(held.acquired_at, 'id')} WITA" in shown and "terakhir diperbarui" in shown
    assert not at.warning

    # A holder that died: its lease ran out and nobody took the lock over yet.
    store.release_lock(SYNC_LOCK, "a-running-sync")
    assert store.try_lock(SYNC_LOCK, "a-killed-sync", timedelta(seconds=-1))
    at.run()
    lapsed = "\n".join(w.value for w in at.warning)
    assert f"(pid {os.getpid()})" in lapsed and "tidak diperbarui sejak" in lapsed and "mengambil alih" in lapsed
    next(b for b in at.button if b.label == "Sinkronkan sekarang").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert [s.value.split(":")[0] for s in at.success] == ["disperkim"]  # the next sync took the lapsed lock over
    assert store.lock_holder(SYNC_LOCK) is None  # and released it
    store.close()


def test_the_sync_lock_panel_is_in_english_on_the_english_page(admin_portal: Callable[[str], PortalSetup]) -> None:
    setup = admin_portal("")
    store = Store(setup.config.database_url)
    assert store.try_lock(SYNC_LOCK, "a-running-sync", timedelta(minutes=1))
    at = _signed_in_in_english()
    shown = "\n".join(i.value for i in at.info)
    assert f"A sync is running on {escape_markdown(socket.gethostname())} (pid {os.getpid()}) since" in shown
    assert "last renewed" in shown
    next(b for b in at.button if b.label == "Sync now").click().run()
    assert any("Another sync is running" in i.value for i in at.info)
    store.close()


# --- the OC4IDS prefix placeholder ---------------------------------------------------------------------


def _prefix_warnings(at: AppTest) -> list[str]:
    return [w.value for w in at.warning if "OC4IDS" in w.value]


def test_the_admin_page_warns_while_the_oc4ids_prefix_is_the_placeholder(
    admin_portal: Callable[[str], PortalSetup],
) -> None:
    admin_portal("")  # the default [open_data] oc4ids_prefix, oc4ids-bjm
    at = _page({"password_hash": hash_password(PASSWORD)})
    assert not _prefix_warnings(at)  # nothing of the portal's settings before the sign-in
    [warning] = _prefix_warnings(_sign_in(at, PASSWORD))
    assert warning.startswith("**Awalan id proyek OC4IDS masih sementara.**")
    assert "oc4ids\\-bjm" in warning and "`oc4ids-` lalu 6 huruf kecil atau angka" in warning
    assert "OC4IDS Helpdesk (data@open-contracting.org)" in warning and "`portal.toml`" in warning
    # The next sync takes the new prefix (index.json records the settings): nothing to delete by hand.
    assert "lalu sinkronkan" in warning and "index.json" not in warning

    [warning] = _prefix_warnings(_signed_in_in_english())
    assert warning.startswith("**The OC4IDS project id prefix is still a placeholder.**")
    assert "oc4ids\\-bjm" in warning and "not of a registered prefix's shape" in warning


@pytest.mark.parametrize(
    "open_data",
    [REGISTERED_PREFIX, "[open_data]\nenabled = false\n"],
    ids=["registered-shape", "no-open-data"],
)
def test_no_prefix_warning_with_a_registered_shape_or_when_no_open_data_is_written(
    admin_portal: Callable[[str], PortalSetup], open_data: str
) -> None:
    admin_portal(open_data)
    at = _sign_in(_page({"password_hash": hash_password(PASSWORD)}), PASSWORD)
    assert _signed_in(at)
    assert not _prefix_warnings(at)


# --- the transparency log (issue 24) ----------------------------------------------------------------------

LOG_PUBLIC_URL = "https://transparansi.example.go.id/"


def _log_notes(at: AppTest) -> list[str]:
    """The notes about the transparency log among the page's infos and warnings."""
    words = ("log transparansi", "transparency log", "penanda tangan log", "log's signer key")
    return [m.value for m in (*at.info, *at.warning) if any(w in m.value.lower() for w in words)]


def _open_data(extra: str = "") -> str:
    """[open_data] with a registered-shape prefix (no OC4IDS warning), no files written, and the public address."""
    return f'[open_data]\noc4ids_prefix = "oc4ids-a1b2c3"\nenabled = false\npublic_url = "{LOG_PUBLIC_URL}"\n{extra}'


def _key_file(folder: Path) -> Path:
    from core.signed_note import generate_key, origin_for

    path = folder / "log-signer.key"
    path.write_text(generate_key(origin_for(LOG_PUBLIC_URL))[0] + "\n", encoding="ascii")
    return path


def test_without_a_key_the_admin_page_says_in_both_languages_that_the_log_is_kept_but_nothing_is_signed(
    admin_portal: Callable[[str], PortalSetup],
) -> None:
    admin_portal(_open_data())
    at = _page({"password_hash": hash_password(PASSWORD)})
    assert not _log_notes(at)  # nothing of the portal's settings before the sign-in
    [note] = _log_notes(_sign_in(at, PASSWORD))
    assert note.startswith("**Log transparansi disimpan, tetapi tidak ada checkpoint yang ditandatangani:**")
    assert "`python -m data_sources keygen --out" in note and "`[log] key_file" in note
    assert not at.warning  # said, not warned about: the log is kept all the same
    [note] = _log_notes(_signed_in_in_english())
    assert note.startswith("**The transparency log is kept, but no checkpoint is signed:**")
    assert "`python -m data_sources keygen --out" in note


def test_a_key_file_that_cannot_be_used_is_a_warning_on_the_admin_page_without_its_content(
    admin_portal: Callable[[str], PortalSetup], tmp_path: Path
) -> None:
    broken = tmp_path / "log-signer.key"
    broken.write_text("PRIVATE+KEY+isi-rahasia+0+AAAA\n", encoding="ascii")
    admin_portal(_open_data() + f'\n[log]\nkey_file = "{broken.as_posix()}"\n')
    [warning] = _log_notes(_sign_in(_page({"password_hash": hash_password(PASSWORD)}), PASSWORD))
    assert warning.startswith("**Kunci penanda tangan log tidak dapat dipakai; tidak ada checkpoint yang")
    assert f"`{broken}` bukan kunci penanda tangan log" in warning and "isi-rahasia" not in warning
    [warning] = _log_notes(_signed_in_in_english())
    assert warning.startswith("**The log's signer key cannot be used; no checkpoint is signed.**")
    assert f"`{broken}` is not a log signer key" in warning


def test_a_failed_start_up_check_is_an_error_line_and_a_warning_on_the_admin_page_naming_the_leaf(
    admin_portal: Callable[[str], PortalSetup], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    import sqlite3

    from data_sources.jobs.sync import run_sync

    setup = admin_portal(_open_data() + f'\n[log]\nkey_file = "{_key_file(tmp_path).as_posix()}"\n')
    store = Store(setup.config.database_url)
    assert run_sync(setup.config, store) is not None and store.log.latest_checkpoint() is not None
    store.close()
    with sqlite3.connect(setup.database) as conn:  # a published figure edited in the file behind the portal's back
        conn.execute("UPDATE capaian_rows SET realisasi_persen = 12 WHERE snapshot_id = 1")
    conn.close()
    _portal_for.clear()

    with caplog.at_level(logging.INFO, logger="portal"):
        at = _page({"password_hash": hash_password(PASSWORD)})
        assert not _log_notes(at)
        [warning] = _log_notes(_sign_in(at, PASSWORD))  # the page waits for the check, which runs in the background
    assert "transparency log: CHECK FAILED: leaf 0: snapshot 1 as stored no longer matches leaf 0" in caplog.text
    assert warning.startswith("**Pemeriksaan log transparansi saat portal dimulai GAGAL:**")
    assert "snapshot 1 yang tersimpan tidak lagi sama dengan daun 0" in warning
    [warning] = _log_notes(_signed_in_in_english())
    assert warning.startswith("**The transparency log's start-up check FAILED:**")
    assert "snapshot 1 as stored no longer matches leaf 0" in warning


def test_with_a_key_and_an_intact_log_the_admin_page_says_nothing_of_it(
    admin_portal: Callable[[str], PortalSetup], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    admin_portal(_open_data() + f'\n[log]\nkey_file = "{_key_file(tmp_path).as_posix()}"\n')
    with caplog.at_level(logging.INFO, logger="portal"):
        at = _sign_in(_page({"password_hash": hash_password(PASSWORD)}), PASSWORD)
    assert _signed_in(at) and not _log_notes(at) and not at.warning
    # The first start synced the empty store and signed its first checkpoint, then checked the log.
    assert "transparency log: 1 leaf and 1 checkpoint verified" in caplog.text
    next(b for b in at.button if b.label == "Sinkronkan sekarang").click().run()
    assert [s.value.split(":")[0] for s in at.success] == ["disperkim"]  # nothing new: nothing signed


def test_the_start_up_check_runs_in_the_background_and_the_admin_page_says_so_while_it_still_runs(
    admin_portal: Callable[[str], PortalSetup], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    import server.portal

    # Stands in for a store whose check takes minutes (scale L: every snapshot's rows recomputed): the real check,
    # held back until the test lets it go. Not a mock of the check; a way to catch it while it runs.
    release = threading.Event()
    real_check = server.portal.start_log

    def held_check(config: Any, store: Store) -> Any:
        release.wait(timeout=120)
        return real_check(config, store)

    monkeypatch.setattr(server.portal, "start_log", held_check)
    admin_portal(_open_data() + f'\n[log]\nkey_file = "{_key_file(tmp_path).as_posix()}"\n')
    at = _sign_in(_page({"password_hash": hash_password(PASSWORD)}), PASSWORD)  # the first start did not wait
    assert _signed_in(at)
    [note] = _log_notes(at)
    assert note.startswith("**Pemeriksaan log transparansi saat portal dimulai masih berjalan**")
    release.set()
    for _ in range(20):  # each later run waits half a second for the check, which now finishes
        if not _log_notes(at.run()):
            break
    assert not _log_notes(at) and not at.warning  # the check finished and found the log intact
