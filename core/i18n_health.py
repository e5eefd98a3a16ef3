"""Visible strings of the data health page (Kesehatan Data), Indonesian first."""

from __future__ import annotations

from core.text import Text

HEALTH_STRINGS: dict[str, Text] = {
    "nav.health": Text("Kesehatan Data", "Data health"),
    "health.title": Text("Kesehatan data per SKPD", "Data health per office (SKPD)"),
    "health.intro": Text(
        "Seberapa baik data setiap SKPD terbaca: kapan sheet-nya terakhir dibaca, kapan isinya terakhir "
        "berubah, baris yang ditolak dengan sel yang tepat, dan program yang laporan capaiannya sudah lama "
        "tidak diperbarui. Baris yang ditolak tidak tampil di halaman publik sampai diperbaiki di sheet; "
        "baris dengan peringatan tetap tampil.",
        "How well each office's data are read: when its sheet was last read, when its content last "
        "changed, the rejected rows with their exact cells, and the programs whose progress reports have "
        "not been updated for a long time. A rejected row stays off the public pages until it is fixed in "
        "the sheet; a row with a warning is published.",
    ),
    "health.private": Text(
        "Halaman kesehatan data hanya untuk tim Smart City. Masuk sebagai admin untuk melihatnya.",
        "The data health page is for the Smart City team only. Sign in as admin to see it.",
    ),
    "health.no_sources": Text(
        "Belum ada sumber data yang dikonfigurasi di portal.toml.",
        "No data source is configured in portal.toml yet.",
    ),
    "health.filter": Text("Tampilkan SKPD", "Show offices (SKPD)"),
    "health.filter_all": Text("Semua SKPD", "Every office"),
    "health.filter_help": Text(
        "Kosongkan untuk semua SKPD. Tautan halaman ini menyimpan pilihan, jadi setiap SKPD dapat menandainya.",
        "Leave empty for every office. The page's link keeps the choice, so each office can bookmark its view.",
    ),
    "health.filter_unknown": Text(
        "SKPD '{skpd}' pada tautan tidak dikenal dan diabaikan.",
        "The office '{skpd}' in the link is unknown and is ignored.",
    ),
    "health.summary.sources": Text("Sumber data", "Data sources"),
    "health.summary.failed": Text("Pembacaan terakhir gagal", "Last read failed"),
    "health.summary.rejected": Text("Baris ditolak", "Rejected rows"),
    "health.summary.stale": Text("Program tanpa laporan baru", "Programs without a recent report"),
    "health.condition.ok": Text("Baik", "Good"),
    "health.condition.warnings": Text("Ada peringatan", "Has warnings"),
    "health.condition.rejected": Text("Ada baris ditolak", "Rows rejected"),
    "health.condition.stale": Text("Ada program tanpa laporan baru", "A program has no recent report"),
    "health.condition.failed": Text("Pembacaan terakhir gagal", "Last read failed"),
    "health.condition.never_read": Text("Belum pernah terbaca", "Never read"),
    "health.origin": Text("Sumber: {origin}", "Source: {origin}"),
    "health.last_good_read": Text(
        "Pembacaan berhasil terakhir: {when} ({age} lalu)", "Last successful read: {when} ({age} ago)"
    ),
    "health.last_good_read.never": Text("Pembacaan berhasil terakhir: belum pernah", "Last successful read: never"),
    "health.last_change": Text(
        "Perubahan isi terakhir: {when} ({age} lalu)", "Last change in content: {when} ({age} ago)"
    ),
    "health.last_change.never": Text("Perubahan isi terakhir: belum ada data", "Last change in content: no data yet"),
    "health.last_attempt": Text("Sinkronisasi terakhir: {when}, {outcome}", "Last sync: {when}, {outcome}"),
    "health.last_attempt.never": Text("Sinkronisasi terakhir: belum pernah", "Last sync: never"),
    "health.outcome.new": Text("isi baru disimpan", "new content stored"),
    "health.outcome.unchanged": Text("isi tidak berubah", "content unchanged"),
    "health.outcome.failed": Text("gagal", "failed"),
    "health.sheet_not_written": Text(
        "Sheet SKPD ini: {message}",
        "This SKPD's sheet: {message}",
    ),
    "health.share_with": Text(
        "Alamat yang harus diberi akses Editor di sheet ini:", "The address to give Editor access to in this sheet:"
    ),
    "health.sheet_written": Text(
        "Catatan pada sel bermasalah dan tab status_portal terakhir diperbarui di sheet: {when}",
        "Notes on problem cells and the status_portal tab last updated in the sheet: {when}",
    ),
    "health.failed": Text(
        "Sinkronisasi terakhir ({when}) gagal: {message}",
        "The last sync ({when}) failed: {message}",
    ),
    "health.failed_kept": Text(
        "Data terakhir yang baik, dibaca {when} ({age} lalu), tetap tampil di halaman publik sampai "
        "pembacaan berhasil lagi.",
        "The last good data, read {when} ({age} ago), stay on the public pages until a read succeeds again.",
    ),
    "health.failed_nothing": Text(
        "Belum ada data dari sumber ini di halaman publik.",
        "No data from this source are on the public pages yet.",
    ),
    "health.counts": Text("Baris per worksheet", "Rows per worksheet"),
    "health.issues": Text("Baris ditolak dan peringatan", "Rejected rows and warnings"),
    "health.checked": Text(
        "Hasil pemeriksaan pembacaan {when}: {errors} kesalahan, {warnings} peringatan.",
        "As found by the read of {when}: {errors} errors, {warnings} warnings.",
    ),
    "health.open_hint": Text(
        "Klik alamat sel untuk membuka sheet tepat di sel itu.",
        "Click a cell address to open the sheet at that very cell.",
    ),
    # The static table's cap (issue 23): the page's first view shows at most 50 issues per source, rejected first.
    "health.issues_capped": Text(
        "Menampilkan {shown} dari {total} masalah, yang ditolak lebih dulu; semuanya ada di tabel interaktif.",
        "Showing {shown} of {total} issues, rejected rows first; all of them are in the interactive table.",
    ),
    # The static table's cell column for an issue with a row but no cell (a column the sheet lacks).
    "health.row_only": Text("baris {row}", "row {row}"),
    "health.no_issues": Text("Tidak ada baris ditolak maupun peringatan.", "No rejected rows and no warnings."),
    "health.col.worksheet": Text("Lembar (worksheet)", "Worksheet"),
    "health.col.rows": Text("Baris terisi", "Rows filled in"),
    "health.col.accepted": Text("Diterima", "Accepted"),
    "health.col.rejected": Text("Ditolak", "Rejected"),
    "health.col.severity": Text("Jenis", "Kind"),
    "health.col.row": Text("Baris", "Row"),
    "health.col.cell": Text("Sel", "Cell"),
    "health.col.column": Text("Kolom", "Column"),
    "health.col.value": Text("Isi sel", "Cell value"),
    "health.col.message": Text("Pesan", "Message"),
    "health.severity.error": Text("Ditolak", "Rejected"),
    "health.severity.warning": Text("Peringatan", "Warning"),
    "health.stale_title": Text("Program tanpa laporan baru", "Programs without a recent report"),
    "health.stale_rule": Text(
        "Program yang belum selesai ditandai bila laporan capaian terakhirnya lebih dari {days} hari yang lalu "
        "(atau, tanpa laporan sama sekali, bila sudah lebih dari {days} hari sejak tanggal mulai).",
        "A program that is not finished is flagged when its last progress report is more than {days} days old "
        "(or, with no report at all, when it started more than {days} days ago).",
    ),
    "health.stale_item": Text(
        "{name} ({code}): laporan terakhir {date}, {days} hari lalu",
        "{name} ({code}): last report {date}, {days} days ago",
    ),
    "health.stale_item.none": Text(
        "{name} ({code}): belum ada laporan sejak mulai {date}, {days} hari lalu",
        "{name} ({code}): no report since it started on {date}, {days} days ago",
    ),
    "health.no_stale": Text(
        "Setiap program SKPD ini sudah selesai atau punya laporan capaian dalam {days} hari terakhir.",
        "Every program of this office is finished or has a progress report from the last {days} days.",
    ),
    # Shown on /admin and on this page while [open_data] oc4ids_prefix is not of a registered prefix's shape
    # (core.oc4ids.prefix_is_registered_shape): the published oc4ids.json fails the standard's own check meanwhile.
    # The next sync (or start) rewrites the files: index.json records the settings they were written with
    # (publish_open_data.is_stale).
    "health.oc4ids_placeholder": Text(
        "**Awalan id proyek OC4IDS masih sementara.** Berkas data terbuka `oc4ids.json` memakai awalan "
        "`[open_data] oc4ids_prefix` = {prefix}, yang tidak berbentuk awalan terdaftar (`oc4ids-` lalu 6 huruf kecil "
        "atau angka), sehingga alat pemeriksa standar OC4IDS menandai setiap id proyek. Tim Smart City: minta awalan "
        "ke OC4IDS Helpdesk (data@open-contracting.org), isi di `portal.toml`, lalu sinkronkan: berkas ditulis ulang "
        "dan id proyeknya berubah satu kali.",
        "**The OC4IDS project id prefix is still a placeholder.** The open-data file `oc4ids.json` uses the prefix "
        "`[open_data] oc4ids_prefix` = {prefix}, which is not of a registered prefix's shape (`oc4ids-` and then 6 "
        "lower-case letters or digits), so the OC4IDS standard's review tool flags every project id. Smart City "
        "team: ask the OC4IDS Helpdesk (data@open-contracting.org) for a prefix, put it in `portal.toml`, then sync: "
        "the files are written again and the project ids change once.",
    ),
    "card.stale_report": Text("Laporan terakhir {days} hari lalu", "Last report {days} days ago"),
    "card.stale_none": Text("Belum ada laporan, {days} hari sejak mulai", "No report yet, {days} days since the start"),
}
