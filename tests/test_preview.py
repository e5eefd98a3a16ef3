"""The SKPD preview: a draft is checked and shown as the public would see it; a bad upload gets a clear
message; nothing is ever stored."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest
from builders import capaian, program
from conftest import GoogleSetup, PortalSetup, run_app, write_source
from store_queries import snapshot_count
from streamlit.testing.v1 import AppTest

from core.validation import validate_workbook
from core.wilayah import city_today
from data_sources.config.portal_config import load_config
from data_sources.readers.protocol import SourceUnreadable
from data_sources.readers.upload import MAX_UNCOMPRESSED_BYTES, check_archive, read_upload
from data_sources.readers.workbook import read_workbook
from data_sources.store.snapshot_store import Store
from server.portal import Portal

PAGE = "app_pages/preview.py"
SAMPLE = Path(__file__).resolve().parent.parent / "sample_data" / "disperkim_bakawan_rtlh.xlsx"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MB = 1024 * 1024


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def zip_bomb() -> bytes:
    """Small on disk, 200 MB once inflated: a worksheet of zeros, compressed a thousandfold."""
    return zip_bytes({"[Content_Types].xml": b"<Types/>", "xl/worksheets/sheet1.xml": b"0" * (200 * MB)})


def with_formula(tmp_path: Path) -> bytes:
    path = write_source(tmp_path / "rumus.xlsx", capaians=[capaian()])
    book = openpyxl.load_workbook(path)
    book["capaian"]["J5"] = "=1+1"  # openpyxl saves no cached value: Excel would, Google Sheets has none
    book["capaian"]["K5"] = "=SUM(A1:A3)"
    book.save(path)
    return path.read_bytes()


# --- the upload is refused before parsing when it is not a sound workbook ----------------------


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"%PDF-1.7 not a workbook", "bukan workbook Excel"),
        (zip_bytes({"readme.txt": b"halo"}), "arsip zip, tetapi bukan workbook"),
        (b"x" * (2 * MB), "terlalu besar"),
    ],
    ids=["pdf", "zip-without-workbook", "too-large"],
)
def test_a_bad_upload_gets_a_message_saying_what_is_wrong(data: bytes, says: str) -> None:
    with pytest.raises(SourceUnreadable) as refused:
        read_upload(data, max_bytes=1 * MB)
    assert says in refused.value.text.id and refused.value.text.en


def test_a_zip_bomb_is_refused_from_its_directory_without_being_inflated() -> None:
    bomb = zip_bomb()
    assert len(bomb) < 1 * MB  # small enough to pass the size limit
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
        assert sum(m.file_size for m in archive.infolist()) > MAX_UNCOMPRESSED_BYTES
    with pytest.raises(SourceUnreadable, match="expands to far more"):
        check_archive(bomb, max_bytes=5 * MB)


def test_an_xml_entity_bomb_inside_a_workbook_is_refused_by_the_parser(tmp_path: Path) -> None:
    path = write_source(tmp_path / "tawa.xlsx")
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    entities = "".join(f'<!ENTITY lol{i} "{("&lol;" if i == 1 else f"&lol{i - 1};") * 10}">' for i in range(1, 9))
    sheet = members["xl/worksheets/sheet1.xml"].decode()
    body = sheet[sheet.index("?>") + 2 :] if sheet.startswith("<?xml") else sheet
    # "Billion laughs": a few hundred bytes of entity declarations that expand to 10^8 characters.
    doctype = f'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY lol "lol">{entities}]>'
    bomb = '<row r="999"><c r="A999" t="inlineStr"><is><t>&lol8;</t></is></c></row></sheetData>'
    members["xl/worksheets/sheet1.xml"] = (doctype + body.replace("</sheetData>", bomb, 1)).encode()
    with pytest.raises(SourceUnreadable) as refused:
        read_upload(zip_bytes(members), max_bytes=5 * MB)
    assert "tidak aman atau rusak" in refused.value.text.id or "tidak dapat dibaca" in refused.value.text.id


def test_formula_cells_are_named_and_never_run(tmp_path: Path) -> None:
    upload = read_upload(with_formula(tmp_path), max_bytes=5 * MB)
    assert upload.formulas == ["capaian!J5", "capaian!K5"]
    values = {c.value for sheet in upload.workbook.sheets for row in sheet.rows for c in row}
    assert "=1+1" not in values and 2 not in values  # neither the formula text nor a computed result


def test_a_sound_upload_reads_like_the_same_workbook_from_disk() -> None:
    upload = read_upload(SAMPLE.read_bytes(), max_bytes=5 * MB)
    from_disk = validate_workbook(read_workbook(SAMPLE), city_today(datetime.now(UTC)))
    from_upload = validate_workbook(upload.workbook, city_today(datetime.now(UTC)))
    assert from_upload.counts == from_disk.counts and upload.formulas == []


# --- the page ----------------------------------------------------------------------------------


@pytest.fixture
def live(
    tmp_path: Path, make_portal: Callable[..., PortalSetup], portal_env: Callable[[PortalSetup], None]
) -> PortalSetup:
    """A portal with one published source, synced, so a preview can be seen not to change it."""
    setup = make_portal({"disperkim": write_source(tmp_path / "perkim.xlsx")})
    with setup.config_path.open("a", encoding="utf-8") as f:
        f.write("\n[preview]\nmax_upload_mb = 1\n")
    portal_env(setup)
    # Synced before the page opens, so no background sync is due while a test compares the store.
    assert Portal(setup.config).sync_now()
    return setup


def snapshot_state(setup: PortalSetup) -> tuple[int, list[str]]:
    store = Store(load_config(setup.config_path).database_url)
    names = [r["nama_program"] for r in store.rows("program", list(range(1, 100)))]
    return snapshot_count(store), names


def upload(at: AppTest, name: str, data: bytes) -> AppTest:
    at.file_uploader(key="preview_file").set_value((name, data, XLSX))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_an_uploaded_draft_shows_its_report_and_its_cards_and_the_published_data_stay(
    live: PortalSetup, tmp_path: Path
) -> None:
    at = run_app(PAGE)
    before = snapshot_state(live)
    draft = write_source(
        tmp_path / "draf.xlsx",
        programs=[program(nama_program="Draf Bedah Rumah Baru")],
        capaians=[capaian(), capaian(tanggal="31/02/2024")],
    )
    upload(at, "draf.xlsx", draft.read_bytes())
    shown = " ".join(m.value for m in at.markdown)
    assert "Draf Bedah Rumah Baru" in shown  # the draft's card, as the public would see it
    # The wrong cell, named, with its whole message and its value (issue #26, item 4: a list, not a cut-off table).
    assert re.search(r"\*\*capaian\\![A-Z]\d\*\*: [^\n]*tanggal[^\n]*\n  Kesalahan · Isi sel: 31/02/2024", shown), shown
    assert any("kesalahan" in e.value for e in at.error)
    assert any("tidak disimpan" in i.value for i in at.info)
    assert snapshot_state(live) == before  # nothing stored, the published program unchanged


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("bukan.xlsx", b"%PDF-1.7", "bukan workbook Excel"),
        ("besar.xlsx", b"x" * (2 * MB), "terlalu besar"),
        ("bom.xlsx", zip_bomb(), "mengembang"),
    ],
    ids=["not-a-workbook", "too-large", "zip-bomb"],
)
def test_a_bad_upload_on_the_page_gets_a_clear_message_and_changes_nothing(
    live: PortalSetup, name: str, data: bytes, says: str
) -> None:
    at = run_app(PAGE)
    before = snapshot_state(live)
    upload(at, name, data)
    assert any(says in e.value for e in at.error), [e.value for e in at.error]
    assert not at.dataframe
    assert snapshot_state(live) == before


def test_formulas_in_an_upload_are_named_on_the_page(live: PortalSetup, tmp_path: Path) -> None:
    at = run_app(PAGE)
    upload(at, "rumus.xlsx", with_formula(tmp_path))
    assert any("capaian!J5" in w.value and "tidak menjalankan rumus" in w.value for w in at.warning)


def test_the_page_reads_in_english(live: PortalSetup) -> None:
    at = run_app(PAGE, lang="en")
    assert at.title[0].value == "Preview an SKPD sheet"


def test_a_draft_google_sheet_is_read_with_the_service_account_and_shown_without_being_stored(
    google: Callable[..., GoogleSetup], monkeypatch: pytest.MonkeyPatch
) -> None:
    from server.portal import _portal_for

    setup = google(["disperkim_bakawan_rtlh", "diskop_baiman_store"])
    draft_key = setup.keys.pop("diskop_baiman_store")  # loaded and shared, but not a configured source
    config_path = setup.write_config()
    monkeypatch.setenv("PORTAL_CONFIG", str(config_path))
    _portal_for.clear()
    assert Portal(load_config(config_path)).sync_now()  # no background sync due while the store is compared
    at = run_app(PAGE)
    store = Store(load_config(config_path).database_url)
    before = (snapshot_count(store), store.latest_snapshots().keys())
    at.radio(key="preview_way").set_value("sheet").run()
    at.text_input[0].input(f"https://docs.google.com/spreadsheets/d/{draft_key}/edit")
    next(b for b in at.button if b.label == "Baca dan periksa").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Baiman Store" in m.value for m in at.markdown)
    assert any("kesalahan" in e.value for e in at.error)  # the sample's deliberate mistakes are reported
    assert (snapshot_count(store), store.latest_snapshots().keys()) == before
    _portal_for.clear()


def test_the_preview_shows_the_notes_a_sync_would_write_in_the_same_words(live: PortalSetup, tmp_path: Path) -> None:
    from core.sheet_feedback import MARKER, NOTE_FOOTER, code_column_letters, wanted_notes

    at = run_app(PAGE)
    draft = write_source(tmp_path / "draf.xlsx", capaians=[capaian(), capaian(realisasi_persen="banyak")])
    upload(at, "draf.xlsx", draft.read_bytes())
    column = "Isi catatan yang ditulis portal"
    [notes] = [d.value for d in at.dataframe if column in d.value.columns]
    # What the sync's write-back would put on each cell, computed from the same workbook.
    result = validate_workbook(read_workbook(draft), city_today(datetime.now(UTC)))
    wanted = wanted_notes(result.issues, code_column_letters(read_workbook(draft)))
    assert wanted
    # Each note's own lines (its problems, in the health page's words); the marker and footer every note has
    # are said once, in the caption above.
    assert dict(zip(notes["Sel"], notes[column], strict=True)) == {
        f"{cell.worksheet}!{cell.a1}": " · ".join(note.split("\n")[1:-1]) for cell, note in wanted.items()
    }
    assert all(note.split("\n")[0] == MARKER for note in wanted.values())
    assert any(MARKER in c.value and NOTE_FOOTER in c.value for c in at.caption)
    assert any("Catatan di sheet" in s.value for s in at.subheader)


def _drafts_cards(tmp_path: Path) -> AppTest:
    at = run_app(PAGE)
    draft = write_source(tmp_path / "draf.xlsx", programs=[program(nama_program="Draf Bedah Rumah Baru")])
    return upload(at, "draf.xlsx", draft.read_bytes())


def test_the_preview_shows_only_the_dimensions_the_draft_has(live: PortalSetup, tmp_path: Path) -> None:
    """Issue #26: five empty "Belum ada program di dimensi ini" cards came before the clerk's own."""
    at = _drafts_cards(tmp_path)
    titles = [h.value for h in at.header]
    assert "Tata Kehidupan · Smart Living" in titles
    assert not [title for title in titles if "Smart " in title and "Smart Living" not in title], titles
    assert not [c.value for c in at.caption if "Belum ada program di dimensi ini" in c.value]


def test_a_drafts_card_names_its_skpd_with_no_comma_left_hanging(live: PortalSetup, tmp_path: Path) -> None:
    """Issue #26: the card ended "Sumber: Disperkim," (a draft has no origin yet)."""
    at = _drafts_cards(tmp_path)
    [source] = [line for c in at.caption for line in c.value.split("  \n") if "Sumber:" in line]
    assert source.endswith("Sumber: Disperkim"), source
