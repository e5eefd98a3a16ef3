"""The portal's own visible strings, Indonesian first. Sheet text is data and never lives here."""

from __future__ import annotations

from core.i18n_admin_auth import ADMIN_AUTH_STRINGS
from core.i18n_downloads import DOWNLOADS_STRINGS
from core.i18n_embed import EMBED_STRINGS
from core.i18n_feedback import FEEDBACK_STRINGS
from core.i18n_health import HEALTH_STRINGS
from core.i18n_history import HISTORY_STRINGS
from core.i18n_log_admin import LOG_ADMIN_STRINGS
from core.i18n_map import MAP_STRINGS
from core.i18n_not_found import NOT_FOUND_STRINGS
from core.i18n_notify import NOTIFY_STRINGS
from core.i18n_preview import PREVIEW_STRINGS
from core.i18n_survey_results import SURVEY_RESULTS_STRINGS
from core.i18n_verify import VERIFY_STRINGS
from core.i18n_void import VOID_STRINGS
from core.text import DEFAULT_LANGUAGE, LANGUAGES, Text

STRINGS: dict[str, Text] = {
    "language.unknown": Text(
        "Bahasa pada tautan tidak dikenal; halaman ditampilkan dalam bahasa Indonesia.",
        "The language in the link is unknown; the page is shown in Indonesian.",
    ),
    "nav.overview": Text("Beranda", "Home"),
    "sample.notice": Text(
        "**Data contoh.** Angka di portal ini adalah data contoh untuk uji coba, bukan angka resmi "
        "Pemerintah Kota Banjarmasin.",
        "**Sample data.** The figures on this portal are sample data for testing, not official "
        "figures of the City of Banjarmasin.",
    ),
    "overview.intro": Text(
        "Kemajuan enam program Quick Win Smart City Kota Banjarmasin, satu program per dimensi. "
        "Setiap angka berasal dari sheet SKPD pemiliknya dan tercatat kapan datanya diambil.",
        "Progress of the six Smart City Quick Win programs of Banjarmasin, one per dimension. Every "
        "figure comes from the sheet of the office that owns the program, with the time it was read.",
    ),
    "overview.empty": Text(
        "Belum ada data yang dapat ditampilkan. Tim Smart City: jalankan `python -m data_sources sync`.",
        "There are no data to show yet. Smart City team: run `python -m data_sources sync`.",
    ),
    "overview.programs": Text("Program", "Programs"),
    "overview.chart": Text("Realisasi dan rencana per program", "Progress and plan per program"),
    "overview.chart_table": Text("Tabel data grafik", "The chart's data as a table"),
    "overview.chart_alt": Text(
        "Grafik batang: realisasi tiap program terhadap rencananya; angkanya ada di tabel data grafik.",
        "Bar chart: each program's progress against its plan; the figures are in the chart's data table.",
    ),
    "overview.no_program": Text("Belum ada program di dimensi ini.", "No program in this dimension yet."),
    "overview.figures_source": Text(
        '{data_per} · Sumber: sheet {count} SKPD, rinciannya di "Sumber data dan waktu sinkronisasi" di bawah',
        '{data_per} · Source: the sheets of {count} offices (SKPD), listed under "Data sources and sync times" below',
    ),
    "card.progress": Text(
        "Realisasi {actual} dari rencana {plan}",
        "Progress {actual} against a plan of {plan}",
    ),
    "card.indicator": Text(
        "{indicator}: {count} dari target {target} {unit}", "{indicator}: {count} of a target of {target} {unit}"
    ),
    "card.as_of": Text("Data per {date}", "Data as of {date}"),
    "card.source": Text("Sumber: {skpd}, {origin}", "Source: {skpd}, {origin}"),
    "card.source_skpd": Text("Sumber: {skpd}", "Source: {skpd}"),
    "card.budget": Text("Anggaran {budget}", "Budget {budget}"),
    "card.budget_spent": Text("Anggaran terpakai {spent} dari {budget}", "Budget spent {spent} of {budget}"),
    "card.stale": Text(
        "Pembacaan terakhir sumber ini gagal; angka ini data terakhir yang baik.",
        "The last read of this source failed; these are the last good figures.",
    ),
    "share.plan_tick": Text("Batang: realisasi; garis tegak: rencana", "Bar: progress; upright line: plan"),
    # The link previews' pictures said in words (og:image:alt, twitter:image:alt), for a reader who cannot see them.
    "share.alt.city": Text(
        "Grafik kemajuan {count} program Quick Win: batang realisasi fisik tiap program dengan nama dan statusnya, "
        "garis tegak rencananya.",
        "Chart of the progress of the {count} Quick Win programs: a bar of each program's physical progress with its "
        "name and status, an upright line at its plan.",
    ),
    "share.alt.program": Text(
        "Grafik {name} ({skpd}): {status}. Batang realisasi fisik dan rencananya.",
        "Chart of {name} ({skpd}): {status}. Bars of its physical progress and its plan.",
    ),
    "page.read_at": Text("Dibaca portal {when}", "Read by the portal {when}"),
    "page.noscript": Text(
        "Halaman interaktif memerlukan JavaScript. Ringkasan di atas berisi angka yang sama, dari data yang sama.",
        "The interactive page needs JavaScript. The summary above holds the same figures, from the same data.",
    ),
    # app.py, when the store cannot be read: a plain statement and the last open-data files
    "store_down.notice": Text(
        "**Data portal untuk sementara tidak tersedia.** Basis data portal sedang bermasalah dan tim Smart City "
        "sudah diberi tahu lewat log server. Sementara itu, berkas data terbuka terakhir tetap bisa diunduh:",
        "**The portal's data are temporarily unavailable.** The portal's database has a problem and the Smart City "
        "team has been told through the server log. Meanwhile, the last open-data files can still be downloaded:",
    ),
    "store_down.file.capaian": Text("Capaian setiap program (CSV)", "Every program's progress (CSV)"),
    "store_down.file.program": Text("Daftar program (CSV)", "The programs (CSV)"),
    "store_down.file.lokasi": Text("Lokasi program (CSV)", "Program sites (CSV)"),
    "store_down.file.riwayat": Text("Riwayat capaian (CSV)", "Progress history (CSV)"),
    "store_down.file.index": Text("Semua berkas data terbuka (index.json)", "Every open-data file (index.json)"),
    "error.apology": Text(
        "Maaf, halaman ini sedang bermasalah. Tim Smart City sudah tercatat menerima laporannya; coba lagi nanti.",
        "Sorry, this page has a problem. The Smart City team has it in their log; please try again later.",
    ),
    "about.title": Text("Tentang portal ini", "About this portal"),
    "about.what": Text(
        "Portal ini menunjukkan kemajuan enam program Quick Win Smart City Kota Banjarmasin, satu per "
        "dimensi, agar warga dan jurnalis dapat memeriksa apa yang sudah dicapai. Setiap angka berasal "
        "dari sheet SKPD pemilik program, diperiksa sel demi sel, dan setiap perubahan disimpan.",
        "This portal shows the progress of Banjarmasin's six Smart City Quick Win programs, one per "
        "dimension, so that residents and journalists can check what has been achieved. Every figure "
        "comes from the sheet of the office that owns the program, is checked cell by cell, and every "
        "change is kept.",
    ),
    "about.sources": Text("Dari mana datanya, dan seberapa sering", "Where the data come from, and how often"),
    "about.sources_text": Text(
        "Setiap SKPD mengisi Google Sheet-nya sendiri. Portal membacanya paling lama setiap {minutes} menit; "
        "baris yang salah tidak diterbitkan dan dilaporkan ke SKPD dengan sel yang tepat. Jika pembacaan "
        "gagal, data terakhir yang baik tetap tampil bersama umurnya.",
        "Each office keeps its own Google Sheet. The portal reads it at least every {minutes} minutes; a "
        "wrong row is not published and is reported to the office with its exact cell. When a read fails, "
        "the last good data stay on the page with their age.",
    ),
    "about.status": Text("Cara status dihitung", "How status is computed"),
    "about.status_text": Text(
        "- **Selesai**: laporan menyatakan Selesai atau realisasi fisik mencapai 100%.\n"
        "- **Kritis**: realisasi tertinggal lebih dari 10 poin dari rencana saat rencana 0–70%, atau lebih "
        "dari 5 poin saat rencana di atas 70% (aturan umum pemantauan pekerjaan umum).\n"
        "- **Terlambat**: realisasi di bawah rencana, atau program melewati tanggal selesainya tanpa selesai.\n"
        "- **Belum dimulai**: rencana dan realisasi masih 0%.\n"
        "- **Sesuai rencana**: selain itu.",
        "- **Completed**: the report says Selesai or physical progress reached 100%.\n"
        "- **Critical**: progress lags the plan by more than 10 points while the plan is 0–70%, or by more "
        "than 5 points above 70% (the common rule of public-works monitoring).\n"
        "- **Behind plan**: progress is below the plan, or the program is past its end date and not finished.\n"
        "- **Not started**: plan and progress are both 0%.\n"
        "- **On track**: otherwise.",
    ),
    "about.privacy": Text("Data pribadi", "Personal data"),
    "about.privacy_text": Text(
        "Nama penerima, NIK, nomor KK, nomor telepon dan alamat tidak pernah disimpan atau ditampilkan. "
        "Rumah penerima program (RTLH) hanya ditampilkan sebagai jumlah per kelurahan.",
        "Names of beneficiaries, NIK and family-card numbers, phone numbers and addresses are never stored "
        "or shown. Beneficiaries' homes (RTLH) are shown only as counts per kelurahan.",
    ),
    "about.licence": Text("Lisensi dan kontak", "Licence and contact"),
    "about.licence_text": Text(
        "Data portal ini dapat digunakan ulang dengan lisensi [{licence}]({url}). Kontak: {contact}.",
        "The portal's data may be reused under the [{licence}]({url}) licence. Contact: {contact}.",
    ),
    "index.title": Text("Indeks Smart City Kota Banjarmasin", "Banjarmasin's Smart City index"),
    "index.year": Text("Tahun", "Year"),
    "index.score": Text("Nilai", "Score"),
    "index.note": Text("Catatan", "Note"),
    "index.chart_alt": Text(
        "Grafik batang: nilai Indeks Smart City per tahun pada skala 0–4; angkanya ada di tabel di bawahnya.",
        "Bar chart: the Smart City index score per year on its 0–4 scale; the figures are in the table below it.",
    ),
    "chart.actual": Text("Realisasi", "Progress"),
    "chart.plan": Text("Rencana", "Plan"),
    "chart.axis": Text("Progres fisik (%)", "Physical progress (%)"),
    # The picture drawn on the server shows first; Plotly loads only when a reader asks for it (issue 23).
    "chart.interactive": Text("Tampilkan grafik interaktif", "Show the interactive chart"),
    "table.interactive": Text(
        "Tampilkan tabel interaktif (urutkan, cari)", "Show the interactive table (sort, search)"
    ),
    "sources.title": Text("Sumber data dan waktu sinkronisasi", "Data sources and sync times"),
    "sources.ok": Text(
        "**{source}** ({origin}): dibaca {read}, {age} lalu. {accepted} baris terbit, {rejected} ditolak.",
        "**{source}** ({origin}): read {read}, {age} ago. {accepted} rows published, {rejected} rejected.",
    ),
    "sources.failed": Text(
        "**{source}**: pembacaan terakhir gagal ({when}): {message} Yang tampil adalah data terakhir yang baik, "
        "berumur {age}.",
        "**{source}**: the last read failed ({when}): {message} What you see is the last good data, {age} old.",
    ),
    "sources.failed_never": Text(
        "**{source}**: belum pernah berhasil dibaca. Pesan: {message}",
        "**{source}**: never read successfully. Message: {message}",
    ),
    "footer": Text(
        "Data dapat digunakan ulang dengan lisensi {licence}. Kontak: {contact}.",
        "The data may be reused under the {licence} licence. Contact: {contact}.",
    ),
    "tz": Text("WITA", "WITA (UTC+8)"),
    "nav.admin": Text("Pengelolaan portal", "Portal administration"),
    "nav.program": Text("Program", "Program"),
    "nav.about": Text("Tentang", "About"),
    "program.title": Text("Program", "Program"),
    "program.choose": Text("Pilih program", "Choose a program"),
    "program.unknown": Text(
        "Program '{code}' tidak ditemukan; yang tampil adalah program pertama.",
        "There is no program '{code}'; the first program is shown instead.",
    ),
    "program.actual_vs_plan": Text("Realisasi (rencana {plan})", "Progress (plan {plan})"),
    "program.deviation": Text("deviasi terhadap rencana", "deviation from the plan"),
    "program.points": Text("{points} poin", "{points} points"),
    "program.count_of_target": Text(
        "{indicator} (dari target {target} {unit})", "{indicator} (of a target of {target} {unit})"
    ),
    "program.budget_spent": Text("Anggaran terpakai (pagu {budget})", "Budget spent (of {budget})"),
    "program.curve": Text(
        "Kurva S: rencana dan realisasi kumulatif", "S-curve: planned and actual cumulative progress"
    ),
    "program.curve_table": Text("Tabel data kurva S", "S-curve data as a table"),
    "program.curve_alt": Text(
        "Kurva S {program}: rencana (garis putus-putus oranye, belah ketupat) dan realisasi (garis biru, bulatan) "
        "kumulatif per tanggal laporan; angkanya ada di tabel di bawahnya.",
        "S-curve of {program}: planned (dashed orange line, diamonds) and actual (blue line, circles) cumulative "
        "progress per report date; the figures are in the table below it.",
    ),
    "program.reports": Text("Laporan kemajuan", "Progress reports"),
    "program.period": Text("Periode {start} – {end}", "Period {start} – {end}"),
    "program.link": Text("Tautan program", "Program link"),
    "program.sites": Text("Lokasi program", "Program sites"),
    "program.full_map": Text("Buka di peta lengkap", "Open on the full map"),
    "program.survey": Text("Nilai program ini di survei kepuasan", "Rate this program in the satisfaction survey"),
    "program.open": Text("Lihat program", "View program"),
    "rule.done": Text(
        "Selesai: laporan menyatakan Selesai atau realisasi mencapai 100%.",
        "Completed: the report says Selesai or progress reached 100%.",
    ),
    "rule.on_track": Text(
        "Sesuai rencana: realisasi {actual} tidak di bawah rencana {plan}.",
        "On track: progress {actual} is not below the plan of {plan}.",
    ),
    "rule.late": Text(
        "Terlambat: realisasi {actual} di bawah rencana {plan} ({lag} poin); belum kritis, batas kritis "
        "{threshold} poin.",
        "Behind plan: progress {actual} is below the plan of {plan} ({lag} points); not critical, the "
        "critical threshold is {threshold} points.",
    ),
    "rule.overdue": Text(
        "Program sudah melewati tanggal selesainya ({end}) dan belum selesai.",
        "The program is past its end date ({end}) and not finished.",
    ),
    "rule.critical": Text(
        "Kritis: realisasi {actual} tertinggal {lag} poin dari rencana {plan}, lebih dari batas {threshold} poin "
        "(10 poin saat rencana 0–70%, 5 poin saat rencana di atas 70%).",
        "Critical: progress {actual} lags the plan of {plan} by {lag} points, more than the {threshold}-point "
        "threshold (10 points while the plan is 0–70%, 5 points above 70%).",
    ),
    "rule.not_started": Text(
        "Belum dimulai: rencana dan realisasi masih 0%.", "Not started: plan and progress are both 0%."
    ),
    "rule.no_data": Text("Belum ada laporan kemajuan.", "No progress report yet."),
    "col.date": Text("Tanggal", "Date"),
    "col.plan": Text("Rencana", "Plan"),
    "col.actual": Text("Realisasi", "Progress"),
    "col.count": Text("Capaian indikator", "Indicator count"),
    "col.spent": Text("Anggaran terpakai", "Budget spent"),
    "col.status": Text("Status", "Status"),
    "col.note": Text("Keterangan", "Notes"),
    "col.evidence": Text("Bukti", "Evidence"),
    "col.open": Text("buka", "open"),
    "admin.title": Text("Pengelolaan portal", "Portal administration"),
    "admin.disabled": Text(
        "Halaman admin belum aktif: tetapkan `[admin] password_hash` di `.streamlit/secrets.toml` "
        "(buat dengan `python -m data_sources hash-password`).",
        "The admin page is off: set `[admin] password_hash` in `.streamlit/secrets.toml` "
        "(make it with `python -m data_sources hash-password`).",
    ),
    "admin.password": Text("Kata sandi admin", "Admin password"),
    "admin.sign_in": Text("Masuk", "Sign in"),
    "admin.wrong_password": Text("Kata sandi salah.", "Wrong password."),
    "admin.sync_now": Text("Sinkronkan sekarang", "Sync now"),
    "admin.syncing": Text("Membaca semua sumber…", "Reading every source…"),
    "admin.busy": Text(
        "Sinkronisasi lain sedang berjalan; coba lagi sebentar lagi.",
        "Another sync is running; try again in a moment.",
    ),
    "admin.outcome.new": Text("snapshot baru disimpan", "new snapshot stored"),
    "admin.outcome.unchanged": Text("tidak berubah", "unchanged"),
    "admin.outcome.failed": Text("gagal", "failed"),
    "admin.col.source": Text("Sumber", "Source"),
    "admin.col.sheet_report": Text("Laporan di sheet SKPD", "Report in the SKPD's sheet"),
    "admin.sheet.written": Text("ditulis", "written"),
    "admin.sheet.unchanged": Text("tidak berubah", "unchanged"),
    "admin.sheet.refused": Text("ditolak Google", "refused by Google"),
    "admin.sheet.failed": Text("gagal", "failed"),
    "admin.col.skpd": Text("SKPD", "SKPD"),
    "admin.col.last": Text("Terakhir dicoba (WITA)", "Last attempt (WITA)"),
    "admin.col.outcome": Text("Hasil", "Outcome"),
    "admin.col.requests": Text("Permintaan", "Requests"),
    "admin.col.bytes": Text("Byte dibaca", "Bytes read"),
    "admin.col.duration": Text("Durasi (ms)", "Duration (ms)"),
    "admin.col.message": Text("Pesan", "Message"),
}


STRINGS.update(MAP_STRINGS)
# One module per area, so parallel work on different pages does not collide in one dict.
for _area in (
    FEEDBACK_STRINGS,
    ADMIN_AUTH_STRINGS,
    SURVEY_RESULTS_STRINGS,
    HEALTH_STRINGS,
    PREVIEW_STRINGS,
    DOWNLOADS_STRINGS,
    HISTORY_STRINGS,
    VOID_STRINGS,
    NOTIFY_STRINGS,
    EMBED_STRINGS,
    NOT_FOUND_STRINGS,
    VERIFY_STRINGS,
    LOG_ADMIN_STRINGS,
):
    assert not set(_area) & set(STRINGS), f"duplicate string keys: {set(_area) & set(STRINGS)}"
    STRINGS.update(_area)


def t(key: str, lang: str = DEFAULT_LANGUAGE, **values: object) -> str:
    text = STRINGS[key].get(lang if lang in LANGUAGES else DEFAULT_LANGUAGE)
    return text.format(**values) if values else text
