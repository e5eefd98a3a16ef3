"""A piece of visible text in both languages the portal speaks."""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"


@dataclass(frozen=True)
class Text:
    """Indonesian first, English second; every visible string carries both."""

    id: str
    en: str

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.id

    def as_dict(self) -> dict[str, str]:
        return {"id": self.id, "en": self.en}


@functools.lru_cache(maxsize=65_536)
def normalise_key(text: str) -> str:
    """Case, spacing, underscores and punctuation do not matter: 'Kode  Program' == 'kode_program'.

    Remembered: a sync normalises the same headers and choice words millions of times at 100.000 rows.
    """
    return re.sub(r"[^0-9a-z]+", "_", text.strip().lower()).strip("_")


# Format characters that are part of how a text reads: the zero-width joiner and non-joiner (emoji sequences
# such as 👨‍👩‍👧, and scripts that need them) and the tag characters of subdivision flags (🏴 + tags).
# Variation selectors (U+FE0E/U+FE0F) are marks, not control characters, and are kept anyway.
_KEPT_FORMAT = frozenset({"\u200c", "\u200d"}) | frozenset(chr(c) for c in range(0xE0020, 0xE0080))
# Bidi embeddings, overrides and isolates reorder what follows them: "gpj.exe" can be made to read as
# "exe.jpg". They are never needed in a name or a note, and are always dropped.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def clean_text(text: str) -> str:
    """Trim, and drop control characters (a pasted NUL, an escape sequence, a bidi override) but keep line
    breaks, tabs and the joiners inside emoji.

    Sheet text (every text cell, in validation) and feedback (the form's checks) are cleaned by this one
    function before anything is stored or published.
    """
    if text.isprintable():  # C speed: a sync cleans every text cell, and nearly all are plain
        return text.strip()
    # Every bidi control is a format character (Cf): dropped with the rest of category C.
    kept = "".join(ch for ch in text if ch in "\n\t" or ch in _KEPT_FORMAT or unicodedata.category(ch)[0] != "C")
    return kept.strip()


# The folders of an absolute path (/srv/portal/data/, ~/data/, C:\data\): what is left is the file's name.
# A URL's path is not one: "//" and ":" before it, or a letter, keep it whole.
_FOLDERS = re.compile(r"(?<![\w:/.~\\-])(?:~|[A-Za-z]:)?(?:[/\\][^\s/\\'\"]+)+[/\\](?=[^\s/\\])")


def without_folders(text: str) -> str:
    """``text`` with every absolute file path cut to its file name: public messages name the file, not
    where the server keeps it ("file not found: /srv/portal/data/dlh.xlsx" -> "file not found: dlh.xlsx").

    The admin page and the CLI show the message as stored, with the path.
    """
    return _FOLDERS.sub("", text)


def text_without_folders(text: Text) -> Text:
    return Text(without_folders(text.id), without_folders(text.en))
