"""``python -m data_sources verify`` and the stand-alone verifier of docs/verifikasi.md, against a running portal
whose store a real sync filled (issue 24); then the store tampered with as a dishonest operator would (a snapshot's
rows edited, one snapshot deleted, two reordered, each with the log rebuilt and re-signed; the key swapped), and
both verifiers, given what a journalist kept earlier, exit 1 and say what differs."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from log_support import ORIGIN, LogPortal, edit_rows, log_portal, next_sync, rewritten_log, swapped_key
from portal_server import PortalServer
from servers import free_port

from core.signed_note import generate_key
from data_sources.cli import main
from data_sources.jobs.verify_log import CHECKPOINT_FILE, ENTRIES_FILE, INDEX_FILE, KEY_FILE

REPO = Path(__file__).resolve().parents[1]
DOC = REPO / "docs" / "verifikasi.md"


@pytest.fixture(scope="module")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LogPortal]:
    with log_portal(tmp_path_factory.mktemp("verify")) as running:
        yield running


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    """``python -m data_sources verify ARGS`` as the CLI runs it: its exit code, stdout and stderr."""
    code = main(["verify", *(str(a) for a in args)])
    out, err = capsys.readouterr()
    return code, out, err


def kept_copy(portal: LogPortal, folder: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """What a journalist keeps today: verify, and save the checkpoint, every entry, the key and index.json."""
    key = portal.key_file.with_name("verifier.txt")
    # The test portal's files are not served at /app/static/data/ (see portal_server): index.json is handed over.
    code, out, err = run(capsys, portal.url, "--key", key, "--index", portal.open_data / "index.json", "--save", folder)
    assert code == 0, out + err
    return folder


@pytest.fixture(autouse=True)
def verifier_file(portal: LogPortal) -> None:
    """The verifier key as a journalist keeps it: a file with the text /log/key serves."""
    portal.key_file.with_name("verifier.txt").write_text(portal.verifier + "\n", encoding="utf-8")


# --- an honest portal ----------------------------------------------------------------------------------------


def test_an_honest_portal_passes_every_check_in_indonesian_by_default(
    portal: LogPortal, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, portal.url, "--key", portal.verifier)
    assert code == 0 and err == "", (out, err)
    assert "BENAR: Checkpoint portal ditandatangani kunci portal.example.go.id/log+" in out
    assert "entri log dihitung ulang dan menghasilkan akar hash yang ditandatangani" in out
    assert "Bukti inklusi entri terbaru" in out
    # Without a kept checkpoint nothing is claimed about the past: the reader is told to keep one.
    assert out.rstrip().endswith("baru dengan itu terbukti bahwa riwayat tidak ditulis ulang.")
    assert "TIDAK" not in out


def test_the_answers_are_in_english_with_lang_en(portal: LogPortal, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, portal.url, "--key", portal.verifier, "--lang", "en")
    assert code == 0 and "OK: The portal's checkpoint is signed by the key portal.example.go.id/log+" in out
    assert out.rstrip().endswith(
        "Every check holds. Keep this checkpoint (--save) and check again later with --kept: only that shows "
        "the history was not rewritten."
    )


def test_save_keeps_the_checkpoint_every_entry_the_key_and_index_json(
    portal: LogPortal, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    saved = kept_copy(portal, tmp_path / "simpanan", capsys)
    assert (saved / CHECKPOINT_FILE).read_text(encoding="utf-8") == portal.store.log.latest_checkpoint().note  # type: ignore[union-attr]
    entries = json.loads((saved / ENTRIES_FILE).read_text(encoding="utf-8"))["entries"]
    assert [e["index"] for e in entries] == list(range(portal.store.log.size()))
    assert (saved / KEY_FILE).read_text(encoding="utf-8").strip() == portal.verifier
    assert json.loads((saved / INDEX_FILE).read_text(encoding="utf-8")) == json.loads(
        (portal.open_data / "index.json").read_text(encoding="utf-8")
    )


def test_a_kept_copy_is_extended_by_the_log_after_a_later_sync(
    portal: LogPortal, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    saved = kept_copy(portal, tmp_path / "kemarin", capsys)
    kept_size = portal.store.log.size()
    new_size = next_sync(portal)
    # The kept folder brings its key: nothing else is needed.
    code, out, _ = run(capsys, portal.url, "--kept", saved, "--lang", "en")
    assert code == 0, out
    assert f"The current log ({new_size} entries) extends your kept checkpoint ({kept_size} entries)" in out
    assert f"All {kept_size} of your kept entries are exactly the portal's current ones." in out
    assert out.rstrip().endswith("was not rewritten since the checkpoint you kept.")


def test_a_kept_checkpoint_file_alone_is_enough_to_check_consistency(
    portal: LogPortal, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kept = tmp_path / "checkpoint.txt"
    kept.write_text(portal.store.log.latest_checkpoint().note, encoding="utf-8")  # type: ignore[union-attr]
    code, out, _ = run(capsys, portal.url, "--key", portal.verifier, "--kept", kept, "--lang", "en")
    assert code == 0 and "Your kept checkpoint" in out and "is the current one" in out, out


def test_a_saved_copy_is_checked_without_the_portal(
    portal: LogPortal, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    saved = kept_copy(portal, tmp_path / "salinan", capsys)
    code, out, _ = run(capsys, saved, "--key", portal.verifier, "--lang", "en")
    assert code == 0 and "re-hash to the signed root" in out, out


def test_a_downloaded_file_belongs_to_the_log(portal: LogPortal, capsys: pytest.CaptureFixture[str]) -> None:
    index = portal.open_data / "index.json"
    code, out, _ = run(
        capsys, portal.url, "--key", portal.verifier, "--file", portal.open_data / "capaian.csv", "--index", index,
        "--lang", "en",
    )  # fmt: skip
    assert code == 0, out
    assert "capaian.csv: its sha256 is the one index.json lists." in out
    assert re.search(r"The checkpoint index\.json names \(\d+ entries\) is signed and part of the current log", out)
    for source in portal.config.sources:
        assert f"The {source.name} snapshot the files were made from is entry #" in out


def test_a_changed_or_unlisted_file_is_caught(
    portal: LogPortal, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    changed = tmp_path / "capaian.csv"
    changed.write_bytes((portal.open_data / "capaian.csv").read_bytes().replace(b"Berjalan", b"Selesai", 1))
    unlisted = tmp_path / "lain.csv"
    unlisted.write_text("a,b\r\n", encoding="utf-8")
    index = portal.open_data / "index.json"
    code, out, _ = run(
        capsys, portal.url, "--key", portal.verifier, "--file", changed, "--file", unlisted, "--index", index,
        "--lang", "en",
    )  # fmt: skip
    assert code == 1
    assert "FAILED: capaian.csv: its sha256" in out and "DIFFERS from the one index.json lists" in out
    assert "FAILED: lain.csv: not listed in index.json" in out


# --- a dishonest operator ----------------------------------------------------------------------------------------


def _without(position: int) -> Callable[[list[int]], Sequence[int]]:
    return lambda ids: [i for n, i in enumerate(ids) if n != position]


def _swapped(first: int, second: int) -> Callable[[list[int]], Sequence[int]]:
    def order(ids: list[int]) -> Sequence[int]:
        ids = list(ids)
        ids[first], ids[second] = ids[second], ids[first]
        return ids

    return order


# How the operator rewrites the log, the first entry that then differs, and what the kept checkpoint alone says.
TAMPERING: dict[str, tuple[Callable[[list[int]], dict[str, Any]], int, str, str]] = {
    # A snapshot's stored rows edited, the log rebuilt from the store and re-signed with the portal's own key.
    "edited": (
        lambda ids: {"before": edit_rows(ids[3])},
        3,
        "is NOT consistent with your kept checkpoint",
        "TIDAK konsisten dengan checkpoint simpanan Anda",
    ),
    # One snapshot (not the newest) left out of the rebuilt log: it is now shorter than what was kept.
    "deleted": (lambda ids: {"order": _without(2)}, 2, "The log is now shorter", "Log kini lebih pendek"),
    # Two snapshots swapped in the rebuilt log.
    "reordered": (
        lambda ids: {"order": _swapped(1, 4)},
        1,
        "is NOT consistent with your kept checkpoint",
        "TIDAK konsisten dengan checkpoint simpanan Anda",
    ),
}


def _logged_ids(portal: LogPortal) -> list[int]:
    return [entry.snapshot_id for entry in portal.store.log.entries()]


@pytest.mark.parametrize("how", list(TAMPERING))
def test_a_rewritten_history_fails_and_the_first_entry_that_differs_is_named(
    portal: LogPortal, tmp_path: Path, capsys: pytest.CaptureFixture[str], how: str
) -> None:
    saved = kept_copy(portal, tmp_path / "simpanan", capsys)
    change, first, said_en, said_id = TAMPERING[how]
    with rewritten_log(portal, **change(_logged_ids(portal))):
        # The rewritten log is consistent in itself and signed by the portal's key: only what was kept exposes it.
        code, out, _ = run(capsys, portal.url, "--key", portal.verifier, "--lang", "en")
        assert code == 0, out
        code, out, err = run(capsys, portal.url, "--kept", saved, "--save", tmp_path / "baru", "--lang", "en")
        assert code == 1 and said_en in out, out
        assert f"FAILED: The first entry that differs: #{first}. Then: " in out, out
        assert "Nothing was saved" in err and not (tmp_path / "baru").exists()
        # In Indonesian too, and with the kept checkpoint file alone (no entries to compare, so none is named).
        code, out, _ = run(capsys, portal.url, "--kept", saved)
        assert code == 1 and f"Entri pertama yang berbeda: #{first}." in out
        code, out, _ = run(capsys, portal.url, "--key", portal.verifier, "--kept", saved / CHECKPOINT_FILE)
        assert code == 1 and said_id in out and "Entri pertama" not in out, out
    code, out, _ = run(capsys, portal.url, "--kept", saved)
    assert code == 0, out  # put back: the same history again


def test_files_published_before_a_rewrite_no_longer_tie_to_the_log(
    portal: LogPortal, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    index = tmp_path / "index.json"
    index.write_bytes((portal.open_data / "index.json").read_bytes())
    csv = tmp_path / "capaian.csv"
    csv.write_bytes((portal.open_data / "capaian.csv").read_bytes())
    with rewritten_log(portal, before=edit_rows(_logged_ids(portal)[0])):
        code, out, _ = run(
            capsys, portal.url, "--key", portal.verifier, "--file", csv, "--index", index, "--lang", "en"
        )
    assert code == 1 and "FAILED: The checkpoint index.json names" in out and "is NOT part of the current log" in out


def test_a_swapped_key_is_caught_with_the_key_kept_and_with_the_new_one(
    portal: LogPortal, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    saved = kept_copy(portal, tmp_path / "simpanan", capsys)
    with swapped_key(portal) as new_key:
        code, out, _ = run(capsys, portal.url, "--kept", saved, "--lang", "en")
        assert code == 1 and "FAILED: The portal's checkpoint is NOT signed by the key" in out, out
        # A journalist who took the new key from /log/key: the checkpoint they kept exposes the swap.
        with urllib.request.urlopen(portal.url + "/log/key", timeout=60) as served:
            assert served.read().decode("ascii").strip() == new_key
        code, out, err = run(capsys, portal.url, "--key", new_key, "--kept", saved / CHECKPOINT_FILE, "--lang", "en")
        assert code == 1 and "FAILED: Your kept checkpoint" in out and "is NOT signed by the key" in out, out + err


# --- what cannot be checked at all ---------------------------------------------------------------------------------


def test_usage_errors_and_an_unreachable_portal_exit_2_with_one_line(
    portal: LogPortal, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A saved copy without its index.json: a downloaded file then has nothing to be checked against. (Not the
    # portal's URL: whether /app/static/data/index.json answers there depends on what else wrote the checkout's
    # static/data/ folder, e.g. a `make run` beforehand.)
    saved = tmp_path / "tanpa-index"
    assert run(capsys, portal.url, "--key", portal.verifier, "--save", saved)[0] == 0
    (saved / "index.json").unlink(missing_ok=True)
    cases = [
        [portal.url],  # no key, no kept folder
        [portal.url, "--key", "not-a-key"],
        [str(tmp_path / "no-such-folder"), "--key", portal.verifier],
        [f"http://127.0.0.1:{free_port()}", "--key", portal.verifier],
        [str(saved), "--key", portal.verifier, "--file", str(portal.open_data / "capaian.csv")],
        [portal.url, "--key", portal.verifier, "--kept", str(tmp_path / "nothing.txt")],
    ]
    said = []
    for args in cases:
        code, out, err = run(capsys, *args)
        assert code == 2 and err.count("\n") == 1 and "Traceback" not in err, (args, out, err)
        said.append(err)
    assert "index.json" in said[4], said[4]


def test_a_portal_that_publishes_no_checkpoint_fails_and_says_so(
    portal: LogPortal, portal_server: PortalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, portal_server.url, "--key", portal.verifier, "--lang", "en")
    assert code == 1 and "The portal publishes no signed checkpoint yet" in out


def test_the_cli_runs_as_a_command_and_exits_with_its_code(portal: LogPortal) -> None:
    command = [sys.executable, "-m", "data_sources", "verify", portal.url, "--key", portal.verifier, "--lang", "en"]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0 and "Every check holds" in done.stdout, done.stderr
    _, other = generate_key(ORIGIN)  # a well-formed key, but not the portal's
    done = subprocess.run([*command[:5], "--key", other], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "TIDAK BENAR: Checkpoint portal TIDAK ditandatangani kunci" in done.stdout
    malformed = [*command[:5], "--key", "x+00000000+AAAA"]
    done = subprocess.run(malformed, cwd=REPO, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 2 and done.stdout == "" and "nama+hash+kunci" in done.stderr


# --- the stand-alone verifier printed in docs/verifikasi.md ----------------------------------------------------------


def standalone_verifier(folder: Path) -> Path:
    """The doc's one Python block, under its heading, written to a file as a reader would save it."""
    doc = DOC.read_text(encoding="utf-8")
    part = doc.split("## Verifikator mandiri / Stand-alone verifier", 1)[1]
    blocks = re.findall(r"```python\n(.*?)```", part, re.S)
    assert len(blocks) == 1
    script = folder / "verifikasi.py"
    script.write_text(blocks[0], encoding="utf-8")
    return script


def run_standalone(script: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    # Only the standard library and cryptography: run outside the repository, with nothing of it importable.
    command = [sys.executable, "-I", str(script), *(str(a) for a in args)]
    return subprocess.run(command, cwd=script.parent, capture_output=True, text=True, timeout=120, check=False)


def test_the_documents_stand_alone_verifier_passes_on_the_portal(portal: LogPortal, tmp_path: Path) -> None:
    script = standalone_verifier(tmp_path)
    kept = tmp_path / "checkpoint.txt"
    kept.write_text(portal.store.log.latest_checkpoint().note, encoding="utf-8")  # type: ignore[union-attr]
    done = run_standalone(script, portal.url, portal.verifier)
    assert done.returncode == 0 and "OK: semua benar / everything holds" in done.stdout, done.stdout + done.stderr
    older = tmp_path / "older.txt"
    older.write_text(kept.read_text(encoding="utf-8"), encoding="utf-8")
    next_sync(portal)
    done = run_standalone(script, portal.url, portal.verifier, older)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "konsisten dengan checkpoint simpanan" in done.stdout


@pytest.mark.parametrize("how", [*TAMPERING, "swapped key"])
def test_the_documents_stand_alone_verifier_fails_on_a_tampered_log(
    portal: LogPortal, tmp_path: Path, how: str
) -> None:
    script = standalone_verifier(tmp_path)
    kept = tmp_path / "checkpoint.txt"
    kept.write_text(portal.store.log.latest_checkpoint().note, encoding="utf-8")  # type: ignore[union-attr]
    if how == "swapped key":
        with swapped_key(portal):
            done = run_standalone(script, portal.url, portal.verifier)
        assert done.returncode != 0 and "GAGAL / FAILED" in done.stderr, done.stdout + done.stderr
        return
    with rewritten_log(portal, **TAMPERING[how][0](_logged_ids(portal))):
        done = run_standalone(script, portal.url, portal.verifier, kept)
    assert done.returncode != 0 and "GAGAL / FAILED" in done.stderr, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
