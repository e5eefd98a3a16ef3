"""The interface every source kind implements, and the error for a source that cannot be read."""

from __future__ import annotations

from typing import Protocol

from core.table import RawWorkbook
from core.text import Text


class Problem(Exception):
    """A problem told in one line a person can act on, in both languages; never holding a secret.

    A plain string is used for both languages (technical messages for the admin); a ``Text``
    carries a clerk's message in Indonesian and English.
    """

    def __init__(self, message: str | Text) -> None:
        self.text = message if isinstance(message, Text) else Text(message, message)
        super().__init__(self.text.en)

    def __str__(self) -> str:
        if self.text.id == self.text.en:
            return self.text.en
        return f"{self.text.id} / {self.text.en}"


class SourceUnreadable(Problem):
    """The source cannot be read at all; the message names the source and the reason only."""


class Source(Protocol):
    name: str
    # Where it is read from, as shown to the public (a path or a sheet URL, never a secret).
    origin: str

    def read(self) -> RawWorkbook: ...
