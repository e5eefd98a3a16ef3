"""A real portal with a signed transparency log (issue 24), and what a dishonest operator could do to its store.

``log_portal``: ``streamlit run app.py`` on the sample workbooks (``portal_server.running_portal``) with a signer
key file outside the store and ``[open_data] public_url`` set (the checkpoint's origin is made from it); its first
request fills the store by a real sync, which appends one leaf per snapshot and signs a checkpoint before it writes
the open-data files. ``next_sync`` changes one workbook and runs a real sync on it, so the log grows and the sync
signs a new checkpoint.

``rewritten_log`` is the operator who edits the store and rebuilds the log to match: the leaves recomputed from the
snapshots as they now stand (``expected_leaves``, what appending would have made), in any order, and a checkpoint
signed over them with the portal's own key (or another). The original log (and any rows edited) come back after,
so each test leaves the portal as it found it.
"""

from __future__ import annotations

import shutil
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import openpyxl
import sqlalchemy as sa
from portal_server import PortalServer, running_portal

from core.merkle_tree import leaf_hash, root_hash
from core.signed_note import Checkpoint, generate_key, origin_for, sign_checkpoint
from data_sources.config.portal_config import Config, load_config
from data_sources.jobs.sync import LOG, run_sync
from data_sources.store.snapshot_store import Store
from data_sources.store.snapshot_tables import row_tables
from data_sources.store.transparency_log import expected_leaves, log_checkpoints, log_leaves

REPO = Path(__file__).resolve().parents[1]
PUBLIC_URL = "https://portal.example.go.id/"
ORIGIN = origin_for(PUBLIC_URL)
# The workbook a later sync reads changed (a copy of the bundled sample, the source "diskop").
CHANGED_SOURCE = "diskop"
CHANGED_WORKBOOK = "sample_data/diskop_baiman_store.xlsx"


def write_key(folder: Path) -> tuple[Path, str, str]:
    """A signer key file as ``keygen`` writes it (one line), in a folder of its own; (path, signer, verifier).

    Always a key whose base64 part holds a "+" (about half do): a parser that splits the key on every "+" then
    fails every time, not once in two runs (the doc's verifier did)."""
    signer, verifier = generate_key(ORIGIN)
    while "+" not in verifier.split("+", 2)[2]:
        signer, verifier = generate_key(ORIGIN)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "log.key"
    path.write_text(signer + "\n", encoding="ascii")
    path.chmod(0o600)
    return path, signer, verifier


@dataclass
class LogPortal:
    server: PortalServer
    folder: Path
    key_file: Path
    signer: str
    verifier: str
    store: Store
    syncs: int = 0

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def config_path(self) -> Path:
        return self.folder / "portal.toml"

    @property
    def config(self) -> Config:
        return load_config(self.config_path)

    @property
    def open_data(self) -> Path:
        return self.config.open_data_folder


@contextmanager
def log_portal(folder: Path, signed: bool = True) -> Iterator[LogPortal]:
    """The sample portal with its log, first sync done (and, with ``signed``, a signer key configured)."""
    key_file, signer, verifier = write_key(folder / "keys")
    overrides: dict[str, dict[str, Any]] = {"open_data": {"public_url": PUBLIC_URL}}
    if signed:
        overrides["log"] = {"key_file": key_file.as_posix()}
    portal_folder = folder / "portal"
    portal_folder.mkdir()
    with running_portal(portal_folder, overrides) as server:
        # The first request makes the Portal, whose first start fills the empty store by a real sync.
        answer(server.url + "/sitemap.xml")
        store = Store(load_config(portal_folder / "portal.toml").database_url)
        portal = LogPortal(server, portal_folder, key_file, signer, verifier, store)
        try:
            yield portal
        finally:
            portal.store.close()


def answer(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=120) as response:
        return bytes(response.read())


def next_sync(portal: LogPortal) -> int:
    """Change the ``diskop`` workbook (a copy) and run a real sync on it: one new snapshot, one new leaf, a new
    checkpoint. Returns the log's new size."""
    portal.syncs += 1
    changed = portal.folder / f"diskop-{portal.syncs}.xlsx"
    shutil.copyfile(REPO / CHANGED_WORKBOOK, changed)
    book = openpyxl.load_workbook(changed)
    sheet = book["capaian"]
    sheet.cell(row=2, column=8).value = f"Catatan diperbarui ({portal.syncs})"  # an accepted report's note
    book.save(changed)
    text = portal.config_path.read_text(encoding="utf-8")
    next_config = portal.folder / f"portal-next-{portal.syncs}.toml"
    next_config.write_text(text.replace((REPO / CHANGED_WORKBOOK).as_posix(), changed.as_posix()), encoding="utf-8")
    outcomes = run_sync(load_config(next_config), portal.store)
    assert outcomes is not None, "another sync held the lock"
    assert [o.outcome for o in outcomes if o.source == CHANGED_SOURCE] == ["new"], [o.line() for o in outcomes]
    # The sync signed a checkpoint over the grown log before it wrote the open-data files.
    assert [o.outcome for o in outcomes if o.source == LOG] == ["signed"], [o.line() for o in outcomes]
    return portal.store.log.size()


# --- the dishonest operator ---------------------------------------------------------------------------------


def _rows(conn: sa.Connection, table: sa.Table) -> list[dict[str, Any]]:
    return [dict(row) for row in conn.execute(sa.select(table)).mappings()]


@contextmanager
def rewritten_log(
    portal: LogPortal,
    order: Callable[[list[int]], Sequence[int]] = list,
    signer: str | None = None,
    before: Callable[[sa.Connection], Callable[[sa.Connection], None]] | None = None,
) -> Iterator[None]:
    """The log rebuilt from the store as it then stands: ``before`` edits the store (and gives back what undoes
    it), ``order`` picks and orders the snapshot ids, and ``signer`` signs the checkpoint (the portal's own key
    by default). Everything is put back afterwards."""
    store = portal.store
    with store.engine.begin() as conn:
        kept_leaves, kept_checkpoints = _rows(conn, log_leaves), _rows(conn, log_checkpoints)
    undo: Callable[[sa.Connection], None] | None = None
    try:
        with store.engine.begin() as conn:
            undo = before(conn) if before is not None else None
            ids = order([row["snapshot_id"] for row in sorted(kept_leaves, key=lambda r: r["leaf_index"])])
            # What appending would have made of each snapshot as the store now stands.
            leaves = expected_leaves(conn, list(ids))
            conn.execute(log_checkpoints.delete())
            conn.execute(log_leaves.delete())
            now = datetime.now(UTC)
            rows = [
                {
                    "leaf_index": index,
                    "snapshot_id": snapshot_id,
                    "leaf": leaves[snapshot_id],
                    "leaf_hash": leaf_hash(leaves[snapshot_id]),
                    "appended_at": now,
                }
                for index, snapshot_id in enumerate(ids)
            ]
            conn.execute(log_leaves.insert(), rows)
            root = root_hash([row["leaf_hash"] for row in rows])
            note = sign_checkpoint(Checkpoint(ORIGIN, len(rows), root), signer or portal.signer)
            conn.execute(log_checkpoints.insert().values(tree_size=len(rows), root=root, note=note, signed_at=now))
        yield
    finally:
        with store.engine.begin() as conn:
            conn.execute(log_checkpoints.delete())
            conn.execute(log_leaves.delete())
            if undo is not None:
                undo(conn)
            conn.execute(log_leaves.insert(), kept_leaves)
            conn.execute(log_checkpoints.insert(), kept_checkpoints)


@contextmanager
def swapped_key(portal: LogPortal) -> Iterator[str]:
    """The same log re-signed with a new key, which the portal now also serves at /log/key; yields the new
    verifier key. The portal's own key file and checkpoints come back after."""
    signer, verifier = generate_key(ORIGIN)
    original = portal.key_file.read_text(encoding="ascii")
    portal.key_file.write_text(signer + "\n", encoding="ascii")
    try:
        with rewritten_log(portal, signer=signer):
            yield verifier
    finally:
        portal.key_file.write_text(original, encoding="ascii")


def edit_rows(snapshot_id: int) -> Callable[[sa.Connection], Callable[[sa.Connection], None]]:
    """``before`` for ``rewritten_log``: one stored progress report of a snapshot gets another realisation."""
    table = row_tables["capaian"]

    def edit(conn: sa.Connection) -> Callable[[sa.Connection], None]:
        row = conn.execute(
            sa.select(table.c.sheet_row, table.c.realisasi_persen)
            .where(table.c.snapshot_id == snapshot_id)
            .order_by(table.c.sheet_row)
            .limit(1)
        ).one()
        where = (table.c.snapshot_id == snapshot_id) & (table.c.sheet_row == row.sheet_row)
        conn.execute(table.update().where(where).values(realisasi_persen=(row.realisasi_persen or 0) + 7))

        def undo(conn: sa.Connection) -> None:
            conn.execute(table.update().where(where).values(realisasi_persen=row.realisasi_persen))

        return undo

    return edit
