"""The data dictionary is generated from the sheet contract and cannot drift from it."""

from __future__ import annotations

from datetime import date

from core.contract import WORKSHEETS
from core.data_dictionary import (
    ADDED,
    COMPARISON_TABLE,
    MEANINGS,
    data_dictionary,
    dictionary_rows,
    file_entries,
    published_dictionary,
)


def test_every_contract_column_has_a_meaning_and_every_meaning_a_column() -> None:
    columns = {(sheet.name, column.name) for sheet in WORKSHEETS for column in sheet.columns}
    assert set(MEANINGS) == columns


def test_the_dictionary_lists_every_published_column_in_contract_order_then_the_added_ones() -> None:
    entries = data_dictionary()
    for sheet in WORKSHEETS:
        mine = [e.column for e in entries if e.table == sheet.name]
        assert mine == [c.name for c in sheet.columns] + [name for name, _, _ in ADDED]


def test_each_entry_reads_in_both_languages_with_a_unit() -> None:
    for lang in ("id", "en"):
        rows = dictionary_rows(lang)
        assert rows and all(all(str(v) for k, v in row.items() if k not in ("choices", "pilihan")) for row in rows)
    status = next(r for r in dictionary_rows("en") if r["table"] == "capaian" and r["column"] == "status")
    assert status["choices"] == "Belum dimulai, Berjalan, Terhambat, Selesai"
    percent = next(r for r in dictionary_rows("id") if r["kolom"] == "realisasi_persen")
    assert percent["satuan"] == "persen, 0–100"


def test_the_about_page_shows_the_dictionary_in_the_reader_s_language(sample_portal: object) -> None:
    from conftest import run_app

    for lang, header in (("id", "arti"), ("en", "meaning")):
        at = run_app("app_pages/about.py", **({"lang": lang} if lang == "en" else {}))
        assert not at.dataframe  # sent when asked for (issue 23)
        at.toggle(key="about_dictionary").set_value(True).run()
        table = at.dataframe[-1].value
        assert header in table.columns and len(table) == len(published_dictionary())


def test_every_column_of_the_history_download_is_in_the_dictionary_with_both_languages() -> None:
    from data_sources.published.tables import comparison_frame

    columns = list(comparison_frame([], {}, [], date(2024, 4, 1), date(2024, 6, 3)).columns)
    entries = [e for e in data_dictionary() if e.table == COMPARISON_TABLE]
    assert [e.column for e in entries] == columns
    assert {"sumber", "data_per", "dibaca_pada"} <= set(columns)
    assert all(e.meaning.get("id") != e.meaning.get("en") and e.unit.get("id") for e in entries)
    change = next(e for e in entries if e.column == "perubahan")
    assert change.choices == ("diubah", "dihapus", "ditambah")


def test_every_column_of_every_published_table_is_in_the_dictionary_its_downloads_carry() -> None:
    from data_sources.published.tables import full_tables

    listed = {(e.table, e.column) for e in published_dictionary()}
    for name, frame in full_tables([], [], [], []).items():
        # The downloads' dictionary sheet names each column of the table (the map's counts and coordinates too) ...
        assert {(name, str(c)) for c in frame.columns} <= listed, name
        # ... and the open-data files' schemas explain each, or the job refuses to publish it.
        assert [e.column for e in file_entries(name, list(frame.columns))] == list(frame.columns)
    homes = next(e for e in published_dictionary() if (e.table, e.column) == ("lokasi", "jumlah_selesai"))
    assert homes.meaning.id != homes.meaning.en and homes.unit.get("en") == "homes"
