"""The server settings in .streamlit/config.toml that the portal's safety and capacity rely on."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from portal_server import running_portal
from streamlit_session import open_session

CONFIG = Path(__file__).resolve().parent.parent / ".streamlit" / "config.toml"


def _options() -> dict[str, dict[str, object]]:
    return tomllib.loads(CONFIG.read_text(encoding="utf-8"))


def test_no_full_garbage_collection_runs_after_every_page_run() -> None:
    # Streamlit's default (a gc.collect(2) per script run) took ~70 % of the server's time with 100 readers.
    assert _options()["runner"]["postScriptGC"] is False


def test_the_public_gets_no_developer_tools_and_no_table_export() -> None:
    client = _options()["client"]
    # "minimal": no developer tools either, and no ⋮ menu of untranslatable English (issue #26, item 12).
    assert client["toolbarMode"] == "minimal"
    assert client["showErrorDetails"] == "none"
    assert client["disableDataExport"] is True


def test_the_server_as_deployed_watches_no_files(tmp_path: Path) -> None:
    """Streamlit's file watcher (a developer's reload-on-save) watched the app's folder, .venv and all, recursively,
    and walked it again on the bursts of files a first view opens: 3-4 s of the server's CPU per first view."""
    assert _options()["server"]["fileWatcherType"] == "none"
    # The server as the systemd unit starts it (`streamlit run app.py` in the repository, reading its config.toml),
    # with a reader's session open (the watcher starts with the first session), holds no inotify instance (the
    # watcher's own, in Linux's /proc).
    with running_portal(tmp_path) as portal, open_session(portal.url):
        fds = Path(f"/proc/{portal.pid}/fd")
        kinds = {_target(fd) for fd in fds.iterdir()}
    assert kinds and "anon_inode:inotify" not in kinds, kinds


def _target(fd: Path) -> str:
    try:
        return os.readlink(fd)
    except FileNotFoundError:  # closed while listed
        return ""
