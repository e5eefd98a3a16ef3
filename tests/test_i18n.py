"""Every visible string exists in Indonesian and English, with the same placeholders in both."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from core.i18n import STRINGS
from core.progress import Track

REPO = Path(__file__).resolve().parent.parent
# Words that are the same in both languages.
SAME_IN_BOTH = {
    "nav.admin",
    "nav.program",
    "admin.col.skpd",
    "col.status",
    "program.title",
    "tz",
    "void.program",
    "void.col.program",
}


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_each_string_has_both_languages_with_the_same_placeholders(key: str) -> None:
    text = STRINGS[key]
    assert text.id.strip() and text.en.strip(), key
    assert _fields(text.id) == _fields(text.en), key
    if (key not in SAME_IN_BOTH and not key.startswith("admin.col.")) or key == "admin.col.source":
        assert text.id != text.en, f"{key} is not translated"


def _used_keys() -> set[str]:
    pages = sorted((REPO / "app_pages").glob("*.py"))
    assert len(pages) >= 10, "the page files moved: this test would check nothing"
    sources = [REPO / "app.py", *pages, *(REPO / "components").glob("*.py"), *(REPO / "server").glob("*.py")]
    sources += sorted((REPO / "core").glob("page_*.py"))
    found: set[str] = set()
    for path in sources:
        found |= set(re.findall(r"""\bt\(\s*["']([a-z0-9_.]+)["']\s*[,)]""", path.read_text(encoding="utf-8")))
    return found


def test_every_key_the_pages_use_exists() -> None:
    used = _used_keys()
    assert used, "the scan found the t() calls"
    assert sorted(used - set(STRINGS)) == []


def test_every_status_has_its_explanation_in_both_languages() -> None:
    for track in Track:
        assert f"rule.{track.value}" in STRINGS
    for outcome in ("new", "unchanged", "failed"):
        assert f"admin.outcome.{outcome}" in STRINGS


# Faces that draw text: their visible strings are keys of the tables above, looked up with t(). A Text built in
# one of them escapes every check of this file (both languages, same placeholders, the key exists). Text that
# is data (a sheet's or a config's words, an error a reader raised) is made in core/ or data_sources/, never here.
FACES = ("app.py", "app_pages", "components", "server")


def _face_files() -> list[Path]:
    files = [REPO / "app.py"]
    for folder in FACES[1:]:
        found = sorted((REPO / folder).glob("*.py"))
        assert found, f"{folder}/ moved: this test would check nothing there"
        files += found
    return files


def _text_calls(path: Path) -> list[str]:
    """Where ``path`` builds a Text (under any name it imports it as), as "file:line"."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = {"Text"} | {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "core.text"
        for alias in node.names
        if alias.name == "Text"
    }
    return [
        f"{path.relative_to(REPO)}:{node.lineno}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and (
            (isinstance(node.func, ast.Name) and node.func.id in names)
            or (isinstance(node.func, ast.Attribute) and node.func.attr == "Text")
        )
    ]


def test_pages_components_and_the_app_edge_keep_no_visible_string_of_their_own() -> None:
    built = [where for path in _face_files() for where in _text_calls(path)]
    assert built == [], "move these strings into core/i18n*.py and look them up with t()"


def _code_outside_the_tables() -> str:
    folders = ["app_pages", "components", "server", "core", "data_sources"]
    paths = [REPO / "app.py", *(p for folder in folders for p in sorted((REPO / folder).rglob("*.py")))]
    return "\n".join(p.read_text(encoding="utf-8") for p in paths if not p.name.startswith("i18n"))


def test_every_string_in_the_tables_is_used_somewhere() -> None:
    """A key is named in the code as a literal (``t("map.title", …)``, a key in a list), or is built there from a
    prefix (``t(f"rule.{track}", …)``): a string no code can reach is dead text that only looks translated."""
    code = _code_outside_the_tables()
    literals = set(re.findall(r"""["']([a-z0-9_]+(?:\.[a-z0-9_]+)*)["']""", code))
    prefixes = tuple(re.findall(r"""f["']([a-z0-9_]+(?:\.[a-z0-9_]+)*\.)\{""", code))
    assert len(prefixes) >= 10, "the scan found the built keys' prefixes"
    unreachable = sorted(k for k in STRINGS if k not in literals and not k.startswith(prefixes))
    assert unreachable == []
