"""The portal remembers what it derives from the published snapshots (the overview, charts): a page's rerun
or a new reader does not recompute it, and a new sync, a new day or a failed source is seen at once."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from builders import PROGRAM_CODE, capaian
from conftest import PortalSetup, run_app, write_source
from streamlit.testing.v1 import AppTest

import components.charts as charts
import data_sources.files.share_images as share_images
import data_sources.published.published_data as published_data_module
from server.portal import Portal


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[date | None]:
    """A spy on the pure progress rule: one entry per time the overview is really computed."""
    calls: list[date | None] = []
    real = published_data_module.program_progress

    def spy(programs: Any, reports: Any, today: date | None = None) -> Any:
        calls.append(today)
        return real(programs, reports, today)

    monkeypatch.setattr(published_data_module, "program_progress", spy)
    return calls


@pytest.fixture
def source(tmp_path: Path) -> Path:
    return write_source(tmp_path / "perkim.xlsx", capaians=[capaian(realisasi_persen=45)])


@pytest.fixture
def portal(source: Path, make_portal: Callable[..., PortalSetup]) -> Portal:
    portal = Portal(make_portal({"disperkim": source}).config)
    assert portal.sync_now()
    return portal


def test_a_repeated_overview_is_not_recomputed(portal: Portal, counted: list[date | None]) -> None:
    first = portal.overview()
    again = portal.overview()
    assert len(counted) == 1
    assert again.progress is first.progress and again.reports is first.reports
    assert again.reports_of(PROGRAM_CODE) == first.reports_of(PROGRAM_CODE) == first.reports
    assert again.program_source[PROGRAM_CODE].name == "disperkim"


def test_a_new_sync_gives_the_new_overview(portal: Portal, source: Path, counted: list[date | None]) -> None:
    item = portal.overview().program(PROGRAM_CODE)
    assert item is not None and item.actual == 45
    write_source(source, capaians=[capaian(realisasi_persen=48)])  # the SKPD corrects its figure
    assert portal.sync_now()
    item = portal.overview().program(PROGRAM_CODE)
    assert item is not None and item.actual == 48
    assert len(counted) == 2


def test_a_new_day_recomputes_the_overview(
    portal: Portal, counted: list[date | None], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Whether a program is overdue depends on the city's date: it is part of what names the answer.
    monkeypatch.setattr(published_data_module, "city_today", lambda now: date(2024, 12, 31))
    assert portal.overview().program(PROGRAM_CODE).overdue is False  # type: ignore[union-attr]
    monkeypatch.setattr(published_data_module, "city_today", lambda now: date(2025, 1, 1))
    assert portal.overview().program(PROGRAM_CODE).overdue is True  # type: ignore[union-attr]
    assert counted == [date(2024, 12, 31), date(2025, 1, 1)]


def test_a_failed_sync_shows_at_once_without_recomputing(
    portal: Portal, source: Path, counted: list[date | None]
) -> None:
    assert not portal.overview().program_source[PROGRAM_CODE].last_attempt_failed
    source.unlink()  # the next read fails: the snapshot stays, its source is marked
    portal.sync_now()
    overview = portal.overview()
    assert overview.program_source[PROGRAM_CODE].last_attempt_failed
    assert [s.last_attempt_failed for s in overview.sources] == [True]
    assert len(counted) == 1


def test_remember_computes_once_per_snapshot_set_and_question(portal: Portal, source: Path) -> None:
    calls: list[str] = []

    def chart(lang: str) -> Callable[[], list[Any]]:
        return lambda: calls.append(lang) or [lang, portal.overview().program(PROGRAM_CODE).actual]  # type: ignore[union-attr]

    first = portal.remember(("chart", "id"), chart("id"))
    assert portal.remember(("chart", "id"), chart("id")) is first
    assert portal.remember(("chart", "en"), chart("en")) == ["en", 45]  # another question is computed
    assert calls == ["id", "en"]
    write_source(source, capaians=[capaian(realisasi_persen=48)])
    assert portal.sync_now()
    assert portal.remember(("chart", "id"), chart("id")) == ["id", 48]
    assert calls == ["id", "en", "id"]


# --- charts, through the pages --------------------------------------------------------------------


def _spy(monkeypatch: pytest.MonkeyPatch, name: str, module: ModuleType = charts) -> list[str]:
    """Count the builds of a chart of ``module`` (pages import it on every run)."""
    built: list[str] = []
    real = getattr(module, name)

    def spy(data: Any, lang: str) -> Any:
        built.append(lang)
        return real(data, lang)

    monkeypatch.setattr(module, name, spy)
    return built


def _actual(at: AppTest, axis: str = "x") -> list[float]:
    """The actual-progress values the page's first chart draws along ``axis``."""
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    return [v for trace in spec["data"] if trace["name"] == "Realisasi" for v in trace[axis]]


@pytest.fixture
def app_setup(
    source: Path, make_portal: Callable[..., PortalSetup], portal_env: Callable[[PortalSetup], None]
) -> PortalSetup:
    setup = make_portal({"disperkim": source})
    portal_env(setup)
    return setup


def test_a_programs_s_curve_is_built_once_for_every_reader_until_a_new_sync(
    app_setup: PortalSetup, source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = _spy(monkeypatch, "s_curve")
    at = run_app("app_pages/program.py", program=PROGRAM_CODE)
    assert built == []  # a picture the server draws first: the interactive chart only when a reader asks for it
    at.toggle(key="s_curve_interactive").set_value(True).run()
    at.run()
    other = run_app("app_pages/program.py", program=PROGRAM_CODE)
    other.toggle(key="s_curve_interactive").set_value(True).run()
    assert built == ["id"]
    assert _actual(at, "y") == [45]
    write_source(source, capaians=[capaian(realisasi_persen=48)])
    assert Portal(app_setup.config).sync_now()
    at.run()
    assert built == ["id", "id"]
    assert _actual(at, "y") == [48]


def test_the_fixed_smart_city_index_picture_is_drawn_once_per_language() -> None:
    share_images.index_svg.cache_clear()
    first = share_images.index_svg("id")
    assert share_images.index_svg("id") is first
    assert share_images.index_svg("en") is not first
    assert share_images.index_svg.cache_info().misses == 2
