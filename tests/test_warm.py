"""After a start or a sync, what the first readers would wait for is built ahead, once per set of snapshots."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from builders import capaian
from conftest import PortalSetup, write_source

import data_sources.published.map_data as site_data
import data_sources.published.published_data as published_module
import data_sources.published.stored_history as stored_history
import server.portal as portal_module
from core.site_map import MapFilter
from data_sources.jobs.warm_up import warm
from data_sources.published.map_data import filtered_view, map_data
from data_sources.published.stored_history import load_history
from server.portal import Portal


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
    monkeypatch.setattr(published_module, "program_progress", _refuse)
    monkeypatch.setattr(site_data, "public_sites", _refuse)
    monkeypatch.setattr(site_data, "map_view", _refuse)
    monkeypatch.setattr(stored_history, "History", _refuse)

    assert portal.overview().progress
    states = portal.source_states()
    sites = map_data(portal, states)
    assert len(sites.public) > 0
    assert filtered_view(portal, sites, MapFilter()).matching_sites == len(sites.public)
    assert load_history(portal.store, portal.memo).snapshots


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


def test_warming_starts_once_per_new_set_of_snapshots(
    portal: Portal, source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[Portal] = []
    real_warm = portal_module.warm

    def counted_warm(data: Portal) -> None:
        started.append(data)
        real_warm(data)

    monkeypatch.setattr(portal_module, "warm", counted_warm)
    monkeypatch.setattr(portal_module, "DUE_CHECK_SECONDS", 0.0)  # every page run asks, for the test
    assert portal.wait_until_warm(0)  # nothing started yet: nothing to wait for

    portal.sync_in_background_if_due()  # the process's first page run sees the published set
    assert portal.wait_until_warm(30) and len(started) == 1
    portal.sync_in_background_if_due()  # nothing new was published
    assert portal.wait_until_warm(30) and len(started) == 1

    write_source(source, capaians=[capaian(realisasi_persen=48)])  # the SKPD corrects its figure
    outcomes = portal.sync_now()  # as another replica's sync would
    assert outcomes and outcomes[0].outcome == "new"
    portal.sync_in_background_if_due()  # the next page run sees the new set and builds it ahead
    assert portal.wait_until_warm(30) and len(started) == 2
    item = portal.overview().program(portal.overview().progress[0].code)
    assert item is not None and item.actual == 48
