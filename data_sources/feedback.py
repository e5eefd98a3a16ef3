"""The feedback service the page calls: the questionnaire file, and "submit" with its abuse limits."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property

from core.feedback import Limits, Response, refusal
from core.keys import salted_hash
from core.questionnaire import Questionnaire, QuestionnaireError, parse_questionnaire
from core.text import Text
from data_sources.config import REPO_ROOT, Config, ConfigError
from data_sources.store.feedback_store import FeedbackStore

BUNDLED_QUESTIONNAIRE = REPO_ROOT / "kuesioner.toml"


def load_questionnaire(config: Config) -> Questionnaire:
    name = config.feedback.questionnaire
    path = config.resolve(name) if name else BUNDLED_QUESTIONNAIRE
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"[feedback] questionnaire: file not found: {path.name}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path.name} is not valid TOML: {exc}") from None
    try:
        return parse_questionnaire(data)
    except QuestionnaireError as exc:
        raise ConfigError(f"{path.name}: {exc}") from None


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
