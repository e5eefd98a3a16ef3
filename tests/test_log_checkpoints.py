"""Signed checkpoints after a sync (issue 24, item 2): real workbooks, a real SQLite store, a real Ed25519 key file."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from builders import OTHER_CODE, capaian, lokasi, program
from conftest import SAMPLE_DATA, PortalSetup, write_source

from core.merkle_tree import consistency_proof, root_hash, verify_consistency
from core.signed_note import Checkpoint, generate_key, open_checkpoint, origin_for
from data_sources.cli import main
from data_sources.jobs.sync import LOG, SyncOutcome, run_sync, sign_pending_checkpoint
from data_sources.store.snapshot_store import Store
from data_sources.store.transparency_log import log_leaves

PUBLIC_URL = "https://transparansi.example.go.id/"
ORIGIN = "transparansi.example.go.id/log"


def write_key(folder: Path, origin: str = ORIGIN) -> tuple[Path, str, str]:
    """A signer key file as keygen writes it (one line); the file, the signer key and the verifier key."""
    signer, verifier = generate_key(origin)
    path = folder / "keys" / "log-signer.key"
    path.parent.mkdir(exist_ok=True)
    path.write_text(signer + "\n", encoding="ascii")
    return path, signer, verifier


def configure(setup: PortalSetup, key_file: Path | None, public_url: str = PUBLIC_URL) -> None:
    """The open-data files off (they are not what these tests are about), the public address, and the key."""
    with setup.config_path.open("a", encoding="utf-8") as config:
        config.write(f'\n[open_data]\nenabled = false\npublic_url = "{public_url}"\n')
        if key_file is not None:
            config.write(f'\n[log]\nkey_file = "{key_file.as_posix()}"\n')


def two_sources(folder: Path, make_portal: Callable[..., PortalSetup]) -> tuple[PortalSetup, Path]:
    """disperkim and pupr, each a workbook of its own program; the pupr file's path, to edit it."""
    perkim = write_source(folder / "perkim.xlsx")
    pupr = write_pupr(folder / "pupr.xlsx", 40)
    return make_portal({"disperkim": perkim, "pupr": pupr}), pupr


def write_pupr(path: Path, realisasi: int) -> Path:
    return write_source(
        path,
        programs=[program(kode_program=OTHER_CODE, skpd="Dinas PUPR")],
        capaians=[capaian(kode_program=OTHER_CODE, realisasi_persen=realisasi)],
        lokasis=[lokasi(kode_program=OTHER_CODE)],
    )


def sync(setup: PortalSetup) -> list[SyncOutcome]:
    store = Store(setup.config.database_url)
    try:
        outcomes = run_sync(setup.config, store)
    finally:
        store.close()
    assert outcomes is not None
    return outcomes


def stored(setup: PortalSetup) -> tuple[list[bytes], list[tuple[int, bytes, str]]]:
    """The leaf hashes and the checkpoints (size, root, note) in the store."""
    store = Store(setup.config.database_url)
    try:
        return store.log.leaf_hashes(), [(c.size, c.root, c.note) for c in store.log.checkpoints()]
    finally:
        store.close()


def test_a_sync_of_six_sources_appends_six_leaves_then_signs_one_checkpoint_over_them(
    tmp_path: Path, make_portal: Callable[..., PortalSetup]
) -> None:
    samples = sorted(SAMPLE_DATA.glob("*.xlsx"))
    assert len(samples) == 6
    setup = make_portal({p.stem: p for p in samples})
    key_file, _, verifier = write_key(tmp_path)
    configure(setup, key_file)

    outcomes = sync(setup)
    assert [(o.source, o.outcome) for o in outcomes] == [*((p.stem, "new") for p in samples), (LOG, "signed")]
    assert outcomes[-1].line() == f"{LOG}: checkpoint signed for size 6"
    hashes, checkpoints = stored(setup)
    assert len(hashes) == 6
    [(size, root, note)] = checkpoints
    assert size == 6 and root == root_hash(hashes)
    assert open_checkpoint(note, verifier) == Checkpoint(origin_for(PUBLIC_URL), 6, root_hash(hashes))

    # Nothing changed: nothing appended, nothing signed, no line about the log.
    again = sync(setup)
    assert {o.outcome for o in again} == {"unchanged"} and LOG not in {o.source for o in again}
    assert stored(setup) == (hashes, checkpoints)


def test_a_changed_source_appends_one_leaf_and_a_checkpoint_consistent_with_the_previous_one(
    tmp_path: Path, make_portal: Callable[..., PortalSetup]
) -> None:
    setup, pupr = two_sources(tmp_path, make_portal)
    key_file, _, verifier = write_key(tmp_path)
    configure(setup, key_file)
    sync(setup)
    write_pupr(pupr, 48)
    outcomes = sync(setup)
    assert [(o.source, o.outcome) for o in outcomes] == [("disperkim", "unchanged"), ("pupr", "new"), (LOG, "signed")]
    hashes, checkpoints = stored(setup)
    assert [c[0] for c in checkpoints] == [2, 3]
    old, new = (open_checkpoint(note, verifier) for _, _, note in checkpoints)
    assert verify_consistency(2, 3, old.root, new.root, consistency_proof(2, hashes))


def test_without_a_key_the_log_is_kept_and_no_checkpoint_is_signed(
    tmp_path: Path, make_portal: Callable[..., PortalSetup], caplog: pytest.LogCaptureFixture
) -> None:
    setup, _ = two_sources(tmp_path, make_portal)
    configure(setup, None)
    with caplog.at_level(logging.INFO, logger="portal"):
        outcomes = sync(setup)
    assert LOG not in {o.source for o in outcomes}
    hashes, checkpoints = stored(setup)
    assert len(hashes) == 2 and checkpoints == []
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def _malformed(folder: Path) -> Path:
    path = folder / "not-a-key.key"
    path.write_text("PRIVATE+KEY+rahasia-yang-tidak-boleh-bocor+00000000+AAAA\n", encoding="ascii")
    return path


def _a_folder(folder: Path) -> Path:
    (folder / "a-folder.key").mkdir()
    return folder / "a-folder.key"


@pytest.mark.parametrize(
    ("make_file", "said", "dikatakan"),
    [
        (lambda folder: folder / "missing.key", "does not exist", "tidak ada"),
        (_malformed, "is not a log signer key made by `python -m data_sources keygen`", "bukan kunci penanda tangan"),
        (_a_folder, "cannot be read (IsADirectoryError)", "tidak dapat dibaca (IsADirectoryError)"),
    ],
    ids=["missing", "malformed", "unreadable"],
)
def test_a_key_file_that_cannot_be_used_is_one_error_line_without_its_content_and_no_checkpoint(
    tmp_path: Path,
    make_portal: Callable[..., PortalSetup],
    caplog: pytest.LogCaptureFixture,
    make_file: Callable[[Path], Path],
    said: str,
    dikatakan: str,
) -> None:
    setup, _ = two_sources(tmp_path, make_portal)
    key_file = make_file(tmp_path)
    configure(setup, key_file)
    with caplog.at_level(logging.ERROR, logger="portal"):
        outcomes = sync(setup)
    assert (outcomes[-1].source, outcomes[-1].outcome) == (LOG, "failed")
    assert outcomes[-1].message is not None and said in outcomes[-1].message.en
    assert dikatakan in outcomes[-1].message.id
    [error] = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert error.startswith("transparency log: no checkpoint signed for size 2:") and str(key_file) in error
    assert "rahasia" not in caplog.text and "AAAA" not in caplog.text
    assert stored(setup)[1] == []


def test_the_sync_command_says_the_checkpoint_was_not_signed_and_exits_1_without_the_keys_content(
    tmp_path: Path, make_portal: Callable[..., PortalSetup], capsys: pytest.CaptureFixture[str]
) -> None:
    setup, _ = two_sources(tmp_path, make_portal)
    configure(setup, _malformed(tmp_path))
    assert main(["sync", "--config", str(setup.config_path)]) == 1
    out, err = capsys.readouterr()
    assert f"{LOG}: FAILED: The file `{tmp_path / 'not-a-key.key'}` is not a log signer key" in out
    assert "rahasia" not in out + err


def test_a_public_url_that_no_longer_gives_the_keys_name_signs_nothing(
    tmp_path: Path, make_portal: Callable[..., PortalSetup], caplog: pytest.LogCaptureFixture
) -> None:
    setup, _ = two_sources(tmp_path, make_portal)
    key_file, _, _ = write_key(tmp_path, origin="portal-lama.example.go.id/log")
    configure(setup, key_file)
    with caplog.at_level(logging.ERROR, logger="portal"):
        outcomes = sync(setup)
    assert outcomes[-1].outcome == "failed" and outcomes[-1].message is not None
    assert "made for the origin `portal-lama.example.go.id/log`" in outcomes[-1].message.en
    assert f"gives `{ORIGIN}`" in caplog.text
    assert stored(setup)[1] == []


def test_a_checkpoint_not_consistent_with_the_previous_one_is_refused_and_nothing_is_stored(
    tmp_path: Path, make_portal: Callable[..., PortalSetup], caplog: pytest.LogCaptureFixture
) -> None:
    setup, pupr = two_sources(tmp_path, make_portal)
    key_file, _, _ = write_key(tmp_path)
    configure(setup, key_file)
    sync(setup)
    # History rewritten under the portal: the first leaf is no longer the one the checkpoint of size 2 signed.
    engine = sa.create_engine(setup.config.database_url)
    with engine.begin() as conn:
        conn.execute(log_leaves.update().where(log_leaves.c.leaf_index == 0).values(leaf_hash=b"\x00" * 32))
    engine.dispose()
    write_pupr(pupr, 48)
    with caplog.at_level(logging.ERROR, logger="portal"):
        outcomes = sync(setup)
    assert [(o.source, o.outcome) for o in outcomes][-2:] == [("pupr", "new"), (LOG, "failed")]
    assert outcomes[-1].message is not None and "NOT signed" in outcomes[-1].message.en
    assert "TIDAK ditandatangani" in outcomes[-1].message.id
    [error] = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert error.startswith(
        "transparency log: checkpoint NOT signed: the log at size 3 is not consistent with the stored checkpoint "
        "at size 2 (the consistency proof"
    )
    assert [c[0] for c in stored(setup)[1]] == [2]


def test_a_replaced_key_cannot_extend_the_checkpoints_the_old_one_signed(
    tmp_path: Path, make_portal: Callable[..., PortalSetup], caplog: pytest.LogCaptureFixture
) -> None:
    setup, pupr = two_sources(tmp_path, make_portal)
    key_file, _, _ = write_key(tmp_path)
    configure(setup, key_file)
    sync(setup)
    key_file.unlink()
    write_key(tmp_path)  # a new key of the same name, in the same file
    write_pupr(pupr, 48)
    with caplog.at_level(logging.ERROR, logger="portal"):
        outcomes = sync(setup)
    assert outcomes[-1].outcome == "failed"
    assert "the previous checkpoint's signature does not verify with the configured key" in caplog.text
    assert [c[0] for c in stored(setup)[1]] == [2]


def test_at_start_up_a_log_longer_than_its_latest_checkpoint_is_signed_once(
    tmp_path: Path, make_portal: Callable[..., PortalSetup]
) -> None:
    """The upgrade case: a store whose log was kept (or built) without a key, then a key is configured."""
    setup, _ = two_sources(tmp_path, make_portal)
    configure(setup, None)
    sync(setup)
    key_file, _, verifier = write_key(tmp_path)
    with setup.config_path.open("a", encoding="utf-8") as config:
        config.write(f'\n[log]\nkey_file = "{key_file.as_posix()}"\n')
    store = Store(setup.config.database_url)
    signed = sign_pending_checkpoint(setup.config, store)
    assert signed is not None and signed.outcome == "signed" and signed.size == 2
    assert sign_pending_checkpoint(setup.config, store) is None  # nothing pending any more
    latest = store.log.latest_checkpoint()
    assert latest is not None and open_checkpoint(latest.note, verifier).size == 2
    assert store.lock_holder("sync") is None  # the sync lock it took is released
    store.close()
