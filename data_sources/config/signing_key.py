"""The transparency log's signer key: read from the file ``Config.log_key_file`` names (issue 24).

The file holds one line, the signer key ``python -m data_sources keygen`` wrote (``PRIVATE+KEY+name+hash+key``,
Go's note format). Whatever goes wrong reading it, the problem names the file and what is wrong with it, never
a byte of its content: the message goes to the log and to /admin.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from core.signed_note import verifier_key_of
from core.text import Text
from data_sources.config.portal_config import Config

# A signer key line is short; a larger file is not one (and is not read whole into memory).
_MAX_KEY_BYTES = 4096


class SigningKeyProblem(Exception):
    """The configured key file cannot be used; ``text`` says why in both languages (never the key's content)."""

    def __init__(self, path: Path, text: Text) -> None:
        self.path, self.text = path, text
        super().__init__(text.en)


@dataclass(frozen=True)
class SigningKey:
    path: Path
    verifier: str  # "name+hash+key": public, published at /log/key
    signer: str = field(repr=False)  # the private key: never printed, logged or shown

    @property
    def name(self) -> str:
        """The key's name, which is the log's origin (``core.signed_note.origin_for`` at keygen)."""
        return self.verifier.split("+", 1)[0]


def read_signing_key(path: Path) -> SigningKey:
    """The signer key in ``path``; ``SigningKeyProblem`` when the file is missing, unreadable or not a key."""
    try:
        with path.open("rb") as file:
            raw = file.read(_MAX_KEY_BYTES + 1)
    except FileNotFoundError:
        raise SigningKeyProblem(
            path,
            Text(
                f"Berkas kunci penanda tangan log `{path}` tidak ada.",
                f"The log's signer key file `{path}` does not exist.",
            ),
        ) from None
    except OSError as exc:
        kind = type(exc).__name__
        raise SigningKeyProblem(
            path,
            Text(
                f"Berkas kunci penanda tangan log `{path}` tidak dapat dibaca ({kind}).",
                f"The log's signer key file `{path}` cannot be read ({kind}).",
            ),
        ) from None
    malformed = SigningKeyProblem(
        path,
        Text(
            f"Berkas `{path}` bukan kunci penanda tangan log yang dibuat oleh `python -m data_sources keygen`.",
            f"The file `{path}` is not a log signer key made by `python -m data_sources keygen`.",
        ),
    )
    if len(raw) > _MAX_KEY_BYTES:
        raise malformed
    try:
        signer = raw.decode("ascii").strip()
        verifier = verifier_key_of(signer)
    except (UnicodeDecodeError, ValueError):
        # NoteError is a ValueError; its message is not repeated, in case it quotes the key.
        raise malformed from None
    return SigningKey(path, verifier, signer)


def configured_signing_key(config: Config) -> SigningKey | None:
    """The key ``config`` names (None: none configured); ``SigningKeyProblem`` when it cannot be used."""
    path = config.log_key_file
    return None if path is None else read_signing_key(path)
