"""Open-data files: written by every sync that changes content, atomically, defused, homes only as counts, and
served by a real ``streamlit run`` at /app/static/data/.

Every test writes into its own tmp folder: the test portal's ``[open_data] folder`` is ``static/data`` beside its
portal.toml, never the repository's ``static/``.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import json
import logging
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import frictionless
import geojson
import pytest
from builders import TODAY, capaian, json_pairs, lokasi, program, records_grid, write_xlsx
from conftest import PortalSetup
from oc4ids_review import review, schema_host
from openpyxl.utils import get_column_letter
from servers import free_port, stop, wait_healthy
from test_oc4ids import assert_valid_package

from core.safe_cells import FORMULA_TRIGGERS
from core.wilayah import KELURAHAN
from data_sources.jobs.publish_open_data import URL_PATH, is_stale, write_atomically, write_open_data
from data_sources.jobs.sync import run_sync
from data_sources.store.snapshot_store import Store

REPO = Path(__file__).resolve().parent.parent
PRIVATE_CODE = "QW24-PERKIM-01"
PUBLIC_CODE = "QW24-PUPR-01"
HYPERLINK = '=HYPERLINK("http://evil.example/","klik")'
PLUS_NOTE = "+5 unit dari rencana"  # text a spreadsheet would read as a formula
# Exact points of private homes as the clerk typed them; validation keeps only their kelurahan.
HOMES = {
    "RMH-01": ("-3.34512, 114.58876", "Kelayan Selatan"),
    "RMH-02": ("-3.34467, 114.58911", "Kelayan Selatan"),
    "RMH-03": ("-3.33301, 114.58999", "Pekauman"),
}
TABLE_FILES = ("program.csv", "capaian.csv", "lokasi.csv", "riwayat.csv")
ALL_FILES = (
    "program.csv",
    "program.json",
    "capaian.csv",
    "capaian.json",
    "lokasi.csv",
    "lokasi.json",
    "riwayat.csv",
    "kamus-data.json",
    "oc4ids.json",
    "lokasi.geojson",
    "datapackage.json",
)


def write_book(path: Path, programs: Sequence[Mapping[str, Any]], capaians: Sequence[Mapping[str, Any]]) -> Path:
    """A workbook whose text cells starting with = + - @ stay text (openpyxl would write a formula)."""
    homes = [
        lokasi(
            kode_lokasi=code,
            kode_program=PRIVATE_CODE,
            nama_lokasi=f"Rumah Bapak {code}",
            koordinat=point,
            kelurahan=kelurahan,
            kecamatan=None,
            keterangan="Pemilik: Bapak Ahmad",
        )
        for code, (point, kelurahan) in HOMES.items()
    ]
    sheets = {
        "program": records_grid(programs),
        "capaian": records_grid(capaians),
        "lokasi": records_grid([lokasi(kode_program=PUBLIC_CODE), *homes]),
    }
    text_cells = [
        (title, f"{get_column_letter(column + 1)}{row + 1}")
        for title, grid in sheets.items()
        for row, values in enumerate(grid)
        for column, value in enumerate(values)
        if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)
    ]
    return write_xlsx(path, sheets, text_cells=text_cells)


PROGRAMS = [
    program(),  # kode QW24-PERKIM-01, Smart Living
    program(
        kode_program=PUBLIC_CODE,
        nama_program="Sungaiku Baiman",
        dimensi="Smart Branding",
        skpd="Dinas PUPR",
        deskripsi=HYPERLINK,
        indikator="Ruas sungai ditata",
        satuan="km",
        target=28.5,
    ),
]
PROGRAMS[0]["lokasi_pribadi"] = "ya"
CAPAIANS = [
    capaian(),
    capaian(kode_program=PUBLIC_CODE, keterangan=PLUS_NOTE),
    capaian(kode_program=PUBLIC_CODE, tanggal=date(2024, 7, 31), keterangan="@admin -cek", rencana_persen=60),
]


@pytest.fixture
def portal(tmp_path: Path, make_portal: Callable[..., PortalSetup]) -> PortalSetup:
    return make_portal({"disperkim": write_book(tmp_path / "sumber.xlsx", PROGRAMS, CAPAIANS)})


def sync(setup: PortalSetup) -> list[Any]:
    store = Store(setup.config.database_url)
    try:
        outcomes = run_sync(setup.config, store, TODAY)
    finally:
        store.close()
    assert outcomes is not None
    return outcomes


def folder(setup: PortalSetup) -> Path:
    return setup.folder / "static" / "data"


def index(setup: PortalSetup) -> dict[str, Any]:
    return json.loads((folder(setup) / "index.json").read_text(encoding="utf-8"))


def csv_rows(setup: PortalSetup, name: str) -> list[dict[str, str]]:
    text = (folder(setup) / name).read_bytes().decode("utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def read_json(setup: PortalSetup, name: str) -> Any:
    return json.loads((folder(setup) / name).read_text(encoding="utf-8"))


def snapshot(setup: PortalSetup) -> dict[str, tuple[int, bytes]]:
    """Every file in the folder (temporary ones too) with its modification time and bytes."""
    return {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in folder(setup).iterdir()}


# --- what is written -----------------------------------------------------------------------------------


def test_a_sync_writes_every_file_and_index_json_lists_each(portal: PortalSetup) -> None:
    assert [o.outcome for o in sync(portal)] == ["new"]
    listing = index(portal)
    files = {f["name"]: f for f in listing["files"]}
    assert set(files) == set(ALL_FILES)
    assert {p.name for p in folder(portal).iterdir()} == {*ALL_FILES, "index.json"}
    config = portal.config
    for name, entry in files.items():
        assert entry["path"] == f"/app/static/data/{name}"
        assert entry["format"] == name.rsplit(".", 1)[1]
        assert entry["description"]["id"] and entry["description"]["en"]
        assert datetime.fromisoformat(entry["updated"]).tzinfo is not None
        assert entry["licence"] == config.portal.licence and entry["licence_url"] == config.portal.licence_url
        assert entry["source"]
        data = (folder(portal) / name).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest() and entry["bytes"] == len(data)
        if name.endswith(".csv"):  # a CSV's header, for a program that reads the list before any file
            assert entry["columns"] == next(csv.reader(io.StringIO(data.decode("utf-8"))))
        else:
            assert "columns" not in entry
    assert files["oc4ids.json"]["conforms_to"].startswith("https://standard.open-contracting.org/infrastructure/")
    assert files["datapackage.json"]["conforms_to"] == "https://specs.frictionlessdata.io/data-package/"
    assert files["lokasi.geojson"]["conforms_to"] == "https://www.rfc-editor.org/rfc/rfc7946"
    assert files["lokasi.geojson"]["media_type"] == "application/geo+json"
    assert listing["sources"] == [
        {
            "name": "disperkim",
            "skpd": "DISPERKIM",
            "origin": "sumber.xlsx",
            "sample": False,
            "snapshot_id": 1,
            # "data per": the newest report date (what the figures describe); the read time has its own name.
            "data_per": "2024-07-31",
            "dibaca_pada": listing["dibaca_pada"],
            # The snapshot's entry in the transparency log (issue 24): the first.
            "leaf_index": 0,
        }
    ]
    # No signer key configured: no checkpoint is signed, and index.json names none for its files.
    assert listing["log"] is None
    assert listing["data_per"] == "2024-07-31"
    assert datetime.fromisoformat(listing["dibaca_pada"]).utcoffset() == timedelta(hours=8)


def test_csv_is_utf8_with_the_header_first_and_json_has_its_envelope(portal: PortalSetup) -> None:
    sync(portal)
    raw = (folder(portal) / "program.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), "no byte-order mark: IMPORTDATA and scripts read the header as is"
    assert raw.startswith(b"kode_program,nama_program,")
    programs = csv_rows(portal, "program.csv")
    assert {p["kode_program"] for p in programs} == {PRIVATE_CODE, PUBLIC_CODE}
    assert all(p["sumber"] == "DISPERKIM (sumber.xlsx)" for p in programs)
    # Each program row's "data per" is its newest report's date; when the sheet was read is "dibaca_pada".
    newest = {PRIVATE_CODE: "2024-06-30", PUBLIC_CODE: "2024-07-31"}
    assert {p["kode_program"]: p["data_per"] for p in programs} == newest
    assert all(datetime.fromisoformat(p["dibaca_pada"]).utcoffset() == timedelta(hours=8) for p in programs)
    assert next(p for p in programs if p["kode_program"] == PRIVATE_CODE)["anggaran"] == "9200000000"
    document = read_json(portal, "program.json")
    about = document["tentang"]
    assert about["sumber"] == "DISPERKIM (sumber.xlsx)"
    assert about["lisensi"] == "CC BY 4.0" and about["lisensi_url"].startswith("https://")
    assert about["data_per"] == "2024-07-31" and datetime.fromisoformat(about["dibaca_pada"]).tzinfo is not None
    assert about["data_contoh"] is False
    assert about["url"] == f"{URL_PATH}/program.json"
    assert len(document["data"]) == 2
    assert "\\u" not in (folder(portal) / "program.json").read_text(encoding="utf-8"), "ensure_ascii=False"


def test_text_a_spreadsheet_would_run_as_a_formula_is_defused_in_csv_and_kept_in_json(portal: PortalSetup) -> None:
    sync(portal)
    description = next(p for p in csv_rows(portal, "program.csv") if p["kode_program"] == PUBLIC_CODE)["deskripsi"]
    assert description == "'" + HYPERLINK
    for name in ("capaian.csv", "riwayat.csv"):
        notes = {r["keterangan"] for r in csv_rows(portal, name)}
        assert {"'" + PLUS_NOTE, "'@admin -cek"} <= notes, name
    for name in TABLE_FILES:
        for row in csv_rows(portal, name):
            for value in [*row.values(), *row.keys()]:
                # Numbers may start with "-" (a latitude); they cannot carry a formula.
                assert not value.startswith(FORMULA_TRIGGERS) or _is_number(value), (name, value)
    # JSON is not a spreadsheet: the text stays exactly as published.
    published = next(p for p in read_json(portal, "program.json")["data"] if p["kode_program"] == PUBLIC_CODE)
    assert published["deskripsi"] == HYPERLINK
    assert _project(read_json(portal, "oc4ids.json"), PUBLIC_CODE)["description"] == HYPERLINK


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def _project(package: Mapping[str, Any], code: str) -> dict[str, Any]:
    return next(p for p in package["projects"] if p["id"].endswith(code))


def test_private_homes_appear_only_as_counts_per_kelurahan(portal: PortalSetup) -> None:
    sync(portal)
    store = Store(portal.config.database_url)
    try:
        stored = [r for r in store.rows("lokasi", [1]) if r["kode_program"] == PRIVATE_CODE]
    finally:
        store.close()
    # The store keeps each home at its kelurahan's reference point (validation's coarsening) ...
    reference = {k.nama: (k.lat, k.lon) for k in KELURAHAN}
    assert sorted(tuple(r["koordinat"][0]) for r in stored) == sorted(reference[k] for _, k in HOMES.values())
    # ... and the files show those points only as one count per kelurahan, never a row per home.
    rows = [r for r in csv_rows(portal, "lokasi.csv") if r["kode_program"] == PRIVATE_CODE]
    assert sorted((r["kelurahan"], r["jumlah_rumah"], r["jenis"], r["kode_lokasi"]) for r in rows) == [
        ("Kelayan Selatan", "2", "jumlah_rumah", ""),
        ("Pekauman", "1", "jumlah_rumah", ""),
    ]
    for row in rows:
        assert (float(row["lintang"]), float(row["bujur"])) == reference[row["kelurahan"]]
    homes = [r for r in read_json(portal, "lokasi.json")["data"] if r["kode_program"] == PRIVATE_CODE]
    assert sorted(r["jumlah_rumah"] for r in homes) == [1, 2]
    # OC4IDS: counts without any geometry (a point there would read as where the works are).
    package = read_json(portal, "oc4ids.json")
    private = _project(package, PRIVATE_CODE)
    assert [loc.get("geometry") for loc in private["locations"]] == [None, None]
    assert not list(json_pairs(private))
    # Nothing of a single home anywhere: its exact point, code, name or notes.
    everything = "\n".join(p.read_text(encoding="utf-8") for p in folder(portal).iterdir())
    for code, (point, _) in HOMES.items():
        lat, lon = (part.strip() for part in point.split(","))
        assert lat not in everything and lon not in everything, code
        assert code not in everything and f"Rumah Bapak {code}" not in everything
    assert "Ahmad" not in everything
    # The public site is published as a point, in both orders where each format wants it.
    public = next(r for r in csv_rows(portal, "lokasi.csv") if r["kode_program"] == PUBLIC_CODE)
    assert (public["kode_lokasi"], public["lintang"], public["bujur"]) == ("LOK-01", "-3.3278", "114.5887")
    site = _project(package, PUBLIC_CODE)["locations"][0]
    assert site["geometry"] == {"type": "Point", "coordinates": [114.5887, -3.3278]}


def test_the_oc4ids_file_is_a_valid_package(portal: PortalSetup) -> None:
    sync(portal)
    package = read_json(portal, "oc4ids.json")
    assert_valid_package(package)
    assert package["publisher"]["name"] == portal.config.open_data.publisher
    assert package["uri"].startswith("urn:uuid:")  # no [open_data] public_url configured
    assert {p["id"] for p in package["projects"]} == {f"oc4ids-bjm-{PRIVATE_CODE}", f"oc4ids-bjm-{PUBLIC_CODE}"}
    # "The date of the last change to the underlying contents": the newest read, not the time of writing.
    newest = datetime.fromisoformat(index(portal)["dibaca_pada"]).replace(microsecond=0)
    assert datetime.fromisoformat(package["publishedDate"]) == newest
    assert package["publishedDate"].endswith("+08:00")


def test_the_data_dictionary_explains_every_column_of_every_table_file(portal: PortalSetup) -> None:
    sync(portal)
    entries = read_json(portal, "kamus-data.json")["data"]
    explained = {(e["berkas"], e["kolom"]): e for e in entries}
    for name in TABLE_FILES:
        header = next(csv.reader(io.StringIO((folder(portal) / name).read_text(encoding="utf-8"))))
        for column in header:
            entry = explained[(name, column)]
            assert entry["arti"]["id"] and entry["arti"]["en"] and entry["arti"]["id"] != column, (name, column)
            assert entry["satuan"]["id"] and entry["satuan"]["en"]
    assert "jumlah_rumah" in explained[("lokasi.csv", "jenis")]["pilihan"]


def test_the_history_holds_every_snapshots_reports(portal: PortalSetup, tmp_path: Path) -> None:
    sync(portal)
    write_book(tmp_path / "sumber.xlsx", PROGRAMS, [*CAPAIANS, capaian(tanggal=date(2024, 9, 30))])
    sync(portal)
    history = csv_rows(portal, "riwayat.csv")
    assert [sum(r["id_snapshot"] == i for r in history) for i in ("1", "2")] == [3, 4]
    # Each reading's rows: "data per" the report's own date, "dibaca_pada" when that reading was made.
    assert {r["data_per"] for r in history} == {"2024-06-30", "2024-07-31", "2024-09-30"}
    assert all(datetime.fromisoformat(r["dibaca_pada"]).tzinfo is not None for r in history)
    # ``sumber`` means one thing in every file: the office and, in brackets, the sheet the row was read from.
    for name in TABLE_FILES:
        assert {r["sumber"] for r in csv_rows(portal, name)} == {"DISPERKIM (sumber.xlsx)"}, name
    assert len(csv_rows(portal, "capaian.csv")) == 4  # the current reports only


# --- when it is written ---------------------------------------------------------------------------------


def test_an_unchanged_resync_rewrites_nothing(portal: PortalSetup) -> None:
    sync(portal)
    before = snapshot(portal)
    time.sleep(0.01)  # a rewrite would then show in the modification times
    assert [o.outcome for o in sync(portal)] == ["unchanged"]
    assert snapshot(portal) == before
    store = Store(portal.config.database_url)
    try:
        assert not is_stale(portal.config, store), "nothing to redo on the next sync either"
        # Asked to write anyway, it compares bytes and touches nothing.
        assert not [f.name for f in write_open_data(portal.config, store) if f.written]
    finally:
        store.close()
    assert snapshot(portal) == before


def test_a_changed_setting_makes_the_files_stale_and_the_next_sync_writes_them_again(portal: PortalSetup) -> None:
    """The publisher (like the OC4IDS prefix, the public address and the licence) is written into the files: a new
    value must reach them although no sheet changed, without anyone deleting a file."""
    sync(portal)
    config = dataclasses.replace(
        portal.config, open_data=dataclasses.replace(portal.config.open_data, publisher="Diskominfotik Banjarmasin")
    )
    store = Store(config.database_url)
    try:
        assert is_stale(config, store) and not is_stale(portal.config, store)
        assert [o.outcome for o in run_sync(config, store, TODAY) or []] == ["unchanged"]
        assert not is_stale(config, store)
    finally:
        store.close()
    assert index(portal)["publisher"] == "Diskominfotik Banjarmasin"
    assert index(portal)["settings"]["publisher"] == "Diskominfotik Banjarmasin"
    package = json.loads((folder(portal) / "oc4ids.json").read_text(encoding="utf-8"))
    assert package["publisher"]["name"] == "Diskominfotik Banjarmasin"


def test_a_new_snapshot_rewrites_the_changed_files_and_keeps_the_others_update_time(
    portal: PortalSetup, tmp_path: Path
) -> None:
    sync(portal)
    first = {f["name"]: f for f in index(portal)["files"]}
    before = snapshot(portal)
    write_book(tmp_path / "sumber.xlsx", PROGRAMS, [*CAPAIANS, capaian(tanggal=date(2024, 9, 30), realisasi_persen=70)])
    assert [o.outcome for o in sync(portal)] == ["new"]
    second = {f["name"]: f for f in index(portal)["files"]}
    after = snapshot(portal)
    assert second["kamus-data.json"]["updated"] == first["kamus-data.json"]["updated"]
    assert after["kamus-data.json"] == before["kamus-data.json"]
    for name in ("capaian.csv", "capaian.json", "riwayat.csv", "oc4ids.json", "index.json"):
        assert after[name][1] != before[name][1], name
    assert second["capaian.csv"]["updated"] > first["capaian.csv"]["updated"]
    assert "2024-09-30" in (folder(portal) / "capaian.csv").read_text(encoding="utf-8")


def test_first_start_writes_the_files_even_when_nothing_changed(portal: PortalSetup) -> None:
    sync(portal)
    for path in folder(portal).iterdir():
        path.unlink()
    assert [o.outcome for o in sync(portal)] == ["unchanged"]
    assert set(ALL_FILES) <= {p.name for p in folder(portal).iterdir()}


def test_a_portal_starting_on_a_filled_store_writes_missing_files_before_any_sync(portal: PortalSetup) -> None:
    from server.portal import Portal

    sync(portal)
    for path in folder(portal).iterdir():
        path.unlink()
    runs = Store(portal.config.database_url).latest_runs()
    assert Portal(portal.config).sync_if_empty() == []  # no sync: the store is not empty
    assert Store(portal.config.database_url).latest_runs() == runs
    assert set(ALL_FILES) <= {p.name for p in folder(portal).iterdir()}


def test_open_data_can_be_turned_off(portal: PortalSetup) -> None:
    with portal.config_path.open("a", encoding="utf-8") as config:
        config.write("\n[open_data]\nenabled = false\n")
    sync(portal)
    assert not folder(portal).exists()


# --- atomic writes --------------------------------------------------------------------------------------


def test_a_failed_write_leaves_the_old_file_whole_and_no_temporary_file(
    portal: PortalSetup, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    sync(portal)
    before = snapshot(portal)

    def broken_rename(src: Any, dst: Any) -> None:
        raise OSError(28, "No space left on device")

    write_book(tmp_path / "sumber.xlsx", PROGRAMS, [*CAPAIANS, capaian(tanggal=date(2024, 9, 30))])
    monkeypatch.setattr(os, "replace", broken_rename)
    with caplog.at_level(logging.ERROR, logger="portal"):
        outcomes = sync(portal)
    # The sync itself succeeded and stored its snapshot; only the files are behind, and the log says so.
    assert [o.outcome for o in outcomes] == ["new"]
    assert any("open data" in r.getMessage() for r in caplog.records)
    assert snapshot(portal) == before, "every old file intact, no temporary file left"
    store = Store(portal.config.database_url)
    try:
        with pytest.raises(OSError, match="No space"):
            write_open_data(portal.config, store)  # called directly, the failure is the caller's to see
    finally:
        store.close()
    assert snapshot(portal) == before
    monkeypatch.undo()
    # The next sync finds nothing new in the sheet but sees the files are stale, and catches up.
    store = Store(portal.config.database_url)
    try:
        assert is_stale(portal.config, store)
    finally:
        store.close()
    assert [o.outcome for o in sync(portal)] == ["unchanged"]
    assert "2024-09-30" in (folder(portal) / "capaian.csv").read_text(encoding="utf-8")
    assert not [p for p in folder(portal).iterdir() if p.name.startswith(".")]


def test_a_reader_sees_the_old_or_the_new_file_never_a_part(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "berkas.csv"
    target.write_bytes(b"lama\r\n" * 1000)
    seen: list[bytes] = []
    real_replace = os.replace

    def observed_replace(src: Any, dst: Any) -> None:
        # Just before the rename: the temporary file is complete, beside the target, and the target still old.
        assert Path(src).read_bytes() == b"baru\r\n" * 5000 and Path(src).parent == target.parent
        seen.append(target.read_bytes())
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", observed_replace)
    write_atomically(target, b"baru\r\n" * 5000)
    monkeypatch.undo()
    assert seen == [b"lama\r\n" * 1000]
    assert target.read_bytes() == b"baru\r\n" * 5000
    assert target.stat().st_mode & 0o777 == 0o644  # readable by a web server running as another user
    assert [p.name for p in tmp_path.iterdir()] == ["berkas.csv"]


def test_leftover_temporary_files_of_a_crashed_writer_are_removed(portal: PortalSetup) -> None:
    sync(portal)
    leftover = folder(portal) / ".capaian.csv.abc123.tmp"
    leftover.write_bytes(b"half a fi")
    store = Store(portal.config.database_url)
    try:
        write_open_data(portal.config, store)
    finally:
        store.close()
    assert not leftover.exists()


# --- the command line and the server --------------------------------------------------------------------


def test_the_cli_sync_writes_the_files(portal: PortalSetup) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "data_sources", "sync", "--config", str(portal.config_path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert {f["name"] for f in index(portal)["files"]} == set(ALL_FILES)
    assert_valid_package(read_json(portal, "oc4ids.json"))


def _get(url: str) -> tuple[int, str, bytes]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.headers.get("Content-Type", ""), response.read()


@pytest.fixture
def streamlit_server(portal: PortalSetup) -> Iterator[str]:
    """``streamlit run`` with the repository's .streamlit/config.toml (enableStaticServing) on an app whose folder
    is the test portal's, so that the app's static/ folder is the one the sync wrote."""
    app = portal.folder / "app.py"
    app.write_text("import streamlit as st\n\nst.write('ok')\n", encoding="utf-8")
    port = free_port()
    env = {**os.environ, "PORTAL_CONFIG": str(portal.config_path)}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(app),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
        ],
        cwd=REPO,  # .streamlit/config.toml is read from the working folder
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(f"{base}/_stcore/health", server, lambda: server.stdout.read().decode() if server.stdout else "")
        yield base
    finally:
        stop(server)
        if server.stdout:
            server.stdout.close()


def test_a_real_streamlit_server_serves_the_files_at_app_static_data(
    portal: PortalSetup, streamlit_server: str
) -> None:
    sync(portal)  # written after the server started: files appear without a restart
    status, content_type, body = _get(f"{streamlit_server}/app/static/data/index.json")
    assert status == 200 and "json" in content_type
    listing = json.loads(body)
    for entry in listing["files"]:
        status, _, data = _get(streamlit_server + entry["path"])
        assert status == 200
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], entry["name"]
    status, content_type, body = _get(f"{streamlit_server}/app/static/data/capaian.csv")
    assert body.decode("utf-8").startswith("kode_program,tanggal,")
    # The OC4IDS file as a data user downloads it, through the standard's own review library: valid against the
    # real schema; with the default placeholder prefix, the project ids' conformance check is its one finding
    # (tests/test_oc4ids.py: none with a prefix of the registered shape).
    with schema_host() as host:
        report = review(json.loads(_get(f"{streamlit_server}/app/static/data/oc4ids.json")[2]), host)
    assert report["validation_errors"] == [] and report["additional_closed_codelist_values"] == {}
    assert [c["check_id"] for c in report["conformance_checks"]] == ["invalid-project-ids"]
    # GeoJSON as what it is (RFC 7946's media type), so a browser or a GIS tool takes it as data, not a download.
    status, content_type, body = _get(f"{streamlit_server}/app/static/data/lokasi.geojson")
    assert status == 200 and content_type.split(";")[0] == "application/geo+json"
    collection = geojson.loads(body.decode("utf-8"))
    assert isinstance(collection, geojson.FeatureCollection) and collection.is_valid, collection.errors()
    # The data package as a data user validates it: by its address, each resource fetched over HTTP beside it.
    report = frictionless.validate(f"{streamlit_server}/app/static/data/datapackage.json")
    assert report.valid, report.flatten(["title", "rowNumber", "fieldName", "type"])
    assert sorted(task.name for task in report.tasks) == ["capaian", "lokasi", "lokasi-geojson", "program", "riwayat"]
