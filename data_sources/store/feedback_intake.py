"""The feedback service the page calls: the questionnaire, and "submit" with its abuse limits, into the store.

When the store cannot take a response (a damaged SQLite file, PostgreSQL down), it goes to the spool file
instead (``[feedback] spool_file``), and the next successful submission, the portal's next start or its
background sync moves it into the store. Either write happens before ``submit`` returns an id.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property

import sqlalchemy as sa

from core.feedback_rules import Limits, Recent, Response, refusal
from core.keys import salted_hash
from core.questionnaire import Questionnaire
from core.text import Text
from data_sources.config.portal_config import Config
from data_sources.config.questionnaire_file import load_questionnaire
from data_sources.store.feedback_spool import FeedbackSpool, Replayed
from data_sources.store.feedback_store import FeedbackStore, new_response_id, response_row

logger = logging.getLogger("portal")


@dataclass(frozen=True)
class Submitted:
    response_id: str | None  # None: refused
    refusal: Text | None = None
    spooled: bool = False  # in the spool file, not yet in the store (the store could not take it)


class Feedback:
    def __init__(self, config: Config, store: FeedbackStore) -> None:
        self.config = config
        self.store = store
        self.spool = FeedbackSpool(config.resolve(config.feedback.spool_file))
        # Stands in for the store's salt when the store cannot even be read: keys hashed with it are still
        # hashes, they only do not match the store's for the limits.
        self._fallback_salt = secrets.token_hex(16)

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
        response is spooled (fsync'd) and the id returned with ``spooled=True``; when the spool fails too, the
        error propagates and no thank-you is shown.
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
            logger.exception("feedback: the store cannot take a response; it goes to the spool %s", self.spool.path)
            return self._spool(response, session_key, client_key, opened_at, now)
        if response_id is None:
            return Submitted(None, why)
        self.replay_quietly()  # the store takes writes again: anything spooled meanwhile follows this one
        return Submitted(response_id)

    def _spool(
        self, response: Response, session_key: str, client_key: str | None, opened_at: datetime, now: datetime
    ) -> Submitted:
        # Without the store nothing can be counted: only the time taken to fill the form is checked.
        why = refusal(self.limits, Recent(0, 0, client_key is not None, False), opened_at, now)
        if why is not None:
            return Submitted(None, why)
        response_id = new_response_id()
        self.spool.append(response_id, response_row(response, session_key=session_key, client_key=client_key, now=now))
        return Submitted(response_id, spooled=True)

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
