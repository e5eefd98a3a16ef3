"""``python -m data_sources`` run as a user runs it: in a subprocess, reading real files."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from builders import capaian, lokasi
from conftest import PortalSetup, write_source

REPO = Path(__file__).resolve().parent.parent


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "data_sources", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def test_check_json_prints_exactly_one_object_of_the_documented_shape(tmp_path: Path) -> None:
    path = write_source(tmp_path / "bad.xlsx", capaians=[capaian(), capaian(rencana_persen=140, tanggal="2024-07-31")])
    done = run("check", str(path), "--json")
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    assert set(report) == {"source", "counts", "issues"}
    assert set(report["counts"]) == {"program", "capaian", "lokasi"}
    assert report["counts"]["capaian"] == {"rows": 2, "accepted": 1, "rejected": 1}
    issue = next(i for i in report["issues"] if i["severity"] == "error")
    assert {"severity", "worksheet", "row", "column", "cell", "value", "message"} <= set(issue)
    assert (issue["worksheet"], issue["row"], issue["column"], issue["cell"], issue["value"]) == (
        "capaian",
        3,
        "rencana_persen",
        "C3",
        "140",
    )


def test_check_exits_0_on_a_clean_workbook_even_with_warnings(tmp_path: Path) -> None:
    path = write_source(tmp_path / "ok.xlsx", lokasis=[lokasi(kelurahan="Kelayan Selatn", kecamatan=None)])
    done = run("check", str(path), "--json")
    assert done.returncode == 0, done.stdout + done.stderr
    assert [i["severity"] for i in json.loads(done.stdout)["issues"]] == ["warning"]


def test_check_prints_a_readable_report_in_the_chosen_language(tmp_path: Path) -> None:
    path = write_source(tmp_path / "bad.xlsx", capaians=[capaian(status="Hampir")])
    indonesian = run("check", str(path))
    english = run("check", str(path), "--lang", "en")
    assert indonesian.returncode == english.returncode == 1
    assert "capaian G2" in indonesian.stdout and "bukan pilihan yang sah" in indonesian.stdout
    assert "capaian G2" in english.stdout and "is not an allowed value" in english.stdout


def test_check_exits_2_with_one_line_and_a_json_error_when_the_file_is_missing(tmp_path: Path) -> None:
    done = run("check", str(tmp_path / "nope.xlsx"), "--json")
    assert done.returncode == 2
    report = json.loads(done.stdout)
    assert set(report) == {"source", "error", "counts", "issues"} and "not found" in report["error"]["message_en"]
    assert len(done.stderr.strip().splitlines()) == 1 and "not found" in done.stderr


def test_check_exits_2_when_the_file_is_not_a_workbook(tmp_path: Path) -> None:
    fake = tmp_path / "notes.xlsx"
    fake.write_text("this is not a spreadsheet", encoding="utf-8")
    done = run("check", str(fake))
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1 and "not an .xlsx workbook" in done.stderr


def test_check_takes_a_configured_source_name(tmp_path: Path, make_portal: Callable[..., PortalSetup]) -> None:
    setup = make_portal({"disperkim": write_source(tmp_path / "a.xlsx")})
    done = run("check", "disperkim", "--json", "--config", str(setup.config_path))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["counts"]["program"]["accepted"] == 1
    unknown = run("check", "nobody", "--config", str(setup.config_path))
    assert unknown.returncode == 2 and "nobody" in unknown.stderr


def test_sync_prints_a_line_per_source_and_fails_when_one_source_fails(
    tmp_path: Path, make_portal: Callable[..., PortalSetup]
) -> None:
    setup = make_portal({"disperkim": write_source(tmp_path / "a.xlsx"), "gone": tmp_path / "gone.xlsx"})
    done = run("sync", "--config", str(setup.config_path))
    assert done.returncode == 1
    lines = done.stdout.strip().splitlines()
    assert lines[0].startswith("disperkim: new snapshot")
    assert lines[1].startswith("gone: FAILED") and "file not found" in lines[1]
    again = run("sync", "--config", str(setup.config_path))
    assert again.stdout.splitlines()[0].startswith("disperkim: unchanged")
    assert setup.database.exists()
