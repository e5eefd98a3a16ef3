"""Holding a store lock while a job works: take it, renew its lease in a thread, release it.

A lock row in the store expires unless renewed (``Store.try_lock``). The job's own thread may sit for minutes in
one slow read, so the renewing is done by a small daemon thread, every third of the lease: a holder that dies
(``kill -9``, out of memory, its machine restarted) stops renewing with it, and the lock lapses within one
lease of its last renewal, whatever the number of sources.

A holder can also stall past its lease and then wake up (a long GC pause, a frozen VM, a network hang that
blocks the renewing thread too, a laptop lid): meanwhile another job took the lock over and started writing. So
the lease is fenced. Each acquisition gets a generation, one more than the lock's previous one (kept in the
store, so it grows even across releases), and ``fence`` carries it with the holder's name. A write made on the
lease's behalf passes the fence to the store (``Store.save(..., fence=lease.fence)``, ``Store.record_failure``),
which commits it only if, in that same transaction, the lock row still names this holder and generation; else
it writes nothing and raises ``LeaseLost``, saying who took the lock over and when. The check is an UPDATE of the
lock row, so a takeover waits for the write's commit (PostgreSQL's row lock, SQLite's write lock): a write is
never one holder's and committed after another's began. Work outside the store (files) checks
``Store.check_fence`` just before it. The job stops at the first refusal and reports it (``run_sync`` logs the
source it did not write and stops; ``python -m data_sources sync`` exits with 3).
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import timedelta
from types import TracebackType

import sqlalchemy as sa

from data_sources.store.snapshot_store import Fence, Store

logger = logging.getLogger("portal")


class Lease:
    """``with Lease(...) as lease: if lease.held: ...``, or ``acquire()`` / ``release()``.

    ``lost`` turns true when a renewal found the lock taken over (this holder was stalled past its lease) or
    could not reach the store for a whole lease. ``fence`` (while held): what every write made on the lease's
    behalf passes to the store, which refuses it once the lock is another's (``LeaseLost``).
    """

    def __init__(self, store: Store, name: str, holder: str, ttl: timedelta) -> None:
        self.store, self.name, self.holder, self.ttl = store, name, holder, ttl
        self.held = False
        self.fence: Fence | None = None
        self._lost = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def renew_every(self) -> float:
        # Three chances to renew within one lease: one slow write to the store does not lose it.
        return self.ttl.total_seconds() / 3

    @property
    def lost(self) -> bool:
        return self._lost.is_set()

    def acquire(self) -> bool:
        self.fence = self.store.acquire_lock(self.name, self.holder, self.ttl)
        self.held = self.fence is not None
        if self.held:
            self._thread = threading.Thread(target=self._renew, name=f"lease-{self.name}", daemon=True)
            self._thread.start()
        return self.held

    def release(self) -> None:
        if not self.held:
            return
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self.held = False
        assert self.fence is not None
        self.store.release_lock(self.name, self.holder, self.fence.generation)

    @property
    def _generation(self) -> int | None:
        return self.fence.generation if self.fence is not None else None

    def _renew(self) -> None:
        renewed_at = time.monotonic()
        while not self._stop.wait(self.renew_every):
            try:
                if self.store.renew_lock(self.name, self.holder, self.ttl, self._generation):
                    renewed_at = time.monotonic()
                    continue
                # Not a warning: the job says it once, naming what it did not write (the fence refused it).
                logger.info("the %s lock was taken over by another holder while %s worked", self.name, self.holder)
            except sa.exc.SQLAlchemyError:
                # The store is out of reach for a moment (a database restart): keep trying while the lease lasts.
                if time.monotonic() - renewed_at < self.ttl.total_seconds():
                    logger.warning("renewing the %s lock failed; retrying", self.name, exc_info=True)
                    continue
                logger.warning("the %s lock lapsed: the store was out of reach for a whole lease", self.name)
            self._lost.set()
            return

    def __enter__(self) -> Lease:
        self.acquire()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.release()
