"""Visible strings of downloads, the data dictionary and "cite this", Indonesian first."""

from __future__ import annotations

from core.text import Text

DOWNLOADS_STRINGS: dict[str, Text] = {
    "cite.title": Text("Kutip halaman ini", "Cite this page"),
    "downloads.title": Text("Unduh data", "Download the data"),
    "downloads.visible": Text("Yang tampil di halaman ini", "What this page shows"),
    "downloads.full": Text("Data lengkap (semua program)", "The full data set (every program)"),
    "downloads.caption": Text(
        "Sumber: {source}. Data per {when} (tanggal laporan terbaru). Dibaca portal {read}. Lisensi "
        "[{licence}]({url}). Berkas XLSX dan JSON memuat keterangan ini dan kamus data.",
        "Source: {source}. Data as of {when} (the newest report's date). Read by the portal {read}. Licence "
        "[{licence}]({url}). The XLSX and JSON files carry this and the data dictionary.",
    ),
    "downloads.about_sheet": Text("keterangan", "about"),
    "downloads.about.title": Text("Isi", "Contents"),
    "downloads.about.source": Text("Sumber", "Source"),
    "downloads.about.data_per": Text("Data per (tanggal laporan terbaru)", "Data as of (the newest report's date)"),
    "downloads.about.read_at": Text("Dibaca portal", "Read by the portal"),
    "downloads.about.licence": Text("Lisensi", "Licence"),
    "downloads.about.url": Text("Tautan tampilan", "Link to the view"),
    "downloads.about.formulas": Text("Catatan", "Note"),
    "downloads.about.formulas_text": Text(
        "Teks yang diawali =, +, - atau @ diberi tanda ' di depannya agar tidak dijalankan sebagai rumus.",
        "Text starting with =, +, - or @ has a ' put in front so it never runs as a formula.",
    ),
    "downloads.open_data": Text(
        "Berkas data terbuka yang selalu terbaru (untuk skrip dan IMPORTDATA): [{path}]({path})",
        "Always-current open-data files (for scripts and IMPORTDATA): [{path}]({path})",
    ),
    "overview.download_title": Text("Ringkasan program Quick Win", "Quick Win programs at a glance"),
    "map.download_title": Text("Lokasi program (sesuai filter)", "Program sites (as filtered)"),
    "dictionary.title": Text("Kamus data", "Data dictionary"),
    "dictionary.sheet": Text("kamus-data", "data-dictionary"),
    "dictionary.intro": Text(
        "Setiap kolom yang diterbitkan, artinya dan satuannya; dibuat dari kontrak sheet sehingga selalu sesuai.",
        "Every published column, its meaning and unit; generated from the sheet contract so it always matches.",
    ),
    "dictionary.show": Text("Tampilkan kamus data", "Show the data dictionary"),
}
