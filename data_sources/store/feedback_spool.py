"""The feedback spool: where a survey response goes when the store cannot take it, until the store is back.

One JSON object per line (``{"id": ..., "row": {...}}``), appended and fsync'd before the respondent sees the
thank-you, so a response survives a damaged or unreachable store and a crash of the server. ``replay`` moves
the lines into the store under the ids their respondents were given, and keeps any line the store still refuses.
An advisory file lock (``fcntl.flock`` on ``<spool>.lock``) keeps appends and replays of several processes on one
machine from interleaving. The file holds what the store holds (contact details, hashed addresses): keep it
beside the store, never under static/.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

logger = logging.getLogger("portal")


@dataclass(frozen=True)
class Replayed:
    stored: int  # moved into the store
    already: int  # found in the store already (a replay interrupted after its commit)
    kept: int  # still in the spool: the store refused them (still down), or the line is unreadable

    def line(self) -> str:
        return f"feedback spool: {self.stored} stored, {self.already} already stored, {self.kept} still waiting"


class FeedbackSpool:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock_path = self.path.with_name(self.path.name + ".lock")

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
        """Write one response durably: returns only after the line (and a new file's name) reached the disk."""
        line = json.dumps({"id": response_id, "row": row}, default=_encode, ensure_ascii=False) + "\n"
        with self._locked():
            created = not self.path.exists()
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, line.encode("utf-8"))
                os.fsync(fd)
            finally:
                os.close(fd)
            if created:
                _fsync_folder(self.path.parent)

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
