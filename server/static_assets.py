"""A missing file under Streamlit's ``/static/`` is a 404, not the app's page (issue #22, item 2).

Streamlit serves its bundle from a static-files mount at the root that answers every path it has no file for with
``index.html`` and a 200 (so that a page's own URL loads the app). Under ``/static/`` that turned a request for
``/static/js/miss-1.js`` into 2 KB of HTML with a 200 and a validator: kept as a compressed copy like a real
bundle, and a flood of such names pushed the real bundles out of the copies and made the 4.7 MB Plotly bundle be
compressed again and again. Only Streamlit's own files live under ``/static/``, and they are fixed for a release:
their names are read once, and a path not among them gets a plain 404 before Streamlit sees it.

The requested path is only ever compared with that set of names, never joined to a folder and opened, so no
spelling of ``..`` can reach another file.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import streamlit
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send
from streamlit import config as streamlit_config

# Streamlit's built frontend: index.html, manifest.json, and static/{js,css,media}/ with hashed names.
FRONTEND = Path(streamlit.__file__).parent / "static"
ASSETS = "static"


@functools.cache
def asset_names(frontend: Path = FRONTEND) -> frozenset[str]:
    """Every file under the frontend's ``static/`` folder, as the path after ``/static/`` (``js/index.abc.js``).

    Read once per process: a few hundred names, fixed for the installed Streamlit release. Symlinks are followed,
    as Streamlit's own mount follows them.
    """
    root = frontend / ASSETS
    names: set[str] = set()
    for folder, _, files in os.walk(root, followlinks=True):
        relative = Path(folder).relative_to(root)
        names.update((relative / name).as_posix() for name in files)
    return frozenset(names)


def assets_prefix() -> str:
    """Where Streamlit's mount serves ``static/``: ``/static/``, under ``server.baseUrlPath`` when one is set."""
    base = str(streamlit_config.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}/{ASSETS}/" if base else f"/{ASSETS}/"


class StreamlitAssets:
    """404 for a path under ``/static/`` that is not one of Streamlit's files; every other request passes."""

    def __init__(self, app: ASGIApp, names: frozenset[str] | None = None, prefix: str | None = None) -> None:
        self.app = app
        self.names = asset_names() if names is None else names
        self.prefix = assets_prefix() if prefix is None else prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        if scope["type"] != "http" or not path.startswith(self.prefix) or path[len(self.prefix) :] in self.names:
            await self.app(scope, receive, send)
            return
        # No-cache: the name may be a bundle of a Streamlit release this process has not been upgraded to yet.
        missing = PlainTextResponse("Not Found", status_code=404, headers={"Cache-Control": "no-cache"})
        await missing(scope, receive, send)
