"""The feedback service the page calls: the questionnaire, and "submit" with its abuse limits, into the store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property

from core.feedback_rules import Limits, Response, refusal
from core.keys import salted_hash
from core.questionnaire import Questionnaire
from core.text import Text
from data_sources.config.portal_config import Config
from data_sources.config.questionnaire_file import load_questionnaire
from data_sources.store.feedback_store import FeedbackStore


@dataclass(frozen=True)
class Submitted:
    response_id: str | None  # None: refused
    refusal: Text | None = None


class Feedback:
    def __init__(self, config: Config, store: FeedbackStore) -> None:
        self.config = config
        self.store = store

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
        """Store a checked response unless a limit refuses it. It is committed when this returns an id."""
        now = now or datetime.now(UTC)
        session_key = self.key(f"session:{session}")
        client_key = self.key(f"address:{address}") if address else None
        recent = self.store.recent(session_key, client_key, response.fingerprint(), now, self.limits.duplicate_hours)
        why = refusal(self.limits, recent, opened_at, now)
        if why is not None:
            return Submitted(None, why)
        return Submitted(self.store.add(response, session_key=session_key, client_key=client_key, now=now))
