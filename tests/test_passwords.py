"""The admin password hash (core/passwords.py) and ``python -m data_sources hash-password``."""

from __future__ import annotations

import base64
import hashlib
import io
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from core.passwords import PasswordHashError, hash_password, parse_hash, verify_password
from data_sources import cli

REPO = Path(__file__).resolve().parent.parent
PASSWORD = "kata-sandi-uji-panjang"
SALT = base64.b64encode(b"s" * 16).decode()
DIGEST = base64.b64encode(b"d" * 32).decode()


def test_a_password_verifies_against_its_own_hash() -> None:
    encoded = hash_password(PASSWORD)
    assert encoded.startswith("scrypt$16384$8$1$")
    assert verify_password(PASSWORD, encoded)


def test_a_wrong_password_does_not_verify() -> None:
    encoded = hash_password(PASSWORD)
    assert not verify_password(PASSWORD + "x", encoded)
    assert not verify_password(PASSWORD.upper(), encoded)
    assert not verify_password("", encoded)


def test_two_hashes_of_one_password_differ_by_their_random_salt() -> None:
    first, second = hash_password(PASSWORD), hash_password(PASSWORD)
    assert first != second
    assert parse_hash(first).salt != parse_hash(second).salt
    assert len(parse_hash(first).salt) == 16 and len(parse_hash(first).digest) == 32
    assert verify_password(PASSWORD, first) and verify_password(PASSWORD, second)


def _scrypt_hash(n: int, r: int, p: int, salt: bytes = b"0123456789abcdef", length: int = 24) -> str:
    digest = hashlib.scrypt(PASSWORD.encode(), salt=salt, n=n, r=r, p=p, maxmem=2**27, dklen=length)
    return f"scrypt${n}${r}${p}${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"


def test_the_stored_parameters_are_the_ones_used_to_verify() -> None:
    # A hash made with other parameters than the default still verifies: they are read from the string.
    encoded = _scrypt_hash(2**15, 4, 2)
    assert verify_password(PASSWORD, encoded)
    assert not verify_password(PASSWORD, encoded.replace("$32768$4$2$", "$16384$4$2$"))


@pytest.mark.parametrize("n", [2, 2**10, 2**13])
def test_a_hash_with_scrypt_n_below_2_to_the_14_is_refused_as_weak(n: int) -> None:
    # A real hash of the right password: weak parameters are refused even when the password matches,
    # since such a hash (N = 2 costs a guesser nothing) is as good as the password in plain text.
    encoded = _scrypt_hash(n, 8, 1)
    with pytest.raises(PasswordHashError) as caught:
        verify_password(PASSWORD, encoded)
    assert caught.value.reason == "weak"
    assert "2**14" in str(caught.value) and "hash-password" in str(caught.value)
    assert encoded.split("$")[4] not in str(caught.value) and encoded.split("$")[5] not in str(caught.value)


def test_a_hash_with_scrypt_n_of_2_to_the_14_is_accepted() -> None:
    assert verify_password(PASSWORD, _scrypt_hash(2**14, 8, 1))
    assert parse_hash(_scrypt_hash(2**14, 1, 1)).n == 2**14


@pytest.mark.parametrize(
    ("encoded", "reason"),
    [
        ("", "scheme"),
        ("rahasia-uji", "scheme"),
        (f"bcrypt$16384$8$1${SALT}${DIGEST}", "scheme"),
        (f"scrypt$16384$8${SALT}${DIGEST}", "format"),
        (f"scrypt$16384$8$1${SALT}${DIGEST}$extra", "format"),
        (f"scrypt$abc$8$1${SALT}${DIGEST}", "parameters"),
        (f"scrypt$+16384$8$1${SALT}${DIGEST}", "parameters"),
        (f"scrypt$10000$8$1${SALT}${DIGEST}", "parameters"),  # not a power of two
        (f"scrypt$16384$0$1${SALT}${DIGEST}", "parameters"),
        (f"scrypt${'9' * 1000}$8$1${SALT}${DIGEST}", "parameters"),  # no int() of a thousand digits
        (f"scrypt$16384$8$1$not*base64${DIGEST}", "encoding"),
        (f"scrypt$16384$8$1${SALT}$", "encoding"),
        (f"scrypt$16384$8$1${base64.b64encode(b'abc').decode()}${DIGEST}", "encoding"),  # salt too short
    ],
)
def test_a_malformed_hash_raises_a_password_hash_error_that_does_not_echo_it(encoded: str, reason: str) -> None:
    with pytest.raises(PasswordHashError) as caught:
        verify_password(PASSWORD, encoded)
    assert isinstance(caught.value, ValueError)
    assert caught.value.reason == reason
    message = str(caught.value)
    assert message
    for part in {encoded, *encoded.split("$")} - {"", "scrypt", "16384", "8", "1"}:
        assert part not in message, (part, message)


@pytest.mark.parametrize(
    "parameters",
    [
        "2097152$1$1",  # N = 2**21 > 2**20
        "16384$33$1",  # r above 32
        "16384$8$17",  # p above 16
        "1048576$32$1",  # each within its cap, but 4 GiB of memory
        "262144$8$16",  # within memory, but 2**25 units of work
    ],
)
def test_parameters_above_the_caps_are_refused_before_any_work(parameters: str) -> None:
    # If the caps did not hold, some of these would allocate gigabytes or run for minutes.
    with pytest.raises(PasswordHashError) as caught:
        verify_password(PASSWORD, f"scrypt${parameters}${SALT}${DIGEST}")
    assert caught.value.reason == "limits"


def test_parameters_at_the_caps_are_accepted() -> None:
    parsed = parse_hash(f"scrypt$1048576$2$8${SALT}${DIGEST}")
    assert (parsed.n, parsed.r, parsed.p) == (2**20, 2, 8)


# --- the CLI -----------------------------------------------------------------------------------


def _run_cli(*args: str, stdin: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "data_sources", *args],
        cwd=REPO,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_hash_password_from_stdin_prints_one_line_ready_for_secrets_toml() -> None:
    done = _run_cli("hash-password", "--stdin", stdin=PASSWORD + "\n")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith('password_hash = "scrypt$') and lines[0].endswith('"')
    encoded = tomllib.loads("[admin]\n" + done.stdout)["admin"]["password_hash"]
    assert verify_password(PASSWORD, encoded)
    assert not verify_password(PASSWORD + "\n", encoded)  # the newline ending the line is not part of it


def test_hash_password_from_stdin_refuses_a_short_password() -> None:
    done = _run_cli("hash-password", "--stdin", stdin="pendek\n")
    assert done.returncode == 1
    assert done.stdout == ""
    assert "12" in done.stderr


def _typed(monkeypatch: pytest.MonkeyPatch, *answers: str) -> None:
    # getpass reads from the terminal (/dev/tty), which a test does not have: this stands in for
    # a person typing the answers at the two prompts.
    replies = iter(answers)
    monkeypatch.setattr(cli.getpass, "getpass", lambda prompt="": next(replies))


def test_hash_password_asks_twice_and_prints_a_hash_of_the_typed_password(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _typed(monkeypatch, PASSWORD, PASSWORD)
    assert cli.main(["hash-password"]) == 0
    out = capsys.readouterr().out
    assert verify_password(PASSWORD, out.strip().removeprefix('password_hash = "').removesuffix('"'))


def test_hash_password_refuses_two_different_answers(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _typed(monkeypatch, PASSWORD, PASSWORD + "!")
    assert cli.main(["hash-password"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "differ" in captured.err


def test_hash_password_refuses_a_password_shorter_than_12_characters(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _typed(monkeypatch, "a" * 11, "a" * 11)
    assert cli.main(["hash-password"]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and "12" in captured.err

    _typed(monkeypatch, "a" * 12, "a" * 12)
    assert cli.main(["hash-password"]) == 0


def test_hash_password_stdin_reads_only_the_first_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\nsecond line\n"))
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    assert cli.main(["hash-password", "--stdin"]) == 0
    encoded = out.getvalue().strip().removeprefix('password_hash = "').removesuffix('"')
    assert verify_password(PASSWORD, encoded)
