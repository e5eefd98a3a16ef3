"""The Merkle tree of the portal's append-only log (issue 24): RFC 6962 §2.1 exactly.

Hashing: SHA-256; a leaf is ``SHA-256(0x00 || leaf)``, an inner node ``SHA-256(0x01 || left || right)``, and a
tree of n > 1 leaves splits at k, the largest power of two smaller than n. The empty tree's hash is
``SHA-256("")``. Functions here take *leaf hashes* (32 bytes each, as the store keeps them), never leaf bytes,
so a caller hashes each leaf once.

Builders follow RFC 6962's recursive definitions (§2.1.1 PATH, §2.1.2 PROOF) and cost O(n) hashes per call: at
each level only the sibling subtree is hashed, and siblings along one path add up to at most n leaves.
Verifiers follow RFC 9162's iterative algorithms (§2.1.3.2 for inclusion, §2.1.4.2 for consistency) and need
only the sizes, the proof and the hashes, so a client that kept nothing but an old checkpoint can check a new one.

Edge cases the RFCs leave open, decided here and matching transparency-dev/merkle (whose published test
probes, tests/vectors/, pin them down):

- ``old_size == new_size`` (both at least 1): RFC 6962's SUBPROOF(m, D[m], true) is the empty list, so
  ``consistency_proof`` returns ``[]`` and ``verify_consistency`` holds exactly when the proof is empty and the
  two roots are equal (RFC 9162's loop would reject an empty proof, so it is checked before the loop).
- ``old_size == 0``: RFC 6962 defines PROOF(m, D[n]) only for 0 < m. Every tree extends the empty one, so such a
  proof could show nothing; ``consistency_proof`` raises ValueError and ``verify_consistency`` returns False.
  A reader with no earlier checkpoint checks the new root against the entries instead.
- ``old_size > new_size``, negative sizes, an index outside the tree: the builders raise ValueError with a
  one-line reason (the server turns it into a 400); the verifiers return False.
- Verifiers reject hashes that are not 32 bytes and proofs of the wrong length (RFC 9162's ``sn == 0`` checks).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

HASH_SIZE = 32
LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"
# MTH({}) = SHA-256() (RFC 6962 §2.1).
EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(leaf: bytes) -> bytes:
    """MTH({d}) = SHA-256(0x00 || d): a leaf's hash, domain-separated from inner nodes (second-preimage defence)."""
    return hashlib.sha256(LEAF_PREFIX + leaf).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """SHA-256(0x01 || left || right): the hash of an inner node over its two children's hashes."""
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


def _split(n: int) -> int:
    """k: the largest power of two smaller than n (n > 1), where RFC 6962 splits a tree of n leaves."""
    return 1 << ((n - 1).bit_length() - 1)


def _is_power_of_two(n: int) -> bool:
    return n > 0 and n & (n - 1) == 0


def _subtree_root(hashes: Sequence[bytes], start: int, end: int) -> bytes:
    """MTH(D[start:end]) for 0 <= start < end, from the leaf hashes, without copying slices."""
    n = end - start
    if n == 1:
        return hashes[start]
    k = _split(n)
    return node_hash(_subtree_root(hashes, start, start + k), _subtree_root(hashes, start + k, end))


def _checked(leaf_hashes: Sequence[bytes]) -> Sequence[bytes]:
    """The leaf hashes, after making sure each is a 32-byte hash: a leaf's bytes passed by mistake fail loudly."""
    for position, value in enumerate(leaf_hashes):
        if not isinstance(value, bytes) or len(value) != HASH_SIZE:
            raise ValueError(f"leaf hash {position} is not {HASH_SIZE} bytes")
    return leaf_hashes


def root_hash(leaf_hashes: Sequence[bytes]) -> bytes:
    """MTH(D[n]) over the given leaf hashes (RFC 6962 §2.1); the empty tree gives SHA-256("")."""
    _checked(leaf_hashes)
    if not leaf_hashes:
        return EMPTY_ROOT
    return _subtree_root(leaf_hashes, 0, len(leaf_hashes))


def inclusion_proof(index: int, leaf_hashes: Sequence[bytes]) -> list[bytes]:
    """PATH(index, D[n]) with n = len(leaf_hashes) (RFC 6962 §2.1.1): the audit path, nearest the leaf first."""
    _checked(leaf_hashes)
    size = len(leaf_hashes)
    if size == 0:
        raise ValueError("the tree is empty: no leaf to prove")
    if not 0 <= index < size:
        raise ValueError(f"index {index} is outside a tree of size {size}")
    path: list[bytes] = []
    start, end = 0, size
    # Walk down from the root; each level's sibling goes in front, so the finished path reads leaf-to-root.
    while end - start > 1:
        k = _split(end - start)
        if index < start + k:
            path.append(_subtree_root(leaf_hashes, start + k, end))
            end = start + k
        else:
            path.append(_subtree_root(leaf_hashes, start, start + k))
            start = start + k
    path.reverse()
    return path


def consistency_proof(old_size: int, leaf_hashes: Sequence[bytes]) -> list[bytes]:
    """PROOF(old_size, D[n]) with n = len(leaf_hashes) (RFC 6962 §2.1.2); [] when old_size == n."""
    _checked(leaf_hashes)
    size = len(leaf_hashes)
    if old_size < 1:
        raise ValueError(f"old size {old_size} is below 1: a consistency proof starts from a non-empty tree")
    if old_size > size:
        raise ValueError(f"old size {old_size} is larger than the tree's size {size}")
    proof: list[bytes] = []
    # SUBPROOF(m, D[start:end], b) unrolled: b stays true while the old tree is the whole left part seen so far.
    m, start, end, whole = old_size, 0, size, True
    while True:
        n = end - start
        if m == n:
            if not whole:
                proof.append(_subtree_root(leaf_hashes, start, end))
            break
        k = _split(n)
        if m <= k:
            # The old tree lies in the left subtree: prove it there, then add the right subtree's hash.
            proof.append(_subtree_root(leaf_hashes, start + k, end))
            end = start + k
        else:
            # The left subtree is complete in both trees: prove the rest on the right, then add the left's hash.
            proof.append(_subtree_root(leaf_hashes, start, start + k))
            m, start, whole = m - k, start + k, False
    # The loop collected the outer hashes first; RFC 6962 lists the innermost first.
    proof.reverse()
    return proof


def _is_hash(value: object) -> bool:
    return isinstance(value, bytes) and len(value) == HASH_SIZE


def verify_inclusion(index: int, size: int, leaf_hash: bytes, proof: Sequence[bytes], root: bytes) -> bool:
    """Whether ``proof`` shows the leaf with hash ``leaf_hash`` at ``index`` in the tree of ``size`` with ``root``.

    RFC 9162 §2.1.3.2, step by step.
    """
    if not (0 <= index < size) or not _is_hash(leaf_hash) or not _is_hash(root):
        return False
    if not all(_is_hash(p) for p in proof):
        return False
    fn, sn = index, size - 1
    r = leaf_hash
    for p in proof:
        if sn == 0:
            return False  # more hashes than the path has levels
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                # The right border: skip the levels where this node has no right sibling.
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]) -> bool:
    """Whether ``proof`` shows the tree of ``new_size`` with ``new_root`` extends the one of ``old_size`` with
    ``old_root``. RFC 9162 §2.1.4.2, with the module's rules for equal sizes and the empty tree."""
    if not _is_hash(old_root) or not _is_hash(new_root) or not all(_is_hash(p) for p in proof):
        return False
    if old_size < 1 or old_size > new_size:
        return False
    if old_size == new_size:
        return not proof and old_root == new_root
    if not proof:
        return False
    path = list(proof)
    # When the old tree is a complete subtree, its root is the first node of the path and the proof omits it.
    if _is_power_of_two(old_size):
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == old_root and sr == new_root and sn == 0
