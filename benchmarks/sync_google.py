"""Benchmark: a full sync of the six sample sources through gspread against the local Sheets emulator.

Run: ``.venv/bin/python -m benchmarks.sync_google [--rounds 5]``. Prints, per locale, the wall time
of a first sync (six new snapshots) and of repeated syncs (nothing changed), and the HTTP requests
and bytes each sync cost. It is a measurement, not a test: nothing here passes or fails.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from sheets_emulator import SheetsEmulator  # noqa: E402

from data_sources.config.portal_config import load_config  # noqa: E402
from data_sources.jobs.sync import run_sync  # noqa: E402
from data_sources.store.snapshot_store import Store  # noqa: E402


def _portal_toml(folder: Path, keys: dict[str, str], key_file: Path) -> Path:
    lines = [f'[store]\npath = "store.sqlite"\n[google]\ncredentials_file = "{key_file.as_posix()}"\n']
    for name, key in keys.items():
        lines.append(f'[[sources]]\nname = "{name}"\nkind = "google"\nsheet = "{key}"\n')
    path = folder / "portal.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def bench(locale: str, rounds: int) -> dict[str, object]:
    with SheetsEmulator() as emulator, tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        info = emulator.service_account()
        key_file = folder / "key.json"
        key_file.write_text(json.dumps(info), encoding="utf-8")
        keys = {
            path.stem: emulator.load_xlsx(path, locale=locale, shared_with=[info["client_email"]])
            for path in sorted((REPO / "sample_data").glob("*.xlsx"))
        }
        os.environ["SHEETS_API_URL"] = emulator.base_url
        config = load_config(_portal_toml(folder, keys, key_file))
        store = Store(config.database_url)
        timings, requests, sizes = [], [], []
        for _ in range(rounds):
            emulator.clear_requests()
            started = time.perf_counter()
            outcomes = run_sync(config, store)
            timings.append(time.perf_counter() - started)
            assert outcomes is not None
            requests.append(len(emulator.requests))
            sizes.append(sum(o.cost.bytes_read for o in outcomes))
        store.close()
        return {
            "locale": locale,
            "first_sync_s": timings[0],
            "repeat_sync_median_s": statistics.median(timings[1:]) if rounds > 1 else None,
            "requests_first": requests[0],
            "requests_repeat": requests[1] if rounds > 1 else None,
            "bytes_per_sync": sizes[-1],
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    print("| locale | first sync (s) | repeat sync, median (s) | requests, first | requests, repeat | bytes read |")
    print("| --- | --- | --- | --- | --- | --- |")
    for locale in ("id_ID", "en_US"):
        r = bench(locale, args.rounds)
        repeat = f"{r['repeat_sync_median_s']:.3f}" if r["repeat_sync_median_s"] is not None else "-"
        print(
            f"| {r['locale']} | {r['first_sync_s']:.3f} | {repeat} | {r['requests_first']} | "
            f"{r['requests_repeat']} | {r['bytes_per_sync']} |"
        )


if __name__ == "__main__":
    main()
