"""The questionnaire file (``kuesioner.toml``, or the one ``[feedback] questionnaire`` names), read and checked."""

from __future__ import annotations

import tomllib

from core.questionnaire import Questionnaire, QuestionnaireError, parse_questionnaire
from data_sources.config.portal_config import REPO_ROOT, Config, ConfigError

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
