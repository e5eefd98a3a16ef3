"""Benchmark: what writing the check report back into the SKPD sheets costs (issue 20), at scales S and M.

Run: ``make bench-write-back`` (``.venv/bin/python -m benchmarks.write_back --scales S,M``). Each scale's workbooks
(``benchmarks.generate``) go into the Sheets API emulator with ``write_back = true``, and a problem is put on every
tenth data row of ``capaian`` and ``lokasi`` (an unreadable ``realisasi_persen``, or ``status`` in a sheet
without that optional column). Then, through the real gspread
client: a first sync (every note and the status tab written), a sync with nothing changed, and a sync after the
clerks fixed half of the problem cells, and for comparison the same unchanged sync with ``write_back`` off. For
each it counts the requests by kind, the notes changed, the bytes of the
write and the wall time, and writes its section of BENCHMARKS.md between its own markers. It measures; nothing
passes or fails.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import openpyxl

from benchmarks.benchmarks_md import TABLES, WRITE_BACK, replace_section
from benchmarks.generate import SCALES, generate, workbooks
from core import contract
from core.text import normalise_key
from data_sources.config.portal_config import load_config
from data_sources.jobs.sync import run_sync
from data_sources.store.snapshot_store import Store

REPO = Path(__file__).resolve().parent.parent
EVERY = 10
BAD = "tidak tahu"


def _emulator() -> Any:
    sys.path.insert(0, str(REPO / "tests"))
    from sheets_emulator import SheetsEmulator  # the tests' emulator, as benchmarks.sync_google uses it

    return SheetsEmulator()


def _problem_cells(path: Path) -> list[tuple[str, str]]:
    """(worksheet, A1) of realisasi_persen (else status) on every tenth data row of capaian and lokasi."""
    book = openpyxl.load_workbook(path, read_only=True)
    cells = []
    for spec in (contract.CAPAIAN, contract.LOKASI):
        ws = next(w for w in book.worksheets if spec.matches_title(w.title))
        title = ws.title
        header = [c.value for c in next(ws.iter_rows(min_row=1, max_row=1))]
        keys = [normalise_key(str(h)) if h is not None else "" for h in header]
        # realisasi_persen where the sheet has it; a sheet without that optional column gets a wrong status.
        index = next(
            keys.index(k)
            for column in ("realisasi_persen", "status")
            for k in spec.column(column).spellings()
            if k in keys
        )
        letter = openpyxl.utils.get_column_letter(index + 1)
        # Counted, not ws.max_row: a generated file carries no dimension for read-only mode to trust.
        last = sum(1 for _ in ws.iter_rows(values_only=True))
        cells += [(title, f"{letter}{row}") for row in range(2, last + 1) if (row - 1) % EVERY == 0]
    book.close()
    return cells


def _counts(emulator: Any) -> dict[str, int]:
    reqs = emulator.requests
    return {
        "total": len(reqs) - emulator.count("/token"),
        "reads": sum(1 for r in reqs if r.method == "GET" and "fields=" not in r.raw_path and "/v4/" in r.path),
        "notes_reads": sum(1 for r in reqs if r.method == "GET" and "fields=" in r.raw_path),
        "writes": sum(1 for r in reqs if r.method == "POST" and r.path.endswith(":batchUpdate")),
        "write_bytes": sum(len(r.body) for r in reqs if r.method == "POST" and r.path.endswith(":batchUpdate")),
        "notes_read_bytes": sum(r.response_bytes for r in reqs if r.method == "GET" and "fields=" in r.raw_path),
    }


def measure(name: str) -> dict[str, Any]:
    config_path = generate(SCALES[name])
    paths = workbooks(config_path)
    with _emulator() as emulator, tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        info = emulator.service_account()
        key_file = folder / "key.json"
        key_file.write_text(json.dumps(info), encoding="utf-8")
        keys = {p.stem: emulator.load_xlsx(p, shared_with=[info["client_email"]]) for p in paths}
        problems = {p.stem: _problem_cells(p) for p in paths}
        for stem, cells in problems.items():
            for title, a1 in cells:
                emulator.set_cell(keys[stem], title, a1, BAD)
        lines = [
            '[store]\npath = "store.sqlite"\n[sync]\nrequest_timeout_seconds = 120\n',
            f'[google]\ncredentials_file = "{key_file.as_posix()}"\n[open_data]\nenabled = false\n',
        ]
        lines += [
            f'[[sources]]\nname = "{n}"\nkind = "google"\nsheet = "{k}"\nwrite_back = true\n' for n, k in keys.items()
        ]
        (folder / "portal.toml").write_text("\n".join(lines), encoding="utf-8")
        os.environ["SHEETS_API_URL"] = emulator.base_url
        config = load_config(folder / "portal.toml")
        store = Store(config.database_url)
        rounds: dict[str, Any] = {}

        def one(label: str) -> None:
            emulator.clear_requests()
            started = time.perf_counter()
            done = run_sync(config, store)
            elapsed = time.perf_counter() - started
            assert done is not None
            notes = sum(o.sheet.notes for o in done if o.sheet is not None)
            outcomes = sorted({o.sheet.outcome for o in done if o.sheet is not None})
            rounds[label] = {**_counts(emulator), "notes": notes, "outcomes": outcomes, "seconds": elapsed}

        one("first")
        one("unchanged")
        for stem, cells in problems.items():
            for title, a1 in cells[::2]:
                emulator.set_cell(keys[stem], title, a1, "50")
        one("half fixed")
        # The same sync without write_back: what the report costs on top of the read.
        (folder / "portal.toml").write_text(
            "\n".join(lines).replace("write_back = true", "write_back = false"), encoding="utf-8"
        )
        config = load_config(folder / "portal.toml")
        one("unchanged, write_back off")
        store.close()
    return {
        "scale": name,
        "spreadsheets": len(paths),
        "problem_cells": sum(len(c) for c in problems.values()),
        "rounds": rounds,
        "measured_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def section(results: list[dict[str, Any]]) -> str:
    out = [
        "## Issue 20: writing the check report back into the SKPD sheets (`make bench-write-back`)",
        "",
        f"Each scale's six spreadsheets in the Sheets API emulator with `write_back = true` and an unreadable "
        f"`realisasi_persen` on every {EVERY}th data row of `capaian` and `lokasi`; three syncs through the real "
        "gspread client: the first (every note and the status tab written), one with nothing changed, one after the "
        "clerks fixed half of the problem cells; then the same unchanged sync with `write_back` off. Requests "
        "exclude the token request; *reads* are the reader's own "
        "(metadata and `values:batchGet`). Single runs on a shared 2-core machine.",
        "",
        "| scale | problem cells | sync | requests | reads | notes reads | notes read (bytes) | writes (`batchUpdate`) "
        "| notes changed | bytes written | wall time (s) |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:
        for label, x in r["rounds"].items():
            out.append(
                f"| {r['scale']} | {r['problem_cells']:,} | {label} | {x['total']} | {x['reads']} | "
                f"{x['notes_reads']} | {x['notes_read_bytes']:,} | {x['writes']} | {x['notes']:,} | "
                f"{x['write_bytes']:,} | {x['seconds']:.2f} |"
            )
    stamp = ", ".join(f"{r['scale']} {r['measured_at']}" for r in results)
    out += [
        "",
        f"Measured: {stamp}. Per spreadsheet and sync: at most one notes read and one `batchUpdate`, none when "
        "nothing changed. *Notes changed* counts every cell whose note changed: more than the problem cells, because "
        "a wrong cell also brings warnings on its neighbours (a realisation lower than the report before it), and "
        "fixing one clears those too. The wall time includes the emulator, which serves in the same process and builds "
        "the notes read's grid data in Python: compare *unchanged* with *unchanged, write_back off* for what the "
        "report costs on top of the read here (a profile of the M run puts nearly all of it in waiting for that "
        "answer, the portal's own part of the report under 0.1 s).",
    ]
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--scales", default="S,M")
    parser.add_argument("--out", type=Path, default=REPO / "BENCHMARKS.md")
    args = parser.parse_args()
    results = [measure(name.strip()) for name in args.scales.split(",")]
    body = section(results)
    print(body)
    old = args.out.read_text(encoding="utf-8") if args.out.exists() else "# Benchmarks\n"
    new = replace_section(old, WRITE_BACK, WRITE_BACK.block(body), before=(TABLES.start,))
    args.out.write_text(new, encoding="utf-8")


if __name__ == "__main__":
    main()
