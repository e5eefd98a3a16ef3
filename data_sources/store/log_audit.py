"""The portal's own check of its transparency log, run at start-up beside the store's integrity check (issue 24).

It recomputes every leaf from its snapshot and the snapshot's rows as stored and compares it with the stored
leaf; checks that every snapshot has exactly one leaf and that leaves follow snapshot id order with no index
missing; that the root over each stored checkpoint's size is the root stored with it and signed in its note; that
each note's signature verifies with the configured key's verifier key; and that consecutive checkpoints are
consistent (an RFC 6962 consistency proof from the stored leaves). It stops at the first thing that differs and
names it by leaf index, snapshot id or checkpoint size: never a row's content, so never personal data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from core.merkle_tree import consistency_proof, leaf_hash, root_hash, verify_consistency
from core.signed_note import NoteError, open_checkpoint
from core.text import Text
from data_sources.store.transparency_log import StoredCheckpoint, TransparencyLog


@dataclass(frozen=True)
class LogCheck:
    leaves: int
    checkpoints: int
    signatures_checked: bool  # False: no usable key was configured, so the notes' signatures were not checked
    problem: Text | None = None  # the first thing that differs, for /admin (None: all holds)
    line_en: str = ""  # the same in English, for the server's log
    leaf_index: int | None = None  # the first leaf that differs
    checkpoint_size: int | None = None  # or the first checkpoint that does

    @property
    def ok(self) -> bool:
        return self.problem is None

    def line(self) -> str:
        """One line for the server's log (ERROR when not ``ok``)."""
        if not self.ok:
            return f"transparency log: CHECK FAILED: {self.line_en}"
        signatures = "" if self.signatures_checked else " (signatures not checked: no signer key configured)"
        leaves = f"{self.leaves} leaf" if self.leaves == 1 else f"{self.leaves} leaves"
        checkpoints = f"{self.checkpoints} checkpoint" + ("" if self.checkpoints == 1 else "s")
        return f"transparency log: {leaves} and {checkpoints} verified{signatures}"


def _leaf(done: LogCheck, index: int, text: Text) -> LogCheck:
    return LogCheck(done.leaves, done.checkpoints, done.signatures_checked, text, f"leaf {index}: {text.en}", index)


def _checkpoint(done: LogCheck, size: int, text: Text) -> LogCheck:
    line = f"checkpoint of size {size}: {text.en}"
    return LogCheck(done.leaves, done.checkpoints, done.signatures_checked, text, line, checkpoint_size=size)


def check_log(log: TransparencyLog, verifier_key: str | None) -> LogCheck:
    """Check the whole log (see the module's doc); ``verifier_key``: the configured key's, None when none."""
    entries = log.entries()
    checkpoints = log.checkpoints()
    done = LogCheck(len(entries), len(checkpoints), verifier_key is not None)
    # Every snapshot has exactly one leaf, in id order: leaf i records the i-th snapshot by id.
    snapshot_ids = log.snapshot_ids()
    expected = log.expected_leaves([e.snapshot_id for e in entries])
    logged = {e.snapshot_id for e in entries}
    for position, entry in enumerate(entries):
        if entry.index != position:
            return _leaf(
                done,
                position,
                Text(
                    f"daun {position} hilang (indeks berikutnya yang tersimpan: {entry.index})",
                    f"leaf {position} is missing (the next stored index is {entry.index})",
                ),
            )
        if entry.snapshot_id not in expected:
            return _leaf(
                done,
                position,
                Text(
                    f"daun {position} mencatat snapshot {entry.snapshot_id}, yang tidak ada lagi di basis data",
                    f"leaf {position} records snapshot {entry.snapshot_id}, which is no longer in the store",
                ),
            )
        due = snapshot_ids[position] if position < len(snapshot_ids) else None
        if due is not None and due != entry.snapshot_id and due not in logged:
            return _leaf(
                done,
                position,
                Text(
                    f"snapshot {due} tidak punya daun di log (tempatnya di daun {position})",
                    f"snapshot {due} has no leaf in the log (its place is leaf {position})",
                ),
            )
        if due != entry.snapshot_id:
            return _leaf(
                done,
                position,
                Text(
                    f"daun {position} mencatat snapshot {entry.snapshot_id}, padahal tempat itu milik snapshot {due}: "
                    "urutannya bukan urutan terbit",
                    f"leaf {position} records snapshot {entry.snapshot_id} where snapshot {due} belongs: "
                    "not in publication order",
                ),
            )
        if expected[entry.snapshot_id] != entry.leaf:
            return _leaf(
                done,
                position,
                Text(
                    f"snapshot {entry.snapshot_id} yang tersimpan tidak lagi sama dengan daun {position} "
                    "(baris atau keterangannya diubah sesudah terbit)",
                    f"snapshot {entry.snapshot_id} as stored no longer matches leaf {position} "
                    "(its rows or details were changed after publication)",
                ),
            )
        if leaf_hash(entry.leaf) != entry.leaf_hash:
            return _leaf(
                done,
                position,
                Text(
                    f"hash daun {position} yang tersimpan bukan hash daunnya",
                    f"the stored hash of leaf {position} is not its leaf's hash",
                ),
            )
    if len(snapshot_ids) > len(entries):
        missing = snapshot_ids[len(entries)]
        return _leaf(
            done,
            len(entries),
            Text(
                f"snapshot {missing} tidak punya daun di log",
                f"snapshot {missing} has no leaf in the log",
            ),
        )
    return _check_checkpoints(done, [e.leaf_hash for e in entries], checkpoints, verifier_key)


def _check_checkpoints(
    done: LogCheck, hashes: list[bytes], checkpoints: Sequence[StoredCheckpoint], verifier_key: str | None
) -> LogCheck:
    previous: StoredCheckpoint | None = None
    for stored in checkpoints:
        size = stored.size
        if size > len(hashes):
            return _checkpoint(
                done,
                size,
                Text(
                    f"checkpoint ukuran {size} lebih besar dari log ({len(hashes)} daun)",
                    f"the checkpoint covers {size} leaves but the log holds {len(hashes)}",
                ),
            )
        if root_hash(hashes[:size]) != stored.root:
            return _checkpoint(
                done,
                size,
                Text(
                    f"akar checkpoint ukuran {size} bukan akar dari {size} daun pertama",
                    f"its root is not the root of the first {size} leaves",
                ),
            )
        if verifier_key is not None:
            try:
                signed = open_checkpoint(stored.note, verifier_key)
            except NoteError:
                return _checkpoint(
                    done,
                    size,
                    Text(
                        f"tanda tangan checkpoint ukuran {size} tidak cocok dengan kunci yang dikonfigurasi",
                        "its signature does not verify with the configured key",
                    ),
                )
            if signed.size != size or signed.root != stored.root:
                return _checkpoint(
                    done,
                    size,
                    Text(
                        f"catatan bertanda tangan checkpoint ukuran {size} menyebut ukuran atau akar lain",
                        "its signed note names another size or root",
                    ),
                )
        if previous is not None:
            proof = consistency_proof(previous.size, hashes[:size])
            if not verify_consistency(previous.size, size, previous.root, stored.root, proof):
                return _checkpoint(
                    done,
                    size,
                    Text(
                        f"checkpoint ukuran {size} tidak konsisten dengan checkpoint ukuran {previous.size}",
                        f"it is not consistent with the checkpoint of size {previous.size}",
                    ),
                )
        previous = stored
    return done
