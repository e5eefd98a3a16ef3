"""Shared fixtures: a portal configuration in a temporary folder with real workbooks and a real SQLite store."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from builders import CAPAIAN_ROW, LOKASI_ROW, PROGRAM_ROW, records_grid, write_xlsx
from portal_server import PortalServer, running_portal
from sheets_emulator import SheetsEmulator
from streamlit.testing.v1 import AppTest

from core.table import CellValue
from data_sources.config.portal_config import Config, load_config

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


# --- Google Sheets through the local emulator -------------------------------------------------

SAMPLE_DATA = Path(__file__).resolve().parent.parent / "sample_data"


@pytest.fixture
def sheets() -> Iterator[SheetsEmulator]:
    """A Sheets API emulator on 127.0.0.1; the portal's real gspread client talks to it over HTTP."""
    with SheetsEmulator() as emulator:
        yield emulator


@dataclass
class GoogleSetup:
    emulator: SheetsEmulator
    folder: Path
    account: dict[str, str]
    key_file: Path
    keys: dict[str, str]

    def write_config(self, kind: str = "google", budget: int = 5, timeout: int = 10) -> Path:
        """A portal.toml with one source per loaded spreadsheet, short retry budgets for fast tests."""
        lines = [
            '[store]\npath = "store.sqlite"\n',
            f"[sync]\nrequest_timeout_seconds = {timeout}\nretry_budget_seconds = {budget}\n",
            f'[google]\ncredentials_file = "{self.key_file.as_posix()}"\n',
        ]
        for name, key in self.keys.items():
            lines.append(f'[[sources]]\nname = "{name}"\nskpd = "{name}"\nkind = "{kind}"\nsheet = "{key}"\n')
        path = self.folder / "portal.toml"
        path.write_text("\n".join(lines), encoding="utf-8")
        return path


@pytest.fixture
def google(sheets: SheetsEmulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., GoogleSetup]:
    """Load sample workbooks into the emulator, shared with a fresh service account whose key file is in tmp_path."""
    monkeypatch.setenv("SHEETS_API_URL", sheets.base_url)
    monkeypatch.setenv("SHEETS_EXPORT_URL", sheets.base_url)
    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)

    def make(names: Sequence[str] | None = None, locale: str = "id_ID", **options: Any) -> GoogleSetup:
        account = sheets.service_account()
        key_file = tmp_path / "service-account.json"
        key_file.write_text(json.dumps(account), encoding="utf-8")
        paths = sorted(SAMPLE_DATA.glob("*.xlsx"))
        chosen = [p for p in paths if names is None or p.stem in names]
        shared = options.pop("shared_with", [account["client_email"]])
        keys = {p.stem: sheets.load_xlsx(p, locale=locale, shared_with=shared, **options) for p in chosen}
        return GoogleSetup(sheets, tmp_path, account, key_file, keys)

    return make


# --- the app through Streamlit's AppTest ------------------------------------------------------

APP = str(Path(__file__).resolve().parent.parent / "app.py")
APOLOGY = ("Maaf", "Sorry")


@pytest.fixture
def sample_portal(make_portal: Callable[..., PortalSetup], monkeypatch: pytest.MonkeyPatch) -> Iterator[PortalSetup]:
    """The six sample workbooks, marked as sample data, with the store in tmp_path (filled on first start)."""
    from server.portal import _portal_for

    setup = make_portal({p.stem: p for p in sorted(SAMPLE_DATA.glob("*.xlsx"))}, sample=True)
    monkeypatch.setenv("PORTAL_CONFIG", str(setup.config_path))
    _portal_for.clear()
    yield setup
    _portal_for.clear()


@pytest.fixture
def portal_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[PortalSetup], None]]:
    """Point the app at a PortalSetup's configuration, with a fresh Portal for it."""
    from server.portal import _portal_for

    def use(setup: PortalSetup) -> None:
        monkeypatch.setenv("PORTAL_CONFIG", str(setup.config_path))
        _portal_for.clear()

    yield use
    _portal_for.clear()


def run_app(page: str | None = None, **params: str | list[str]) -> AppTest:
    """The app as a reader opens it: through app.py's navigation, on ``page``, with these URL parameters.

    Fails on an exception and on the apology app.py shows instead of a failed page's details.
    """
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    if page:
        # A page whose url_path is not its file name (map.py is /peta) is found only among the pages
        # st.navigation registered, which AppTest knows after one run (as a server knows them after app.py ran).
        at.run()
        at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not [e.value for e in at.error if e.value.startswith(APOLOGY)], [e.value for e in at.error]
    return at


@pytest.fixture(scope="session")
def portal_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PortalServer]:
    """``streamlit run app.py`` on the sample data, for the whole session (browser tests, the portal's routes)."""
    with running_portal(tmp_path_factory.mktemp("portal-server")) as server:
        yield server
