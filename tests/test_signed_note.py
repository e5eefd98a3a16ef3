"""Signed checkpoints (``core.signed_note``) are C2SP signed-note and tlog-checkpoint with Go's key encoding: our
keys, key hashes, signatures and opening match Go's golang.org/x/mod/sumdb/note byte for byte (its published
test vectors, tests/vectors/signed_note.json, with provenance and licence), and tampering with a checkpoint's
origin, size or root, or signing with another key of the same name, fails (issue 24)."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from core.signed_note import (
    Checkpoint,
    NoteError,
    checkpoint_text,
    generate_key,
    key_hash,
    open_checkpoint,
    open_note,
    origin_for,
    parse_checkpoint,
    sign_checkpoint,
    sign_note,
    verifier_key_of,
)

VECTORS: dict[str, Any] = json.loads((Path(__file__).parent / "vectors" / "signed_note.json").read_text("utf-8"))
GO = VECTORS["go"]
PETER_SIGNER, PETER_VERIFIER = GO["peter_signer_key"], GO["peter_verifier_key"]
ENOCH_VERIFIER = GO["enoch_verifier_key"]
TEXT, PETER_SIG, ENOCH_SIG = GO["text"], GO["peter_signature_line"], GO["enoch_signature_line"]

ORIGIN = "transparansi.banjarmasinkota.go.id/log"
ROOT = hashlib.sha256(b"a root").digest()


def one_line(error: pytest.ExceptionInfo[NoteError]) -> str:
    message = str(error.value)
    assert message and "\n" not in message
    return message


# Keys: Go's encoding.


def test_go_s_signer_key_gives_go_s_verifier_key() -> None:
    assert verifier_key_of(PETER_SIGNER) == PETER_VERIFIER


def test_a_key_read_from_a_file_may_end_in_a_newline() -> None:
    assert verifier_key_of(PETER_SIGNER + "\n") == PETER_VERIFIER
    assert sign_note(TEXT, PETER_SIGNER + "\n") == GO["signed_note"]
    assert open_note(GO["signed_note"], " " + PETER_VERIFIER + "\n") == TEXT


def test_the_key_hash_is_the_first_four_bytes_of_sha256_of_name_newline_algorithm_and_key() -> None:
    raw = base64.b64decode(PETER_VERIFIER.split("+")[2])
    assert raw[0] == 0x01 and len(raw) == 33
    expected = hashlib.sha256(b"PeterNeumann\n\x01" + raw[1:]).digest()[:4]
    assert key_hash("PeterNeumann", raw[1:]) == expected
    assert expected.hex() == "c74f20a3" == PETER_VERIFIER.split("+")[1]


def test_signing_go_s_text_with_go_s_key_gives_go_s_note_byte_for_byte() -> None:
    assert sign_note(TEXT, PETER_SIGNER) == GO["signed_note"] == TEXT + "\n" + PETER_SIG


def test_go_s_signed_notes_open_with_the_right_key_whatever_other_signatures_they_carry() -> None:
    assert open_note(GO["signed_note"], PETER_VERIFIER) == TEXT
    both = TEXT + "\n" + PETER_SIG + ENOCH_SIG
    assert open_note(both, PETER_VERIFIER) == TEXT
    assert open_note(both, ENOCH_VERIFIER) == TEXT
    assert open_note(TEXT + "\n" + ENOCH_SIG + PETER_SIG + PETER_SIG, PETER_VERIFIER) == TEXT


def test_the_c2sp_example_note_opens_with_its_verifier_key() -> None:
    example = VECTORS["c2sp"]
    assert open_note(example["signed_note"], example["verifier_key"]) == example["text"]


def test_a_note_without_a_signature_by_the_key_is_refused() -> None:
    with pytest.raises(NoteError, match="no signature by key EnochRoot") as raised:
        open_note(GO["signed_note"], ENOCH_VERIFIER)
    one_line(raised)


def test_a_damaged_signature_by_the_key_rejects_the_whole_note_even_beside_a_good_one() -> None:
    damaged = PETER_SIG[:60] + "ABCD" + PETER_SIG[60:]
    for note in (TEXT + "\n" + damaged, TEXT + "\n" + ENOCH_SIG + damaged, TEXT + "\n" + PETER_SIG + damaged):
        with pytest.raises(NoteError, match="invalid signature for key PeterNeumann\\+c74f20a3") as raised:
            open_note(note, PETER_VERIFIER)
        one_line(raised)


def test_a_damaged_signature_by_an_unknown_key_is_ignored() -> None:
    damaged_enoch = ENOCH_SIG[:60] + "ABCD" + ENOCH_SIG[60:]
    assert open_note(TEXT + "\n" + PETER_SIG + damaged_enoch, PETER_VERIFIER) == TEXT


def test_a_changed_text_fails_go_s_signature() -> None:
    changed = TEXT.replace("answer", "Answer")
    with pytest.raises(NoteError, match="invalid signature"):
        open_note(changed + "\n" + PETER_SIG, PETER_VERIFIER)


@pytest.mark.parametrize(
    "note",
    [
        TEXT,
        TEXT + "\n",
        TEXT + "\n" + PETER_SIG[:-1],
        "\x01" + TEXT + "\n" + PETER_SIG,
        TEXT + "\n" + PETER_SIG.replace("PeterNeumann", "Bad Name")[:-1],
        TEXT + "\n" + PETER_SIG + "Unexpected line.\n",
        TEXT + "\n" + PETER_SIG.replace("—", "-"),
        TEXT + "\n" + PETER_SIG * 101,
        TEXT + "\udcff" + "\n" + PETER_SIG,
    ],
    ids=[
        "no-signatures",
        "blank-line-only",
        "no-final-newline",
        "control-character",
        "space-in-name",
        "line-after-signatures",
        "hyphen-not-em-dash",
        "too-many-signatures",
        "not-utf8",
    ],
)
def test_go_s_malformed_notes_are_refused(note: str) -> None:
    with pytest.raises(NoteError, match="malformed note") as raised:
        open_note(note, PETER_VERIFIER)
    one_line(raised)


def test_go_s_verifier_key_manglings_are_refused() -> None:
    """As Go's TestNewVerifier: every proper substring and every one-character change of the key fails."""
    key = PETER_VERIFIER
    note = GO["signed_note"]
    mangled = {key[i:j] for i in range(len(key) + 1) for j in range(i + 1, len(key) + 1)} - {key}
    for position in range(len(key)):
        mangled.add(key[:position] + chr(ord(key[position]) + 1) + key[position + 1 :])
    mangled.update(GO["bad_verifier_keys"])
    for bad in sorted(mangled):
        with pytest.raises(NoteError):
            open_note(note, bad)


def test_go_s_signer_key_manglings_are_refused() -> None:
    """As Go's TestNewSigner: every proper substring and every one-character change of the key fails."""
    key = PETER_SIGNER
    mangled = {key[i:j] for i in range(len(key) + 1) for j in range(i + 1, len(key) + 1)} - {key}
    for position in range(len(key)):
        mangled.add(key[:position] + chr(ord(key[position]) + 1) + key[position + 1 :])
    for bad in sorted(mangled):
        with pytest.raises(NoteError) as raised:
            verifier_key_of(bad)
        # The secret never shows in a message, not even a mangled copy of its key material.
        assert "AYEKFALVFGyNhPJEMzD1QIDr" not in str(raised.value)


def test_a_generated_key_pair_is_self_consistent_and_in_go_s_encoding() -> None:
    signer, verifier = generate_key(ORIGIN)
    assert verifier_key_of(signer) == verifier
    prefix, rest = signer[: len("PRIVATE+KEY+")], signer[len("PRIVATE+KEY+") :]
    assert prefix == "PRIVATE+KEY+"
    name, hash_hex, seed_b64 = rest.split("+", 2)
    v_name, v_hash, v_key_b64 = verifier.split("+", 2)
    assert name == v_name == ORIGIN and hash_hex == v_hash
    assert len(hash_hex) == 8 and hash_hex == hash_hex.lower()
    seed, public = base64.b64decode(seed_b64), base64.b64decode(v_key_b64)
    assert seed[0] == public[0] == 0x01 and len(seed) == len(public) == 33
    assert hashlib.sha256(ORIGIN.encode() + b"\n" + public).digest()[:4].hex() == hash_hex
    # The signature line verifies with the plain Ed25519 public key over the text, as any client would check it.
    note = sign_note("hello\n", signer)
    encoded = note.split("\n")[-2].split(" ")[2]
    raw = base64.b64decode(encoded)
    assert raw[:4].hex() == hash_hex and len(raw) == 68
    Ed25519PublicKey.from_public_bytes(public[1:]).verify(raw[4:], b"hello\n")
    assert generate_key(ORIGIN) != (signer, verifier)


@pytest.mark.parametrize("name", ["", "two words", "a+b", "tab\there", "new\nline", "nbsp\u00a0name"])
def test_key_names_with_spaces_plus_signs_or_nothing_are_refused(name: str) -> None:
    with pytest.raises(NoteError, match="key name") as raised:
        generate_key(name)
    one_line(raised)


def test_a_note_text_must_end_in_a_newline_and_hold_no_control_characters() -> None:
    signer, _ = generate_key(ORIGIN)
    for text in ("no newline", "bell\x07\n", ""):
        with pytest.raises(NoteError, match="malformed note"):
            sign_note(text, signer)


def test_texts_with_blank_lines_and_non_ascii_round_trip() -> None:
    signer, verifier = generate_key(ORIGIN)
    text = "Ognuno sta solo\n\ned è subito sera — Banjarmasin\n"
    assert open_note(sign_note(text, signer), verifier) == text


# Checkpoints.


def test_a_checkpoint_s_text_is_origin_size_and_base64_root_lines() -> None:
    cp = Checkpoint(origin=ORIGIN, size=42, root=ROOT)
    assert checkpoint_text(cp) == f"{ORIGIN}\n42\n{base64.b64encode(ROOT).decode()}\n"
    assert parse_checkpoint(checkpoint_text(cp)) == cp


def test_a_signed_checkpoint_round_trips() -> None:
    signer, verifier = generate_key(ORIGIN)
    for cp in (Checkpoint(ORIGIN, 1, ROOT), Checkpoint(ORIGIN, 0, hashlib.sha256(b"").digest())):
        note = sign_checkpoint(cp, signer)
        assert note.startswith(checkpoint_text(cp) + "\n— " + ORIGIN + " ")
        assert open_checkpoint(note, verifier) == cp


def test_the_transparency_dev_style_checkpoint_of_c2sp_parses() -> None:
    text = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
    cp = parse_checkpoint(text)
    assert (cp.origin, cp.size, cp.root.hex()[:8]) == ("example.com/behind-the-sofa", 20852163, "0ac5186a")


def test_extension_lines_are_allowed_and_ignored() -> None:
    cp = Checkpoint(ORIGIN, 7, ROOT)
    assert parse_checkpoint(checkpoint_text(cp) + "extension one\nextension two\n") == cp


@pytest.mark.parametrize(
    "change",
    [
        lambda text: text.replace("\n7\n", "\n8\n"),
        lambda text: text.replace("\n7\n", "\n6\n"),
        lambda text: text.replace(ORIGIN, "evil.example/log"),
        lambda text: text.replace(base64.b64encode(ROOT).decode(), base64.b64encode(bytes(32)).decode()),
        lambda text: text.replace("\n7\n", "\n7\nan extension\n"),
    ],
    ids=["size-up", "size-down", "origin", "root", "added-line"],
)
def test_a_tampered_checkpoint_fails_to_open(change: Any) -> None:
    signer, verifier = generate_key(ORIGIN)
    note = sign_checkpoint(Checkpoint(ORIGIN, 7, ROOT), signer)
    text, signatures = note.split("\n\n", 1)
    tampered = change(text + "\n") + "\n" + signatures
    assert tampered != note
    with pytest.raises(NoteError, match="invalid signature") as raised:
        open_checkpoint(tampered, verifier)
    one_line(raised)


def test_a_checkpoint_signed_by_another_key_with_the_same_name_fails() -> None:
    signer, verifier = generate_key(ORIGIN)
    impostor, _ = generate_key(ORIGIN)
    note = sign_checkpoint(Checkpoint(ORIGIN, 7, ROOT), impostor)
    with pytest.raises(NoteError, match="no signature by key") as raised:
        open_checkpoint(note, verifier)
    one_line(raised)
    assert open_checkpoint(note, verifier_key_of(impostor)).size == 7
    assert "PRIVATE" not in str(raised.value) and signer.split("+")[-1] not in str(raised.value)


def test_a_cosigned_checkpoint_still_opens_with_the_log_s_key() -> None:
    """Witnesses add their own signature lines (C2SP); the log's reader ignores them."""
    signer, verifier = generate_key(ORIGIN)
    witness, _ = generate_key("witness.example/w1")
    cp = Checkpoint(ORIGIN, 9, ROOT)
    note = sign_checkpoint(cp, signer)
    witness_line = sign_note(checkpoint_text(cp), witness).split("\n\n", 1)[1]
    assert open_checkpoint(note + witness_line, verifier) == cp


@pytest.mark.parametrize(
    "text",
    [
        f"{ORIGIN}\n7\n",
        f"\n7\n{base64.b64encode(ROOT).decode()}\n",
        f"{ORIGIN}\n07\n{base64.b64encode(ROOT).decode()}\n",
        f"{ORIGIN}\n-7\n{base64.b64encode(ROOT).decode()}\n",
        f"{ORIGIN}\n+7\n{base64.b64encode(ROOT).decode()}\n",
        f"{ORIGIN}\n7 \n{base64.b64encode(ROOT).decode()}\n",
        f"{ORIGIN}\n٧\n{base64.b64encode(ROOT).decode()}\n",
        f"{ORIGIN}\n7\n{base64.b64encode(ROOT[:31]).decode()}\n",
        f"{ORIGIN}\n7\n{base64.b64encode(ROOT).decode().rstrip('=')}\n",
        f"{ORIGIN}\n7\n{base64.b64encode(ROOT).decode()}",
        f"{ORIGIN}\n7\n{base64.b64encode(ROOT).decode()}\n\n",
    ],
    ids=[
        "no-root",
        "empty-origin",
        "leading-zero",
        "negative",
        "plus-sign",
        "trailing-space",
        "arabic-digit",
        "short-root",
        "unpadded-root",
        "no-final-newline",
        "empty-extension",
    ],
)
def test_malformed_checkpoint_texts_are_refused(text: str) -> None:
    with pytest.raises(NoteError, match="malformed checkpoint") as raised:
        parse_checkpoint(text)
    one_line(raised)


@pytest.mark.parametrize(
    "cp",
    [Checkpoint("", 1, ROOT), Checkpoint("a\nb", 1, ROOT), Checkpoint(ORIGIN, -1, ROOT), Checkpoint(ORIGIN, 1, b"x")],
    ids=["empty-origin", "two-line-origin", "negative-size", "short-root"],
)
def test_a_checkpoint_that_cannot_be_written_is_refused(cp: Checkpoint) -> None:
    with pytest.raises(NoteError, match="malformed checkpoint"):
        checkpoint_text(cp)


@pytest.mark.parametrize(
    ("public_url", "origin"),
    [
        ("https://portal.example.go.id/", "portal.example.go.id/log"),
        ("https://portal.example.go.id", "portal.example.go.id/log"),
        ("https://Transparansi.BanjarmasinKota.go.id/", "transparansi.banjarmasinkota.go.id/log"),
        ("http://127.0.0.1:8501/", "127.0.0.1:8501/log"),
        ("https://example.go.id/portal/?lang=en#top", "example.go.id/portal/log"),
        ("http://[::1]:8501", "[::1]:8501/log"),
    ],
)
def test_the_origin_is_the_public_url_without_scheme_then_log(public_url: str, origin: str) -> None:
    assert origin_for(public_url) == origin


@pytest.mark.parametrize("public_url", ["", "  ", "portal.example.go.id", "ftp://example.go.id/", "https://"])
def test_an_unusable_public_url_gives_no_origin(public_url: str) -> None:
    with pytest.raises(NoteError) as raised:
        origin_for(public_url)
    one_line(raised)


def test_a_verifier_key_is_told_apart_from_a_signer_key_a_wrong_hash_and_text() -> None:
    from core.signed_note import is_verifier_key

    signer, verifier = generate_key("portal.example/log")
    assert is_verifier_key(verifier) and is_verifier_key(verifier + "\n")
    name, hash_hex, key = verifier.split("+", 2)
    other_hash = format((int(hash_hex, 16) + 1) % 2**32, "08x")
    assert not is_verifier_key(f"{name}+{other_hash}+{key}")  # the hash must name this name and key
    assert not is_verifier_key(signer) and not is_verifier_key("kunci.txt") and not is_verifier_key("")
