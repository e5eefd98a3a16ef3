"""Where the service-account key comes from. It is never logged and never put in a message.

In order: an explicit key file (``--credentials`` or ``[google] credentials_file``), the file named
by ``GOOGLE_APPLICATION_CREDENTIALS``, then the ``[gcp_service_account]`` table of
``.streamlit/secrets.toml`` beside the configuration (the Streamlit convention).
"""

from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path
from typing import Any

from data_sources.readers.protocol import SourceUnreadable

SECRETS_TABLE = "gcp_service_account"
_NEEDED = ("client_email", "private_key", "token_uri")


def _checked(info: Any, where: str) -> dict[str, str]:
    if not isinstance(info, dict) or any(not info.get(k) for k in _NEEDED):
        raise SourceUnreadable(f"the service-account key in {where} lacks one of: {', '.join(_NEEDED)}")
    return {k: str(v) for k, v in info.items()}


def _from_file(path: Path) -> dict[str, str]:
    try:
        return _checked(json.loads(path.read_text(encoding="utf-8")), path.name)
    except FileNotFoundError:
        raise SourceUnreadable(f"service-account key file not found: {path}") from None
    except (json.JSONDecodeError, UnicodeDecodeError):
        # The content is a secret: say where, never what.
        raise SourceUnreadable(f"service-account key file is not valid JSON: {path.name}") from None


def load_service_account(base: Path, explicit: Path | None = None) -> dict[str, str]:
    if explicit is not None:
        return _from_file(explicit)
    env = os.environ.get("GOOGLE_APPLICATION_CREDENTIALS")
    if env:
        return _from_file(Path(env))
    secrets = base / ".streamlit" / "secrets.toml"
    if secrets.exists():
        try:
            data = tomllib.loads(secrets.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError:
            raise SourceUnreadable(".streamlit/secrets.toml is not valid TOML") from None
        if SECRETS_TABLE in data:
            return _checked(data[SECRETS_TABLE], f".streamlit/secrets.toml [{SECRETS_TABLE}]")
    raise SourceUnreadable(
        "no service-account key: set GOOGLE_APPLICATION_CREDENTIALS to the key file, or add "
        f"[{SECRETS_TABLE}] to .streamlit/secrets.toml"
    )
