"""Signed checkpoints of the portal's log (issue 24): C2SP signed-note with Ed25519, and C2SP tlog-checkpoint.

The formats are those of https://c2sp.org/signed-note and https://c2sp.org/tlog-checkpoint, with keys encoded as
Go's golang.org/x/mod/sumdb/note does, so any client of those (Go's note package, transparency-dev tools, a few
lines of Python) can check what the portal signs:

- signer key   ``PRIVATE+KEY+<name>+<hash>+<base64(0x01 || 32-byte Ed25519 seed)>`` (a secret: never logged);
- verifier key ``<name>+<hash>+<base64(0x01 || 32-byte Ed25519 public key)>`` (published);
- key hash     the first 4 bytes of SHA-256(name || "\\n" || 0x01 || public key), as 8 lower-case hex digits;
- a note       its text (ending in a newline), a blank line, then one line per signature:
               ``— <name> <base64(4-byte key hash || 64-byte Ed25519 signature of the text)>`` (U+2014, em dash);
- a checkpoint a note whose text is ``<origin>\\n<decimal tree size>\\n<base64 root hash>\\n`` and maybe extension
               lines, which the portal never writes and a parser ignores.

Every failure is a NoteError with one plain English line for logs and the CLI (which translates what it shows);
no message ever holds a signer key.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

ALG_ED25519 = 0x01
SIGNATURE_PREFIX = "— "  # U+2014 then a space (C2SP signed-note)
PRIVATE_KEY_PREFIX = "PRIVATE+KEY+"
ROOT_SIZE = 32  # an RFC 6962 SHA-256 root
ED25519_KEY_SIZE = 32
ED25519_SIGNATURE_SIZE = 64
# Go's note.Open refuses more; C2SP asks verifiers to accept at least 16. A bound keeps a hostile note cheap.
MAX_SIGNATURES = 100
# Key hashes as C2SP writes them: fixed-length lower-case hex.
_KEY_HASH = re.compile(r"[0-9a-f]{8}")
# A tree size: ASCII decimal without leading zeros ("0" alone for the empty tree), as tlog-checkpoint requires.
_TREE_SIZE = re.compile(r"0|[1-9][0-9]*")


class NoteError(ValueError):
    """A key, note or checkpoint that is malformed, or a note not signed by the expected key."""


@dataclass(frozen=True)
class Checkpoint:
    """A tree head: which log (origin), how many leaves, and the RFC 6962 root hash over them."""

    origin: str
    size: int
    root: bytes


@dataclass(frozen=True)
class _Verifier:
    name: str
    key_hash: bytes  # 4 bytes
    public_key: Ed25519PublicKey


@dataclass(frozen=True)
class _Signer:
    name: str
    key_hash: bytes
    private_key: Ed25519PrivateKey


def is_valid_name(name: str) -> bool:
    """A key name: non-empty, no Unicode space, no "+" (signed-note's rule), and no control character, which a
    note may not hold anyway."""
    return (
        bool(name)
        and "+" not in name
        and not any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F or 0xD800 <= ord(ch) <= 0xDFFF for ch in name)
    )


def _check_name(name: str) -> None:
    if not isinstance(name, str) or not is_valid_name(name):
        raise NoteError("key name must be non-empty, without spaces, '+' or control characters")


def key_hash(name: str, public_key: bytes) -> bytes:
    """The 4-byte key ID: SHA-256(name || "\\n" || 0x01 || public key)[:4] (C2SP signed-note, Ed25519)."""
    return hashlib.sha256(name.encode("utf-8") + b"\n" + bytes([ALG_ED25519]) + public_key).digest()[:4]


def _b64decode(text: str) -> bytes | None:
    """Standard base64 with padding (RFC 4648 §4), canonical only; None when it is anything else."""
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        return None
    # Re-encoding catches non-zero padding bits: one key or root has exactly one spelling.
    return raw if base64.b64encode(raw).decode("ascii") == text else None


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _raw_public(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _parse_key_parts(name: str, hash_hex: str, key_b64: str, what: str) -> tuple[bytes, bytes]:
    """The key hash and key material (after the algorithm byte) of a key's three parts; NoteError when bad."""
    if not is_valid_name(name):
        raise NoteError(f"malformed {what}: bad key name")
    if not _KEY_HASH.fullmatch(hash_hex):
        raise NoteError(f"malformed {what}: the key hash is not 8 lower-case hex digits")
    material = _b64decode(key_b64)
    if material is None or not material:
        raise NoteError(f"malformed {what}: the key is not base64")
    if material[0] != ALG_ED25519:
        raise NoteError(f"unsupported {what}: only Ed25519 (algorithm 1) keys are accepted")
    if len(material) != 1 + ED25519_KEY_SIZE:
        raise NoteError(f"malformed {what}: an Ed25519 key is 32 bytes")
    return bytes.fromhex(hash_hex), material[1:]


def _parse_verifier(verifier_key: str) -> _Verifier:
    if not isinstance(verifier_key, str):
        raise NoteError("malformed verifier key")
    # Surrounding whitespace (a copied line's newline) is no part of a key, which holds none.
    parts = verifier_key.strip().split("+", 2)
    if len(parts) != 3:
        raise NoteError("malformed verifier key: expected name+hash+key")
    name, hash_hex, key_b64 = parts
    wanted_hash, raw = _parse_key_parts(name, hash_hex, key_b64, "verifier key")
    if key_hash(name, raw) != wanted_hash:
        raise NoteError("malformed verifier key: the key hash does not match the name and key")
    return _Verifier(name, wanted_hash, Ed25519PublicKey.from_public_bytes(raw))


def is_verifier_key(text: str) -> bool:
    """Whether ``text`` (surrounding whitespace aside) is a well-formed Ed25519 verifier key whose hash matches its
    name and key: what a reader pastes or names as a file is told apart by this."""
    try:
        _parse_verifier(text)
    except NoteError:
        return False
    return True


def _parse_signer(signer_key: str) -> _Signer:
    # The messages never quote the key: it is a secret.
    if not isinstance(signer_key, str) or not signer_key.strip().startswith(PRIVATE_KEY_PREFIX):
        raise NoteError("malformed signer key: expected PRIVATE+KEY+name+hash+key")
    # A key file's final newline is no part of the key.
    parts = signer_key.strip()[len(PRIVATE_KEY_PREFIX) :].split("+", 2)
    if len(parts) != 3:
        raise NoteError("malformed signer key: expected PRIVATE+KEY+name+hash+key")
    name, hash_hex, key_b64 = parts
    wanted_hash, seed = _parse_key_parts(name, hash_hex, key_b64, "signer key")
    private_key = Ed25519PrivateKey.from_private_bytes(seed)
    # The hash names the public key, so it can be checked only after deriving that key from the seed.
    if key_hash(name, _raw_public(private_key.public_key())) != wanted_hash:
        raise NoteError("malformed signer key: the key hash does not match the name and key")
    return _Signer(name, wanted_hash, private_key)


def _encode_keys(name: str, private_key: Ed25519PrivateKey) -> tuple[str, str]:
    seed = private_key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    public = _raw_public(private_key.public_key())
    hash_hex = key_hash(name, public).hex()
    signer = f"{PRIVATE_KEY_PREFIX}{name}+{hash_hex}+{_b64(bytes([ALG_ED25519]) + seed)}"
    verifier = f"{name}+{hash_hex}+{_b64(bytes([ALG_ED25519]) + public)}"
    return signer, verifier


def generate_key(name: str) -> tuple[str, str]:
    """A new Ed25519 key pair named ``name``: (signer key, verifier key), as Go's note.GenerateKey writes them."""
    _check_name(name)
    return _encode_keys(name, Ed25519PrivateKey.generate())


def verifier_key_of(signer_key: str) -> str:
    """The verifier key that goes with a signer key (after checking the signer key's hash)."""
    signer = _parse_signer(signer_key)
    return _encode_keys(signer.name, signer.private_key)[1]


def key_name(key: str) -> str:
    """The name in a verifier or signer key, for messages that say which key was used (never the key itself)."""
    body = key[len(PRIVATE_KEY_PREFIX) :] if key.startswith(PRIVATE_KEY_PREFIX) else key
    name = body.split("+", 1)[0]
    if not is_valid_name(name):
        raise NoteError("malformed key: bad key name")
    return name


def _forbidden(ch: str) -> bool:
    """A character a note may not hold: an ASCII control other than newline (signed-note), or a lone surrogate,
    which is no UTF-8 at all (a str decoded with surrogateescape can carry one)."""
    return (ord(ch) < 0x20 and ch != "\n") or 0xD800 <= ord(ch) <= 0xDFFF


def _check_text(text: str) -> None:
    """A note's text as signed-note allows it: ending in a newline, valid UTF-8, no control character but newline."""
    if not isinstance(text, str) or not text.endswith("\n"):
        raise NoteError("malformed note: the text must end with a newline")
    if any(_forbidden(ch) for ch in text):
        raise NoteError("malformed note: control character or invalid UTF-8 in the text")


def sign_note(text: str, signer_key: str) -> str:
    """The note: ``text``, a blank line and one signature line by ``signer_key`` (deterministic Ed25519)."""
    _check_text(text)
    signer = _parse_signer(signer_key)
    signature = signer.private_key.sign(text.encode("utf-8"))
    return f"{text}\n{SIGNATURE_PREFIX}{signer.name} {_b64(signer.key_hash + signature)}\n"


def _split_note(note: str) -> tuple[str, list[tuple[str, bytes, bytes]]]:
    """The text and the (name, key hash, signature) of each signature line; NoteError when malformed."""
    if not isinstance(note, str):
        raise NoteError("malformed note: not text")
    if any(_forbidden(ch) for ch in note):
        raise NoteError("malformed note: control character or invalid UTF-8")
    split = note.rfind("\n\n")
    if split < 0:
        raise NoteError("malformed note: no blank line before the signatures")
    text, block = note[: split + 1], note[split + 2 :]
    if not block or not block.endswith("\n"):
        raise NoteError("malformed note: no signature lines")
    lines = block[:-1].split("\n")
    if len(lines) > MAX_SIGNATURES:
        raise NoteError(f"malformed note: more than {MAX_SIGNATURES} signatures")
    signatures: list[tuple[str, bytes, bytes]] = []
    for line in lines:
        if not line.startswith(SIGNATURE_PREFIX):
            raise NoteError("malformed note: a signature line does not start with an em dash")
        name, space, encoded = line[len(SIGNATURE_PREFIX) :].partition(" ")
        raw = _b64decode(encoded) if space else None
        if not is_valid_name(name) or raw is None or len(raw) < 5:
            raise NoteError("malformed note: bad signature line")
        signatures.append((name, raw[:4], raw[4:]))
    return text, signatures


def open_note(note: str, verifier_key: str) -> str:
    """The note's text, when one of its signatures is by ``verifier_key`` and verifies.

    Signatures by other keys are ignored (C2SP: other logs' keys, witnesses' cosignatures, a rotated key). A
    signature that names this key (name and key hash) but does not verify rejects the whole note, as Go's
    note.Open does: a forged or damaged line is never skipped silently. Stricter than Go in one way: Go checks
    only the first of repeated lines by one key, here every one must verify (C2SP: a failed signature from a known
    key SHOULD reject the note).
    """
    verifier = _parse_verifier(verifier_key)
    text, signatures = _split_note(note)
    message = text.encode("utf-8")
    verified = False
    for name, hash_, signature in signatures:
        if name != verifier.name or hash_ != verifier.key_hash:
            continue
        try:
            if len(signature) != ED25519_SIGNATURE_SIZE:
                raise InvalidSignature
            verifier.public_key.verify(signature, message)
        except InvalidSignature:
            raise NoteError(f"invalid signature for key {verifier.name}+{verifier.key_hash.hex()}") from None
        verified = True
    if not verified:
        raise NoteError(f"the note has no signature by key {verifier.name}+{verifier.key_hash.hex()}")
    return text


def checkpoint_text(cp: Checkpoint) -> str:
    """The checkpoint's note text (tlog-checkpoint): origin, decimal size and base64 root, each ending in newline."""
    if not isinstance(cp.origin, str) or not cp.origin or "\n" in cp.origin or cp.origin != cp.origin.strip():
        raise NoteError("malformed checkpoint: the origin must be one non-empty line")
    if any(ord(ch) < 0x20 for ch in cp.origin):
        raise NoteError("malformed checkpoint: control character in the origin")
    if isinstance(cp.size, bool) or not isinstance(cp.size, int) or cp.size < 0:
        raise NoteError("malformed checkpoint: the size must be a whole number of at least 0")
    if not isinstance(cp.root, bytes) or len(cp.root) != ROOT_SIZE:
        raise NoteError(f"malformed checkpoint: the root must be {ROOT_SIZE} bytes")
    return f"{cp.origin}\n{cp.size}\n{_b64(cp.root)}\n"


def parse_checkpoint(text: str) -> Checkpoint:
    """The checkpoint in a note's text (the body only, signatures already checked and removed).

    Extension lines after the root are allowed, checked to be non-empty, and ignored.
    """
    if not isinstance(text, str) or not text.endswith("\n"):
        raise NoteError("malformed checkpoint: the text must end with a newline")
    lines = text[:-1].split("\n")
    if len(lines) < 3:
        raise NoteError("malformed checkpoint: expected origin, size and root lines")
    origin, size_text, root_text, *extensions = lines
    if not origin:
        raise NoteError("malformed checkpoint: empty origin")
    if not _TREE_SIZE.fullmatch(size_text):
        raise NoteError("malformed checkpoint: the size is not a decimal number without leading zeros")
    root = _b64decode(root_text)
    if root is None or len(root) != ROOT_SIZE:
        raise NoteError(f"malformed checkpoint: the root is not base64 of {ROOT_SIZE} bytes")
    if any(not line for line in extensions):
        raise NoteError("malformed checkpoint: empty extension line")
    return Checkpoint(origin=origin, size=int(size_text), root=root)


def sign_checkpoint(cp: Checkpoint, signer_key: str) -> str:
    """The signed checkpoint note the portal serves at /log/checkpoint."""
    return sign_note(checkpoint_text(cp), signer_key)


def open_checkpoint(note: str, verifier_key: str) -> Checkpoint:
    """The checkpoint in a signed note, when it is signed by ``verifier_key``; NoteError otherwise.

    The origin is returned, not compared with the key's name (C2SP says they SHOULD match): a caller that knows
    the origin it expects compares ``Checkpoint.origin`` itself.
    """
    return parse_checkpoint(open_note(note, verifier_key))


def origin_for(public_url: str) -> str:
    """The log's origin (and key name) for the portal at ``public_url``: its host and path, then "/log".

    "https://portal.example.go.id/" gives "portal.example.go.id/log"; a port or a path is kept
    ("http://127.0.0.1:8501/" gives "127.0.0.1:8501/log"); the host is lower-cased; the query and fragment are
    dropped. A schema-less URL, as C2SP recommends, without spaces or "+".
    """
    if not isinstance(public_url, str) or not public_url.strip():
        raise NoteError("no public_url: the log's origin is made from it")
    parts = urlsplit(public_url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise NoteError("public_url must be an http(s) address with a host")
    host = parts.hostname  # lower-cased, any user:password and IPv6 brackets removed
    try:
        port = parts.port
    except ValueError:
        raise NoteError("public_url has a port that is not a number from 0 to 65535") from None
    authority = f"[{host}]" if ":" in host else host
    if port is not None:
        authority = f"{authority}:{port}"
    origin = f"{authority}{parts.path.rstrip('/')}/log"
    if not is_valid_name(origin):
        raise NoteError("public_url gives an origin with spaces, '+' or control characters")
    return origin
