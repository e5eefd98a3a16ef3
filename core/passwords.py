"""Password hashes for the admin sign-in: scrypt, self-describing, compared in constant time.

secrets.toml holds ``scrypt$N$r$p$<salt>$<hash>`` instead of the password, so a copied secrets file
(a backup, a screenshot, a support ticket) does not give the admin page away. scrypt is in the
standard library (``hashlib.scrypt``) and is memory-hard, which makes guessing on GPUs expensive.
The parameters travel with the hash so they can be raised later without breaking existing hashes,
and they are capped so a wrong or hostile value cannot make one sign-in take minutes or gigabytes.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
from dataclasses import dataclass

SCHEME = "scrypt"
# OWASP's minimum for scrypt: about 16 MiB and a few tens of milliseconds per check.
DEFAULT_N = 2**14
DEFAULT_R = 8
DEFAULT_P = 1
SALT_BYTES = 16
HASH_BYTES = 32
# What the CLI refuses to hash: shorter passwords are within reach of an offline guess.
MIN_PASSWORD_LENGTH = 12

# The floor on what a stored hash may ask for: OWASP's minimum N. A hash made with less (N = 2 costs a
# guesser nothing) is refused, so a weak hash pasted into secrets.toml cannot quietly stand in for the real
# one; `python -m data_sources hash-password` makes one at this floor.
MIN_N = 2**14

# Caps on what a stored hash may ask for. Memory is 128·r·N bytes; time grows with N·r·p.
MAX_N = 2**20
MAX_R = 32
MAX_P = 16
MAX_MEMORY = 2**28  # 256 MiB
MAX_WORK = 2**24  # N·r·p: 128 times the default, a few seconds at most
SALT_RANGE = (8, 64)
HASH_RANGE = (16, 64)


class PasswordHashError(ValueError):
    """A stored hash cannot be used. ``reason`` is a short code a page can translate.

    The message names the problem and never contains the hash or any part of it: it ends up in
    logs and on the admin page.
    """

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class ScryptHash:
    n: int
    r: int
    p: int
    salt: bytes
    digest: bytes

    def encode(self) -> str:
        salt = base64.b64encode(self.salt).decode("ascii")
        digest = base64.b64encode(self.digest).decode("ascii")
        return f"{SCHEME}${self.n}${self.r}${self.p}${salt}${digest}"


def _memory(n: int, r: int, p: int) -> int:
    """What OpenSSL allocates for one scrypt run (its V and B buffers), plus room for its own bookkeeping."""
    return 128 * r * (n + 2) + 128 * r * p + 2**20


def _derive(password: str, salt: bytes, n: int, r: int, p: int, length: int) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=_memory(n, r, p), dklen=length)


def _check_parameters(n: int, r: int, p: int) -> None:
    if n < 2 or n & (n - 1):
        raise PasswordHashError("parameters", "scrypt parameter N must be a power of two, at least 2")
    if r < 1 or p < 1:
        raise PasswordHashError("parameters", "scrypt parameters r and p must be at least 1")
    if n < MIN_N:
        raise PasswordHashError(
            "weak", "scrypt parameter N is below the minimum 2**14 (16384): make a new hash with hash-password"
        )
    if n > MAX_N or r > MAX_R or p > MAX_P:
        raise PasswordHashError("limits", f"scrypt parameters above the limits (N ≤ 2**20, r ≤ {MAX_R}, p ≤ {MAX_P})")
    if 128 * r * n > MAX_MEMORY or n * r * p > MAX_WORK:
        raise PasswordHashError(
            "limits", "scrypt parameters need too much memory or time (128·r·N ≤ 256 MiB, N·r·p ≤ 2**24)"
        )


def _decode_bytes(text: str, what: str, allowed: tuple[int, int]) -> bytes:
    try:
        value = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        raise PasswordHashError("encoding", f"the {what} is not base64") from None
    low, high = allowed
    if not low <= len(value) <= high:
        raise PasswordHashError("encoding", f"the {what} must be {low} to {high} bytes long")
    return value


def parse_hash(encoded: str) -> ScryptHash:
    """Read ``scrypt$N$r$p$salt$hash``; raise PasswordHashError naming what is wrong."""
    if not isinstance(encoded, str):
        raise PasswordHashError("format", "the password hash must be a string")
    fields = encoded.strip().split("$")
    if fields[0] != SCHEME:
        raise PasswordHashError("scheme", "the password hash does not start with 'scrypt$'")
    if len(fields) != 6:
        raise PasswordHashError("format", f"the password hash has {len(fields)} fields separated by '$', not 6")
    _, n_text, r_text, p_text, salt_text, digest_text = fields
    # isdecimal and a length bound: int() would also take "+1", " 1", "1_000" or a thousand digits.
    if not all(t.isascii() and t.isdecimal() and len(t) <= 8 for t in (n_text, r_text, p_text)):
        raise PasswordHashError("parameters", "scrypt parameters N, r and p must be whole numbers")
    n, r, p = int(n_text), int(r_text), int(p_text)
    _check_parameters(n, r, p)
    salt = _decode_bytes(salt_text, "salt", SALT_RANGE)
    digest = _decode_bytes(digest_text, "hash", HASH_RANGE)
    return ScryptHash(n, r, p, salt, digest)


def hash_password(password: str) -> str:
    """A new ``scrypt$16384$8$1$<salt>$<hash>`` for ``password``, with a fresh random salt.

    The salt makes two hashes of one password differ, so equal passwords cannot be spotted and a
    precomputed table is useless.
    """
    salt = secrets.token_bytes(SALT_BYTES)
    digest = _derive(password, salt, DEFAULT_N, DEFAULT_R, DEFAULT_P, HASH_BYTES)
    return ScryptHash(DEFAULT_N, DEFAULT_R, DEFAULT_P, salt, digest).encode()


def verify_password(password: str, encoded: str) -> bool:
    """True when ``password`` is the one ``encoded`` was made from.

    Recomputed with the hash's own parameters and compared with ``hmac.compare_digest``, whose time
    does not depend on how many leading bytes match. A malformed ``encoded`` raises PasswordHashError
    rather than returning False: a broken configuration must be told apart from a wrong password.
    """
    stored = parse_hash(encoded)
    candidate = _derive(password, stored.salt, stored.n, stored.r, stored.p, len(stored.digest))
    return hmac.compare_digest(candidate, stored.digest)
