"""One leaf of the portal's log (issue 24): a published snapshot's identity, as canonical JSON bytes.

The leaf is what the Merkle tree hashes (``core.merkle_tree.leaf_hash``), so its bytes must be the same in every
process, on every database and in any reader's own code. They are the UTF-8 JSON of exactly these five keys,
sorted, with no insignificant whitespace and non-ASCII text as itself (not ``\\u`` escapes)::

    {"contract_version":1,"read_at":"2026-03-01T02:03:04.000005Z","rows_sha256":"<64 hex>","skpd":"…","source":"…"}

- ``read_at`` is the snapshot's read time in UTC with microseconds and a "Z";
- ``rows_sha256`` is the lower-case hex SHA-256 of the snapshot's canonical rows (the store computes it);
- ``contract_version`` is a whole number, never a bool or a float.

``parse_leaf`` is strict: it takes back only bytes ``snapshot_leaf`` could have written, so a reader who
recomputes a leaf from its fields gets the very bytes that were hashed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime

KEYS = frozenset({"contract_version", "read_at", "rows_sha256", "skpd", "source"})
_READ_AT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z")
_SHA256_HEX = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class LeafFields:
    """What a leaf says: which source and SKPD, when it was read (UTC), under which contract, and its rows' hash."""

    source: str
    skpd: str
    read_at: datetime
    contract_version: int
    rows_sha256: str


def _canonical(fields: dict[str, object]) -> bytes:
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _check(source: object, skpd: object, contract_version: object, rows_sha256: object) -> None:
    if not isinstance(source, str) or not source:
        raise ValueError("a leaf's source must be non-empty text")
    if not isinstance(skpd, str):
        raise ValueError("a leaf's skpd must be text")
    # bool is an int in Python; True would be written as true and read back as a different type.
    if isinstance(contract_version, bool) or not isinstance(contract_version, int) or contract_version < 0:
        raise ValueError("a leaf's contract_version must be a whole number of at least 0")
    if not isinstance(rows_sha256, str) or not _SHA256_HEX.fullmatch(rows_sha256):
        raise ValueError("a leaf's rows_sha256 must be 64 lower-case hex digits")
    for text in (source, skpd):
        # A lone surrogate has no UTF-8 form: the leaf could not be written, nor read back the same.
        if any(0xD800 <= ord(ch) <= 0xDFFF for ch in text):
            raise ValueError("a leaf's text must be valid Unicode")


def _utc_text(moment: datetime) -> str:
    """YYYY-MM-DDTHH:MM:SS.ffffffZ: microseconds always written, so a time has one spelling (isoformat pads the
    year to four digits, where strftime's %Y may not)."""
    try:
        utc = moment.astimezone(UTC)
    except OverflowError:
        raise ValueError("a leaf's read_at is outside the years UTC can hold") from None
    return utc.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def snapshot_leaf(*, source: str, skpd: str, read_at: datetime, contract_version: int, rows_sha256: str) -> bytes:
    """The canonical leaf bytes for one published snapshot; ValueError when a field cannot be written."""
    _check(source, skpd, contract_version, rows_sha256)
    if not isinstance(read_at, datetime) or read_at.tzinfo is None or read_at.utcoffset() is None:
        # A naive time could be read as any zone: the same snapshot would give different leaves.
        raise ValueError("a leaf's read_at must be timezone-aware")
    return _canonical(
        {
            "contract_version": contract_version,
            "read_at": _utc_text(read_at),
            "rows_sha256": rows_sha256,
            "skpd": skpd,
            "source": source,
        }
    )


def parse_leaf(leaf: bytes) -> LeafFields:
    """The fields of a leaf, when it is exactly what ``snapshot_leaf`` writes; ValueError otherwise."""
    try:
        decoded = json.loads(leaf.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, AttributeError):
        raise ValueError("a leaf is not UTF-8 JSON") from None
    if not isinstance(decoded, dict) or set(decoded) != KEYS:
        raise ValueError("a leaf must be an object with exactly the keys " + ", ".join(sorted(KEYS)))
    source, skpd, read_at_text = decoded["source"], decoded["skpd"], decoded["read_at"]
    _check(source, skpd, decoded["contract_version"], decoded["rows_sha256"])
    if not isinstance(read_at_text, str) or not _READ_AT.fullmatch(read_at_text):
        raise ValueError("a leaf's read_at must be UTC as YYYY-MM-DDTHH:MM:SS.ffffffZ")
    try:
        read_at = datetime.fromisoformat(read_at_text[:-1]).replace(tzinfo=UTC)
    except ValueError:
        raise ValueError("a leaf's read_at is not a real date and time") from None
    fields = LeafFields(
        source=source,
        skpd=skpd,
        read_at=read_at,
        contract_version=decoded["contract_version"],
        rows_sha256=decoded["rows_sha256"],
    )
    # Duplicate keys, spaces, escapes or key order would parse to the same fields from other bytes: only the
    # canonical spelling is a leaf.
    canonical = snapshot_leaf(
        source=fields.source,
        skpd=fields.skpd,
        read_at=fields.read_at,
        contract_version=fields.contract_version,
        rows_sha256=fields.rows_sha256,
    )
    if canonical != leaf:
        raise ValueError("a leaf is not in canonical form (sorted keys, no spaces, UTF-8 text)")
    return fields
