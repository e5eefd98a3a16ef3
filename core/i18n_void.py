"""Visible strings of the admin's tool that voids a batch of survey responses, and of the results page's
statement of what was voided, Indonesian first."""

from __future__ import annotations

from core.text import Text

VOID_STRINGS: dict[str, Text] = {
    "void.title": Text("Batalkan sekumpulan tanggapan", "Void a batch of responses"),
    "void.help": Text(
        "Untuk isian massal oleh skrip: pilih rentang waktu (WITA), bila perlu satu program dan satu hash alamat, "
        "lalu tulis alasannya. Tanggapan yang dibatalkan keluar dari IKM dan unduhan, tetapi tetap tersimpan untuk "
        "audit; halaman hasil menyebut jumlah dan alasannya.",
        "For scripted stuffing: choose a time window (WITA), optionally one program and one address hash, and "
        "write the reason. Voided responses leave the IKM and the downloads but stay stored for the audit; the "
        "results page states how many and why.",
    ),
    "void.from": Text("Dari (WITA)", "From (WITA)"),
    "void.to": Text("Sampai (WITA, termasuk menit ini)", "Until (WITA, this minute included)"),
    "void.program": Text("Program", "Program"),
    "void.all_programs": Text("Semua program", "Every program"),
    "void.address": Text("Hash alamat", "Address hash"),
    "void.any_address": Text("Semua alamat", "Every address"),
    "void.senders": Text("Pengirim di rentang ini, terbanyak dulu", "Senders in this window, busiest first"),
    "void.unknown_address": Text("(alamat tidak diketahui)", "(address unknown)"),
    "void.reason": Text("Alasan (tampil di halaman hasil)", "Reason (shown on the results page)"),
    "void.submit": Text("Batalkan tanggapan ini", "Void these responses"),
    "void.need_reason": Text("Tulis alasannya dulu.", "Write the reason first."),
    "void.bad_window": Text("Akhir rentang harus setelah awalnya.", "The window must end after it starts."),
    "void.none_match": Text(
        "Tidak ada tanggapan yang cocok; tidak ada yang dibatalkan.", "No response matches; nothing voided."
    ),
    "void.done": Text("{count} tanggapan dibatalkan.", "{count} responses voided."),
    "void.past": Text("Pembatalan sebelumnya (audit)", "Earlier voids (audit)"),
    # the columns of the senders' table and of the earlier voids
    "void.col.voided_at": Text("waktu", "when"),
    "void.col.count": Text("tanggapan", "responses"),
    "void.col.window": Text("rentang", "window"),
    "void.col.program": Text("program", "program"),
    "void.col.client_key": Text("hash alamat", "address hash"),
    "void.col.reason": Text("alasan", "reason"),
    # on the survey results page
    "void.voided_note": Text(
        "{count} tanggapan dibatalkan admin dan tidak dihitung dalam IKM ini. Alasannya:",
        "{count} responses were voided by the admin and are not counted in this IKM. Why:",
    ),
    "void.line": Text("{when}, {count} tanggapan: ", "{when}, {count} responses: "),
}
