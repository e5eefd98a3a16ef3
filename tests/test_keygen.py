"""``python -m data_sources keygen``: the log's Ed25519 key pair, the signer key into a new 0600 file (issue 24)."""

from __future__ import annotations

import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import PortalSetup, write_source

from core.signed_note import open_checkpoint, verifier_key_of

REPO = Path(__file__).resolve().parent.parent
PUBLIC_URL = "https://transparansi.example.go.id/"


def keygen(*args: str, umask: int = 0o022) -> subprocess.CompletedProcess[str]:
    # Run from a shell with this umask: whatever the umask of the shell it is run from, the key file is 0600.
    command = ["sh", "-c", 'umask "$0" && exec "$@"', f"{umask:03o}", sys.executable, "-m", "data_sources", "keygen"]
    return subprocess.run([*command, *args], cwd=REPO, capture_output=True, text=True, timeout=120)


@pytest.fixture
def portal(tmp_path: Path, make_portal: Callable[..., PortalSetup]) -> PortalSetup:
    """One workbook, the store in tmp_path, and a public address (the key's name is made from it)."""
    setup = make_portal({"disperkim": write_source(tmp_path / "perkim.xlsx")})
    with setup.config_path.open("a", encoding="utf-8") as config:
        config.write(f'\n[open_data]\nenabled = false\npublic_url = "{PUBLIC_URL}"\n')
    return setup


@pytest.fixture
def key_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder outside the store's: where a key may go."""
    return tmp_path_factory.mktemp("keys")


def test_keygen_writes_the_signer_key_0600_and_prints_only_the_verifier_key_and_the_line_to_set(
    portal: PortalSetup, key_folder: Path
) -> None:
    out = key_folder / "nested" / "log-signer.key"
    done = keygen("--out", str(out), "--config", str(portal.config_path), umask=0)
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    signer = out.read_text(encoding="ascii").strip()
    assert signer.startswith("PRIVATE+KEY+transparansi.example.go.id/log+")
    verifier = verifier_key_of(signer)
    assert verifier in done.stdout.splitlines()
    assert f'key_file = "{out.as_posix()}"' in done.stdout.splitlines()
    # The private key, or any part of it, is printed nowhere.
    # PRIVATE+KEY+name+hash+key: the key is base64 and may itself hold "+", so split from the left.
    secret = signer.split("+", 4)[4]
    assert len(secret) > 40
    assert secret not in done.stdout + done.stderr and "PRIVATE" not in done.stdout + done.stderr


def test_keygen_refuses_to_overwrite_an_existing_file(portal: PortalSetup, key_folder: Path) -> None:
    out = key_folder / "log-signer.key"
    out.write_text("the key every published checkpoint was signed with\n", encoding="ascii")
    done = keygen("--out", str(out), "--config", str(portal.config_path))
    assert done.returncode == 2
    assert "already exists; the old key is not overwritten" in done.stderr
    assert out.read_text(encoding="ascii") == "the key every published checkpoint was signed with\n"
    assert done.stdout == ""


@pytest.mark.parametrize("place", ["store.key", "static/data/log.key"], ids=["beside-the-store", "served"])
def test_keygen_refuses_a_place_beside_the_store_or_in_a_served_folder(portal: PortalSetup, place: str) -> None:
    # make_portal keeps the store in the configuration's folder; its open-data folder is static/data there.
    out = portal.folder / place
    done = keygen("--out", str(out), "--config", str(portal.config_path))
    assert done.returncode == 2
    assert "the key is not written there" in done.stderr
    assert not out.exists() and done.stdout == ""


def test_keygen_refuses_without_a_public_url(
    tmp_path: Path, make_portal: Callable[..., PortalSetup], key_folder: Path
) -> None:
    setup = make_portal({"disperkim": write_source(tmp_path / "perkim.xlsx")})
    done = keygen("--out", str(key_folder / "k.key"), "--config", str(setup.config_path))
    assert done.returncode == 2 and "public_url" in done.stderr
    assert not (key_folder / "k.key").exists()


def test_the_key_keygen_writes_signs_the_next_syncs_checkpoint(portal: PortalSetup, key_folder: Path) -> None:
    out = key_folder / "log-signer.key"
    made = keygen("--out", str(out), "--config", str(portal.config_path))
    assert made.returncode == 0, made.stderr
    verifier = next(line for line in made.stdout.splitlines() if line.startswith("transparansi.example.go.id/log+"))
    printed = made.stdout.split("# baris untuk portal.toml / the line for portal.toml:\n", 1)[1]
    with portal.config_path.open("a", encoding="utf-8") as config:
        config.write("\n" + printed)
    synced = subprocess.run(
        [sys.executable, "-m", "data_sources", "sync", "--config", str(portal.config_path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert synced.returncode == 0, synced.stderr
    assert "transparency log: checkpoint signed for size 1" in synced.stdout
    from data_sources.store.snapshot_store import Store

    store = Store(portal.config.database_url)
    latest = store.log.latest_checkpoint()
    assert latest is not None and open_checkpoint(latest.note, verifier).size == 1
    store.close()
