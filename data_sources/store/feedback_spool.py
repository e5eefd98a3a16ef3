"""The feedback spool: where a survey response goes when the store cannot take it, until the store is back.

One JSON object per line (``{"id": ..., "row": {...}}``), appended and fsync'd before the respondent sees the
thank-you, so a response survives a damaged or unreachable store and a crash of the server. ``replay`` moves
the lines into the store under the ids their respondents were given, and keeps any line the store still refuses.
An advisory file lock (``fcntl.flock`` on ``<spool>.lock``) keeps appends and replays of several processes on one
machine from interleaving. The file holds what the store holds (contact details, hashed addresses): keep it
beside the store, never under static/.

The spool is bounded, because while the store is down anyone could fill the disk through the survey form:
an append that would take the file past ``max_bytes`` raises ``SpoolFull`` and writes nothing. The hourly limits
hold too: ``append_within_limits`` counts the sender's spooled responses and appends under the same lock, so
concurrent processes can pass neither the cap nor a limit together. The spool counts senders by its own keys
(the session and the address hashed with ``<spool>.salt``, one random salt every process on the machine
shares), because a process that cannot read the store cannot read the store's salt either.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from core.feedback_rules import Recent
from core.keys import salted_hash
from core.text import Text

logger = logging.getLogger("portal")


@dataclass(frozen=True)
class Replayed:
    stored: int  # moved into the store
    already: int  # found in the store already (a replay interrupted after its commit)
    kept: int  # still in the spool: the store refused them (still down), or the line is unreadable

    def line(self) -> str:
        return f"feedback spool: {self.stored} stored, {self.already} already stored, {self.kept} still waiting"


class SpoolFull(Exception):
    """The spool holds as much as it may (``[feedback] spool_max_mb``): the response was not written."""

    def __init__(self, path: Path, size: int, max_bytes: int) -> None:
        super().__init__(f"feedback spool {path} is full: {size} bytes, at most {max_bytes}")
        self.size = size
        self.max_bytes = max_bytes


class FeedbackSpool:
    def __init__(self, path: Path, max_bytes: int | None = None) -> None:
        """``max_bytes``: the most the file may hold (None: unbounded, for reading and replaying only)."""
        self.path = Path(path)
        self.max_bytes = max_bytes
        self._lock_path = self.path.with_name(self.path.name + ".lock")
        self._salt_path = self.path.with_name(self.path.name + ".salt")

    @contextmanager
    def _locked(self) -> Iterator[None]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self._lock_path, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def append(self, response_id: str, row: dict[str, Any]) -> None:
        """Write one response durably: returns only after the line (and a new file's name) reached the disk.

        Raises ``SpoolFull`` (and writes nothing) when the line would take the file past ``max_bytes``.
        """
        line = _line({"id": response_id, "row": row})
        with self._locked():
            self._write(line)

    def append_within_limits(
        self,
        response_id: str,
        row: dict[str, Any],
        *,
        session: str,
        address: str | None,
        duplicate_hours: int,
        refuse: Callable[[Recent], Text | None],
    ) -> Text | None:
        """Count, decide and append in one step under the lock: None when the response was written, else why not.

        ``session`` and ``address`` are the sender as the page knows them (the address None when unknown); the
        spool keeps them only hashed with its own salt. ``refuse`` gets what the spool holds from this sender
        within the rules' windows (the last hour, and ``duplicate_hours`` for the same answers), counted at the
        row's ``created_at``; the caller adds what the store can still tell. Raises ``SpoolFull`` first when the
        line would not fit: a full spool is not read at all, so a flood against it costs little.
        """
        with self._locked():
            salt = self._salt()
            sender = {
                "session": salted_hash(f"session:{session}", salt),
                "address": salted_hash(f"address:{address}", salt) if address else None,
            }
            line = _line({"id": response_id, "sender": sender, "row": row})
            self._check_room(len(line))
            why = refuse(self._recent(sender, row["fingerprint"], row["created_at"], duplicate_hours))
            if why is None:
                self._write(line)
            return why

    def _check_room(self, adding: int) -> None:
        if self.max_bytes is None:
            return
        try:
            size = self.path.stat().st_size
        except FileNotFoundError:
            size = 0
        if size + adding > self.max_bytes:
            raise SpoolFull(self.path, size, self.max_bytes)

    def _write(self, line: bytes) -> None:
        # Called with the lock held.
        self._check_room(len(line))
        created = not self.path.exists()
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line)
            os.fsync(fd)
        finally:
            os.close(fd)
        if created:
            _fsync_folder(self.path.parent)

    def _salt(self) -> str:
        """The spool's own salt, made by the first process that needs it (called with the lock held)."""
        try:
            return self._salt_path.read_text(encoding="ascii").strip()
        except FileNotFoundError:
            pass
        salt = secrets.token_hex(16)
        partial = self._salt_path.with_name(self._salt_path.name + ".partial")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(fd, salt.encode("ascii"))
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(partial, self._salt_path)
        _fsync_folder(self.path.parent)
        return salt

    def _recent(self, sender: dict[str, str | None], fingerprint: str, now: datetime, duplicate_hours: int) -> Recent:
        """What the spool holds from ``sender``, the way ``FeedbackStore.recent`` counts the store's responses."""
        hour_ago = now - timedelta(hours=1)
        window = now - timedelta(hours=duplicate_hours)
        from_session = from_address = 0
        duplicate = False
        for line in self._lines():
            try:
                entry = json.loads(line)
                theirs = entry["sender"]
                at = datetime.fromisoformat(entry["row"]["created_at"]["$datetime"])
                same_session = theirs["session"] == sender["session"]
                same_address = theirs["address"] == sender["address"]  # unknown addresses share one allowance
            except (ValueError, KeyError, TypeError):
                continue  # a torn line, or one spooled before senders were kept: counted by no one
            if at >= hour_ago:
                from_session += same_session
                from_address += same_address
            if (
                at >= window
                and entry["row"].get("fingerprint") == fingerprint
                and (same_session or (sender["address"] is not None and same_address))
            ):
                duplicate = True
        return Recent(from_session, from_address, sender["address"] is not None, duplicate)

    def waiting(self) -> int:
        """How many responses wait in the spool (0 without a file): cheap enough to ask after every submission."""
        try:
            if self.path.stat().st_size == 0:
                return 0
        except FileNotFoundError:
            return 0
        with self._locked():
            return sum(1 for line in self._lines() if line.strip())

    def replay(self, store: Callable[[str, dict[str, Any]], bool]) -> Replayed:
        """Hand each waiting response to ``store(id, row)`` (True: stored, False: was already there).

        A line the store raises on stays in the spool, and so does every line after it (the store is likely
        still down); the file is rewritten with what is left, through a new file renamed over it.
        """
        stored = already = 0
        with self._locked():
            lines = [line for line in self._lines() if line.strip()]
            if not lines:
                return Replayed(0, 0, 0)
            left: list[str] = []
            for index, line in enumerate(lines):
                try:
                    entry = json.loads(line)
                    response_id, row = str(entry["id"]), _decode(entry["row"])
                except (ValueError, KeyError, TypeError):
                    # A line torn by a crash mid-write: kept for the admin, never dropped silently.
                    logger.error("feedback spool %s: unreadable line %d kept", self.path, index + 1)
                    left.append(line)
                    continue
                try:
                    if store(response_id, row):
                        stored += 1
                    else:
                        already += 1
                except Exception:
                    kept = len(lines) - index
                    logger.exception("feedback spool %s: the store still refuses; %d kept", self.path, kept)
                    left.extend(lines[index:])
                    break
            self._rewrite(left)
        return Replayed(stored, already, len(left))

    def _lines(self) -> list[str]:
        try:
            return self.path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return []

    def _rewrite(self, lines: list[str]) -> None:
        partial = self.path.with_name(self.path.name + ".partial")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(fd, "".join(line + "\n" for line in lines).encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(partial, self.path)
        _fsync_folder(self.path.parent)


def _line(entry: dict[str, Any]) -> bytes:
    return (json.dumps(entry, default=_encode, ensure_ascii=False) + "\n").encode("utf-8")


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    raise TypeError(f"cannot spool a {type(value).__name__}")


def _decode(row: dict[str, Any]) -> dict[str, Any]:
    return {
        key: datetime.fromisoformat(value["$datetime"]) if isinstance(value, dict) and "$datetime" in value else value
        for key, value in row.items()
    }


def _fsync_folder(folder: Path) -> None:
    # A new or renamed file's name is durable only once its folder is synced.
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
