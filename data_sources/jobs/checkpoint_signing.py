"""Signing the transparency log's checkpoint after a sync that appended (issue 24, item 2).

Under the sync lock (``run_sync``; at start-up ``sign_pending_checkpoint`` takes it): when the log holds more
leaves than the latest stored checkpoint covers and a key is configured, the root over every leaf is signed as a
C2SP ``tlog-checkpoint`` (origin ``core.signed_note.origin_for(public_url)``, which is also the key's name) and
stored. Before it is stored, it is proved consistent with the previous stored checkpoint: that note's signature
must verify with the configured key, and an RFC 6962 consistency proof built from the stored leaves must take
its root to the new one. When it does not, nothing is stored, one ERROR line names both sizes, and the sync's
outcome says so: the portal never publishes a checkpoint that does not extend its own previous one.

No key configured: no checkpoint, nothing logged here (the log is still kept; /admin says how to make a key).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from core.merkle_tree import consistency_proof, root_hash, verify_consistency
from core.signed_note import Checkpoint, NoteError, open_checkpoint, origin_for, sign_checkpoint
from core.text import Text
from data_sources.config.portal_config import Config
from data_sources.config.signing_key import SigningKey, SigningKeyProblem, configured_signing_key
from data_sources.store.snapshot_store import Fence, Store, hold_fence

logger = logging.getLogger("portal")


@dataclass(frozen=True)
class Signing:
    # "signed": a checkpoint was stored; "current": the latest checkpoint covers every leaf already (or the log is
    # empty); "no-key": none configured; "refused": not consistent with the previous one, nothing stored;
    # "key-problem": the key file (or public_url) cannot be used, nothing stored.
    outcome: str
    size: int
    message: Text | None = None

    @property
    def failed(self) -> bool:
        return self.outcome in ("refused", "key-problem")


def _key_problem(size: int, text: Text) -> Signing:
    logger.error("transparency log: no checkpoint signed for size %d: %s", size, text.en)
    return Signing("key-problem", size, text)


def _refused(size: int, previous: int, why: Text) -> Signing:
    logger.error(
        "transparency log: checkpoint NOT signed: the log at size %d is not consistent with the stored checkpoint "
        "at size %d (%s); nothing was stored",
        size,
        previous,
        why.en,
    )
    return Signing(
        "refused",
        size,
        Text(
            f"Checkpoint untuk ukuran {size} TIDAK ditandatangani: log tidak konsisten dengan checkpoint tersimpan "
            f"ukuran {previous} ({why.id}). Tidak ada yang disimpan; lihat docs/admin.md, 'Log transparansi'.",
            f"The checkpoint for size {size} was NOT signed: the log is not consistent with the stored checkpoint "
            f"of size {previous} ({why.en}). Nothing was stored; see docs/admin.md, 'Transparency log'.",
        ),
    )


def usable_key(config: Config) -> SigningKey | Text | None:
    """The configured key when it can sign this portal's checkpoints; else why not (both languages); None when no
    key is configured. Reads the key file afresh and logs nothing (/admin asks it on every run)."""
    try:
        key = configured_signing_key(config)
    except SigningKeyProblem as problem:
        return problem.text
    if key is None:
        return None
    public_url = config.open_data.public_url.strip()
    if not public_url:
        return Text(
            "`[open_data] public_url` kosong: asal (origin) checkpoint dibuat dari alamat itu.",
            "`[open_data] public_url` is empty: the checkpoint's origin is made from that address.",
        )
    try:
        origin = origin_for(public_url)
    except NoteError as exc:
        # Its message names what is wrong with the address (the portal's own setting), never a key.
        return Text(
            f"`[open_data] public_url` tidak dapat menjadi asal (origin) checkpoint: {exc}",
            f"`[open_data] public_url` cannot give the checkpoint's origin: {exc}",
        )
    if origin != key.name:
        return Text(
            f"kunci `{key.path}` dibuat untuk asal `{key.name}`, tetapi `[open_data] public_url` memberi "
            f"`{origin}`. Kembalikan public_url, atau buat kunci baru (checkpoint lama tetap bertanda kunci lama).",
            f"the key `{key.path}` was made for the origin `{key.name}`, but `[open_data] public_url` gives "
            f"`{origin}`. Restore public_url, or make a new key (older checkpoints stay signed by the old one).",
        )
    return key


def _key_for(config: Config, size: int) -> SigningKey | Signing:
    """The key, or the Signing that says why there is none (a problem logged as an ERROR)."""
    key = usable_key(config)
    if key is None:
        return Signing("no-key", size)
    if isinstance(key, Text):
        return _key_problem(size, key)
    return key


def sign_new_checkpoint(config: Config, store: Store, fence: Fence | None = None) -> Signing:
    """Sign and store a checkpoint over every leaf when the log outgrew the latest one (see the module's doc).

    ``fence``: the sync lock's; the checkpoint is stored only while the lock is still this sync's (``LeaseLost``).
    """
    hashes = store.log.leaf_hashes()
    size = len(hashes)
    latest = store.log.latest_checkpoint()
    if size == 0 or (latest is not None and latest.size == size):
        return Signing("current", size)
    key = _key_for(config, size)
    if isinstance(key, Signing):
        return key
    if latest is not None and latest.size > size:
        return _refused(
            size,
            latest.size,
            Text(
                f"log hanya memuat {size} daun, lebih sedikit dari checkpoint terakhir",
                f"the log holds only {size} leaves, fewer than the latest checkpoint covers",
            ),
        )
    root = root_hash(hashes)
    if latest is not None:
        try:
            previous = open_checkpoint(latest.note, key.verifier)
        except NoteError:
            return _refused(
                size,
                latest.size,
                Text(
                    "tanda tangan checkpoint sebelumnya tidak cocok dengan kunci yang dikonfigurasi; bila kuncinya "
                    "diganti, kembalikan berkas kunci yang lama",
                    "the previous checkpoint's signature does not verify with the configured key; if the key was "
                    "replaced, put the previous key file back",
                ),
            )
        if previous.size != latest.size or previous.root != latest.root:
            return _refused(
                size,
                latest.size,
                Text(
                    "ukuran atau akar di catatan bertanda tangan berbeda dengan yang tersimpan di sampingnya",
                    "the signed note's size or root differs from the one stored beside it",
                ),
            )
        proof = consistency_proof(latest.size, hashes)
        if not verify_consistency(latest.size, size, previous.root, root, proof):
            return _refused(
                size,
                latest.size,
                Text(
                    "bukti konsistensi dari daun tersimpan tidak mengantar akar lama ke akar baru",
                    "the consistency proof built from the stored leaves does not lead from the old root to the new",
                ),
            )
    note = sign_checkpoint(Checkpoint(origin=key.name, size=size, root=root), key.signer)
    with store.engine.begin() as conn:
        hold_fence(conn, fence, None)
        stored = store.log.add_checkpoint(conn, size, root, note, datetime.now(UTC))
    if not stored:
        # Another process signed this size (or a larger one) a moment ago: its checkpoint stands.
        return Signing("current", size)
    logger.info("transparency log: checkpoint signed at size %d", size)
    return Signing(
        "signed",
        size,
        Text(f"checkpoint ditandatangani untuk ukuran {size}", f"checkpoint signed for size {size}"),
    )
