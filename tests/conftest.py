"""Shared fixtures: a portal configuration in a temporary folder with real workbooks and a real SQLite store."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from builders import CAPAIAN_ROW, LOKASI_ROW, PROGRAM_ROW, records_grid, write_xlsx

from core.table import CellValue
from data_sources.config import Config, load_config

Records = Sequence[Mapping[str, CellValue]]


def write_source(
    path: Path,
    programs: Records = (PROGRAM_ROW,),
    capaians: Records = (CAPAIAN_ROW,),
    lokasis: Records = (LOKASI_ROW,),
) -> Path:
    """A real SKPD workbook with the three worksheets."""
    return write_xlsx(
        path,
        {"program": records_grid(programs), "capaian": records_grid(capaians), "lokasi": records_grid(lokasis)},
    )


@dataclass
class PortalSetup:
    folder: Path
    config_path: Path

    @property
    def config(self) -> Config:
        return load_config(self.config_path)

    @property
    def database(self) -> Path:
        return self.folder / "store.sqlite"


@pytest.fixture
def make_portal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., PortalSetup]:
    """A portal.toml listing the given workbooks (name -> path), with its store in tmp_path."""
    monkeypatch.delenv("DATABASE_URL", raising=False)

    def make(sources: Mapping[str, Path], sample: bool = False) -> PortalSetup:
        lines = ['[portal]\ncontact = "test@example.org"\n', '[store]\npath = "store.sqlite"\n']
        for name, path in sources.items():
            lines.append(
                f'[[sources]]\nname = "{name}"\nskpd = "{name.upper()}"\nkind = "workbook"\n'
                f'path = "{path.as_posix()}"\nsample = {"true" if sample else "false"}\n'
            )
        config_path = tmp_path / "portal.toml"
        config_path.write_text("\n".join(lines), encoding="utf-8")
        return PortalSetup(tmp_path, config_path)

    return make
