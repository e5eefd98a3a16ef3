"""Back the store up, and put a backup back without ever putting the live store at risk.

``backup`` never overwrites a file (unless forced) and never deletes one it did not create: it writes into a
temporary file of its own beside DEST and links it into place only when it is complete, so an existing DEST is
refused atomically (``os.link`` fails) rather than after a check that could race. A directory as DEST gets a dated
file inside it.

``restore`` refuses, before touching anything:
- a file that is not a store of this portal (not SQLite, or without the portal's tables and columns, or written by
  a newer contract than this portal reads): an empty file or another program's database would otherwise become the
  store, and the next sync would build the portal's tables inside it;
- the live store itself, also through a symlink or a hard link (``os.path.samefile``);
- a store in use: an unexpired lock row (a sync, the mail sender) or, on Linux, another process with the file open
  (a portal keeps its pooled connection open; ``/proc/<pid>/fd``), unless ``force``. A portal still serving would
  go on using the file set aside, and its writes would be lost.
Then it copies the backup into a temporary file in the store's own folder, checks that copy again, links the live
store to ``<name>.damaged-<time>`` (the live path still holds it), and only then renames the copy over the live
path: one ``rename`` in one folder, atomic on POSIX. On any failure before that rename the live store is at its
path, untouched; the temporary copy is removed.

PostgreSQL: ``pg_dump --format=custom`` and ``pg_restore --clean --if-exists --single-transaction`` (all or
nothing on the server's side); the dump's table of contents must list the portal's tables, and other sessions on
the database (``pg_stat_activity``) or a held lock refuse the restore unless ``force``.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from core.contract import CONTRACT_VERSION
from data_sources.store.snapshot_store import locks, snapshots, sync_runs
from data_sources.store.store_integrity import Integrity, check_store, sqlite_path

# What makes a file a store of this portal: these tables, each with its columns that every version has had
# (the nullable ones are added to older stores when they are opened).
REQUIRED_TABLES = (snapshots, sync_runs)


class BackupError(Exception):
    """A backup or restore that could not be done; the message says why, never with a password."""


@dataclass(frozen=True)
class Restored:
    """A restore done: where the previous store was set aside (SQLite; None when there was none or PostgreSQL)."""

    set_aside: Path | None


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


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


# -- what a file is ------------------------------------------------------------------------------


def _read_only(path: Path) -> sa.Engine:
    # mode=ro: looking at a file never creates, migrates or "repairs" it.
    return sa.create_engine(f"sqlite:///{path.resolve().as_uri()}?mode=ro&uri=true", poolclass=sa.pool.NullPool)


def portal_store_problem(path: Path) -> str | None:
    """Why the SQLite file at ``path`` is not a sound store of this portal, or None when it is one."""
    found = check_store(f"sqlite:///{path}")
    if not found.ok:
        return f"it is damaged or not an SQLite database ({found.detail})"
    engine = _read_only(path)
    try:
        inspector = sa.inspect(engine)
        present = set(inspector.get_table_names())
        for table in REQUIRED_TABLES:
            if table.name not in present:
                return f"it is not a store of this portal (no table {table.name!r})"
            columns = {c["name"] for c in inspector.get_columns(table.name)}
            missing = sorted(c.name for c in table.columns if not c.nullable and c.name not in columns)
            if missing:
                return f"it is not a store of this portal (table {table.name!r} lacks {', '.join(missing)})"
        with engine.connect() as conn:
            newest = conn.execute(sa.select(sa.func.max(snapshots.c.contract_version))).scalar()
    except sa.exc.SQLAlchemyError as exc:
        return f"it cannot be read as a store ({type(exc).__name__}: {str(exc.orig or exc).splitlines()[0]})"
    finally:
        engine.dispose()
    if newest is not None and newest > CONTRACT_VERSION:
        return (
            f"it was written by a newer portal (contract version {newest}; this one reads {CONTRACT_VERSION}): "
            "restore it with that version"
        )
    return None


def _held_locks(engine: sa.Engine, now: datetime | None = None) -> list[str]:
    """The locks someone holds in this store (unexpired rows), each as "name (holder, until …)"."""
    if "locks" not in sa.inspect(engine).get_table_names():
        return []
    with engine.connect() as conn:
        rows = conn.execute(sa.select(locks.c.name, locks.c.holder, locks.c.expires_at)).all()
    now = now or datetime.now(UTC)
    held = []
    for name, holder, expires_at in rows:
        until = expires_at if expires_at.tzinfo else expires_at.replace(tzinfo=UTC)
        if until > now:
            held.append(f"the {name} lock ({holder}, until {until.isoformat(timespec='seconds')})")
    return held


def _processes_with_open(path: Path) -> list[int]:
    """Other processes that have the file (or its -wal) open, from ``/proc/<pid>/fd`` (Linux; elsewhere none are
    found, which the docs say). Processes of other users cannot be seen without their rights."""
    proc = Path("/proc")
    if not proc.is_dir():
        return []
    targets = {str(path.resolve()), str(path.resolve()) + "-wal"}
    found = []
    for entry in proc.iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        with contextlib.suppress(OSError):
            for fd in (entry / "fd").iterdir():
                with contextlib.suppress(OSError):
                    if os.readlink(fd) in targets:
                        found.append(int(entry.name))
                        break
    return sorted(found)


def _sqlite_in_use(path: Path) -> list[str]:
    if not path.exists():
        return []
    held: list[str] = []
    engine = _read_only(path)
    try:
        held += _held_locks(engine)
    except sa.exc.SQLAlchemyError:
        pass  # a damaged store tells no locks; the process check below still runs
    finally:
        engine.dispose()
    held += [f"process {pid}" for pid in _processes_with_open(path)]
    return held


# -- backup --------------------------------------------------------------------------------------


def _target(dest: Path, suffix: str) -> Path:
    """DEST itself, or a dated file inside it when it is a folder."""
    if dest.is_dir():
        return dest / f"portal-{_stamp()}{suffix}"
    return dest


@contextlib.contextmanager
def _own_temporary(folder: Path, name: str) -> Iterator[Path]:
    """A new, empty file of our own in ``folder`` (a name no other file has), removed unless it was moved."""
    handle, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".partial", dir=folder)
    os.close(handle)
    path = Path(temporary)
    try:
        yield path
    finally:
        for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            leftover.unlink(missing_ok=True)


def _put_in_place(temporary: Path, dest: Path, force: bool) -> None:
    if force:
        os.replace(temporary, dest)
        return
    try:
        # A link fails when DEST exists, at the moment of the link: no window between a check and the write.
        os.link(temporary, dest)
    except FileExistsError:
        raise BackupError(f"{dest} exists: choose another name, or give --force to overwrite it") from None


def _sqlite_copy(source: Path, target: Path) -> None:
    """``source`` copied into ``target`` through SQLite's online backup API (a consistent copy of a live store);
    the source is opened read-only."""
    with (
        contextlib.closing(sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True, timeout=30)) as src,
        contextlib.closing(sqlite3.connect(target)) as dst,
    ):
        src.backup(dst)
        # One self-contained file: a copy of a WAL store is in WAL mode, and merely reading it would leave -wal
        # and -shm files beside it. The portal turns WAL on again when it opens the store.
        with contextlib.suppress(sqlite3.DatabaseError):  # a copy of a damaged store: its check will say so
            dst.execute("PRAGMA journal_mode=DELETE")


def backup_store(url: str, dest: Path, *, force: bool = False) -> tuple[Path, Integrity]:
    """Write a backup of the store; the file written and the check of the copy (SQLite) or of the source.

    SQLite: the online backup API copies a consistent state while the portal keeps serving; the copy is then
    quick-checked, so a backup of an already damaged store is reported, not trusted. PostgreSQL: pg_dump's custom
    format, for pg_restore.
    """
    path = sqlite_path(url)
    dest = _target(Path(dest), ".dump" if path is None else ".sqlite")
    if dest.exists() and not dest.is_file():
        raise BackupError(f"{dest} is not a regular file")
    if path is not None and not path.exists():
        raise BackupError(f"no store at {path}")
    if path is not None and dest.exists() and os.path.samefile(dest, path):
        raise BackupError(f"{dest} is the live store itself")
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        with _own_temporary(dest.parent, dest.name) as temporary:
            if path is None:
                conninfo, env = _libpq(url)
                _run([_postgres_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={temporary}", conninfo], env)
                found = check_store(url)
            else:
                try:
                    _sqlite_copy(path, temporary)
                except sqlite3.Error as exc:
                    raise BackupError(f"cannot read {path}: {type(exc).__name__}: {exc}") from exc
                found = check_store(f"sqlite:///{temporary}")
            _put_in_place(temporary, dest, force)
    except OSError as exc:
        raise BackupError(f"cannot write {dest}: {exc.strerror or exc}") from exc
    return dest, found


# -- restore -------------------------------------------------------------------------------------


def _refuse_in_use(held: list[str], force: bool) -> None:
    if held and not force:
        raise BackupError(
            "the store is in use by "
            + "; ".join(held)
            + ". Stop the portal and scheduled syncs first (docs/admin.md, 'Backup and restore'), or give --force"
        )


def _restore_sqlite(path: Path, backup: Path, force: bool) -> Restored:
    if path.exists() and os.path.samefile(backup, path):
        raise BackupError(f"{backup} is the live store itself (or a link to it): nothing to restore")
    problem = portal_store_problem(backup)
    if problem:
        raise BackupError(f"{backup} was not restored: {problem}. The store was not touched")
    _refuse_in_use(_sqlite_in_use(path), force)
    path.parent.mkdir(parents=True, exist_ok=True)
    with _own_temporary(path.parent, path.name) as temporary:
        try:
            _sqlite_copy(backup, temporary)
        except sqlite3.Error as exc:
            raise BackupError(f"cannot read {backup}: {type(exc).__name__}: {exc}") from exc
        problem = portal_store_problem(temporary)
        if problem:
            raise BackupError(f"the copy of {backup} did not check out: {problem}. The store was not touched")
        set_aside = None
        if path.exists():
            set_aside = path.with_name(f"{path.name}.damaged-{_stamp()}")
            # A second name for the live store: it stays at its path until the rename below replaces it.
            os.link(path, set_aside)
            wal = path.with_name(path.name + "-wal")
            if wal.exists():
                # A WAL left beside the new file would be replayed into it: it goes with the old store.
                os.replace(wal, set_aside.with_name(set_aside.name + "-wal"))
            path.with_name(path.name + "-shm").unlink(missing_ok=True)  # an index of the WAL, rebuilt on open
        os.replace(temporary, path)
    return Restored(set_aside)


def _dump_tables(backup: Path) -> set[str]:
    listed = subprocess.run(
        [_postgres_tool("pg_restore"), "--list", str(backup)], capture_output=True, text=True, check=False
    )
    if listed.returncode != 0:
        return set()
    # A table of contents line: "215; 1259 16386 TABLE public snapshots portal".
    return {parts[5] for line in listed.stdout.splitlines() if len(parts := line.split()) > 5 and parts[3] == "TABLE"}


def _postgres_in_use(url: str) -> list[str]:
    """Held locks and the other sessions on the database (a portal or a sync connected to it)."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        held = _held_locks(engine)
        with engine.connect() as conn:
            others = conn.execute(
                sa.text(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            ).scalar_one()
    except sa.exc.SQLAlchemyError as exc:
        raise BackupError(f"cannot reach the database: {type(exc).__name__}") from exc
    finally:
        engine.dispose()
    return held + ([f"{others} other session(s) on the database"] if others else [])


def restore_store(url: str, backup: Path, *, force: bool = False) -> Restored:
    """Put a backup made by ``backup_store`` in place of the store; refusals raise ``BackupError`` having changed
    nothing (see the module's docstring)."""
    backup = Path(backup)
    if not backup.is_file():
        raise BackupError(f"no backup file at {backup}")
    path = sqlite_path(url)
    try:
        if path is not None:
            return _restore_sqlite(path, backup, force)
        missing = sorted({t.name for t in REQUIRED_TABLES} - _dump_tables(backup))
        if missing:
            raise BackupError(
                f"{backup} was not restored: it is not a pg_dump of this portal's store "
                f"(no table {', '.join(missing)}). The database was not touched"
            )
        _refuse_in_use(_postgres_in_use(url), force)
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
        return Restored(None)
    except OSError as exc:
        raise BackupError(f"restore stopped before the swap, the store is untouched: {exc.strerror or exc}") from exc
