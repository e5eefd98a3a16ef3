"""Visible strings of the history page (Riwayat) and of the edit notes on program pages, Indonesian first."""

from __future__ import annotations

from core.text import Text

HISTORY_STRINGS: dict[str, Text] = {
    "nav.history": Text("Riwayat", "History"),
    "history.title": Text("Riwayat data dan perubahan", "Data history and changes"),
    "history.intro": Text(
        "Setiap kali isi sheet SKPD berubah, portal menyimpan salinannya (snapshot) dan tidak pernah "
        "mengubah atau menghapusnya. Dari salinan itu halaman ini menunjukkan setiap angka sejak pertama "
        "terbit, apa yang berubah di antara dua tanggal, dan angka yang diubah setelah terbit.",
        "Every time an office's sheet changes, the portal keeps a copy (a snapshot) and never changes or "
        "deletes it. From those copies this page shows every figure since it was first published, what "
        "changed between two dates, and the figures that were changed after they were published.",
    ),
    "history.sample": Text(
        "Riwayat contoh: snapshot bertanggal 2024 dibuat dari versi lama workbook contoh "
        "(sample_data/riwayat), agar riwayat dapat dicoba sejak awal.",
        "Sample history: the snapshots dated 2024 come from earlier versions of the sample workbooks "
        "(sample_data/riwayat), so that the history can be tried from the start.",
    ),
    "history.none": Text(
        "Belum ada snapshot yang tersimpan, jadi belum ada riwayat.",
        "No snapshot is stored yet, so there is no history yet.",
    ),
    # -- edits after publication
    "history.edits.title": Text("Angka yang diubah setelah terbit", "Figures changed after publication"),
    "history.edits.intro": Text(
        "Laporan yang direvisi atau dihapus, realisasi yang turun, serta target, tanggal selesai dan anggaran "
        "yang diubah, dari semua program, yang terbaru di atas.",
        "Reports revised or removed, progress that went down, and targets, end dates and budgets that were "
        "changed, for every program, newest first.",
    ),
    "history.edits.none": Text(
        "Tidak ada angka yang diubah setelah terbit.", "No figure has been changed after publication."
    ),
    "history.note.link": Text("Lihat riwayat angka program ini", "See the history of this program's figures"),
    "history.edit.target_changed": Text(
        "Target diubah dari {old} menjadi {new} pada {when}", "Target changed from {old} to {new} on {when}"
    ),
    "history.edit.end_date_moved": Text(
        "Tanggal selesai dipindah dari {old} menjadi {new} pada {when}",
        "End date moved from {old} to {new} on {when}",
    ),
    "history.edit.budget_changed": Text(
        "Anggaran diubah dari {old} menjadi {new} pada {when}", "Budget changed from {old} to {new} on {when}"
    ),
    "history.edit.report_revised": Text(
        "Laporan {date} direvisi: {field} diubah dari {old} menjadi {new} pada {when}",
        "Report of {date} revised: {field} changed from {old} to {new} on {when}",
    ),
    "history.edit.report_removed": Text(
        "Laporan {date} (realisasi {old}) dihapus pada {when}",
        "Report of {date} (progress {old}) removed on {when}",
    ),
    "history.edit.realisation_down.revised": Text(
        "Realisasi laporan {date} diturunkan dari {old} menjadi {new} pada {when}",
        "Progress in the report of {date} lowered from {old} to {new} on {when}",
    ),
    "history.edit.realisation_down.next": Text(
        "Realisasi turun dari {old} (laporan {earlier}) menjadi {new} (laporan {date}), terbit pada {when}",
        "Progress went down from {old} (report of {earlier}) to {new} (report of {date}), published on {when}",
    ),
    "history.edit.program_removed": Text(
        "Program dihapus dari sheet sumbernya pada {when}", "Program removed from its source sheet on {when}"
    ),
    # -- the Atom feed of changes (/riwayat.atom), and its link on the page
    "history.feed": Text(
        "[Ikuti perubahan lewat feed Atom]({url}): tempel alamat itu di aplikasi pembaca feed, dan setiap "
        "perubahan angka sampai kepada Anda tanpa perlu membuka portal ini.",
        "[Follow the changes as an Atom feed]({url}): paste that address into a feed reader, and every change to "
        "the figures reaches you without opening this portal.",
    ),
    "feed.page.what": Text(
        "Ini feed Atom: alamat yang dibaca aplikasi pembaca feed (feed reader) untuk mengikuti perubahan angka "
        "portal ini. Setiap sinkronisasi yang mengubah angka program atau laporan menjadi satu entri baru, "
        "sehingga ruang redaksi tahu apa yang berubah tanpa memeriksa portal setiap hari.",
        "This is an Atom feed: an address a feed reader follows to keep up with changes to this portal's "
        "figures. Every sync that changes a program's figures or reports becomes a new entry, so a newsroom "
        "learns what changed without checking the portal every day.",
    ),
    "feed.page.address": Text(
        "Untuk berlangganan, tempel alamat ini di aplikasi pembaca feed:",
        "To subscribe, paste this address into a feed reader:",
    ),
    "feed.page.history": Text("Buka halaman Riwayat", "Open the History page"),
    "feed.page.other_language": Text("Bahasa Indonesia", "English"),
    "feed.page.entries": Text("Entri terbaru", "Latest entries"),
    "feed.page.none": Text("Belum ada perubahan yang terbit.", "No published changes yet."),
    "feed.title": Text("Perubahan data terbit · {site}", "Published data changes · {site}"),
    "feed.subtitle": Text(
        "Setiap sinkronisasi yang mengubah data program atau laporan kemajuan: angka lama dan baru, data per, "
        "dan apakah angka diubah setelah terbit.",
        "Every sync that changed a program's data or progress reports: old and new values, data as of, and "
        "whether a figure was changed after publication.",
    ),
    "feed.sample": Text(
        "Data contoh: bukan angka resmi Pemerintah Kota Banjarmasin.",
        "Sample data: not official figures of the City of Banjarmasin.",
    ),
    "feed.more": Text("(+{count} lainnya)", "(+{count} more)"),
    "feed.line.report_changed": Text(
        "{field} {old} → {new} (laporan {date})", "{field} {old} → {new} (report of {date})"
    ),
    "feed.line.report_added": Text("{field} {new} (laporan baru {date})", "{field} {new} (new report of {date})"),
    "feed.line.report_removed": Text(
        "Laporan {date} dihapus ({field} {old})", "Report of {date} removed ({field} {old})"
    ),
    "feed.line.program_added": Text(
        "Program baru terbit: {field} {new}; {reports} laporan terbit",
        "New program published: {field} {new}; reports published: {reports}",
    ),
    "feed.line.program_removed": Text(
        "Program dihapus dari sheet sumbernya, beserta {reports} laporan",
        "Program removed from its source sheet; reports removed with it: {reports}",
    ),
    "feed.retroactive": Text("diubah setelah terbit", "changed after publication"),
    "feed.summary": Text("{changes} perubahan.", "Changes: {changes}."),
    "feed.summary.retroactive": Text(
        "{changes} perubahan; {edits} angka diubah setelah terbit.",
        "Changes: {changes}; figures changed after publication: {edits}.",
    ),
    "feed.read_at": Text("Dibaca dari sheet SKPD {when} WITA.", "Read from the office's sheet {when} WITA."),
    "feed.link": Text("Lihat di halaman Riwayat", "See it on the History page"),
    # -- one program's figures over time
    "history.program.title": Text(
        "Setiap angka program sejak pertama terbit", "Every figure of a program since first published"
    ),
    "history.program.choose": Text("Pilih program", "Choose a program"),
    "history.program.unknown": Text(
        "Program '{code}' tidak ada dalam riwayat; yang tampil adalah program pertama.",
        "There is no program '{code}' in the history; the first program is shown instead.",
    ),
    "history.program.filter_changed": Text("Hanya nilai yang pernah berubah", "Only values that changed at some point"),
    "history.program.static_cut": Text(
        "Menampilkan {shown} dari {total} nilai: data program dan laporan terbaru. Tabel interaktif memuat semuanya.",
        "Showing {shown} of {total} values: the program's data and the newest reports. The interactive table has "
        "them all.",
    ),
    "history.program.table_caption": Text(
        "Satu baris per nilai yang terbit: kapan pertama kali tampil di portal (WITA) dan di snapshot mana. "
        "Nilai yang kemudian diubah muncul lagi dengan nilai barunya.",
        "One row per published value: when it first appeared on the portal (WITA) and in which snapshot. "
        "A value changed later appears again with its new value.",
    ),
    "history.program.chart": Text(
        "Realisasi per tanggal laporan, seperti yang terbit pada setiap tanggal",
        "Progress per report date, as published on each date",
    ),
    "history.program.chart_caption": Text(
        "Satu garis per versi yang terbit. Garis yang menyimpang dari yang lain menandai laporan yang direvisi.",
        "One line per published version. A line that departs from the others marks a revised report.",
    ),
    "history.program.chart_alt": Text(
        "Grafik garis: realisasi {program} per tanggal laporan, satu garis per versi yang terbit (yang terbaru biru "
        "tebal); angkanya ada di tabel data grafik.",
        "Line chart: the progress of {program} per report date, one line per published version (the latest thick "
        "and blue); the figures are in the chart's data table.",
    ),
    "history.program.chart_table": Text("Tabel data grafik", "The chart's data as a table"),
    "history.col.version": Text("Versi terbit", "Version published"),
    "history.chart.version": Text("terbit {date}", "published {date}"),
    "history.chart.axis": Text("Realisasi fisik (%)", "Physical progress (%)"),
    "history.col.report_date": Text("Tanggal laporan", "Report date"),
    "history.col.field": Text("Kolom", "Field"),
    "history.col.value": Text("Nilai", "Value"),
    "history.col.first_published": Text("Pertama terbit (WITA)", "First published (WITA)"),
    "history.col.snapshot": Text("Snapshot", "Snapshot id"),
    "history.program_row": Text("(data program)", "(program data)"),
    "history.removed": Text("(dihapus)", "(removed)"),
    "history.empty": Text("(kosong)", "(empty)"),
    # -- what changed between two dates
    "history.compare.title": Text("Apa yang berubah di antara dua tanggal", "What changed between two dates"),
    "history.compare.intro": Text(
        "Data seperti yang terbit pada akhir tanggal pertama dibandingkan dengan data pada akhir tanggal kedua "
        "(WITA). Tautan halaman ini menyimpan kedua tanggal.",
        "The data as published at the end of the first date compared with the data at the end of the second "
        "(WITA). The page's link keeps both dates.",
    ),
    "history.compare.from": Text("Dari tanggal (HH/BB/TTTT)", "From (DD/MM/YYYY)"),
    "history.compare.to": Text("Sampai tanggal (HH/BB/TTTT)", "To (DD/MM/YYYY)"),
    "history.compare.placeholder": Text("mis. 15/10/2024", "e.g. 15/10/2024"),
    "history.compare.bad_date": Text(
        "Tanggal '{value}' tidak dapat dibaca (tulis HH/BB/TTTT, mis. 15/10/2024); yang dipakai {used}.",
        "The date '{value}' cannot be read (write DD/MM/YYYY, e.g. 15/10/2024); {used} is used instead.",
    ),
    "history.compare.too_early": Text(
        "Tanggal {value} sebelum awal riwayat ({first}); yang dipakai {used}. Pilih tanggal {first} sampai {last}.",
        "The date {value} is before the history begins ({first}); {used} is used instead. "
        "Choose a date from {first} to {last}.",
    ),
    "history.compare.too_late": Text(
        "Tanggal {value} sesudah hari ini ({last}); yang dipakai {used}. Pilih tanggal {first} sampai {last}.",
        "The date {value} is after today ({last}); {used} is used instead. Choose a date from {first} to {last}.",
    ),
    "history.compare.reversed": Text(
        "Tanggal pertama sesudah tanggal kedua: yang tampil adalah perubahan dari {to} ke {from_}.",
        "The first date is after the second: the changes shown go from {to} to {from_}.",
    ),
    "history.compare.none": Text(
        "Tidak ada yang berubah di antara {from_} dan {to}.", "Nothing changed between {from_} and {to}."
    ),
    "history.compare.summary": Text(
        "Dari {from_} sampai {to}: perubahan pada {programs} program, {reports} laporan dan {sites} lokasi.",
        "From {from_} to {to}: changes to programs: {programs}, reports: {reports}, sites: {sites}.",
    ),
    "history.download_title": Text("Perubahan data dari {from_} sampai {to}", "Data changes from {from_} to {to}"),
    "history.compare.programs": Text("Program", "Programs"),
    "history.compare.reports": Text("Laporan kemajuan", "Progress reports"),
    "history.compare.sites": Text("Lokasi", "Sites"),
    "history.change.added": Text("Ditambah", "Added"),
    "history.change.removed": Text("Dihapus", "Removed"),
    "history.change.changed": Text("Diubah", "Changed"),
    # One line per changed field, the new value first (a list, not a table: see components.change_log).
    "history.line.changed": Text("{field}: **{new}** (sebelumnya {old})", "{field}: **{new}** (was {old})"),
    "history.line.added": Text("{field}: **{new}** (baru)", "{field}: **{new}** (new)"),
    "history.line.removed": Text("{field}, terakhir terbit: {old}", "{field}, last published: {old}"),
    # -- the contract's columns, for readers
    "history.field.kode_program": Text("Kode program", "Program code"),
    "history.field.nama_program": Text("Nama program", "Program name"),
    "history.field.dimensi": Text("Dimensi", "Dimension"),
    "history.field.skpd": Text("SKPD", "Office (SKPD)"),
    "history.field.deskripsi": Text("Deskripsi", "Description"),
    "history.field.indikator": Text("Indikator", "Indicator"),
    "history.field.satuan": Text("Satuan", "Unit"),
    "history.field.target": Text("Target indikator", "Indicator target"),
    "history.field.anggaran": Text("Anggaran", "Budget"),
    "history.field.tanggal_mulai": Text("Tanggal mulai", "Start date"),
    "history.field.tanggal_selesai": Text("Tanggal selesai", "End date"),
    "history.field.lokasi_pribadi": Text("Lokasi pribadi", "Private sites"),
    "history.field.tautan": Text("Tautan", "Link"),
    "history.field.tanggal": Text("Tanggal laporan", "Report date"),
    "history.field.rencana_persen": Text("Rencana fisik", "Planned progress"),
    "history.field.realisasi_persen": Text("Realisasi fisik", "Physical progress"),
    "history.field.capaian_indikator": Text("Capaian indikator", "Indicator count"),
    "history.field.realisasi_anggaran": Text("Anggaran terpakai", "Budget spent"),
    "history.field.status": Text("Status kemajuan", "Progress status"),
    "history.field.keterangan": Text("Keterangan", "Notes"),
    "history.field.bukti": Text("Bukti", "Evidence"),
    "history.field.kode_lokasi": Text("Kode lokasi", "Site code"),
    "history.field.nama_lokasi": Text("Nama lokasi", "Site name"),
    "history.field.jenis": Text("Jenis lokasi", "Site kind"),
    "history.field.koordinat": Text("Koordinat", "Coordinates"),
    "history.field.kelurahan": Text("Kelurahan", "Kelurahan (urban village)"),
    "history.field.kecamatan": Text("Kecamatan", "Kecamatan (district)"),
    "history.field.tanggal_update": Text("Tanggal pembaruan", "Date updated"),
}
