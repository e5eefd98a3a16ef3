"""A portal to measure: ``streamlit run app.py`` in a tree (this one, or a revision in a temporary worktree).

Started as ``make run`` starts it: the tree's own ``app.py`` and ``portal.toml`` (the six sample workbooks,
``sample = true``), with two differences a benchmark needs: a free port on 127.0.0.1, and a fresh SQLite store in
a temporary folder (``DATABASE_URL``, which every revision since the store's first version honours), so the
tree's ``data/`` is never touched and the first start fills the store from the workbooks as a new install would.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from benchmarks.concurrency import wait_until_idle
from benchmarks.server_process import streamlit_run

REPO = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 90.0


@dataclass(frozen=True)
class Portal:
    tree: Path
    url: str
    pid: int
    log: Path

    def idle(self) -> float:
        """Wait until the server has used (almost) no CPU for a second; returns how long that took."""
        return wait_until_idle(self.pid, quiet_s=1.0, limit_s=180.0)


@contextmanager
def running_portal(tree: Path, folder: Path) -> Iterator[Portal]:
    """``streamlit run app.py`` in ``tree``, the store and the server's log in ``folder``."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "DATABASE_URL": f"sqlite:///{(folder / 'portal.sqlite').as_posix()}"}
    for name in ("PORTAL_CONFIG", "GOOGLE_APPLICATION_CREDENTIALS", "SHEETS_API_URL", "SHEETS_EXPORT_URL"):
        env.pop(name, None)
    log = folder / "streamlit.log"
    with streamlit_run("app.py", cwd=tree, env=env, log=log, timeout=START_TIMEOUT_S) as (process, port):
        yield Portal(tree, f"http://127.0.0.1:{port}", process.pid, log)


@contextmanager
def revision_tree(revision: str) -> Iterator[tuple[Path, str]]:
    """``revision`` checked out (detached) into a temporary git worktree; yields (folder, full commit)."""
    commit = subprocess.run(
        ["git", "rev-parse", "--verify", f"{revision}^{{commit}}"],
        cwd=REPO, capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    parent = Path(tempfile.mkdtemp(prefix="bench-web-baseline-"))
    tree = parent / "tree"
    subprocess.run(["git", "worktree", "add", "--detach", str(tree), commit], cwd=REPO, capture_output=True, check=True)
    try:
        yield tree, commit
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=REPO, capture_output=True, check=False)
        subprocess.run(["git", "worktree", "prune"], cwd=REPO, capture_output=True, check=False)
        subprocess.run(["rm", "-rf", str(parent)], check=False)


def current_commit() -> tuple[str, bool]:
    """(this tree's HEAD, whether the tree has uncommitted changes to tracked files)."""
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True, check=True)
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPO, capture_output=True, text=True, check=True
    )
    return head.stdout.strip(), bool(dirty.stdout.strip())
