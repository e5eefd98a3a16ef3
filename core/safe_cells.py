"""Cells safe from formula injection ("CSV injection") in every spreadsheet a download is opened in.

Excel, LibreOffice Calc and Google Sheets read a cell whose text begins with ``=``, ``+``, ``-`` or
``@`` (and, in some versions, after a leading tab or carriage return) as a formula: a suggestion typed
as ``=HYPERLINK("http://evil", "klik")`` would become a live link, and older Excel ran commands
through DDE. OWASP's advice is to prefix such a cell with a single quote, which spreadsheets read as
"this is text" and hide. Numbers, dates and empty cells cannot carry a formula and are left as they are,
so analysis keeps its numeric columns.
"""

from __future__ import annotations

from typing import TypeVar

# OWASP (CSV Injection): = + - @ tab and carriage return. Also: a line feed and NUL (OWASP ASVS lists
# NUL; a leading line break hides what follows on the first line of a cell), and the full-width forms
# of = + - @, which some spreadsheets in East Asian locales read as their ASCII twins.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\0", "\uff1d", "\uff0b", "\uff0d", "\uff20")
QUOTE = "'"

T = TypeVar("T")


def defuse(value: T) -> T | str:
    """``value`` with a leading ``'`` when it is text a spreadsheet would read as a formula.

    Anything that is not a string (numbers, None, dates, booleans) is returned untouched. Defusing
    twice changes nothing more, since a cell that already starts with ``'`` is text.
    """
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return QUOTE + value
    return value
