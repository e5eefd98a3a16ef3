"""Open-data files: the published data as stable files another tool can read without scraping.

After a sync that changed content (and whenever the files are missing or older than the store), the sync
writes into ``[open_data] folder`` (default ``static/data`` beside portal.toml, which Streamlit serves at
``/app/static/data/`` because ``server.enableStaticServing`` is on):

- ``program``, ``capaian``, ``lokasi`` as CSV and JSON: the latest published tables, exactly the downloads'
  tables (``data_sources.published.tables``): each row with its source and "data per" time, private homes only
  as a count per kelurahan (a ``jumlah_rumah`` row: the counts per status in their own whole-number columns
  ``jumlah_belum_dimulai`` … ``jumlah_selesai``, ``status`` empty; the same file, not a separate one, so that
  every published place is one row of one table);
- ``riwayat.csv``: every snapshot's progress reports, with the snapshot's id, source and read time;
- ``kamus-data.json``: every column of these files, its meaning and unit in both languages;
- ``lokasi.geojson``: ``lokasi.csv``'s rows as an RFC 7946 FeatureCollection, river segments as lines
  (``core.site_geojson``), served as ``application/geo+json``;
- ``oc4ids.json``: the programs as an OC4IDS project package (``core.oc4ids``);
- ``datapackage.json``: a Frictionless data package of the CSVs and the GeoJSON, each CSV with a Table Schema
  made from the data dictionary (``core.data_package``): ``frictionless validate datapackage.json`` checks them;
- ``index.json``: every file with its URL path, format, description, update time, licence and source; the signed
  checkpoint of the portal's log the files belong to (``log``: the note as served at ``/log/checkpoint``, and its
  origin, size and root), and per source the log entry of the snapshot the files were made from (``leaf_index``),
  so that ``python -m data_sources verify --file`` can tie a downloaded file to the log (issue 24).

A date is written YYYY-MM-DD, a moment ISO 8601 with +08:00 (the read time exactly as ``index.json`` has it), a
whole number without ``.0`` (in JSON too). A column name means one thing in every file: ``sumber`` is the office
and, in brackets, the sheet the row was read from.

CSV: UTF-8 without a byte-order mark (scripts and ``IMPORTDATA`` read it as is), header row first, CRLF line
ends (RFC 4180), every text cell defused against formula injection (``core.safe_cells``). JSON: UTF-8, with the
downloads' envelope ``{"tentang": {...}, "data": [...]}``; text is kept exactly as published.

A reader never sees half a file: each file is written to a temporary file in the same folder, flushed to disk
and renamed over the old one (``os.replace`` is atomic on one file system). A file whose bytes would not change
is not touched, and keeps its ``updated`` time; ``index.json`` is written last.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import logging
import math
import os
import tempfile
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from core.contract import WORKSHEETS
from core.data_dictionary import file_entries
from core.data_package import DATA_PACKAGE_SPEC, PackageFile, PackageInfo, build_data_package
from core.oc4ids import OC4IDS_VERSION, PackageMeta, ProgramSource, build_package
from core.safe_cells import defuse
from core.site_geojson import GEOJSON_SPEC, site_collection
from core.site_map import public_sites
from core.sources import SourceState
from core.text import Text
from core.wilayah import CITY_TIMEZONE
from data_sources.config.portal_config import Config
from data_sources.files.exports import json_rows, to_json_bytes
from data_sources.published.published_data import source_states
from data_sources.published.stored_history import load_snapshots
from data_sources.published.tables import data_per, full_tables, newest_read, newest_reports, page_about
from data_sources.store.snapshot_store import Store

logger = logging.getLogger("portal")

URL_PATH = "/app/static/data"
INDEX = "index.json"
# Where the portal serves the latest checkpoint (server.log_routes): index.json points to it.
CHECKPOINT_URL_PATH = "/log/checkpoint"
OC4IDS_DOCS = f"https://standard.open-contracting.org/infrastructure/{OC4IDS_VERSION}/en/"
_MEDIA = {"csv": "text/csv; charset=utf-8", "json": "application/json", "geojson": "application/geo+json"}
DATA_PACKAGE = "datapackage.json"
GEOJSON = "lokasi.geojson"
# What a file follows, for index.json's ``conforms_to``.
_CONFORMS_TO = {DATA_PACKAGE: DATA_PACKAGE_SPEC, GEOJSON: GEOJSON_SPEC}
_TEMP_SUFFIX = ".tmp"

# What each file holds, for index.json.
DESCRIPTIONS: dict[str, Text] = {
    "program.csv": Text("Daftar program Quick Win (CSV)", "The Quick Win programs (CSV)"),
    "program.json": Text("Daftar program Quick Win (JSON)", "The Quick Win programs (JSON)"),
    "capaian.csv": Text(
        "Laporan capaian terbaru setiap program: rencana dan realisasi fisik, anggaran terpakai (CSV)",
        "Every program's current progress reports: planned and actual physical progress, budget spent (CSV)",
    ),
    "capaian.json": Text(
        "Laporan capaian terbaru setiap program (JSON)", "Every program's current progress reports (JSON)"
    ),
    "lokasi.csv": Text(
        "Lokasi program; rumah pribadi hanya sebagai jumlah per kelurahan (CSV)",
        "Program sites; private homes only as a count per kelurahan (CSV)",
    ),
    "lokasi.json": Text(
        "Lokasi program; rumah pribadi hanya sebagai jumlah per kelurahan (JSON)",
        "Program sites; private homes only as a count per kelurahan (JSON)",
    ),
    "riwayat.csv": Text(
        "Riwayat: laporan capaian dari setiap snapshot yang pernah diterbitkan, dengan waktu bacanya (CSV)",
        "History: the progress reports of every snapshot ever published, with when it was read (CSV)",
    ),
    "kamus-data.json": Text(
        "Kamus data: arti dan satuan setiap kolom berkas-berkas ini",
        "Data dictionary: the meaning and unit of every column of these files",
    ),
    "oc4ids.json": Text(
        "Program sebagai paket proyek OC4IDS 0.9 (Open Contracting for Infrastructure Data Standard)",
        "The programs as an OC4IDS 0.9 project package (Open Contracting for Infrastructure Data Standard)",
    ),
    GEOJSON: Text(
        "Lokasi program sebagai GeoJSON: ruas sebagai garis, titik sebagai titik, rumah pribadi hanya sebagai "
        "jumlah per kelurahan di titik kelurahannya",
        "Program sites as GeoJSON: segments as lines, points as points, private homes only as a count per "
        "kelurahan at the kelurahan's point",
    ),
    DATA_PACKAGE: Text(
        "Paket data Frictionless: skema setiap berkas CSV (tipe, pilihan, batas, kunci), lisensi dan sumber",
        "Frictionless data package: every CSV file's schema (types, choices, bounds, keys), licence and sources",
    ),
}
_PACKAGE_DESCRIPTION = Text(
    "Data program Quick Win Smart City Kota Banjarmasin: program, laporan capaian, lokasi dan riwayatnya, "
    "dari sheet SKPD yang dibaca portal.",
    "Banjarmasin's Smart City Quick Win programs: programs, progress reports, sites and their history, from the "
    "offices' (SKPD) sheets the portal reads.",
)
_SAMPLE_NOTE = Text(
    "Sebagian data adalah data contoh, bukan data resmi.", "Some of the data are sample data, not official data."
)


@dataclass(frozen=True)
class OpenDataFile:
    """One file as index.json lists it, and whether this call wrote it."""

    name: str
    format: str
    description: Text
    updated: datetime
    size: int
    sha256: str
    written: bool
    columns: list[str] | None = None  # a CSV's header, in order

    @property
    def path(self) -> str:
        return f"{URL_PATH}/{self.name}"


@dataclass(frozen=True)
class _Content:
    name: str
    data: bytes
    source: str


# --- serialising ----------------------------------------------------------------------------------


def iso(value: datetime) -> str:
    """ISO 8601 in city time with its offset (+08:00)."""
    return value.astimezone(CITY_TIMEZONE).isoformat()


def _csv_cell(value: Any) -> Any:
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if hasattr(value, "item") and not isinstance(value, str | date):  # numpy scalars
        value = value.item()
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return int(value) if value.is_integer() else value  # 9200000000, not 9200000000.0
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple | dict):
        value = json.dumps(value, ensure_ascii=False)
    if isinstance(value, str):
        # A spreadsheet opening the file (or IMPORTDATA) must never run a cell as a formula.
        return defuse(value)
    return value


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 (no byte-order mark), header row first, CRLF line ends, every text cell defused."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([defuse(str(c)) for c in frame.columns])
    for row in frame.itertuples(index=False, name=None):
        writer.writerow([_csv_cell(v) for v in row])
    return buffer.getvalue().encode("utf-8")


def _json_bytes(document: Any) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


# --- what is published ------------------------------------------------------------------------------


def _source_text(states: Sequence[SourceState]) -> str:
    shown = [s for s in states if s.read_at is not None]
    return "; ".join(f"{s.skpd} ({s.origin})" if s.origin else s.skpd for s in shown) or "-"


def _dictionary_entries(columns: Mapping[str, Sequence[str]]) -> list[dict[str, Any]]:
    """Every column of every table file, with its meaning, unit and choices in both languages.

    From the data dictionary (``core.data_dictionary.file_entries``), which also makes the data package's schemas:
    a column the dictionary does not know raises, so it cannot be published unexplained.
    """
    return [
        {
            "berkas": name,
            "kolom": entry.column,
            "arti": entry.meaning.as_dict(),
            "satuan": entry.unit.as_dict(),
            "pilihan": list(entry.choices),
        }
        for name, names in columns.items()
        for entry in file_entries(name.split(".")[0], names)
    ]


def _history_frame(config: Config, store: Store) -> pd.DataFrame:
    """Every snapshot's progress reports, oldest reading first: the history of every published figure."""
    skpd = {s.name: s.skpd for s in config.sources}
    columns = [c.name for c in next(w for w in WORKSHEETS if w.name == "capaian").columns]
    records = []
    for snapshot in load_snapshots(store):
        if snapshot.source not in skpd:
            continue  # a source no longer configured is no longer published
        for row in snapshot.rows.get("capaian", ()):
            records.append(
                {
                    "id_snapshot": snapshot.id,
                    **{c: row.get(c) for c in columns},
                    # As in every file: the office and the sheet this reading came from (the sheet may have changed).
                    "sumber": _where(skpd[snapshot.source], snapshot.origin),
                    # "data per": the date the row's figures describe; "dibaca_pada": when this reading was made.
                    "data_per": row.get("tanggal"),
                    "dibaca_pada": snapshot.read_at.astimezone(CITY_TIMEZONE),
                }
            )
    return pd.DataFrame(records, columns=["id_snapshot", *columns, "sumber", "data_per", "dibaca_pada"])


def _where(skpd: str, origin: str) -> str:
    """``sumber`` as every file and download writes it: the office, and the sheet in brackets when known."""
    return f"{skpd} ({origin})" if origin else skpd


def _program_source(state: SourceState) -> ProgramSource:
    return ProgramSource(state.read_at, state.sample)


def _package_uri(config: Config) -> str:
    if config.open_data.public_url:
        return f"{config.open_data.public_url.rstrip('/')}{URL_PATH}/oc4ids.json"
    # Without a public address: a URI that is stable and unique (the package's uri must be absolute).
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'oc4ids-package:' + config.open_data.oc4ids_prefix)}"


def _contents(config: Config, store: Store) -> tuple[list[_Content], list[SourceState], dict[int, date]]:
    states = source_states(config, store)
    ids = [s.snapshot_id for s in states if s.snapshot_id is not None]
    rows = {sheet.name: store.rows(sheet.name, ids) if ids else [] for sheet in WORKSHEETS}
    tables = full_tables(rows["program"], rows["capaian"], rows["lokasi"], states)
    tables["riwayat"] = _history_frame(config, store)
    reported = newest_reports(rows["capaian"], by="snapshot_id")
    shown_reports = list(newest_reports(rows["capaian"]).values())
    sample = any(s.sample for s in states if s.read_at is not None)
    source = _source_text(states)
    contents: list[_Content] = []
    for table, frame in tables.items():
        csv_name = f"{table}.csv"
        contents.append(_Content(csv_name, csv_bytes(frame), source))
        if table == "riwayat":
            continue
        about = {
            **page_about(
                config, DESCRIPTIONS[f"{table}.json"].id, states, f"{URL_PATH}/{table}.json", shown_reports
            ).as_json(),
            "data_contoh": sample,
            "kamus_data": f"{URL_PATH}/kamus-data.json",
        }
        contents.append(_Content(f"{table}.json", to_json_bytes(frame, about), source))
    dictionary = {
        "tentang": {
            "judul": DESCRIPTIONS["kamus-data.json"].id,
            "sumber": "Kontrak sheet (core/contract.py, docs/kontrak-sheet.md)",
            "lisensi": config.portal.licence,
            "lisensi_url": config.portal.licence_url,
            "url": f"{URL_PATH}/kamus-data.json",
        },
        "data": _dictionary_entries({f"{name}.csv": list(frame.columns) for name, frame in tables.items()}),
    }
    contents.append(_Content("kamus-data.json", _json_bytes(dictionary), "Kontrak sheet / sheet contract"))
    newest = newest_read(states)  # the package is published as of the portal's newest reading
    if newest is not None:
        by_snapshot = {s.snapshot_id: s for s in states if s.snapshot_id is not None}
        program_sources = {
            p["kode_program"]: _program_source(by_snapshot[p["snapshot_id"]])
            for p in rows["program"]
            if p.get("snapshot_id") in by_snapshot
        }
        meta = PackageMeta(
            uri=_package_uri(config),
            published=newest,
            publisher=config.open_data.publisher,
            license_url=config.portal.licence_url,
            prefix=config.open_data.oc4ids_prefix,
        )
        package = build_package(rows["program"], rows["capaian"], rows["lokasi"], meta, program_sources)
        if package is not None:
            contents.append(_Content("oc4ids.json", _json_bytes(package), source))
    contents.append(_Content(GEOJSON, _geojson_bytes(tables["lokasi"], rows), source))
    contents.append(_Content(DATA_PACKAGE, _data_package_bytes(config, states, tables, contents), source))
    return contents, states, reported


def _geojson_bytes(sites: pd.DataFrame, rows: Mapping[str, Sequence[Mapping[str, Any]]]) -> bytes:
    """lokasi.csv's rows as GeoJSON features; a segment's line from the map's own view of the public sites."""
    paths = {(s["program"], s["code"]): s["path"] for s in public_sites(rows["lokasi"], rows["program"]) if s["path"]}
    # Each row as lokasi.json writes it: the CSV's values (a count 12, a date YYYY-MM-DD, the read time exactly as
    # index.json has it), typed as JSON.
    properties = json_rows(sites)
    return _json_bytes(site_collection(properties, paths))


def _data_package_bytes(
    config: Config, states: Sequence[SourceState], tables: Mapping[str, pd.DataFrame], contents: Sequence[_Content]
) -> bytes:
    """datapackage.json: the CSV files with their schemas (from the data dictionary) and the GeoJSON, each with its
    size and hash as written, so a reader can check it holds the very bytes the package describes."""
    shown = [s for s in states if s.read_at is not None]
    written = {c.name: c.data for c in contents}
    files: list[PackageFile] = []
    for name in [*(f"{table}.csv" for table in tables), GEOJSON]:
        data = written[name]
        table = name.removesuffix(".csv")
        files.append(
            PackageFile(
                name=name,
                title=DESCRIPTIONS[name],
                media_type=_MEDIA[_format(name)],
                size=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
                entries=file_entries(table, list(tables[table].columns)) if table in tables else None,
            )
        )
    sample = any(s.sample for s in shown)
    description = _PACKAGE_DESCRIPTION
    if sample:
        description = Text(f"{description.id} {_SAMPLE_NOTE.id}", f"{description.en} {_SAMPLE_NOTE.en}")
    newest = newest_read(states)
    info = PackageInfo(
        title=config.title,
        description=description,
        licence=config.portal.licence,
        licence_url=config.portal.licence_url,
        publisher=config.open_data.publisher,
        created=newest.astimezone(CITY_TIMEZONE) if newest else None,
        sources=[_where(s.skpd, s.origin) for s in shown],
        authors=sorted({s.skpd for s in shown}),
        homepage=config.open_data.public_url,
        keywords=("Banjarmasin", "Smart City", "Quick Win", "transparansi", "transparency"),
    )
    return _json_bytes(build_data_package(info, files))


# --- writing ----------------------------------------------------------------------------------------


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path``, flush it to disk, then rename it over ``path``.

    A reader sees the old file or the new one, never a part; on any failure the old file stays and the
    temporary file is removed.
    """
    handle, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=_TEMP_SUFFIX)
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        # mkstemp makes the file private (0600); a web server running as another user must be able to read it.
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    # The rename itself reaches the disk only when the folder is flushed (POSIX); best effort elsewhere.
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def _remove_leftovers(folder: Path) -> None:
    """Temporary files a crashed writer left behind (writers hold the sync lock, so none is in use)."""
    for leftover in folder.glob(f".*{_TEMP_SUFFIX}"):
        leftover.unlink(missing_ok=True)


def read_index(folder: Path) -> dict[str, Any] | None:
    try:
        index = json.loads((folder / INDEX).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return index if isinstance(index, dict) else None


def _previous_updated(index: Mapping[str, Any] | None, name: str, path: Path) -> datetime:
    for entry in (index or {}).get("files", []):
        if isinstance(entry, dict) and entry.get("name") == name:
            try:
                return datetime.fromisoformat(str(entry["updated"]))
            except (KeyError, ValueError):
                break
    return datetime.fromtimestamp(path.stat().st_mtime, UTC)


def _format(name: str) -> str:
    return name.rsplit(".", 1)[-1]


def log_section(store: Store, states: Sequence[SourceState]) -> tuple[dict[str, Any] | None, dict[str, int | None]]:
    """The checkpoint the files belong to, and per source the log entry of its snapshot.

    The latest checkpoint, when it covers every source's entry (it is signed before the files are written, in the
    same sync); otherwise none (no key, or a signing refused): a checkpoint that does not hold the files' snapshots
    would tie them to nothing, and ``verify`` says "names no checkpoint" rather than a failed proof.
    """
    log = store.log
    indexes = log.leaf_indexes(s.snapshot_id for s in states if s.snapshot_id is not None)
    leaves = {s.name: indexes.get(s.snapshot_id) for s in states if s.snapshot_id is not None}
    latest = log.latest_checkpoint()
    known = [i for i in leaves.values() if i is not None]
    if latest is None or len(known) < len(leaves) or any(i >= latest.size for i in known):
        return None, leaves
    checkpoint = {
        "checkpoint": latest.note,
        "origin": latest.origin,
        "size": latest.size,
        "root": base64.b64encode(latest.root).decode("ascii"),
        "url": CHECKPOINT_URL_PATH,
    }
    return checkpoint, leaves


def _index_document(
    config: Config,
    states: Sequence[SourceState],
    files: Sequence[OpenDataFile],
    sources: Mapping[str, str],
    reported: Mapping[int, date],
    store: Store,
) -> dict[str, Any]:
    """``data_per``: the newest report date (ISO date), what the figures describe; ``dibaca_pada``: the newest
    reading of a sheet (ISO datetime, +08:00). Each source says both of its own."""
    base = config.open_data.public_url.rstrip("/")
    newest = newest_read(states)
    reported_at = {s.name: reported.get(s.snapshot_id) for s in states if s.snapshot_id is not None}
    described = data_per(reported_at.values())
    checkpoint, leaves = log_section(store, states)
    entries = []
    for f in files:
        entry: dict[str, Any] = {
            "name": f.name,
            "path": f.path,
            **({"url": base + f.path} if base else {}),
            "format": f.format,
            "media_type": _MEDIA[f.format],
            "description": f.description.as_dict(),
            "updated": iso(f.updated),
            "licence": config.portal.licence,
            "licence_url": config.portal.licence_url,
            "source": sources[f.name],
            "bytes": f.size,
            "sha256": f.sha256,
        }
        if f.columns is not None:
            entry["columns"] = f.columns  # for a program (and the pages' Dataset description) without opening it
        if f.name == "oc4ids.json":
            entry["conforms_to"] = OC4IDS_DOCS
        elif f.name in _CONFORMS_TO:
            entry["conforms_to"] = _CONFORMS_TO[f.name]
        entries.append(entry)
    return {
        "title": config.title.as_dict(),
        "publisher": config.open_data.publisher,
        "licence": config.portal.licence,
        "licence_url": config.portal.licence_url,
        "data_per": described.isoformat() if described else None,
        "dibaca_pada": iso(newest) if newest else None,
        "dictionary": f"{URL_PATH}/kamus-data.json",
        # The settings written into the files: when one changes, the files are stale (is_stale) and the next sync
        # or start writes them again, with no need to delete anything.
        "settings": written_settings(config),
        # The snapshots these files were made from: a script (and the portal) can tell they are current.
        "sources": [
            {
                "name": s.name,
                "skpd": s.skpd,
                "origin": s.origin,
                "sample": s.sample,
                "snapshot_id": s.snapshot_id,
                "data_per": day.isoformat() if (day := reported_at.get(s.name)) else None,
                "dibaca_pada": iso(s.read_at) if s.read_at else None,
                # The snapshot's entry in the log, proven in ``log``'s checkpoint by /log/proof/inclusion.
                "leaf_index": leaves.get(s.name),
            }
            for s in states
        ],
        # The signed checkpoint these files belong to (None: the log is not signed up to their snapshots).
        "log": checkpoint,
        "files": entries,
    }


def write_open_data(config: Config, store: Store, now: datetime | None = None) -> list[OpenDataFile]:
    """Write every open-data file whose content changed, then index.json; returns every file, index last.

    Call it with the sync lock held (``run_sync`` does): one writer at a time.
    """
    now = now or datetime.now(UTC)
    folder = config.open_data_folder
    folder.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(folder)
    previous = read_index(folder)
    contents, states, reported = _contents(config, store)
    files: list[OpenDataFile] = []
    for content in contents:
        path = folder / content.name
        existing = path.read_bytes() if path.exists() else None
        written = existing != content.data
        if written:
            write_atomically(path, content.data)
        files.append(
            OpenDataFile(
                name=content.name,
                format=_format(content.name),
                description=DESCRIPTIONS[content.name],
                updated=now if written else _previous_updated(previous, content.name, path),
                size=len(content.data),
                sha256=hashlib.sha256(content.data).hexdigest(),
                written=written,
                columns=_csv_header(content.data) if content.name.endswith(".csv") else None,
            )
        )
    # A file published before but not now (oc4ids.json once no program is left) goes, so no link points to stale data.
    produced = {c.name for c in contents}
    for name in set(DESCRIPTIONS) - produced:
        (folder / name).unlink(missing_ok=True)
    sources = {c.name: c.source for c in contents}
    index = _json_bytes(_index_document(config, states, files, sources, reported, store))
    index_path = folder / INDEX
    index_written = not index_path.exists() or index_path.read_bytes() != index
    if index_written:
        write_atomically(index_path, index)
    files.append(
        OpenDataFile(
            INDEX,
            "json",
            Text("Daftar berkas data terbuka", "The list of open-data files"),
            now if index_written else _previous_updated(None, INDEX, index_path),
            len(index),
            hashlib.sha256(index).hexdigest(),
            index_written,
        )
    )
    return files


def _csv_header(data: bytes) -> list[str]:
    return next(csv.reader(io.StringIO(data.decode("utf-8"), newline="")), [])


def written_settings(config: Config) -> dict[str, str]:
    """The settings the files carry (the OC4IDS ids and uri, the full URLs, the publisher, the licence)."""
    return {
        "public_url": config.open_data.public_url,
        "publisher": config.open_data.publisher,
        "oc4ids_prefix": config.open_data.oc4ids_prefix,
        "licence": config.portal.licence,
        "licence_url": config.portal.licence_url,
    }


def is_stale(config: Config, store: Store) -> bool:
    """True when index.json is missing, lists a file that is gone, was written with other settings (a new OC4IDS
    prefix, public address, publisher or licence), was made from other snapshots than the latest (a write
    failed, another replica synced, or the folder was emptied), or names another checkpoint than the one it would
    name now."""
    folder = config.open_data_folder
    index = read_index(folder)
    if index is None or index.get("settings") != written_settings(config):
        return True
    files = [f.get("name") for f in index.get("files", []) if isinstance(f, dict)]
    if not files or any(not (folder / str(name)).is_file() for name in files):
        return True
    listed = {s.get("name"): s.get("snapshot_id") for s in index.get("sources", []) if isinstance(s, dict)}
    states = source_states(config, store)
    if listed != {s.name: s.snapshot_id for s in states}:
        return True
    # A checkpoint signed since (at start-up, or once a key was configured): the files then belong to it.
    return index.get("log") != log_section(store, states)[0]


def publish_open_data(config: Config, store: Store, changed: bool) -> list[OpenDataFile] | None:
    """After a sync (``changed``: a source has a new snapshot): write the files when needed.

    Never raises: the sync's own work is done and stored; a failure here is logged and the next sync
    tries again (the files are then stale, which ``is_stale`` notices).
    """
    if not config.open_data.enabled:
        return None
    try:
        if changed or is_stale(config, store):
            return write_open_data(config, store)
    except Exception:
        logger.exception(
            "open data: writing the files in %s failed; the sync itself succeeded", config.open_data_folder
        )
    return None
