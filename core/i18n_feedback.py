"""Visible strings of the feedback questionnaire page and its moderation, Indonesian first.

The questions themselves live in ``kuesioner.toml``; these are the page's own words.
"""

from __future__ import annotations

from core.text import Text

FEEDBACK_STRINGS: dict[str, Text] = {
    "nav.feedback": Text("Survei Kepuasan", "Satisfaction survey"),
    "feedback.closed": Text(
        "Survei sedang ditutup. Terima kasih atas minat Anda.",
        "The survey is closed for now. Thank you for your interest.",
    ),
    # right after the language was switched on the form: a choice not yet sent lives only in the browser, in the
    # words of the language it was made in (components/feedback_form.py)
    "feedback.language_switched": Text(
        "Bahasa halaman diganti dari {language}. Pilihan jawaban yang belum dikirim tidak dapat ikut berganti "
        "bahasa: silakan pilih lagi. Jawaban yang sudah pernah dikirim dan isian teks tetap ada.",
        "The page's language was switched from {language}. Answers chosen but not yet sent cannot change language "
        "with it: please choose them again. Answers already sent once and typed text stay.",
    ),
    # the same, short enough for a toast on a phone (three lines)
    "feedback.language_switched_short": Text(
        "Bahasa diganti: pilih lagi jawaban yang belum dikirim.",
        "Language switched: choose again the answers not yet sent.",
    ),
    # the form while the store is down: responses wait in the spool
    "feedback.store_down": Text(
        "Data program untuk sementara tidak tersedia, tetapi tanggapan umum tetap bisa dikirim dan tidak akan hilang.",
        "The programs' data are temporarily unavailable, but a general response can still be sent and will not be "
        "lost.",
    ),
    "feedback.spooled": Text(
        "Tanggapan Anda tersimpan dengan aman dan akan masuk ke hasil survei begitu basis data portal pulih.",
        "Your response is safely kept and will join the survey results as soon as the portal's database is back.",
    ),
    # the store is down and the spool is full ([feedback] spool_max_mb): the response was not kept
    "feedback.spool_full": Text(
        "Tanggapan Anda belum dapat disimpan saat ini karena penyimpanan portal sedang terganggu, jadi belum "
        "terkirim. Jawaban Anda masih ada di formulir; silakan kirim lagi nanti.",
        "Your response could not be saved right now because the portal's storage is having trouble, so it has "
        "not been sent. Your answers are still in the form; please send it again later.",
    ),
    "feedback.ya": Text("Ya", "Yes"),
    "feedback.tidak": Text("Tidak", "No"),
    "feedback.elements_heading": Text("Penilaian pelayanan", "Rating the service"),
    "feedback.profile_heading": Text("Tentang Anda (opsional)", "About you (optional)"),
    "feedback.profile_note": Text(
        "Data ini hanya dipakai untuk statistik, sesuai pedoman SKM. Semua boleh dikosongkan.",
        "Used only for statistics, as the SKM guideline asks. Every field may stay empty.",
    ),
    "feedback.profile_placeholder": Text("Pilih (opsional)", "Choose (optional)"),
    "feedback.submit": Text("Kirim tanggapan", "Send response"),
    "feedback.problems": Text(
        "Ada {count} jawaban yang perlu diperbaiki; pesannya ada di bawah pertanyaan masing-masing. "
        "Jawaban lain tetap tersimpan di layar.",
        # Said without a plural, which would need a form per number ("1 answers need fixing" was shown).
        "Answers to fix: {count}; each message is under its question. Your other answers are still here.",
    ),
    # by the submit button, naming where the problems are (the messages under the questions may be out of sight)
    "feedback.problems_at_button": Text(
        "Belum terkirim: {count} jawaban perlu diperbaiki: {where}. Gulir ke atas; pesannya ada di bawah "
        "pertanyaan masing-masing.",
        "Not sent yet. Answers to fix: {count}, {where}. Scroll up; each message is under its question.",
    ),
    "feedback.problem_numbers": Text("pertanyaan nomor {numbers}", "question no. {numbers}"),
    "feedback.consent_short": Text("persetujuan kontak", "consent to be contacted"),
    "feedback.thanks": Text(
        "Terima kasih! Tanggapan Anda sudah tersimpan dengan nomor **{id}**. Simpan nomor ini bila Anda ingin "
        "menanyakannya kepada tim Smart City.",
        "Thank you! Your response is saved with number **{id}**. Keep this number if you want to ask the Smart "
        "City team about it.",
    ),
    "feedback.see_results": Text("Lihat hasil survei", "See the survey results"),
    "feedback.again": Text("Isi tanggapan lain", "Fill in another response"),
    "feedback.google_form": Text("Formulir Google", "Google Form"),
    "feedback.google_form_note": Text(
        "Pemerintah kota juga menjalankan formulir Google ini. Jawaban di formulir Google tidak masuk ke hasil "
        "di portal ini.",
        "The city also runs this Google Form. Answers given there are not counted in this portal's results.",
    ),
    # moderation (admin page)
    "moderation.title": Text("Moderasi saran", "Moderating suggestions"),
    "moderation.none": Text("Tidak ada saran yang menunggu pemeriksaan.", "No suggestion is waiting for review."),
    "moderation.waiting": Text("{count} saran menunggu pemeriksaan.", "{count} suggestions are waiting for review."),
    "moderation.item": Text("{id} · {program} · dikirim {when}", "{id} · {program} · sent {when}"),
    "moderation.as_written": Text("Seperti ditulis (hanya untuk admin):", "As written (admin only):"),
    "moderation.as_published": Text(
        "Yang akan tampil untuk umum (nomor dan e-mail disamarkan):",
        "What the public will see (numbers and e-mails masked):",
    ),
    "moderation.contact": Text(
        "Kontak untuk membalas (jangan dipublikasikan): {contact}", "Contact for a reply (never publish): {contact}"
    ),
    "moderation.approve": Text("Setujui", "Approve"),
    "moderation.reject": Text("Tolak", "Reject"),
    "moderation.withdraw": Text("Tarik dari publikasi", "Withdraw from publication"),
    "moderation.approved_list": Text("Saran yang sudah tampil ({count})", "Published suggestions ({count})"),
    "moderation.done": Text("Saran {id}: {status}.", "Suggestion {id}: {status}."),
    "moderation.status.approved": Text("disetujui dan tampil", "approved and published"),
    "moderation.status.rejected": Text("ditolak, tidak tampil", "rejected, not published"),
    "population.title": Text(
        "Populasi per program (untuk sampel Krejcie–Morgan)", "Population per program (for the Krejcie–Morgan sample)"
    ),
    "population.help": Text(
        "Jumlah penerima manfaat atau pengguna layanan tiap program. Dari angka ini halaman hasil survei "
        "menghitung jumlah responden minimum. Kosongkan (0) bila belum diketahui.",
        "The number of beneficiaries or service users of each program. The results page derives the minimum "
        "number of respondents from it. Leave 0 when unknown.",
    ),
    "population.save": Text("Simpan populasi", "Save populations"),
    "population.saved": Text("Populasi tersimpan.", "Populations saved."),
    "mirror.title": Text("Cermin Google Sheet", "Google Sheet mirror"),
    "mirror.off": Text(
        "Tidak ada cermin Google Sheet (`[feedback] mirror_sheet` kosong). Tanggapan tetap tersimpan di portal.",
        "No Google Sheet mirror (`[feedback] mirror_sheet` is empty). Responses are still kept by the portal.",
    ),
    "mirror.status": Text(
        "{mirrored} tanggapan sudah di Google Sheet, {waiting} menunggu.",
        "{mirrored} responses are in the Google Sheet, {waiting} waiting.",
    ),
    "mirror.error": Text("Percobaan terakhir gagal: {error}", "The last attempt failed: {error}"),
    "mirror.now": Text("Kirim ke Google Sheet sekarang", "Send to the Google Sheet now"),
    "mirror.result": Text(
        "{appended} ditambahkan, {already} sudah ada, {failed} gagal.",
        "{appended} appended, {already} already there, {failed} failed.",
    ),
    "mirror.busy": Text("Pengiriman lain sedang berjalan.", "Another send is running."),
    "feedback.responses_title": Text("Tanggapan survei", "Survey responses"),
    "admin.tab.sync": Text("Sinkronisasi", "Sync"),
}
