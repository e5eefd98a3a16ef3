"""Visible strings of the public survey (IKM) results page, Indonesian first."""

from __future__ import annotations

from core.text import Text

SURVEY_RESULTS_STRINGS: dict[str, Text] = {
    "nav.survey_results": Text("Hasil Survei", "Survey results"),
    "survey_results.title": Text("Hasil Survei Kepuasan Masyarakat", "Residents' satisfaction survey results"),
    "survey_results.intro": Text(
        "Indeks Kepuasan Masyarakat (IKM) program Quick Win, dihitung dari tanggapan warga menurut "
        "Peraturan Menteri PANRB Nomor 14 Tahun 2017.",
        "The satisfaction index (Indeks Kepuasan Masyarakat, IKM) of the Quick Win programs, computed from "
        "residents' responses as Regulation No. 14 of 2017 of the Minister for Administrative Reform sets out.",
    ),
    "survey_results.as_of": Text(
        "Data per {when}, langsung dari tanggapan yang tersimpan di portal.",
        "Data as of {when}, read directly from the responses stored by the portal.",
    ),
    "survey_results.choose": Text("Hasil untuk", "Results for"),
    "survey_results.scope.all": Text("Semua program", "All programs"),
    "survey_results.scope.general": Text(
        "Umum (program Quick Win secara umum)", "General (the Quick Win programs in general)"
    ),
    "survey_results.unknown": Text(
        "Program '{code}' tidak ditemukan; yang tampil adalah hasil semua program.",
        "There is no program '{code}'; the results of all programs are shown instead.",
    ),
    # -- empty states ------------------------------------------------------------------------
    "survey_results.empty": Text(
        "Belum ada tanggapan survei. Jadilah yang pertama menilai program Quick Win!",
        "There are no survey responses yet. Be the first to rate the Quick Win programs!",
    ),
    "survey_results.empty_scope": Text(
        "Belum ada tanggapan untuk {scope}.", "There are no responses about {scope} yet."
    ),
    "survey_results.go_to_form": Text("Isi survei kepuasan", "Fill in the satisfaction survey"),
    # -- headline ----------------------------------------------------------------------------
    "survey_results.respondents": Text("Responden", "Respondents"),
    "survey_results.respondents_note": Text(
        "{respondents} responden menilai sedikitnya satu unsur pelayanan, dari {responses} tanggapan.",
        "{respondents} respondents rated at least one service element, out of {responses} responses.",
    ),
    "survey_results.ikm_converted": Text("IKM unit pelayanan (25–100)", "Satisfaction index, IKM (25–100)"),
    "survey_results.ikm": Text("IKM (skala 1–4)", "IKM (1–4 scale)"),
    "survey_results.mutu": Text("Mutu pelayanan", "Service quality (mutu)"),
    "survey_results.mutu_value": Text("Mutu {mutu}: {kinerja}", "Grade {mutu}: {kinerja}"),
    "survey_results.no_index": Text(
        'Belum ada responden yang menilai unsur pelayanan (semua menjawab "Tidak berlaku"), jadi IKM belum '
        "dapat dihitung.",
        'No respondent has rated a service element yet (all answered "Not applicable"), so the IKM cannot '
        "be computed yet.",
    ),
    # -- sample size -------------------------------------------------------------------------
    "survey_results.sample_reached": Text(
        "Jumlah responden {respondents} sudah mencapai sampel minimum {target} untuk populasi {population} "
        "(Krejcie–Morgan).",
        "The {respondents} respondents reach the minimum sample of {target} for a population of {population} "
        "(Krejcie–Morgan).",
    ),
    "survey_results.sample_not_reached": Text(
        "Jumlah responden {respondents} belum mencapai sampel minimum {target} untuk populasi {population} "
        "(Krejcie–Morgan); hasil ini belum dapat dianggap mewakili.",
        "The {respondents} respondents do not yet reach the minimum sample of {target} for a population of "
        "{population} (Krejcie–Morgan); these results cannot yet be taken as representative.",
    ),
    "survey_results.sample_unknown": Text(
        "Kecukupan jumlah responden ({respondents}) belum dapat dinilai: admin belum menetapkan populasi untuk "
        "{scope}, sehingga sampel minimum Krejcie–Morgan belum dapat dihitung.",
        "Whether the {respondents} respondents are enough cannot be judged: the admin has not set the "
        "population for {scope}, so the Krejcie–Morgan minimum sample cannot be computed.",
    ),
    # -- NRR per element ---------------------------------------------------------------------
    "survey_results.nrr_title": Text("Nilai rata-rata per unsur (NRR)", "Average score per element (NRR)"),
    "survey_results.nrr_axis": Text("NRR (skala 1–4)", "NRR (1–4 scale)"),
    "survey_results.nrr_table": Text("Tabel NRR per unsur", "NRR per element as a table"),
    "survey_results.unanswered": Text(
        "Belum ada jawaban untuk unsur: {elements}. Unsur ini tidak ikut dihitung dan bobot unsur lainnya disesuaikan.",
        "No answers yet for: {elements}. These elements are left out and the other elements' weights are adjusted.",
    ),
    "survey_results.col.element": Text("Unsur", "Element"),
    "survey_results.col.nrr": Text("Nilai rata-rata (NRR)", "Average (NRR)"),
    "survey_results.col.answered": Text("Responden yang menjawab", "Respondents who answered"),
    # -- trend -------------------------------------------------------------------------------
    "survey_results.trend_title": Text("Tren per bulan", "Trend by month"),
    "survey_results.trend_note": Text(
        "Bulan menurut waktu Banjarmasin (WITA). Bulan tanpa responden tidak memiliki IKM; garis putus-putus "
        "adalah batas mutu C, B dan A.",
        "Months in Banjarmasin time (WITA). A month without respondents has no IKM; the dotted lines are the "
        "lower bounds of grades C, B and A.",
    ),
    "survey_results.trend_ikm": Text("IKM (25–100)", "Index, IKM (25–100)"),
    "survey_results.trend_table": Text("Tabel tren per bulan", "Trend by month as a table"),
    "survey_results.col.month": Text("Bulan", "Month"),
    "survey_results.col.responses": Text("Tanggapan", "Responses"),
    "survey_results.col.mutu": Text("Mutu", "Grade (mutu)"),
    # -- benefit -----------------------------------------------------------------------------
    "survey_results.benefit_title": Text("Manfaat yang dirasakan", "Benefit felt"),
    "survey_results.benefit_axis": Text("Jumlah tanggapan", "Number of responses"),
    "survey_results.no_answer": Text("Tidak menjawab", "No answer"),
    # Used only when the questionnaire file cannot be read; normally its own labels are shown.
    "survey_results.benefit.1": Text("Tidak bermanfaat", "No benefit"),
    "survey_results.benefit.2": Text("Kurang bermanfaat", "Little benefit"),
    "survey_results.benefit.3": Text("Bermanfaat", "Beneficial"),
    "survey_results.benefit.4": Text("Sangat bermanfaat", "Very beneficial"),
    "survey_results.col.answer": Text("Jawaban", "Answer"),
    "survey_results.col.count": Text("Jumlah", "Count"),
    "survey_results.col.share": Text("Persentase", "Share"),
    "survey_results.benefit_table": Text("Tabel manfaat yang dirasakan", "Benefit felt as a table"),
    # -- suggestions -------------------------------------------------------------------------
    "survey_results.suggestions_title": Text("Saran warga", "Residents' suggestions"),
    "survey_results.suggestions_note": Text(
        "Saran tampil setelah diperiksa admin; nomor telepon, NIK dan alamat e-mail disamarkan.",
        "Suggestions appear after an admin has checked them; phone numbers, ID numbers and e-mail addresses "
        "are masked.",
    ),
    "survey_results.suggestions_none": Text(
        "Belum ada saran yang diterbitkan untuk pilihan ini.", "No suggestion has been published for this choice yet."
    ),
    "survey_results.suggestions_more": Text(
        "{count} saran lainnya ada di unduhan data (kolom saran).",
        "{count} more suggestions are in the data download (column saran).",
    ),
    # -- downloads ---------------------------------------------------------------------------
    "survey_results.downloads_title": Text("Unduh data tanggapan", "Download the responses"),
    "survey_results.download_csv": Text("Unduh CSV", "Download CSV"),
    "survey_results.download_xlsx": Text("Unduh XLSX (Excel)", "Download XLSX (Excel)"),
    "survey_results.downloads_note": Text(
        "{count} tanggapan untuk {scope}. Sumber: {source}. Data per {when}. Lisensi [{licence}]({url}). "
        "Tanpa kontak dan nomor tanggapan; waktu hanya sampai bulan; profil responden dikosongkan bila "
        "kombinasinya (dengan program dan bulan) dimiliki kurang dari 5 tanggapan, agar responden tidak dapat "
        "dikenali. Berkas CSV dapat dibaca langsung oleh `python -m data_sources survey-report`.",
        "{count} responses for {scope}. Source: {source}. Data as of {when}. Licence [{licence}]({url}). "
        "No contact details or response numbers; times only to the month; a respondent's profile is left empty "
        "when its combination (with program and month) is shared by fewer than 5 responses, so respondents "
        "cannot be recognised. The CSV file feeds directly into `python -m data_sources survey-report`.",
    ),
    "survey_results.sheet.responses": Text("tanggapan", "responses"),
    "survey_results.sheet.about": Text("keterangan", "about"),
    "survey_results.about.source": Text("Sumber", "Source"),
    "survey_results.about.scope": Text("Cakupan", "Scope"),
    "survey_results.about.as_of": Text("Data per", "Data as of"),
    "survey_results.about.licence": Text("Lisensi", "Licence"),
    "survey_results.about.privacy": Text("Privasi", "Privacy"),
    "survey_results.about.privacy_text": Text(
        "Tanpa nama, kontak, atau penanda sesi/alamat responden. Kolom bulan hanya berisi bulan pengisian "
        "(YYYY-MM, WITA), bukan waktu tepatnya, agar responden lebih sulit dikenali. Kolom saran hanya berisi "
        "saran yang disetujui admin, dengan nomor dan alamat e-mail disamarkan.",
        "No names, contact details, or session/address markers of respondents. The column bulan holds only "
        "the month of the response (YYYY-MM, WITA), not its exact time, so respondents are harder to "
        "recognise. The column saran holds only suggestions an admin approved, with numbers and e-mail "
        "addresses masked.",
    ),
    "survey_results.about.columns": Text("Kolom", "Columns"),
    "survey_results.about.columns_text": Text(
        "program: kode program atau 'umum'; tahu, pernah: ya/tidak; persyaratan, prosedur, waktu, biaya, "
        "produk, kompetensi, perilaku, pengaduan, sarana: sembilan unsur SKM bernilai 1–4, kosong berarti "
        "tidak berlaku; manfaat: 1–4, kosong berarti tidak menjawab; usia, jenis_kelamin, pendidikan, "
        "pekerjaan, kecamatan: profil responden (opsional).",
        "program: the program code or 'umum' (general); tahu, pernah: knows / has used it, ya (yes) or tidak "
        "(no); persyaratan, prosedur, waktu, biaya, produk, kompetensi, perilaku, pengaduan, sarana: the nine "
        "SKM elements, 1–4, empty meaning not applicable; manfaat: benefit felt, 1–4, empty meaning no "
        "answer; usia, jenis_kelamin, pendidikan, pekerjaan, kecamatan: respondent profile (optional).",
    ),
    "survey_results.about.safe": Text("Rumus", "Formulas"),
    "survey_results.about.safe_text": Text(
        "Teks yang diawali =, +, -, atau @ diberi tanda ' di depannya agar tidak dibaca sebagai rumus.",
        "Text beginning with =, +, - or @ has a ' put in front so that it is never read as a formula.",
    ),
    # -- method ------------------------------------------------------------------------------
    "survey_results.method_title": Text("Cara IKM dihitung", "How the IKM is computed"),
    "survey_results.method_text": Text(
        "Menurut Peraturan Menteri PANRB Nomor 14 Tahun 2017 tentang Pedoman Penyusunan Survei Kepuasan "
        "Masyarakat:\n\n"
        "- Setiap responden menilai sembilan unsur pelayanan dengan skala 1 (tidak baik) sampai 4 (sangat "
        'baik). Jawaban "Tidak berlaku" tidak ikut dihitung pada unsur itu.\n'
        "- **NRR** (nilai rata-rata) per unsur = jumlah nilai ÷ jumlah responden yang menjawab unsur itu.\n"
        "- **IKM** = jumlah NRR × 1/9 (skala 1–4); **IKM unit pelayanan** = IKM × 25 (25–100). Unsur yang "
        "belum dijawab siapa pun tidak dihitung dan bobot unsur lainnya disesuaikan.\n"
        "- **Mutu pelayanan**: 88,31–100,00 A (Sangat Baik); 76,61–88,30 B (Baik); 65,00–76,60 C (Kurang "
        "Baik); 25,00–64,99 D (Tidak Baik).\n"
        '- **Responden** adalah tanggapan yang menilai sedikitnya satu unsur. Tanggapan yang menjawab "Tidak '
        'berlaku" untuk semua unsur tetap dihitung sebagai tanggapan dan pada pertanyaan manfaat.\n'
        "- **Sampel minimum** mengikuti tabel Krejcie–Morgan (tingkat kepercayaan 95%, galat 5%) untuk "
        "populasi yang ditetapkan admin; misalnya populasi 300 memerlukan 169 responden. Populasi semua "
        "program ditetapkan tersendiri, karena menjumlahkan populasi tiap program akan menghitung dua kali "
        "warga yang memakai lebih dari satu program.\n"
        "- Metode lama Kepmenpan 25/2004 (14 unsur) sudah tidak berlaku dan tidak dipakai.",
        "Following Regulation No. 14 of 2017 of the Minister for Administrative and Bureaucratic Reform "
        "(Permenpan RB 14/2017) on residents' satisfaction surveys:\n\n"
        '- Each respondent rates nine service elements from 1 (bad) to 4 (very good). An answer of "Not '
        'applicable" is left out of that element.\n'
        "- **NRR** (average score) per element = sum of the scores ÷ number of respondents who answered it.\n"
        "- **IKM** = sum of NRR × 1/9 (1–4 scale); the **unit's IKM** = IKM × 25 (25–100). An element nobody "
        "has answered yet is left out and the other elements' weights are adjusted.\n"
        "- **Service quality (mutu)**: 88.31–100.00 A (Very good); 76.61–88.30 B (Good); 65.00–76.60 C "
        "(Poor); 25.00–64.99 D (Bad).\n"
        '- **Respondents** are responses that rate at least one element. A response answering "Not '
        'applicable" to every element still counts as a response and in the benefit question.\n'
        "- The **minimum sample** follows the Krejcie–Morgan table (95% confidence, 5% margin) for the "
        "population the admin sets; a population of 300, for example, needs 169 respondents. The population "
        "of all programs is set on its own, since adding up the programs' populations would count twice "
        "every resident who uses more than one program.\n"
        "- The older Kepmenpan 25/2004 method (14 elements) is superseded and not used.",
    ),
}
