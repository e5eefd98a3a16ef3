"""What the portal tells an SKPD in its own sheet, as pure rules: which note goes on which cell, how a clerk's
own note is kept, what the status tab and the e-mail say, and what counts as a change (core/sheet_feedback.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from builders import CAPAIAN_ROW, PROGRAM_ROW, TODAY, issues, validate, workbook

from core.health_rules import StaleNotice
from core.sheet_feedback import (
    MARKER,
    STATUS_WORKSHEET,
    Known,
    NoteCell,
    Problem,
    change_mail,
    changes,
    code_column_letters,
    merged_note,
    note_writes,
    placed_issues,
    portal_note,
    skpd_report,
    split_note,
    status_rows,
    wanted_notes,
)
from core.text import Text
from core.validation import Issue

READ_AT = datetime(2024, 12, 1, 2, 30, tzinfo=UTC)  # 10.30 WITA
SHEET = "https://docs.google.com/spreadsheets/d/1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefgh"


def _report(result, book, notices=(), health="https://portal.example/kesehatan-data?skpd=disperkim"):
    return skpd_report(
        source="disperkim",
        skpd="Disperkim",
        read_at=READ_AT,
        origin=SHEET,
        worksheet_ids={"program": 0, "capaian": 1820938475, "lokasi": 77},
        counts=result.counts,
        issues=result.issues,
        code_letters=code_column_letters(book),
        notices=notices,
        today=TODAY,
        health_url=health,
    )


def test_a_problem_cell_gets_a_note_with_the_health_pages_words() -> None:
    book = workbook(capaians=[{**CAPAIAN_ROW, "realisasi_persen": "banyak"}])
    result = validate(book)
    problem = issues(result, "capaian", column="realisasi_persen")[0]
    notes = wanted_notes(result.issues, code_column_letters(book))
    note = notes[NoteCell("capaian", problem.cell)]
    assert note.splitlines()[0] == MARKER
    assert problem.message.id in note
    assert "Ditolak" in note


def test_a_problem_about_a_whole_row_goes_on_the_rows_code_cell_even_when_the_code_column_moved() -> None:
    # The code column is the third column here (C), not A.
    moved = {"nama_program": "Bakawan", "dimensi": "Smart Living", **PROGRAM_ROW}
    book = workbook(programs=[moved])
    letters = code_column_letters(book)
    assert letters["program"] == "C"
    row_problem = Issue("error", "program", 2, None, None, "", Text("baris", "row"))
    assert list(placed_issues([row_problem], letters)) == [NoteCell("program", "C2")]
    sheet_problem = Issue("error", "capaian", None, None, None, "", Text("sheet", "sheet"))
    assert placed_issues([sheet_problem], letters) == {}


def test_a_clerks_note_is_kept_word_for_word_and_the_portals_part_goes_below_it() -> None:
    clerk = "Angka dari laporan bulan Juni.\nTanya Pak Budi."
    portal = portal_note([])
    merged = merged_note(clerk, portal)
    assert merged.startswith(clerk + "\n\n" + MARKER)
    assert split_note(merged) == (clerk, portal)
    # The problem fixed: the portal's part goes, the clerk's stays exactly.
    assert merged_note(merged, None) == clerk


def test_a_cell_that_had_only_the_portals_note_ends_with_no_note() -> None:
    cell = NoteCell("capaian", "D2")
    old = {cell: portal_note([])}
    assert note_writes(old, {}) == {cell: ""}


def test_nothing_is_written_when_the_notes_already_say_it() -> None:
    book = workbook(capaians=[{**CAPAIAN_ROW, "realisasi_persen": "banyak"}])
    result = validate(book)
    wanted = wanted_notes(result.issues, code_column_letters(book))
    clerk = {NoteCell("program", "B2"): "catatan saya"}
    existing = {**clerk, **wanted}
    assert note_writes(existing, wanted) == {}


def test_a_clerks_note_without_a_problem_is_never_touched() -> None:
    assert note_writes({NoteCell("program", "B2"): "catatan saya"}, {}) == {}


def test_notes_never_carry_a_value_validation_masks() -> None:
    nik = "6371012345678901"
    book = workbook(capaians=[{**CAPAIAN_ROW, "keterangan": f"Penerima NIK {nik}", "realisasi_persen": nik}])
    result = validate(book)
    notes = wanted_notes(result.issues, code_column_letters(book))
    report = _report(result, book)
    everything = "\n".join(notes.values()) + repr(status_rows(report, 60))
    everything += change_mail(report, changes(Known(), report.known()), "Portal").body
    assert nik not in everything
    assert "6371 0123" not in everything
    assert notes  # the keterangan cell is flagged, and the note says what kind was found
    assert any("NIK" in n for n in notes.values())


def test_the_status_tab_lists_counts_problems_with_links_and_reminders() -> None:
    book = workbook(capaians=[{**CAPAIAN_ROW, "realisasi_persen": "banyak"}])
    result = validate(book)
    notice = StaleNotice("QW24-PERKIM-01", "Bakawan RTLH", date(2024, 10, 1), date(2024, 10, 1), date(2024, 11, 1))
    report = _report(result, book, [notice])
    rows = status_rows(report, 60)
    flat = [cell for row in rows for cell in row]
    problem = issues(result, "capaian", column="realisasi_persen")[0]
    assert f"{SHEET}/edit#gid=1820938475&range={problem.cell}" in flat
    assert "capaian" in flat and problem.message.id in flat
    assert report.health_url in flat
    assert "10.30 WITA" in " ".join(flat) or "10:30 WITA" in " ".join(flat)
    assert any(cell == "QW24-PERKIM-01" for cell in flat)
    # Text only: no cell the portal writes starts like a formula.
    assert not [c for c in flat if c.startswith(("=", "+", "@"))]
    assert STATUS_WORKSHEET == "status_portal"


def test_the_fingerprint_ignores_the_read_time_but_not_the_problems() -> None:
    book = workbook(capaians=[{**CAPAIAN_ROW, "realisasi_persen": "banyak"}])
    result = validate(book)
    first = _report(result, book)
    later = skpd_report(
        source="disperkim",
        skpd="Disperkim",
        read_at=datetime(2024, 12, 2, tzinfo=UTC),
        origin=SHEET,
        worksheet_ids={"program": 0, "capaian": 1820938475, "lokasi": 77},
        counts=result.counts,
        issues=result.issues,
        code_letters=code_column_letters(book),
        notices=(),
        today=TODAY,
        health_url=first.health_url,
    )
    assert first.fingerprint() == later.fingerprint()
    fixed_book = workbook()
    fixed = validate(fixed_book)
    assert _report(fixed, fixed_book).fingerprint() != first.fingerprint()


def test_changes_name_what_is_new_and_what_was_fixed() -> None:
    a = Problem("error", "capaian", "D2", "salah")
    b = Problem("warning", "lokasi", "E3", "periksa")
    c = Problem("error", "program", "B2", "baru")
    found = changes(Known((a, b)), Known((b, c)))
    assert found.new_problems == (c,)
    assert found.fixed_problems == (a,)
    assert not changes(Known((a, b)), Known((b, a)))


def test_a_reminder_that_turns_stale_is_news_and_not_a_cleared_one() -> None:
    book = workbook()
    result = validate(book)
    soon = StaleNotice("QW24-PERKIM-01", "Bakawan RTLH", date(2024, 11, 5), date(2024, 11, 5), date(2024, 12, 6))
    before = _report(result, book, [soon]).known()
    assert not before.reminders[0].stale
    later = skpd_report(
        source="disperkim",
        skpd="Disperkim",
        read_at=READ_AT,
        origin=SHEET,
        worksheet_ids={},
        counts=result.counts,
        issues=result.issues,
        code_letters={},
        notices=[soon],
        today=date(2024, 12, 6),
        health_url="x",
    ).known()
    found = changes(before, later)
    assert [r.stale for r in found.new_reminders] == [True]
    assert found.cleared_reminders == ()


def test_the_mail_lists_new_and_fixed_problems_with_links_in_indonesian() -> None:
    book = workbook(capaians=[{**CAPAIAN_ROW, "realisasi_persen": "banyak"}])
    result = validate(book)
    report = _report(result, book)
    fixed = Problem("error", "program", "B2", "Kolom 'nama_program' wajib diisi.")
    mail = change_mail(report, changes(Known((fixed,)), report.known()), "Portal Transparansi")
    problem = issues(result, "capaian", column="realisasi_persen")[0]
    assert mail.subject.startswith("[Portal Transparansi] Sheet Disperkim:")
    assert "1 masalah baru" in mail.subject and "1 sudah diperbaiki" in mail.subject
    assert "Masalah baru:" in mail.body and f"capaian!{problem.cell}" in mail.body
    assert "Sudah diperbaiki" in mail.body and "program!B2" in mail.body
    assert f"gid=1820938475&range={problem.cell}" in mail.body
    assert report.health_url in mail.body


def test_the_clerks_guide_shows_the_note_exactly_as_the_portal_writes_it() -> None:
    book = workbook(capaians=[{**CAPAIAN_ROW, "realisasi_persen": "banyak"}])
    result = validate(book)
    note = next(iter(wanted_notes(result.issues, code_column_letters(book)).values()))
    guide = (Path(__file__).resolve().parent.parent / "docs" / "panduan-skpd.md").read_text(encoding="utf-8")
    shown = "\n".join(line.strip() for line in guide.splitlines())
    assert note in shown
