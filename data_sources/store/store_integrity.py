"""Is the store readable, and how to back it up and put a backup back.

SQLite: ``PRAGMA quick_check`` (pages, b-trees and records, without the slower index cross-check of
``integrity_check``), a copy through SQLite's online backup API (consistent while the portal keeps serving and
writing), and a restore that moves the damaged file aside instead of deleting it. PostgreSQL: a connection and
``SELECT 1`` (the server checks its own pages), ``pg_dump --format=custom`` and ``pg_restore --clean``.
These work on a path or URL, never through a ``Store``: a damaged file may not even open as one.
"""

from __future__ import annotations

import contextlib
import glob
import logging
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

logger = logging.getLogger("portal")


class BackupError(Exception):
    """A backup or restore that could not be done; the message says why, never with a password."""


@dataclass(frozen=True)
class Integrity:
    ok: bool
    # What the check found, for the admin's log: "ok", SQLite's first findings, or the error that stopped it.
    detail: str
    where: str  # the file, or the server and database, never a password

    def line(self) -> str:
        if self.ok:
            return f"store {self.where}: integrity ok"
        return (
            f"store {self.where} is DAMAGED or unreadable: {self.detail}. Public pages say the data are "
            "temporarily unavailable and link to the last open-data files; survey responses go to the spool "
            "file. Restore the last backup (docs/admin.md, 'Backup and restore')."
        )


def sqlite_path(url: str) -> Path | None:
    """The file of a ``sqlite:///`` URL, None for any other database."""
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def _where(url: str) -> str:
    path = sqlite_path(url)
    if path is not None:
        return str(path)
    return sa.engine.make_url(url).render_as_string(hide_password=True)


def check_store(url: str, max_errors: int = 5) -> Integrity:
    """``PRAGMA quick_check`` on a SQLite file (read-only), a round trip on any other database."""
    where = _where(url)
    path = sqlite_path(url)
    if path is not None:
        if not path.exists():
            return Integrity(True, "no file yet (a new store)", where)
        try:
            # mode=ro: checking never creates, migrates or "repairs" the file it checks.
            conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
            try:
                found = [str(r[0]) for r in conn.execute(f"PRAGMA quick_check({int(max_errors)})").fetchall()]
            finally:
                conn.close()
        except sqlite3.Error as exc:
            return Integrity(False, f"{type(exc).__name__}: {exc}", where)
        ok = found == ["ok"]
        return Integrity(ok, "ok" if ok else "; ".join(found), where)
    engine = sa.create_engine(url, pool_pre_ping=False)
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1")).scalar_one()
    except sa.exc.SQLAlchemyError as exc:
        return Integrity(False, f"{type(exc).__name__}: {str(exc.orig or exc).splitlines()[0]}", where)
    finally:
        engine.dispose()
    return Integrity(True, "ok", where)


def log_integrity(url: str) -> Integrity:
    """Check the store and log the finding: a warning the admin cannot miss when it is damaged."""
    found = check_store(url)
    if found.ok:
        logger.info(found.line())
    else:
        logger.error(found.line())
    return found


# -- backup and restore -------------------------------------------------------------------------


def _postgres_tool(name: str) -> str:
    """pg_dump / pg_restore: on PATH, else Debian's versioned folder (the newest, which reads older servers)."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(Path(p).parts[-3].split(".")[0])
    )
    if not candidates:
        raise BackupError(f"{name} not found: install the PostgreSQL client (Debian: postgresql-client)")
    return candidates[-1]


def _libpq(url: str) -> tuple[str, dict[str, str]]:
    """A libpq connection URL without the password, and the environment that carries it (never argv, never ps)."""
    parsed = sa.engine.make_url(url)
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    plain = parsed.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed ({done.returncode}): {done.stderr.strip()[-500:]}")


def _sqlite_copy(source: Path, target: Path) -> None:
    """``source`` copied into ``target`` through SQLite's online backup API (a consistent copy of a live store);
    the source is opened read-only."""
    with (
        contextlib.closing(sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True, timeout=30)) as src,
        contextlib.closing(sqlite3.connect(target)) as dst,
    ):
        src.backup(dst)


def backup_store(url: str, dest: Path) -> Integrity:
    """Write a backup of the store to ``dest`` and return the check of the copy (SQLite) or of the source.

    SQLite: the online backup API copies a consistent state while the portal keeps serving; the copy is then
    quick-checked, so a backup of an already damaged store is reported, not trusted. PostgreSQL: pg_dump's
    custom format, for pg_restore.
    """
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    path = sqlite_path(url)
    if path is None:
        conninfo, env = _libpq(url)
        _run([_postgres_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={dest}", conninfo], env)
        return check_store(url)
    if not path.exists():
        raise BackupError(f"no store at {path}")
    partial = dest.with_name(dest.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        _sqlite_copy(path, partial)
    except sqlite3.Error as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(f"cannot read {path}: {type(exc).__name__}: {exc}") from exc
    # Written under another name and renamed: a backup interrupted halfway never replaces a good one.
    os.replace(partial, dest)
    return check_store(f"sqlite:///{dest}")


def restore_store(url: str, backup: Path) -> Path | None:
    """Put a backup back. Stop the portal (and any scheduled sync) first.

    SQLite: the backup is checked, the current file (and its -wal/-shm) is moved aside as
    ``<name>.damaged-<time>`` (returned, for a forensic look), and the backup is copied in through the backup
    API. PostgreSQL: ``pg_restore --clean --if-exists`` into the configured database.
    """
    backup = Path(backup)
    if not backup.exists():
        raise BackupError(f"no backup at {backup}")
    path = sqlite_path(url)
    if path is None:
        conninfo, env = _libpq(url)
        _run(
            [
                _postgres_tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                f"--dbname={conninfo}",
                str(backup),
            ],
            env,
        )
        return None
    found = check_store(f"sqlite:///{backup}")
    if not found.ok:
        raise BackupError(f"the backup {backup} is itself damaged: {found.detail}")
    moved: Path | None = None
    if path.exists():
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        moved = path.with_name(f"{path.name}.damaged-{stamp}")
        os.replace(path, moved)
        for suffix in ("-wal", "-shm"):
            side = path.with_name(path.name + suffix)
            if side.exists():
                os.replace(side, moved.with_name(moved.name + suffix))
    path.parent.mkdir(parents=True, exist_ok=True)
    _sqlite_copy(backup, path)
    return moved
