"""Synthetic SKPD sources at three scales, derived from the six sample workbooks (benchmarks only).

Run: ``.venv/bin/python -m benchmarks.generate [--scales S,M,L] [--out FOLDER] [--force]``.

| scale | programs | sites | reports |
| --- | --- | --- | --- |
| S | the six sample programs (the bundled workbooks, copied) | as sampled | as sampled |
| M | 60 | 10.000 | 10.000 |
| L | 300 | 100.000 | 100.000 |

M and L spread their programs over six workbooks, one per SKPD of the sample, round-robin over the six
sample programs: each synthetic program takes its dimension, SKPD, indicator, unit, budget and
``lokasi_pribadi`` from one sample program (so the Smart Living ones, like Bakawan RTLH, are private homes).
Sites sit in the 52 official kelurahan (``core/wilayah.py``), jittered up to 300 m around the kelurahan's
reference point; one in ten is a two-point ``ruas``. Reports are dated daily from 1 January 2024 along the
sample's S-curve, realisation never going down. Every row is valid per the sheet contract, so the sync
publishes all of it (``tests/test_benchmarks.py`` checks a small scale through the real validation).

Files go to ``<out>/<scale>/`` (default: ``$PORTAL_BENCH_DIR`` or ``<tmp>/portal-bench``), never into
``sample_data/``; a scale already generated with the same parameters is reused unless ``--force``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import shutil
import tempfile
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from core.wilayah import KELURAHAN, in_city

REPO = Path(__file__).resolve().parent.parent
SAMPLE_DIR = REPO / "sample_data"
FIRST_DAY = date(2024, 1, 1)
SEED = 2026_08
VERSION = 1  # bump when the generated content changes, so cached scales are rebuilt

PROGRAM_HEADERS = [
    "kode_program", "nama_program", "dimensi", "skpd", "deskripsi", "indikator", "satuan", "target",
    "anggaran", "tanggal_mulai", "tanggal_selesai", "lokasi_pribadi", "tautan",
]  # fmt: skip
CAPAIAN_HEADERS = [
    "kode_program", "tanggal", "rencana_persen", "realisasi_persen", "capaian_indikator",
    "realisasi_anggaran", "status", "keterangan", "bukti",
]  # fmt: skip
LOKASI_HEADERS = [
    "kode_lokasi", "kode_program", "nama_lokasi", "jenis", "koordinat", "kelurahan", "kecamatan",
    "status", "realisasi_persen", "tanggal_update", "keterangan",
]  # fmt: skip


@dataclass(frozen=True)
class Scale:
    name: str
    programs: int
    sites: int
    reports: int

    @property
    def sample(self) -> bool:
        return self.programs == 0


SCALES: dict[str, Scale] = {
    "S": Scale("S", 0, 0, 0),  # the sample itself
    "M": Scale("M", 60, 10_000, 10_000),
    "L": Scale("L", 300, 100_000, 100_000),
}


def default_root() -> Path:
    return Path(os.environ.get("PORTAL_BENCH_DIR") or Path(tempfile.gettempdir()) / "portal-bench")


@dataclass(frozen=True)
class Template:
    """What a synthetic program borrows from one sample program."""

    stem: str  # the sample workbook's file stem: one synthetic workbook per sample workbook (SKPD)
    code: str
    name: str
    dimension: str
    skpd: str
    indicator: str
    unit: str
    target: float
    budget: float
    private: bool


def sample_templates() -> list[Template]:
    """The six sample programs as the portal's own validation reads them (canonical, parsed values)."""
    from core.validation import validate_workbook
    from data_sources.readers.workbook import read_workbook

    templates = []
    for path in sorted(SAMPLE_DIR.glob("*.xlsx")):
        result = validate_workbook(read_workbook(path), date(2025, 1, 31))
        p = result.rows["program"][0]
        templates.append(
            Template(
                stem=path.stem,
                code=p["kode_program"],
                name=p["nama_program"],
                dimension=p["dimensi"],
                skpd=p["skpd"],
                indicator=p.get("indikator") or "Capaian",
                unit=p.get("satuan") or "unit",
                target=float(p.get("target") or 100),
                budget=float(p.get("anggaran") or 1_000_000_000),
                private=p.get("lokasi_pribadi") == "ya",
            )
        )
    return templates


def _s_curve(fraction: float, steepness: float = 8.0) -> float:
    def logistic(x: float) -> float:
        return 1.0 / (1.0 + math.exp(-steepness * (x - 0.5)))

    x = min(max(fraction, 0.0), 1.0)
    return 100.0 * (logistic(x) - logistic(0.0)) / (logistic(1.0) - logistic(0.0))


def _status(plan: float, real: float) -> str:
    if real >= 100:
        return "Selesai"
    if real <= 0:
        return "Belum dimulai"
    lag = plan - real
    if (plan < 70 and lag > 10) or (plan >= 70 and lag > 5):
        return "Terhambat"
    return "Berjalan"


def _site_point(rng: random.Random, lat: float, lon: float, metres: float = 300) -> tuple[float, float]:
    for _ in range(5):
        distance = rng.uniform(0.1, 1.0) * metres
        bearing = rng.uniform(0, 2 * math.pi)
        p = (
            round(lat + distance * math.cos(bearing) / 111_320, 5),
            round(lon + distance * math.sin(bearing) / (111_320 * math.cos(math.radians(lat))), 5),
        )
        if in_city(*p):
            return p
    return (lat, lon)


def _split(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def build(scale: Scale, templates: list[Template]) -> dict[str, dict[str, list[list[Any]]]]:
    """Rows per workbook stem and worksheet (header row first)."""
    rng = random.Random(SEED)
    books: dict[str, dict[str, list[list[Any]]]] = {
        t.stem: {"program": [PROGRAM_HEADERS], "capaian": [CAPAIAN_HEADERS], "lokasi": [LOKASI_HEADERS]}
        for t in templates
    }
    reports_per = _split(scale.reports, scale.programs)
    sites_per = _split(scale.sites, scale.programs)
    for i in range(scale.programs):
        t = templates[i % len(templates)]
        n = i // len(templates) + 1
        code = f"{t.code}-B{n:03d}"
        book = books[t.stem]
        report_count = reports_per[i]
        days = [FIRST_DAY + timedelta(days=d) for d in range(report_count)]
        start = FIRST_DAY
        end = max(date(2024, 12, 31), days[-1] if days else FIRST_DAY)
        target = max(1, round(t.target * rng.uniform(0.5, 1.5)))
        budget = round(t.budget * rng.uniform(0.5, 1.5) / 1_000_000) * 1_000_000
        book["program"].append(
            [
                code,
                f"{t.name} (sintetis {n})",
                t.dimension,
                t.skpd,
                f"Program sintetis untuk benchmark, turunan dari {t.name}.",
                t.indicator,
                t.unit,
                target,
                budget,
                start.isoformat(),
                end.isoformat(),
                "ya" if t.private else "tidak",
                "https://banjarmasinkota.go.id/",
            ]
        )
        pace = rng.uniform(0.8, 1.0)  # some programs fall behind the plan
        real = 0.0
        for day in days:
            plan = round(_s_curve((day - start).days / (end - start).days), 1)
            real = round(max(real, min(99.0, plan * pace)), 1)
            book["capaian"].append(
                [
                    code,
                    day.isoformat(),
                    plan,
                    real,
                    round(real / 100 * target),
                    round(budget * real / 100 * 0.9 / 1_000_000) * 1_000_000,
                    _status(plan, real),
                    f"Laporan harian {day.isoformat()}",
                    None,
                ]
            )
        for j in range(sites_per[i]):
            area = KELURAHAN[rng.randrange(len(KELURAHAN))]
            first = _site_point(rng, area.lat, area.lon)
            if not t.private and j % 10 == 9:
                second = _site_point(rng, area.lat, area.lon)
                kind, coordinates = "ruas", f"{first[0]} {first[1]}; {second[0]} {second[1]}"
            else:
                kind, coordinates = "titik", f"{first[0]}, {first[1]}"
            progress = rng.choice((0.0, 25.0, 50.0, 75.0, 100.0))
            book["lokasi"].append(
                [
                    f"{code}-L{j + 1:05d}",
                    code,
                    f"Rumah {j + 1}" if t.private else f"Lokasi {t.name[:30]} {j + 1}",
                    kind,
                    coordinates,
                    area.nama,
                    area.kecamatan,
                    _status(100.0, progress) if progress < 100 else "Selesai",
                    progress,
                    date(2024, 12, 31).isoformat(),
                    None,
                ]
            )
    return books


def _write(path: Path, sheets: dict[str, list[list[Any]]]) -> None:
    wb = Workbook(write_only=True)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(path)


def write_config(folder: Path, paths: list[Path], sample: bool) -> Path:
    """A portal.toml for these workbooks; store, open-data files and everything else stay in ``folder``."""
    lines = [
        '[portal]\ncontact = "bench@example.org"\n',
        '[store]\npath = "store.sqlite"\n',
        # No background sync while measuring: the benchmark syncs the store itself, once.
        "[sync]\ninterval_minutes = 100000\n",
        '[open_data]\nfolder = "static/data"\n',
    ]
    for path in paths:
        lines.append(
            f'[[sources]]\nname = "{path.stem}"\nskpd = "{path.stem.split("_")[0].upper()}"\nkind = "workbook"\n'
            f'path = "{path.as_posix()}"\nsample = {"true" if sample else "false"}\n'
        )
    config = folder / "portal.toml"
    config.write_text("\n".join(lines), encoding="utf-8")
    return config


def generate(scale: Scale, root: Path | None = None, force: bool = False) -> Path:
    """Write the scale's workbooks and portal.toml under ``root/<scale>``; returns the portal.toml."""
    folder = (root or default_root()) / scale.name
    stamp = folder / "generated.json"
    wanted = {"version": VERSION, "programs": scale.programs, "sites": scale.sites, "reports": scale.reports}
    config = folder / "portal.toml"
    if not force and stamp.exists() and config.exists() and json.loads(stamp.read_text()) == wanted:
        return config
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "sources").mkdir(parents=True)
    if scale.sample:
        paths = [Path(shutil.copy(p, folder / "sources" / p.name)) for p in sorted(SAMPLE_DIR.glob("*.xlsx"))]
    else:
        paths = []
        for stem, sheets in build(scale, sample_templates()).items():
            path = folder / "sources" / f"{stem}.xlsx"
            _write(path, sheets)
            paths.append(path)
    config = write_config(folder, paths, sample=scale.sample)
    stamp.write_text(json.dumps(wanted), encoding="utf-8")
    return config


def workbooks(config: Path) -> list[Path]:
    return sorted((config.parent / "sources").glob("*.xlsx"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="S,M")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--force", action="store_true")
    args = parser.parse_args()
    for name in args.scales.split(","):
        print(generate(SCALES[name.strip()], args.out, args.force))


if __name__ == "__main__":
    main()
