"""Visible strings of the transparency log on /admin (issue 24), Indonesian first."""

from __future__ import annotations

from core.text import Text

LOG_ADMIN_STRINGS: dict[str, Text] = {
    "admin.log.source": Text("Log transparansi", "Transparency log"),
    "admin.log.no_key": Text(
        "**Log transparansi disimpan, tetapi tidak ada checkpoint yang ditandatangani:** belum ada kunci "
        "penanda tangan. Setiap snapshot tetap dicatat di log; tanpa checkpoint bertanda tangan, pembaca belum dapat "
        "memeriksa bahwa riwayat tidak ditulis ulang. Buat kunci sekali dengan "
        "`python -m data_sources keygen --out /etc/portal-qw/log-signer.key` (di luar folder basis data dan di luar "
        'folder yang disajikan), lalu tulis baris yang dicetaknya (`[log] key_file = "..."`) di `portal.toml`. '
        "Checkpoint pertama ditandatangani saat portal dimulai ulang atau pada sinkronisasi berikutnya.",
        "**The transparency log is kept, but no checkpoint is signed:** there is no signer key yet. Every snapshot "
        "is still recorded in the log; without signed checkpoints, readers cannot yet check that history was not "
        "rewritten. Make a key once with `python -m data_sources keygen --out /etc/portal-qw/log-signer.key` "
        "(outside the store's folder and outside any served folder), then put the line it prints "
        '(`[log] key_file = "..."`) in `portal.toml`. The first checkpoint is signed when the portal restarts or '
        "at the next sync.",
    ),
    "admin.log.checking": Text(
        "**Pemeriksaan log transparansi saat portal dimulai masih berjalan** (setiap snapshot dihitung ulang). "
        "Muat ulang halaman ini sebentar lagi untuk melihat hasilnya; log server juga mencatatnya.",
        "**The transparency log's start-up check is still running** (every snapshot is recomputed). Reload this "
        "page in a moment to see what it found; the server's log records it too.",
    ),
    "admin.log.key_problem": Text(
        "**Kunci penanda tangan log tidak dapat dipakai; tidak ada checkpoint yang ditandatangani.** {problem}",
        "**The log's signer key cannot be used; no checkpoint is signed.** {problem}",
    ),
    "admin.log.check_failed": Text(
        "**Pemeriksaan log transparansi saat portal dimulai GAGAL:** {problem} Data atau kunci yang tersimpan tidak "
        "lagi sama dengan yang pernah diterbitkan. Pulihkan cadangan terakhir yang lolos pemeriksaan, atau kembalikan "
        "berkas kunci yang lama bila kuncinya diganti (docs/admin.md, 'Log transparansi'); log server memuat baris "
        "`ERROR` yang sama.",
        "**The transparency log's start-up check FAILED:** {problem} The stored data or key no longer match what was "
        "published. Restore the last backup that passes the check, or put the previous key file back if the key was "
        "replaced (docs/admin.md, 'Transparency log'); the server's log has the same `ERROR` line.",
    ),
}
