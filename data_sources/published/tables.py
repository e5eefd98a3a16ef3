"""The published data as tables, for downloads (and anything else that hands data out): exactly what the pages
may show, each row with its source, its "data per" (``data_per``: the date its figures describe) and the time
the portal read that source (``dibaca_pada``): two times, never one word for both (issue #26, item 7).

Private homes never appear as rows of their own: a program with ``lokasi_pribadi = ya`` contributes only
counts per kelurahan (``core.site_map.private_site_counts``), as on the map. Such a row (``jenis`` =
``jumlah_rumah``) has its counts in whole-number columns, the homes in ``jumlah_rumah`` and those per status in
``jumlah_belum_dimulai`` … ``jumlah_selesai`` (``core.data_dictionary.HOME_STATUS_COLUMNS``), and an empty
``status``: a column holds what the data dictionary says it holds, in every row.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

import pandas as pd

from core.contract import WORKSHEETS
from core.data_dictionary import COMPARISON, HOME_COUNT_KIND, HOME_STATUS_COLUMNS, export_text
from core.progress import ProgramProgress
from core.provenance import About
from core.site_map import PrivateCount, PublicSite, private_site_counts, public_sites
from core.snapshot_history import CHANGE_WORDS, ComparisonLine
from core.sources import SourceState
from core.wilayah import CITY_TIMEZONE
from data_sources.config.portal_config import Config
from data_sources.files.exports import dictionary_formatted
from data_sources.published.published_data import PublishedData

COLUMNS: dict[str, tuple[str, ...]] = {sheet.name: tuple(c.name for c in sheet.columns) for sheet in WORKSHEETS}
ADDED = ("sumber", "data_per", "dibaca_pada")


def _provenance(state: SourceState | None, reported: date | None) -> dict[str, Any]:
    """``reported``: the date the row's figures describe (its report's date, or its program's newest report)."""
    if state is None:
        return {"sumber": None, "data_per": reported, "dibaca_pada": None}
    where = f"{state.skpd} ({state.origin})" if state.origin else state.skpd
    read = state.read_at.astimezone(CITY_TIMEZONE) if state.read_at else None
    return {"sumber": where, "data_per": reported, "dibaca_pada": read}


def newest_read(states: Iterable[SourceState]) -> datetime | None:
    """The newest read among the sources shown: a page's "dibaca_pada" (never its "data per")."""
    times = [s.read_at for s in states if s.read_at is not None]
    return max(times) if times else None


def newest_reports(reports: Iterable[Mapping[str, Any]], by: str = "kode_program") -> dict[Any, date]:
    """The newest report date per value of ``by``: per program (the "data per" of its figures) or per
    ``snapshot_id`` (its source's)."""
    newest: dict[Any, date] = {}
    for report in reports:
        key, when = report.get(by), report.get("tanggal")
        if key is not None and isinstance(when, date) and (key not in newest or when > newest[key]):
            newest[key] = when
    return newest


def data_per(reported: Iterable[date | None]) -> date | None:
    """A view's "data per": the newest report date among the programs it shows."""
    dates = [d for d in reported if d is not None]
    return max(dates) if dates else None


def rows_frame(
    sheet: str,
    rows: Iterable[Mapping[str, Any]],
    by_snapshot: Mapping[int, SourceState],
    reported: Mapping[str, date] | None = None,
) -> pd.DataFrame:
    """Stored rows of one worksheet in contract column order, with their provenance.

    ``data_per``: a report row's own date; any other row's program's newest report (``reported``, by code)."""
    reported = reported or {}

    def described(row: Mapping[str, Any]) -> date | None:
        own = row.get("tanggal") if sheet == "capaian" else None
        return own if isinstance(own, date) else reported.get(str(row.get("kode_program")))

    records = [
        {
            **{c: row.get(c) for c in COLUMNS[sheet]},
            **_provenance(by_snapshot.get(row.get("snapshot_id", -1)), described(row)),
        }
        for row in rows
    ]
    return pd.DataFrame(records, columns=[*COLUMNS[sheet], *ADDED])


def _point(position: Sequence[float] | None) -> tuple[float | None, float | None]:
    return (position[1], position[0]) if position else (None, None)  # stored [lon, lat]; tables say lat, lon


def sites_frame(
    public: Sequence[PublicSite],
    private: Sequence[PrivateCount],
    sources: Mapping[str, SourceState],
    reported: Mapping[str, date] | None = None,
) -> pd.DataFrame:
    """Public sites one per row; homes only as a count per program and kelurahan at the kelurahan's point.

    ``reported``: each program's newest report date (``newest_reports``), the rows' "data per"."""
    reported = reported or {}
    records: list[dict[str, Any]] = []
    for site in public:
        lat, lon = _point(site["position"])
        records.append(
            {
                "kode_lokasi": site["code"],
                "kode_program": site["program"],
                "nama_lokasi": site["name"],
                "jenis": site["kind"],
                "lintang": lat,
                "bujur": lon,
                "kelurahan": site["kelurahan"],
                "kecamatan": site["kecamatan"],
                "status": site["status"],
                "realisasi_persen": site["realisation"],
                "jumlah_rumah": None,
                **dict.fromkeys(HOME_STATUS_COLUMNS.values()),
                **_provenance(sources.get(site["program"]), reported.get(site["program"])),
            }
        )
    for group in private:
        lat, lon = _point(group["position"])
        records.append(
            {
                "kode_lokasi": None,
                "kode_program": group["program"],
                "nama_lokasi": None,
                "jenis": HOME_COUNT_KIND,
                "lintang": lat,
                "bujur": lon,
                "kelurahan": group["kelurahan"],
                "kecamatan": group["kecamatan"],
                "status": None,
                "realisasi_persen": None,
                "jumlah_rumah": group["count"],
                **{column: group["status_counts"].get(s, 0) for s, column in HOME_STATUS_COLUMNS.items()},
                **_provenance(sources.get(group["program"]), reported.get(group["program"])),
            }
        )
    columns = ["kode_lokasi", "kode_program", "nama_lokasi", "jenis", "lintang", "bujur", "kelurahan", "kecamatan"]
    counts = ["jumlah_rumah", *HOME_STATUS_COLUMNS.values()]
    frame = pd.DataFrame(records, columns=[*columns, "status", "realisasi_persen", *counts, *ADDED])
    # Nullable integers: a count is 12, never 12.0, in every download and in JSON; empty on a public site's row.
    return frame.astype(dict.fromkeys(counts, "Int64"))


def progress_frame(progress: Sequence[ProgramProgress], sources: Mapping[str, SourceState]) -> pd.DataFrame:
    """One row per program with its latest report: the overview's table."""
    records = []
    for item in progress:
        program, latest = item.program, item.latest or {}
        records.append(
            {
                "kode_program": item.code,
                "nama_program": program.get("nama_program"),
                "dimensi": program.get("dimensi"),
                "skpd": program.get("skpd"),
                "status_portal": item.track.value,
                "tanggal_laporan": latest.get("tanggal"),
                "rencana_persen": latest.get("rencana_persen"),
                "realisasi_persen": latest.get("realisasi_persen"),
                "capaian_indikator": latest.get("capaian_indikator"),
                "target": program.get("target"),
                "satuan": program.get("satuan"),
                "anggaran": program.get("anggaran"),
                "realisasi_anggaran": latest.get("realisasi_anggaran"),
                "tanggal_selesai": program.get("tanggal_selesai"),
                **_provenance(sources.get(item.code), item.as_of),
            }
        )
    return pd.DataFrame(records)


def full_tables(
    programs: Sequence[Mapping[str, Any]],
    reports: Sequence[Mapping[str, Any]],
    sites: Sequence[Mapping[str, Any]],
    states: Sequence[SourceState],
) -> dict[str, pd.DataFrame]:
    """Every published table: program, capaian, and lokasi as the public map shows it."""
    by_snapshot = {s.snapshot_id: s for s in states if s.snapshot_id is not None}
    program_source = {p["kode_program"]: by_snapshot.get(p.get("snapshot_id", -1)) for p in programs}
    sources = {code: state for code, state in program_source.items() if state is not None}
    reported = newest_reports(reports)
    return {
        "program": rows_frame("program", programs, by_snapshot, reported),
        "capaian": rows_frame("capaian", reports, by_snapshot),
        "lokasi": sites_frame(public_sites(sites, programs), private_site_counts(sites, programs), sources, reported),
    }


def published_tables(data: PublishedData) -> dict[str, pd.DataFrame]:
    """Every published table from the latest snapshots."""
    states = data.source_states()
    rows = {sheet: data.latest_rows(sheet, states) for sheet in COLUMNS}
    return full_tables(rows["program"], rows["capaian"], rows["lokasi"], states)


def page_about(
    config: Config,
    title: str,
    states: Sequence[SourceState],
    url: str | None = None,
    reported: Iterable[date | None] = (),
) -> About:
    """What a page's downloads say about themselves: its sources, its "data per" (the newest of ``reported``, the
    report dates of the programs it shows), the newest read among its sources, the licence."""
    shown = [s for s in states if s.read_at is not None]
    source = "; ".join(f"{s.skpd} ({s.origin})" if s.origin else s.skpd for s in shown) or "-"
    licence, licence_url = config.portal.licence, config.portal.licence_url
    return About(title, source, data_per(reported), licence, licence_url, url or "", newest_read(shown))


COMPARISON_COLUMNS = tuple(name for name, *_ in COMPARISON)


def comparison_frame(
    lines: Iterable[ComparisonLine],
    names: Mapping[str, str],
    states: Iterable[SourceState],
    first: date,
    second: date,
) -> pd.DataFrame:
    """/riwayat's comparison between two dates, one row per line the page shows and in its order, with its source
    and dates (``core.data_dictionary.COMPARISON``); values as the dictionary writes them."""
    skpd = {s.name: s.skpd for s in states}
    records = []
    for line in lines:
        row, seen = line.row.row, line.row.seen_in
        office = skpd.get(seen.source, seen.source)
        records.append(
            {
                "perubahan": CHANGE_WORDS[line.change],
                "tabel": line.sheet,
                "kode_program": line.row.code,
                "nama_program": names.get(line.row.code),
                "tanggal_laporan": row.get("tanggal") if line.sheet == "capaian" else None,
                "kode_lokasi": row.get("kode_lokasi") if line.sheet == "lokasi" else None,
                "kolom": line.field,
                "nilai_lama": export_text(line.field, line.old),
                "nilai_baru": export_text(line.field, line.new),
                "dari": first,
                "sampai": second,
                "data_per": line.data_per,
                "sumber": f"{office} ({seen.origin})" if seen.origin else office,
                "dibaca_pada": seen.read_at,
                "id_snapshot": seen.id,
            }
        )
    return dictionary_formatted(pd.DataFrame(records, columns=list(COMPARISON_COLUMNS)))
