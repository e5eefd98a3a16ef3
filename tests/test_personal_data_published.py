"""Personal data typed into a sheet's free text is masked on the way in: the cell gets a warning that names it,
and every consumer (the program page, capaian.csv/.json, riwayat.csv, OC4IDS, the health page) reads the
masked text from the snapshot. Bidi overrides are stripped from published text."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from builders import capaian, lokasi, program, validate, workbook
from conftest import PortalSetup, run_app
from test_open_data import PUBLIC_CODE, _project, csv_rows, read_json, sync, write_book

from core.formatting import escape_markdown
from core.personal_data import MASK

NIK, PHONE, EMAIL = "6371012345678901", "0812-3456-7890", "ahmad@contoh.id"
NOTE = f"Diserahkan ke Bpk Ahmad NIK {NIK} HP {PHONE} {EMAIL}"
MASKED_NOTE = f"Diserahkan ke Bpk Ahmad NIK {MASK} HP {MASK} {MASK}"
RLO = "\u202e"
PRIVATE = (NIK, PHONE, EMAIL, "0812", "ahmad@", RLO)


def _no_personal_data(text: str) -> None:
    for piece in PRIVATE:
        assert piece not in text, piece


def test_a_note_with_a_nik_a_phone_and_an_email_is_masked_and_its_cell_warned() -> None:
    result = validate(workbook(capaians=[capaian(keterangan=NOTE)]))
    (report,) = result.rows["capaian"]
    assert report["keterangan"] == MASKED_NOTE
    (warning,) = [i for i in result.warnings if i.column == "keterangan"]
    assert warning.cell == "H2" and warning.row == 2 and warning.worksheet == "capaian"
    assert "Sel H2 (keterangan)" in warning.message.id and "Cell H2 (keterangan)" in warning.message.en
    assert "1 NIK" in warning.message.id and "1 nomor telepon" in warning.message.id
    assert "1 alamat e-mail" in warning.message.id and "1 e-mail address" in warning.message.en
    assert warning.value == MASKED_NOTE
    _no_personal_data(repr(result.report()))


def test_every_text_column_of_every_worksheet_is_masked() -> None:
    result = validate(
        workbook(
            programs=[program(deskripsi=f"Hubungi {EMAIL}", nama_program=f"Bakawan {PHONE}", indikator=f"NIK {NIK}")],
            lokasis=[lokasi(nama_lokasi=f"Rumah Bpk Ahmad {PHONE}", keterangan=f"kontak {EMAIL}")],
        )
    )
    (row,) = result.rows["program"]
    published = (row["deskripsi"], row["nama_program"], row["indikator"])
    assert published == (f"Hubungi {MASK}", f"Bakawan {MASK}", f"NIK {MASK}")
    (site,) = result.rows["lokasi"]
    assert (site["nama_lokasi"], site["keterangan"]) == (f"Rumah Bpk Ahmad {MASK}", f"kontak {MASK}")
    assert len([i for i in result.warnings if "data pribadi" in i.message.id]) == 5


def test_a_code_holding_a_nik_rejects_its_row_without_echoing_it() -> None:
    result = validate(workbook(lokasis=[lokasi(kode_lokasi=NIK)]))
    assert result.rows["lokasi"] == []
    (error,) = [i for i in result.errors if i.column == "kode_lokasi"]
    assert error.value == MASK and "ditolak" in error.message.id
    _no_personal_data(repr(result.report()))


def test_a_rejected_cell_holding_personal_data_is_reported_masked() -> None:
    """A phone number typed into a date column rejects the row; the report shows neither value nor echo."""
    result = validate(workbook(capaians=[capaian(tanggal=PHONE)]))
    (error,) = [i for i in result.errors if i.column == "tanggal"]
    assert error.value == MASK and MASK in error.message.id and MASK in error.message.en
    _no_personal_data(repr(result.report()))


def test_bidi_overrides_never_reach_a_published_value() -> None:
    result = validate(workbook(programs=[program(nama_program=f"Bakawan {RLO}NIART")]))
    assert result.rows["program"][0]["nama_program"] == "Bakawan NIART"


def test_a_link_loses_a_bidi_override_before_it_is_published() -> None:
    result = validate(workbook(programs=[program(tautan=f"https://banjarmasinkota.go.id/{RLO}gpj.exe")]))
    assert result.rows["program"][0]["tautan"] == "https://banjarmasinkota.go.id/gpj.exe"


def test_masked_text_is_what_the_open_data_files_oc4ids_and_history_publish(
    tmp_path: Path, make_portal: Callable[..., PortalSetup]
) -> None:
    programs = [
        program(lokasi_pribadi="ya"),
        program(kode_program=PUBLIC_CODE, nama_program="Sungaiku Baiman", deskripsi=f"Pengawas: NIK {NIK} {RLO}x"),
    ]
    capaians = [capaian(), capaian(kode_program=PUBLIC_CODE, keterangan=NOTE)]
    setup = make_portal({"disperkim": write_book(tmp_path / "sumber.xlsx", programs, capaians)})
    sync(setup)
    for name in ("capaian.csv", "riwayat.csv"):
        notes = {r["keterangan"] for r in csv_rows(setup, name)}
        assert MASKED_NOTE in notes, (name, notes)
    assert MASKED_NOTE in {r["keterangan"] for r in read_json(setup, "capaian.json")["data"]}
    assert _project(read_json(setup, "oc4ids.json"), PUBLIC_CODE)["description"] == f"Pengawas: NIK {MASK} x"
    for written in (setup.folder / "static" / "data").iterdir():
        _no_personal_data(written.read_text(encoding="utf-8"))


def test_the_program_page_and_the_health_page_show_the_masked_note(
    tmp_path: Path, make_portal: Callable[..., PortalSetup], portal_env: Callable[[PortalSetup], None]
) -> None:
    programs = [program(kode_program=PUBLIC_CODE, nama_program="Sungaiku Baiman")]
    capaians = [capaian(kode_program=PUBLIC_CODE, keterangan=NOTE), capaian(kode_program=PUBLIC_CODE, tanggal=PHONE)]
    setup = make_portal({"pupr": write_book(tmp_path / "sumber.xlsx", programs, capaians)})
    sync(setup)
    portal_env(setup)
    at = run_app("app_pages/program.py", program=PUBLIC_CODE)
    static = at.table[-1].value  # the reports as the page shows them first: the note cut to 60 characters
    shown = static.to_csv()
    assert escape_markdown(MASK) in shown and "Diserahkan ke Bpk Ahmad NIK" in shown, shown  # Markdown cells
    _no_personal_data(shown.replace("\\", ""))  # as a reader sees the cells: Markdown's escapes taken away
    at.toggle(key="reports_interactive").set_value(True).run()
    reports = at.dataframe[-1].value
    assert MASKED_NOTE in set(reports.iloc[:, -1]) | set(reports.astype(str).stack()), reports
    _no_personal_data(reports.to_csv())
    # The health page's issues: a static table first (Markdown cells, issue 23), the grid when asked for.
    health = run_app("app_pages/health.py")
    assert health.table and not health.dataframe
    shown = "\n".join(d.value.to_csv() for d in health.table) + "\n".join(m.value for m in health.markdown)
    assert escape_markdown(MASK) in shown
    _no_personal_data(shown.replace("\\", ""))  # as a reader sees the cells: Markdown's escapes taken away
    health.toggle(key="health_interactive").set_value(True).run()
    shown = "\n".join(d.value.to_csv() for d in health.dataframe) + "\n".join(m.value for m in health.markdown)
    assert health.dataframe and MASK in shown
    _no_personal_data(shown)


def test_a_snapshot_an_older_portal_stored_unmasked_is_masked_on_the_way_out(tmp_path: Path) -> None:
    """Stored before validation masked (the store's row is written here as an older portal left it): the history,
    its feed and downloads, and the pages' current rows read it masked all the same."""
    import sqlalchemy as sa

    from data_sources.published.memo import SnapshotMemo
    from data_sources.published.stored_history import load_history, load_snapshots
    from data_sources.store.snapshot_store import Store, row_tables

    store = Store(f"sqlite:///{tmp_path / 'old.sqlite'}")
    result = validate(workbook(programs=[program(deskripsi="Program rumah")], capaians=[capaian(keterangan="catatan")]))
    _, snapshot_id = store.save("disperkim", result, datetime(2024, 6, 3, tzinfo=UTC))
    with store.engine.begin() as conn:
        conn.execute(sa.update(row_tables["capaian"]).values(keterangan=NOTE))
        conn.execute(sa.update(row_tables["program"]).values(deskripsi=f"Hubungi {EMAIL}"))
    assert any(r["keterangan"] == NOTE for r in store.rows("capaian", [snapshot_id]))  # raw in the store

    (snapshot,) = load_snapshots(store)
    assert [r["keterangan"] for r in snapshot.rows["capaian"]] == [MASKED_NOTE]
    assert [r["deskripsi"] for r in snapshot.rows["program"]] == [f"Hubungi {MASK}"]
    _no_personal_data(repr(load_history(store, SnapshotMemo()).snapshots))


def test_a_link_carrying_a_phone_or_an_email_is_not_published_and_its_cell_says_why() -> None:
    result = validate(
        workbook(
            programs=[program(tautan=f"https://forms.example/daftar?email={EMAIL}")],
            capaians=[capaian(bukti="https://wa.me/6281234567890")],
        )
    )
    assert result.rows["program"][0]["tautan"] is None and result.rows["capaian"][0]["bukti"] is None
    warnings = [i for i in result.warnings if i.column in ("tautan", "bukti")]
    assert sorted(i.column for i in warnings) == ["bukti", "tautan"]
    assert all("tidak diterbitkan" in i.message.id and "not published" in i.message.en for i in warnings)
    assert any("1 nomor telepon" in i.message.id for i in warnings)
    assert "6281234567890" not in repr(result.report()) and EMAIL not in repr(result.report())


def test_a_post_s_long_numeric_id_in_an_evidence_link_is_not_taken_for_a_nik() -> None:
    post = "https://www.facebook.com/permalink.php?story_fbid=1234567890123456&id=100064123456789"
    result = validate(workbook(capaians=[capaian(bukti=post)]))
    assert result.rows["capaian"][0]["bukti"] == post
    assert not [i for i in result.warnings if i.column == "bukti"]
