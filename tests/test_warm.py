"""After a start or a sync, what the first readers would wait for is built ahead, once per set of snapshots."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from builders import capaian
from conftest import PortalSetup, write_source

import data_sources.history as history_module
import data_sources.portal as portal_module
import data_sources.site_data as site_data
from core.site_map import MapFilter
from data_sources.history import load_history
from data_sources.portal import Portal
from data_sources.site_data import filtered_view, map_data
from data_sources.warm import warm


@pytest.fixture
def source(tmp_path: Path) -> Path:
    return write_source(tmp_path / "perkim.xlsx", capaians=[capaian(realisasi_persen=45)])


@pytest.fixture
def portal(source: Path, make_portal: Callable[..., PortalSetup]) -> Portal:
    portal = Portal(make_portal({"disperkim": source}).config)
    assert portal.sync_now()
    return portal


def _refuse(*_: Any, **__: Any) -> Any:
    raise AssertionError("computed again: it should have been built ahead")


def test_warming_builds_the_overview_the_map_and_the_history_ahead(
    portal: Portal, monkeypatch: pytest.MonkeyPatch
) -> None:
    warm(portal)
    # Every costly step now refuses to run: the pages' answers must come from what warming built.
    monkeypatch.setattr(portal_module, "program_progress", _refuse)
    monkeypatch.setattr(site_data, "public_sites", _refuse)
    monkeypatch.setattr(site_data, "map_view", _refuse)
    monkeypatch.setattr(history_module, "History", _refuse)

    assert portal.overview().progress
    states = portal.source_states()
    assert filtered_view(portal, map_data(portal, states), MapFilter()).matching_sites >= 0
    assert load_history(portal.store).snapshots


def test_a_failure_while_warming_is_logged_and_leaves_the_pages_working(
    portal: Portal, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*_: Any) -> Any:
        raise RuntimeError("disk unreadable")

    monkeypatch.setattr(site_data, "public_sites", broken)
    warm(portal)  # never raises
    assert "building the published data ahead failed" in caplog.text
    monkeypatch.undo()
    assert portal.overview().progress  # built before the failure, or now: either way it answers


def test_warming_starts_once_per_new_set_of_snapshots(portal: Portal, source: Path) -> None:
    assert portal.wait_until_warm(0)  # nothing started yet: nothing to wait for
    first = portal.warm_in_background_if_new()
    assert first is not None
    assert portal.wait_until_warm(30) and not first.is_alive()
    assert portal.warm_in_background_if_new() is None  # nothing new was published

    write_source(source, capaians=[capaian(realisasi_persen=48)])  # the SKPD corrects its figure
    outcomes = portal.sync_now()
    assert outcomes and outcomes[0].outcome == "new"
    again = portal.warm_in_background_if_new()
    assert again is not None
    again.join(30)
    item = portal.overview().program(portal.overview().progress[0].code)
    assert item is not None and item.actual == 48
