"""The interface every source kind implements, and the error for a source that cannot be read."""

from __future__ import annotations

from typing import Protocol

from core.table import RawWorkbook


class SourceUnreadable(Exception):
    """The source cannot be read at all; the message is one line a person can act on.

    Messages never include secrets (keys, tokens): they name the source and the reason only.
    """


class Source(Protocol):
    name: str
    # Where it is read from, as shown to the public (a path or a sheet URL, never a secret).
    origin: str

    def read(self) -> RawWorkbook: ...
