"""Visible strings of the admin page's e-mail notification panel (the mail outbox), Indonesian first."""

from __future__ import annotations

from core.text import Text

NOTIFY_STRINGS: dict[str, Text] = {
    "notify.title": Text("Notifikasi e-mail ke SKPD", "E-mail notifications to SKPDs"),
    "notify.off": Text(
        "E-mail mati: `[notify] smtp_host` di portal.toml kosong. Surat yang sudah antre tetap menunggu dan dikirim "
        "setelah e-mail dinyalakan.",
        "E-mail is off: `[notify] smtp_host` in portal.toml is empty. Mails already queued wait and are sent once "
        "e-mail is turned on.",
    ),
    "notify.status": Text(
        "{waiting} menunggu, {failed} gagal dan menunggu percobaan berikutnya, {sent} terkirim.",
        "{waiting} waiting, {failed} failed and waiting for their next attempt, {sent} sent.",
    ),
    "notify.retry": Text(
        "Surat yang gagal dicoba lagi setelah setiap sinkronisasi, dengan jeda 30 detik yang berlipat sampai 1 jam; "
        "`python -m data_sources send-mail` mengirim yang sudah waktunya sekarang. Kesalahan terakhir tiap surat "
        "ada di tabel.",
        "A failed mail is tried again after every sync, waiting 30 seconds, doubling up to an hour; "
        "`python -m data_sources send-mail` sends what is due now. Each mail's last error is in the table.",
    ),
    "notify.empty": Text("Belum ada surat.", "No mail yet."),
    "notify.recent": Text("Surat terbaru (isi surat tidak ditampilkan)", "Latest mails (their text is not shown)"),
    "notify.col.created": Text("Diantrekan (WITA)", "Queued (WITA)"),
    "notify.col.source": Text("Sumber", "Source"),
    "notify.col.recipient": Text("Penerima", "Recipient"),
    "notify.col.subject": Text("Subjek", "Subject"),
    "notify.col.state": Text("Status", "State"),
    "notify.col.attempts": Text("Percobaan", "Attempts"),
    "notify.col.next": Text("Percobaan berikutnya (WITA)", "Next attempt (WITA)"),
    "notify.col.sent": Text("Terkirim (WITA)", "Sent (WITA)"),
    "notify.col.error": Text("Kesalahan terakhir", "Last error"),
    "notify.state.waiting": Text("menunggu", "waiting"),
    "notify.state.failed": Text("gagal, dicoba lagi", "failed, will retry"),
    "notify.state.sent": Text("terkirim", "sent"),
}
