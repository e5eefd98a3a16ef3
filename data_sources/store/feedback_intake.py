"""The feedback service the page calls: the questionnaire, and "submit" with its abuse limits, into the store.

When the store cannot take a response (a damaged SQLite file, PostgreSQL down), it goes to the spool file
instead (``[feedback] spool_file``), and the next successful submission, the portal's next start or its
background sync moves it into the store. Either write happens before ``submit`` returns an id.

While the store is down the limits still hold (the spooled responses are counted with what the store can still
tell), and the spool is bounded (``[feedback] spool_max_mb``): past it a response is refused, not thanked for.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cached_property

import sqlalchemy as sa

from core.feedback_rules import Limits, Recent, Response, refusal
from core.keys import salted_hash
from core.log_throttle import Throttle, held_back
from core.questionnaire import Questionnaire
from core.text import Text
from data_sources.config.portal_config import Config
from data_sources.config.questionnaire_file import load_questionnaire
from data_sources.store.feedback_spool import FeedbackSpool, Replayed, SpoolFull
from data_sources.store.feedback_store import FeedbackStore, new_response_id, response_row

logger = logging.getLogger("portal")

# A store that is down fails every submission; the log gets its cause once a minute, not once a response.
LOG_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class Submitted:
    response_id: str | None  # None: refused
    refusal: Text | None = None
    spooled: bool = False  # in the spool file, not yet in the store (the store could not take it)
    # Not kept: the store could not take it and the spool is full. The page says "try again later".
    spool_full: bool = False


class Feedback:
    def __init__(self, config: Config, store: FeedbackStore) -> None:
        self.config = config
        self.store = store
        self.spool = FeedbackSpool(config.resolve(config.feedback.spool_file), config.feedback.spool_max_bytes)
        # Stands in for the store's salt when the store cannot even be read: keys hashed with it are still
        # hashes, they only do not match the store's for the limits.
        self._fallback_salt = secrets.token_hex(16)
        self._store_down_log = Throttle(LOG_EVERY)
        self._spool_full_log = Throttle(LOG_EVERY)

    @cached_property
    def questionnaire(self) -> Questionnaire:
        return load_questionnaire(self.config)

    @cached_property
    def limits(self) -> Limits:
        f = self.config.feedback
        return Limits(
            f.per_session_per_hour, f.per_address_per_hour, f.unknown_address_per_hour, f.min_seconds, f.duplicate_hours
        )

    @cached_property
    def _salt(self) -> str:
        return self.store.salt()

    def key(self, value: str) -> str:
        return salted_hash(value, self._salt)

    def submit(
        self,
        response: Response,
        *,
        session: str,
        address: str | None,
        opened_at: datetime,
        now: datetime | None = None,
    ) -> Submitted:
        """Store a checked response unless a limit refuses it. It is durable when this returns an id.

        Limits are counted and the response written in one locked transaction (``add_within_limits``), so
        concurrent sessions from one address cannot pass the hourly limit together. When the store fails, the
        response is spooled (fsync'd, counted and appended under the spool's lock) and the id returned with
        ``spooled=True``; when the spool is full it is refused with ``spool_full=True``; when the spool fails
        otherwise, the error propagates. Either way no thank-you is shown for a response that was not kept.
        """
        now = now or datetime.now(UTC)
        try:
            salt = self._salt
        except sa.exc.SQLAlchemyError:
            logger.exception("feedback: the store's salt cannot be read; hashing with this process's own")
            salt = self._fallback_salt
        session_key = salted_hash(f"session:{session}", salt)
        client_key = salted_hash(f"address:{address}", salt) if address else None
        try:
            response_id, why = self.store.add_within_limits(
                response,
                session_key=session_key,
                client_key=client_key,
                now=now,
                duplicate_hours=self.limits.duplicate_hours,
                refuse=lambda recent: refusal(self.limits, recent, opened_at, now),
            )
        except Exception:
            # Any failure of the store (damaged file, server down, a missing row in a damaged table): the
            # response must not be lost, so it is spooled; the log has the cause.
            if (held := self._store_down_log.speak(now)) is not None:
                path, more = self.spool.path, held_back(held)
                logger.exception("feedback: the store cannot take a response; trying the spool %s%s", path, more)
            return self._spool(response, session, address, session_key, client_key, opened_at, now)
        if response_id is None:
            return Submitted(None, why)
        self.replay_quietly()  # the store takes writes again: anything spooled meanwhile follows this one
        return Submitted(response_id)

    def _spool(
        self,
        response: Response,
        session: str,
        address: str | None,
        session_key: str,
        client_key: str | None,
        opened_at: datetime,
        now: datetime,
    ) -> Submitted:
        # The limits as with the store up: the sender's spooled responses, counted under the spool's lock, plus
        # whatever the store can still tell (a store that reads but cannot write; nothing when it is down).
        row = response_row(response, session_key=session_key, client_key=client_key, now=now)
        stored = self._stored_recent(session_key, client_key, row["fingerprint"], now)

        def refuse(spooled: Recent) -> Text | None:
            both = Recent(
                stored.from_session + spooled.from_session,
                stored.from_address + spooled.from_address,
                client_key is not None,
                stored.duplicate or spooled.duplicate,
            )
            return refusal(self.limits, both, opened_at, now)

        response_id = new_response_id()
        try:
            why = self.spool.append_within_limits(
                response_id,
                row,
                session=session,
                address=address,
                duplicate_hours=self.limits.duplicate_hours,
                refuse=refuse,
            )
        except SpoolFull as full:
            if (held := self._spool_full_log.speak(now)) is not None:
                logger.error(
                    "feedback spool %s is full (%d bytes; [feedback] spool_max_mb = %d): a response was refused%s. "
                    "Bring the store back; the spool is replayed into it and takes responses again.",
                    self.spool.path,
                    full.size,
                    self.config.feedback.spool_max_mb,
                    held_back(held),
                )
            return Submitted(None, spool_full=True)
        if why is not None:
            return Submitted(None, why)
        return Submitted(response_id, spooled=True)

    def _stored_recent(self, session_key: str, client_key: str | None, fingerprint: str, now: datetime) -> Recent:
        try:
            return self.store.recent(session_key, client_key, fingerprint, now, self.limits.duplicate_hours)
        except Exception:
            # The store is down for reads too (already logged by submit): the spool alone counts.
            return Recent(0, 0, client_key is not None, False)

    def replay(self) -> Replayed:
        """Move spooled responses into the store (raises nothing for a store still down: they stay spooled)."""
        return self.spool.replay(self.store.add_spooled)

    def replay_quietly(self) -> Replayed | None:
        """Replay when anything waits; never raises (called after a submission and from background work)."""
        try:
            if not self.spool.waiting():
                return None
            done = self.replay()
        except Exception:
            logger.exception("feedback spool replay failed; the responses stay in %s", self.spool.path)
            return None
        logger.warning(done.line())
        return done
