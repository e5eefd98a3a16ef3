"""One real ``streamlit run app.py`` for a test session: the repo's app on a portal.toml in a temporary folder.

The portal.toml holds the repo's own sources, the sample workbooks by absolute path, every source marked
``sample = true``, and the store in that folder, so the repo's data/ is never touched. The browser tests and
the HTTP tests of the portal's own routes (test_web_routes.py) share it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from servers import free_port, stop, wait_healthy

REPO = Path(__file__).resolve().parents[1]
SERVER_START_TIMEOUT = 60.0
MAP_SITE_LIMIT = 20


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise TypeError(f"no TOML form for {value!r} in portal.toml")


def _toml_table(header: str, table: dict[str, Any]) -> str:
    lines = [header]
    lines += [f"{key} = {_toml_value(value)}" for key, value in table.items() if not isinstance(value, dict)]
    text = "\n".join(lines) + "\n"
    for key, value in table.items():
        if isinstance(value, dict):
            text += "\n" + _toml_table(f"[{header.strip('[]')}.{key}]", value)
    return text


def write_portal_config(folder: Path, overrides: dict[str, dict[str, Any]] | None = None) -> Path:
    """The repo's portal.toml with the workbooks by absolute path, ``sample = true`` and the store in ``folder``;
    ``overrides`` sets keys of its tables (say ``{"map": {"basemap": "none"}}``)."""
    data = tomllib.loads((REPO / "portal.toml").read_text(encoding="utf-8"))
    sources = data.pop("sources", [])
    data["store"] = {**data.get("store", {}), "path": (folder / "portal.sqlite").as_posix()}
    # A browser fills the form within a second; the real minimum (20 s) would only make the test wait, and even
    # 1 s made a fast submission fail. The too-fast rule has its own tests (test_feedback_rules, _page).
    data["feedback"] = {**data.get("feedback", {}), "min_seconds": 0}
    # The sample has 28 public sites: above 20 the map counts them per kelurahan, so the browser draws both forms.
    data["map"] = {**data.get("map", {}), "site_limit": MAP_SITE_LIMIT}
    for name, table in (overrides or {}).items():
        data[name] = {**data.get(name, {}), **table}
    parts = [_toml_table(f"[{name}]", table) for name, table in data.items()]
    for source in sources:
        source = dict(source)
        if source.get("path"):
            path = Path(source["path"])
            source["path"] = (path if path.is_absolute() else REPO / path).as_posix()
        source["sample"] = True
        parts.append(_toml_table("[[sources]]", source))
    config = folder / "portal.toml"
    config.write_text("\n".join(parts), encoding="utf-8")
    return config


@dataclass(frozen=True)
class PortalServer:
    url: str
    log: Path
    pid: int  # the server's process

    def output(self, start: int = 0) -> str:
        """What the server has printed (stdout and stderr), from byte ``start`` on."""
        with open(self.log, "rb") as log:
            log.seek(start)
            return log.read().decode("utf-8", errors="replace")


@contextmanager
def running_portal(
    folder: Path,
    overrides: dict[str, dict[str, Any]] | None = None,
    secrets: Path | None = None,
    *,
    config: Path | None = None,
    environment: dict[str, str] | None = None,
) -> Iterator[PortalServer]:
    """``streamlit run app.py`` in the repo on a free port, on a portal.toml written to ``folder``; ``secrets``: a
    secrets.toml to read instead of the repo's (e.g. an admin password hash for the admin's journey). ``config``: a
    portal.toml to use as it is instead (say, Google sources); ``environment``: variables the server gets on top
    (say, ``SHEETS_API_URL`` of a Sheets emulator)."""
    config = config or write_portal_config(folder, overrides)
    port = free_port()
    env = {**os.environ, "PORTAL_CONFIG": str(config), "PYTHONUNBUFFERED": "1"}
    for name in ("DATABASE_URL", "GOOGLE_APPLICATION_CREDENTIALS", "SHEETS_API_URL", "SHEETS_EXPORT_URL"):
        env.pop(name, None)
    env.update(environment or {})
    log_path = folder / "streamlit.log"
    command = [sys.executable, "-m", "streamlit", "run", "app.py"]
    command += ["--server.address", "127.0.0.1", "--server.port", str(port), "--server.headless", "true"]
    command += ["--browser.gatherUsageStats", "false"]
    command += ["--secrets.files", str(secrets)] if secrets is not None else []
    with open(log_path, "wb") as log:
        server = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    portal = PortalServer(f"http://127.0.0.1:{port}", log_path, server.pid)

    try:
        wait_healthy(f"{portal.url}/_stcore/health", server, portal.output, SERVER_START_TIMEOUT)
        yield portal
    finally:
        stop(server)
