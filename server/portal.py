"""One ``Portal`` per process: the published data, plus the background work a serving process does.

Pages read through it (``get_portal()``); it never calls Google on a reader's behalf: a sync older than
its interval runs in a background thread while pages serve the stored snapshots. The first start fills
an empty store before the first page draws.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time
from collections.abc import Hashable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from functools import cached_property
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import streamlit as st

from core.text import Text
from data_sources.config.portal_config import Config, load_config
from data_sources.config.signing_key import SigningKey
from data_sources.jobs.checkpoint_signing import usable_key
from data_sources.jobs.feedback_mirror import mirror_pending
from data_sources.jobs.log_startup import LogStartup, start_log
from data_sources.jobs.notify_mail import MailReport, send_due
from data_sources.jobs.publish_open_data import publish_open_data
from data_sources.jobs.sync import SYNC_LOCK, SyncOutcome, run_sync
from data_sources.jobs.warm_up import warm
from data_sources.published.published_data import PublishedData
from data_sources.store.admin_sessions import AdminSessions
from data_sources.store.feedback_intake import Feedback
from data_sources.store.feedback_store import FeedbackStore
from data_sources.store.login_attempts import LoginAttempts
from data_sources.store.mail_outbox import MailOutbox
from data_sources.store.snapshot_store import LockHolder
from data_sources.store.store_integrity import Integrity, log_integrity
from server.basemap_archive import BasemapArchive, basemap_in_effect, open_basemap_archive

logger = logging.getLogger("portal")

# How often a page run may ask the store whether a sync is due: cheap, but not on every click.
DUE_CHECK_SECONDS = 30.0
# After a read error, the store is checked again at most this often (quick_check reads the whole file).
INTEGRITY_CHECK_SECONDS = 60.0


class Portal(PublishedData):
    def __init__(self, config: Config) -> None:
        # The city's own basemap (``[map] basemap = "pmtiles"``), opened once per process; when its file cannot be
        # used, the log says why once and the map, its legend and the pages' policy go on without a basemap.
        self.basemap_archive: BasemapArchive | None = open_basemap_archive(config)
        in_effect = basemap_in_effect(config, self.basemap_archive)
        if in_effect != config.map.basemap:
            config = replace(config, map=replace(config.map, basemap=in_effect))
        super().__init__(config)
        self.feedback_store = FeedbackStore(self.store.engine)
        self.feedback = Feedback(config, self.feedback_store)
        self._background: threading.Thread | None = None
        self._mirroring: threading.Thread | None = None
        self._mailing: threading.Thread | None = None
        self._mail_wanted = False  # a drain was asked for since the running one read the outbox
        self._checked_at = float("-inf")
        self._synced_at: datetime | None = None  # when a sync run by this process last finished (or broke)
        self._guard = threading.Lock()
        self._warming: threading.Thread | None = None
        self._warmed_key: Hashable | None = None
        # What the transparency log's start-up check found (``start_log``); None until it ran, or when it could not.
        self.log_startup: LogStartup | None = None
        self._log_checking: threading.Thread | None = None

    @cached_property
    def login_attempts(self) -> LoginAttempts:
        """Failed admin sign-ins in this store: its tables are created once per process, not on every run."""
        return LoginAttempts(self.store.engine)

    @cached_property
    def admin_sessions(self) -> AdminSessions:
        """Signed-in admins' sessions (the reload-proof cookie): its table is created once per process."""
        return AdminSessions(self.store.engine)

    @cached_property
    def mail_outbox(self) -> MailOutbox:
        """The e-mail notifications queued and sent, for the admin page: its table is checked once per process."""
        return MailOutbox(self.store.engine)

    def sync_if_empty(self) -> list[SyncOutcome] | None:
        """First start: fill an empty store before the first page draws (None: another sync runs).

        With a store already filled, the open-data files are checked instead: a missing or stale set (a new
        folder, a wiped disk) is written now rather than at the next sync.
        """
        if not self.store.is_empty():
            publish_open_data(self.config, self.store, changed=False)
            return []
        return self.sync_now()

    def sync_now(self) -> list[SyncOutcome] | None:
        """The admin's "refresh now"; None when another sync is already running.

        Then the mail outbox is drained in the background (the notifications this sync queued, and any whose retry
        is due), also after a sync that broke: a mail queued before the break still goes out.
        """
        try:
            outcomes = run_sync(self.config, self.store)
        except BaseException:
            self._synced_at = datetime.now(UTC)  # it ran and broke: not again before the interval
            raise
        finally:
            self.mail_in_background()
        if outcomes is not None:
            self._synced_at = datetime.now(UTC)
        return outcomes

    def start_log(self) -> LogStartup | None:
        """At start-up: sign a pending checkpoint, then check the whole log; the findings are logged and kept for
        /admin. A store that cannot be read is the store check's to report: logged here, never raised."""
        try:
            self.log_startup = start_log(self.config, self.store)
        except Exception:
            logger.exception("transparency log: the start-up check could not run")
        return self.log_startup

    def start_log_in_background(self) -> None:
        """``start_log`` on its own thread: it reads every snapshot's rows (a store of scale L holds millions), and
        no reader's first page should wait for that. /admin waits for it a little (``log_check_done``)."""
        self._log_checking = threading.Thread(target=self.start_log, name="transparency-log-check", daemon=True)
        self._log_checking.start()

    def log_check_done(self, wait_s: float) -> bool:
        """Whether the start-up check has finished (``log_startup`` then holds its finding), waiting at most
        ``wait_s`` seconds for it."""
        checking = self._log_checking
        if checking is not None:
            checking.join(timeout=wait_s)
            return not checking.is_alive()
        return True

    def log_key(self) -> SigningKey | Text | None:
        """The log's signer key as it stands now (read afresh): the key, why it cannot be used, or None (none)."""
        return usable_key(self.config)

    def sync_lock_holder(self) -> LockHolder | None:
        """Who holds the sync lock (host, pid, since, last renewal), for the admin page; None when nobody."""
        return self.store.lock_holder(SYNC_LOCK)

    def sync_due(self, now: datetime | None = None) -> bool:
        """The last sync is older than the interval, or a configured source was never read.

        The second case is a sync that died midway (the server killed during its first-start sync): the
        sources it did not reach are read as soon as its lock's lease lapses, not an interval later. Only once
        per interval by this process, so a source that keeps breaking a sync is not retried every check.
        """
        now = now or datetime.now(UTC)
        interval = timedelta(minutes=self.config.sync.interval_minutes)
        ran_here = self._synced_at is not None and now - self._synced_at < interval
        if not ran_here and {s.name for s in self.config.sources} - self.store.attempted_sources():
            return True
        last = self.store.last_attempt_at()
        return last is None or now - last >= interval

    def sync_in_background_if_due(self) -> threading.Thread | None:
        """Start a sync in a background thread when the last one is older than the interval.

        Pages keep serving the stored snapshot meanwhile; the store lock keeps it to one sync
        across processes, the guard to one thread in this process.
        """
        with self._guard:
            if self._background is not None and self._background.is_alive():
                return None
            if time.monotonic() - self._checked_at < DUE_CHECK_SECONDS:
                return None
            self._checked_at = time.monotonic()
            self._warm_if_new()
            if not self.sync_due():
                return None
            self._background = threading.Thread(target=self._sync_and_mirror, name="portal-sync", daemon=True)
            self._background.start()
            return self._background

    def _sync_and_mirror(self) -> None:
        # Responses spooled while the store was down move in as soon as it is back.
        self.feedback.replay_quietly()
        outcomes = self.sync_now()
        if outcomes and any(o.outcome == "new" for o in outcomes):
            with self._guard:
                self._warm_if_new()
        # Responses whose mirroring failed are retried here too, so they arrive even without new visitors.
        if self.config.feedback.mirror_sheet:
            self._mirror_quietly()

    def wait_until_warm(self, timeout: float | None = None) -> bool:
        """Until the data built ahead are ready (True), or the timeout passes (False). For benchmarks and tests."""
        thread = self._warming
        if thread is not None:
            thread.join(timeout)
        return thread is None or not thread.is_alive()

    def _warm_if_new(self) -> threading.Thread | None:
        # Called with the guard held. A new key: this process started, or some process published a sync.
        key = self.snapshot_key()
        if key == self._warmed_key or (self._warming is not None and self._warming.is_alive()):
            return None
        self._warmed_key = key
        self._warming = threading.Thread(target=warm, args=(self,), name="portal-warm", daemon=True)
        self._warming.start()
        return self._warming

    def mirror_now(self) -> Any:
        """Append waiting feedback responses to the Google Sheet mirror (None when none is configured)."""
        return mirror_pending(self.config, self.store, self.feedback_store)

    def mirror_in_background(self) -> threading.Thread | None:
        """After a response is committed: mirror it without making the respondent wait for Google."""
        if not self.config.feedback.mirror_sheet:
            return None
        with self._guard:
            if self._mirroring is not None and self._mirroring.is_alive():
                return None  # the running one picks up everything due, this response included
            self._mirroring = threading.Thread(target=self._mirror_quietly, name="feedback-mirror", daemon=True)
            self._mirroring.start()
            return self._mirroring

    def _mirror_quietly(self) -> None:
        try:
            self.mirror_now()
        except Exception:
            # The response is safe in the store and its outbox entry stays; the next attempt retries.
            logger.exception("feedback mirror failed")

    def send_mail_now(self) -> MailReport:
        """Send the e-mail notifications due now (``send_due``); what could not go waits for its retry."""
        return send_due(self.config, self.store)

    def mail_in_background(self) -> threading.Thread | None:
        """Drain the mail outbox in a background thread, one at a time in this process (the store lock keeps it to
        one across processes): a page never waits on the mail relay. None when e-mail is off, or when a drain is
        running already; that one then drains once more before it ends, so a mail queued meanwhile is not left."""
        if not self.config.notify.enabled:
            return None
        with self._guard:
            self._mail_wanted = True
            if self._mailing is not None and self._mailing.is_alive():
                return None
            self._mailing = threading.Thread(target=self._mail_quietly, name="notify-mail", daemon=True)
            self._mailing.start()
            return self._mailing

    def wait_for_mail(self, timeout: float | None = None) -> bool:
        """Until the background drain has ended (True), or the timeout passes (False). For tests."""
        thread = self._mailing
        if thread is not None:
            thread.join(timeout)
        return thread is None or not thread.is_alive()

    def _mail_quietly(self) -> None:
        while True:
            with self._guard:
                if not self._mail_wanted:
                    # Under the guard: a request after this finds no drain running and starts one.
                    self._mailing = None
                    return
                self._mail_wanted = False
            try:
                report = self.send_mail_now()
            except Exception:
                # The mails stay queued in the store; the next sync's drain tries again.
                logger.exception("notify mail: the drain failed")
                continue
            if report.failed:
                # Safe to log: the errors name the relay, the exception's type and the relay's answer, never a secret.
                logger.warning("%s; the last error: %s", report.line(), report.failures[-1].error)
            elif report.sent:
                logger.info(report.line())


# -- a damaged or unreachable store ------------------------------------------------------------------------

_integrity_guard = threading.Lock()
_last_integrity: dict[str, tuple[float, Integrity]] = {}


def check_store_now(config: Config, force: bool = False) -> Integrity:
    """Check the store and log what was found; at most once a minute per store unless ``force``."""
    url = config.database_url
    with _integrity_guard:
        seen = _last_integrity.get(url)
        if not force and seen is not None and time.monotonic() - seen[0] < INTEGRITY_CHECK_SECONDS:
            return seen[1]
        found = log_integrity(url)
        _last_integrity[url] = (time.monotonic(), found)
        return found


def is_store_error(exc: BaseException) -> bool:
    """Whether a page failed because the store could not be read (anywhere in the exception's chain)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, (sa.exc.SQLAlchemyError, sqlite3.Error)):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


def store_failed(exc: BaseException) -> bool:
    """A page's error: True when it is the store's, after checking the store and logging it for the admin."""
    if not is_store_error(exc):
        return False
    try:
        check_store_now(load_config(_config_path()))
    except Exception:
        logger.exception("the store check itself failed")
    return True


@st.cache_resource(show_spinner=False)
def _spool_only_feedback(config_path: str) -> Feedback:
    config = load_config(Path(config_path) if config_path else None)
    return Feedback(config, FeedbackStore(sa.create_engine(config.database_url), create=False))


def spool_only_feedback() -> Feedback:
    """The survey when the Portal cannot even be built (a store that does not open): every response is spooled,
    and the Portal replays the spool once the store is back."""
    return _spool_only_feedback(os.environ.get("PORTAL_CONFIG", ""))


def _config_path() -> Path | None:
    name = os.environ.get("PORTAL_CONFIG", "")
    return Path(name) if name else None


@st.cache_resource(show_spinner=False)
def _portal_for(config_path: str) -> Portal:
    config = load_config(Path(config_path) if config_path else None)
    # Before the first page: a damaged store is found and logged now, not at some reader's click. Not forced:
    # when the Portal cannot be built, every page run comes back here, and quick_check reads the whole file.
    check_store_now(config)
    portal = Portal(config)
    try:
        portal.sync_if_empty()
    except Exception:
        # A damaged store: the Portal still serves (pages say the data are unavailable, the survey spools);
        # the log has the check's finding. Streamlit does not cache an exception, so raising here would
        # rebuild the Portal on every page run.
        logger.exception("first start: the store could not be read")
        check_store_now(config)
    # Beside the store's check: the transparency log's, once per process, in the background (it reads every
    # snapshot's rows).
    portal.start_log_in_background()
    portal.feedback.replay_quietly()
    return portal


def get_portal() -> Portal:
    """One portal per process and configuration file (``PORTAL_CONFIG`` picks the file)."""
    return _portal_for(os.environ.get("PORTAL_CONFIG", ""))
