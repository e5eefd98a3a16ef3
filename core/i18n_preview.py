"""Visible strings of the SKPD preview page, Indonesian first."""

from __future__ import annotations

from core.text import Text

PREVIEW_STRINGS: dict[str, Text] = {
    "nav.preview": Text("Pratinjau SKPD", "SKPD preview"),
    "preview.title": Text("Pratinjau sheet SKPD", "Preview an SKPD sheet"),
    "preview.intro": Text(
        "Periksa draf sheet sebelum tampil untuk umum: laporan setiap sel yang salah, lalu kartu program, kurva S "
        "dan peta persis seperti yang akan dilihat warga. **Tidak ada yang disimpan** dan data yang sudah terbit "
        "tidak berubah.",
        "Check a draft sheet before it goes public: a report of every wrong cell, then the program card, S-curve "
        "and map exactly as residents will see them. **Nothing is stored** and the published data do not change.",
    ),
    "preview.template": Text("Unduh templat sheet SKPD (.xlsx)", "Download the SKPD sheet template (.xlsx)"),
    "preview.template_help": Text(
        "Templat resmi: kolom, format, daftar pilihan dan petunjuk, sama dengan `python -m data_sources template`. "
        "Isi, lalu unggah di sini atau impor ke Google Sheets.",
        "The official template: columns, formats, drop-down lists and hints, the same as "
        "`python -m data_sources template`. Fill it in, then upload it here or import it into Google Sheets.",
    ),
    "preview.way": Text("Draf yang diperiksa", "The draft to check"),
    "preview.way.upload": Text("Unggah berkas .xlsx", "Upload an .xlsx file"),
    "preview.way.sheet": Text("Tautan Google Sheet", "Google Sheet link"),
    "preview.upload": Text("Berkas .xlsx (paling besar {mb} MB)", ".xlsx file (at most {mb} MB)"),
    "preview.sheet": Text("URL atau kunci Google Sheet", "Google Sheet URL or key"),
    "preview.read": Text("Baca dan periksa", "Read and check"),
    "preview.reading": Text("Membaca sheet…", "Reading the sheet…"),
    "preview.nothing_stored": Text(
        "Ini pratinjau: tidak disimpan, tidak terbit. Untuk menerbitkan, perbarui Google Sheet SKPD yang terdaftar; "
        "portal membacanya pada sinkronisasi berikutnya.",
        "This is a preview: not stored, not published. To publish, update the SKPD's registered Google Sheet; the "
        "portal reads it at the next sync.",
    ),
    "preview.report": Text("Laporan pemeriksaan", "Check report"),
    "preview.counts": Text(
        "`{sheet}`: {rows} baris, {accepted} diterima, {rejected} ditolak",
        "`{sheet}`: {rows} rows, {accepted} accepted, {rejected} rejected",
    ),
    "preview.errors": Text(
        "{errors} kesalahan (barisnya tidak akan terbit) dan {warnings} peringatan. Perbaiki sel yang disebut.",
        "{errors} errors (those rows will not be published) and {warnings} warnings. Fix the cells named.",
    ),
    "preview.warnings": Text(
        "Tidak ada kesalahan; {warnings} peringatan patut diperiksa.",
        "No errors; {warnings} warnings are worth a look.",
    ),
    "preview.clean": Text("Tidak ada kesalahan atau peringatan.", "No errors or warnings."),
    "preview.col.cell": Text("Sel", "Cell"),
    "preview.col.note": Text("Isi catatan yang ditulis portal", "What the note the portal writes says"),
    "preview.notes_title": Text("Catatan di sheet", "Notes in the sheet"),
    "preview.notes_intro": Text(
        "Bila sheet ini disinkronkan dengan tulis-balik aktif (`write_back`), portal menulis catatan pada sel "
        "bermasalah, persis dengan kata-kata ini, di bawah catatan Anda sendiri bila ada. Setiap catatan dimulai "
        "dengan baris “{marker}” dan diakhiri “{footer}”.",
        "When this sheet is synced with write-back on (`write_back`), the portal puts a note on each problem cell, "
        "in exactly these words (in Indonesian), below your own note if the cell has one. Every note starts with "
        "the line “{marker}” and ends with “{footer}”.",
    ),
    "preview.notes_none": Text(
        "Tidak ada sel bermasalah: portal tidak akan menulis catatan di sheet ini.",
        "No problem cells: the portal would write no note in this sheet.",
    ),
    "preview.col.value": Text("Isi sel", "Cell value"),
    "preview.severity.error": Text("Kesalahan", "Error"),
    "preview.severity.warning": Text("Peringatan", "Warning"),
    "preview.formulas": Text(
        "Sel berikut berisi rumus: {cells}. Portal tidak menjalankan rumus; yang dibaca adalah nilai yang tersimpan "
        "di berkas. Di Google Sheet SKPD, ketik nilainya langsung.",
        "These cells hold formulas: {cells}. The portal never runs a formula; it reads the value saved in the "
        "file. In the SKPD's Google Sheet, type the value itself.",
    ),
    "preview.formulas_more": Text(" dan {more} lainnya", " and {more} more"),
    "preview.public_view": Text("Seperti yang akan dilihat warga", "As residents will see it"),
    "preview.no_programs": Text(
        "Belum ada baris `program` yang diterima, jadi belum ada kartu untuk ditampilkan.",
        "No `program` row was accepted yet, so there is no card to show.",
    ),
}
