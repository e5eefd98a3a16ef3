"""What the portal last told each SKPD (data_sources.store.skpd_reports): its table in every store."""

from __future__ import annotations

import gc
from pathlib import Path

import sqlalchemy as sa

from data_sources.store.skpd_reports import SkpdReports


def test_every_new_store_gets_its_table_even_in_the_place_of_a_collected_engine(tmp_path: Path) -> None:
    """The table was made once per engine, remembered by id(): a new engine often takes the id of one just
    collected, and its new database then had no table (a sync test failed with "no such table" one run in many)."""
    for i in range(50):
        engine = sa.create_engine(f"sqlite:///{(tmp_path / f'store-{i}.sqlite').as_posix()}")
        assert SkpdReports(engine).states() == {}
        engine.dispose()
        del engine
        gc.collect()  # its id is free for the next engine, as it is between tests
