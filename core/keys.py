"""What is stored instead of a reader's address or session id: a salted hash that can be counted, not read back."""

from __future__ import annotations

import hashlib


def salted_hash(value: str, salt: str) -> str:
    return hashlib.sha256(f"{salt}:{value}".encode()).hexdigest()[:32]
