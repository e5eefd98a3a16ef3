"""``/log/…``: the portal's append-only log of published snapshots, served so that anyone can check it (issue 24).

- ``/log/checkpoint``: the latest signed checkpoint (C2SP tlog-checkpoint in a signed note), ``text/plain``;
- ``/log/key``: the verifier key (``name+hash+key``) those checkpoints are signed with;
- ``/log/entries?start=A&end=B``: ``{"entries": [{"index": i, "leaf": "<base64>"}, …]}`` for ``A ≤ i < B``, at most
  ``MAX_ENTRIES`` per answer and never past the latest checkpoint's size (what is signed): a client pages on from
  the last index it got;
- ``/log/proof/inclusion?index=I&size=N``: ``{"index": I, "size": N, "hashes": [...]}``, RFC 6962 §2.1.1's audit
  path of entry I in the tree of the first N entries;
- ``/log/proof/consistency?from=M&to=N``: ``{"from": M, "to": N, "hashes": [...]}``, RFC 6962 §2.1.2's proof that
  the tree of N entries extends the tree of M.

A proof's N may be any size from 1 to the latest checkpoint's, not only a size some checkpoint was signed at: the
first N entries of a signed log are fixed by it, so every such tree is well defined, and a client holding an older
checkpoint (every checkpoint ever published has such a size) gets its proof whichever it kept. Nothing past the
latest checkpoint is served: what is not signed yet is not published yet.

Every bad, missing or out-of-range parameter is a 400 with one line saying which and why; no checkpoint yet is a
404 saying so. What answers from below a checkpoint never changes (the log only grows), so those answers are kept
a year; the checkpoint itself a minute. Not with ``immutable``: ``server.compression`` keeps an ``immutable``
answer's gzip copy by path alone, for Streamlit's hashed bundles, and these addresses differ only in their query.
"""

from __future__ import annotations

import base64
import json
import logging
import re
from collections.abc import Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from core.merkle_tree import consistency_proof, inclusion_proof
from data_sources.config.signing_key import SigningKeyProblem, configured_signing_key
from server.conditional import tagged
from server.portal import get_portal

logger = logging.getLogger("portal")

CHECKPOINT_PATH = "/log/checkpoint"
KEY_PATH = "/log/key"
ENTRIES_PATH = "/log/entries"
INCLUSION_PATH = "/log/proof/inclusion"
CONSISTENCY_PATH = "/log/proof/consistency"
MAX_ENTRIES = 1000
TEXT = "text/plain; charset=utf-8"
JSON = "application/json"
# The latest checkpoint changes after a sync: a reader's copy is checked again after a minute.
LATEST = {"Cache-Control": "public, max-age=60"}
# Entries and proofs within a signed tree never change: a year (see the module's note on ``immutable``).
FIXED = {"Cache-Control": "public, max-age=31536000"}
# A whole number, written plainly: no sign, no spaces, no exponent, and short enough to be a size.
WHOLE = re.compile(r"[0-9]{1,15}")


class BadRequest(Exception):
    """A parameter missing, not a whole number, or out of range: its 400 and one line."""


class NoCheckpoint(Exception):
    """The log has no signed checkpoint yet: nothing is published at /log/."""


def verifier_key() -> str | None:
    """The verifier key of the configured signer key file (``[log] key_file``); None when none is configured or the
    file cannot be used (the sync's outcome, the log and /admin say why). Served even when the key cannot sign now
    (``[open_data] public_url`` changed): it still verifies every checkpoint it signed. Read on each call: the file is
    one short line, and a key put in place shows without a restart."""
    try:
        key = configured_signing_key(get_portal().config)
    except SigningKeyProblem:
        return None
    return key.verifier if key is not None else None


def _refusal(status: int, reason: str) -> Response:
    # A refusal is not kept: the next sync may sign what is missing now.
    return PlainTextResponse(reason + "\n", status_code=status, headers={"Cache-Control": "no-cache"})


def _number(params: Mapping[str, str], name: str) -> int:
    value = params.get(name)
    if value is None:
        raise BadRequest(f"missing parameter {name}")
    if not WHOLE.fullmatch(value):
        raise BadRequest(f"{name} must be a whole number of at most 15 digits, not {value[:20]!r}")
    return int(value)


def _json(request: Request, document: Mapping[str, Any], headers: Mapping[str, str]) -> Response:
    body = json.dumps(document, separators=(",", ":")).encode("utf-8")
    return tagged(request, body, JSON, dict(headers))


def _signed_size() -> int:
    checkpoint = get_portal().store.log.latest_checkpoint()
    if checkpoint is None:
        raise NoCheckpoint
    return checkpoint.size


def _answer(request: Request, build: Any) -> Response:
    try:
        return build(request)
    except (BadRequest, ValueError) as bad:
        # ValueError: a proof builder's own one-line reason (core.merkle_tree), should a range slip past the checks.
        return _refusal(400, str(bad).splitlines()[0])
    except NoCheckpoint:
        return _refusal(404, "no signed checkpoint yet: the portal has not signed its log")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


# --- the routes ----------------------------------------------------------------------------------------


def _checkpoint(request: Request) -> Response:
    latest = get_portal().store.log.latest_checkpoint()
    if latest is None:
        raise NoCheckpoint
    return tagged(request, latest.note.encode("utf-8"), TEXT, LATEST)


def checkpoint(request: Request) -> Response:
    """The latest signed checkpoint, exactly as it was signed (the signature covers its bytes)."""
    return _answer(request, _checkpoint)


def key(request: Request) -> Response:
    """The verifier key, for a reader to keep (the same one /tentang and docs/verifikasi.md show)."""
    verifier = verifier_key()
    if verifier is None:
        return _refusal(404, "no verifier key: the portal has no signing key, so its checkpoints are not signed")
    return tagged(request, (verifier + "\n").encode("utf-8"), TEXT, LATEST)


def _entries(request: Request) -> Response:
    params = request.query_params
    start, end = _number(params, "start"), _number(params, "end")
    if end <= start:
        raise BadRequest(f"end ({end}) must be greater than start ({start}): entries start ≤ index < end")
    size = _signed_size()
    if start >= size:
        raise BadRequest(f"start ({start}) is beyond the signed log, which has {size} entries (0 to {size - 1})")
    wanted = min(end, start + MAX_ENTRIES)
    given = min(wanted, size)
    leaves = get_portal().store.log.leaves(start, given)
    document = {"entries": [{"index": start + i, "leaf": _b64(leaf)} for i, leaf in enumerate(leaves)]}
    # A page cut short by the log's size grows with the next checkpoint; a whole one never changes.
    return _json(request, document, FIXED if given == wanted else LATEST)


def entries(request: Request) -> Response:
    return _answer(request, _entries)


def _inclusion(request: Request) -> Response:
    params = request.query_params
    index, size = _number(params, "index"), _number(params, "size")
    signed = _signed_size()
    if not 1 <= size <= signed:
        raise BadRequest(f"size ({size}) must be from 1 to the signed log's size, {signed}")
    if index >= size:
        raise BadRequest(f"index ({index}) must be below size ({size})")
    hashes = get_portal().store.log.leaf_hashes(size)
    proof = inclusion_proof(index, hashes)
    return _json(request, {"index": index, "size": size, "hashes": [_b64(h) for h in proof]}, FIXED)


def inclusion(request: Request) -> Response:
    return _answer(request, _inclusion)


def _consistency(request: Request) -> Response:
    params = request.query_params
    old, new = _number(params, "from"), _number(params, "to")
    signed = _signed_size()
    if not 1 <= new <= signed:
        raise BadRequest(f"to ({new}) must be from 1 to the signed log's size, {signed}")
    if not 1 <= old <= new:
        raise BadRequest(f"from ({old}) must be from 1 to to ({new})")
    # The same tree twice: nothing to prove (RFC 9162 §2.1.4.1), the client compares the roots.
    proof = consistency_proof(old, get_portal().store.log.leaf_hashes(new)) if old < new else []
    return _json(request, {"from": old, "to": new, "hashes": [_b64(h) for h in proof]}, FIXED)


def consistency(request: Request) -> Response:
    return _answer(request, _consistency)


ROUTES = {
    CHECKPOINT_PATH: checkpoint,
    KEY_PATH: key,
    ENTRIES_PATH: entries,
    INCLUSION_PATH: inclusion,
    CONSISTENCY_PATH: consistency,
}
