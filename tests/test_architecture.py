"""The import contracts in pyproject.toml (docs/architecture.md) hold, and they catch a back-arrow.

Each violation below is written into a copy of the code, where ``lint-imports`` must then fail and name the
contract: an import inside a function or under TYPE_CHECKING counts as much as one at the top of a module.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("app_pages", "components", "server", "data_sources", "core")
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _lint(where: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=where,
        env={"PYTHONPATH": str(where), "PATH": "/usr/bin:/bin", "COLUMNS": "200"},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_code_keeps_every_import_contract() -> None:
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "6 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "added", "contract"),
    [
        # core reaching up into the store, in a function: a back-arrow across the layers
        ("core/text.py", "def _late():\n    import data_sources.store\n", "then data_sources, then core"),
        ("core/formatting.py", "def _late():\n    import streamlit\n", "core does no I/O and knows no UI"),
        ("data_sources/readers/workbook.py", "import streamlit\n", "data_sources never imports streamlit"),
        # the published data starting a job, hidden under TYPE_CHECKING
        (
            "data_sources/published/tables.py",
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import data_sources.jobs.sync\n",
            "inside data_sources",
        ),
        # two core modules importing each other, one of them only in a function
        ("core/text.py", "def _late():\n    import core.validation\n", "no import loops"),
        ("components/cite.py", "def _late():\n    import server.portal\n", "then components and the app's edge"),
        # a middleware reaching into a route group, and the Portal into the route table
        ("server/compression.py", "def _late():\n    import server.feeds\n", "inside server"),
        ("server/portal.py", "def _late():\n    import server.web\n", "inside server"),
    ],
)
def test_a_back_arrow_breaks_its_contract(copy: Path, module: str, added: str, contract: str) -> None:
    target = copy / module
    target.write_text(target.read_text(encoding="utf-8") + "\n\n" + added, encoding="utf-8")
    result = _lint(copy)
    assert result.returncode != 0, result.stdout
    broken = [line for line in result.stdout.splitlines() if line.rstrip().endswith("BROKEN")]
    assert any(contract in line for line in broken), result.stdout


def test_no_two_modules_share_a_name() -> None:
    """A name says one thing: no ``history.py`` in three layers that tests must alias to tell apart."""
    seen: dict[str, list[str]] = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if path.name not in ("__init__.py", "__main__.py"):
                seen.setdefault(path.stem, []).append(str(path.relative_to(ROOT)))
    assert {name: paths for name, paths in seen.items() if len(paths) > 1} == {}
