"""Is the store readable.

SQLite: ``PRAGMA quick_check`` (pages, b-trees and records, without the slower index cross-check of
``integrity_check``); PostgreSQL: a connection and ``SELECT 1`` (the server checks its own pages). Backup and
restore are ``backup_restore``'s. These work on a path or URL, never through a ``Store``: a damaged file may not
even open as one.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

logger = logging.getLogger("portal")


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
