"""Visible strings of the admin page's sign-in and sign-out (password hash, lockout) and of its sync lock panel,
Indonesian first."""

from __future__ import annotations

from core.text import Text

ADMIN_AUTH_STRINGS: dict[str, Text] = {
    "admin.auth.plain_password": Text(
        "Kata sandi biasa di `[admin] password` tidak diterima lagi. Buat hash dengan "
        "`python -m data_sources hash-password`, tulis baris hasilnya (`password_hash = ...`) di bawah `[admin]` "
        "pada `.streamlit/secrets.toml`, lalu hapus baris `password`.",
        "A plain password in `[admin] password` is no longer accepted. Make a hash with "
        "`python -m data_sources hash-password`, put the line it prints (`password_hash = ...`) under `[admin]` "
        "in `.streamlit/secrets.toml`, and delete the `password` line.",
    ),
    "admin.auth.bad_hash": Text(
        "`[admin] password_hash` di `.streamlit/secrets.toml` tidak dapat dipakai: {problem} "
        "Buat ulang dengan `python -m data_sources hash-password`.",
        "`[admin] password_hash` in `.streamlit/secrets.toml` cannot be used: {problem} "
        "Make a new one with `python -m data_sources hash-password`.",
    ),
    # One per PasswordHashError.reason (core/passwords.py).
    "admin.auth.problem.format": Text(
        "bentuknya bukan `scrypt$N$r$p$garam$hash`.",
        "it is not of the form `scrypt$N$r$p$salt$hash`.",
    ),
    "admin.auth.problem.scheme": Text(
        "tidak diawali `scrypt$`.",
        "it does not start with `scrypt$`.",
    ),
    "admin.auth.problem.parameters": Text(
        "parameter N, r atau p bukan bilangan yang sah (N harus pangkat dua).",
        "its N, r or p parameter is not a valid number (N must be a power of two).",
    ),
    "admin.auth.problem.limits": Text(
        "parameter scrypt-nya melebihi batas (pemeriksaan akan terlalu lama atau terlalu boros memori).",
        "its scrypt parameters are above the limits (checking would take too long or too much memory).",
    ),
    "admin.auth.problem.weak": Text(
        "parameter N-nya di bawah batas minimum 2^14 (16384), sehingga kata sandinya mudah ditebak bila hash ini "
        "bocor.",
        "its N parameter is below the minimum of 2^14 (16384), so the password would be easy to guess if this "
        "hash leaked.",
    ),
    "admin.auth.problem.encoding": Text(
        "garam atau hash-nya bukan base64 dengan panjang yang sah.",
        "its salt or hash is not base64 of a valid length.",
    ),
    "admin.auth.attempts_left": Text(
        "Sisa percobaan sebelum dikunci: {count}.",
        "Attempts left before a lockout: {count}.",
    ),
    "admin.auth.locked": Text(
        "Terlalu banyak percobaan masuk yang gagal. Kata sandi tidak diperiksa sampai {until} WITA; "
        "coba lagi setelah itu.",
        "Too many failed sign-in attempts. No password is checked until {until} WITA; try again after that.",
    ),
    "admin.sign_out": Text("Keluar", "Sign out"),
    "admin.signed_out": Text(
        "Anda sudah keluar dari halaman admin. Masukkan kata sandi untuk masuk lagi.",
        "You have signed out of the admin page. Enter the password to sign in again.",
    ),
    # The sync lock on the admin page (components/admin_console.py sync_lock_panel).
    "admin.lock.free": Text("Tidak ada sinkronisasi yang sedang berjalan.", "No sync is running."),
    "admin.lock.held": Text(
        "Sinkronisasi sedang berjalan di {host} (pid {pid}) sejak {since} WITA. Kuncinya terakhir diperbarui "
        "{renewed} yang lalu dan berlaku sampai {until} WITA; bila pemegangnya berhenti, sinkronisasi berikutnya "
        "berjalan setelah waktu itu.",
        "A sync is running on {host} (pid {pid}) since {since} WITA. Its lock was last renewed {renewed} ago and "
        "holds until {until} WITA; if its holder stopped, the next sync runs after that time.",
    ),
    "admin.lock.lapsed": Text(
        "Kunci sinkronisasi dari {host} (pid {pid}), diambil {since} WITA, tidak diperbarui sejak {until} WITA: "
        "pemegangnya berhenti (dimatikan, kehabisan memori, atau mesinnya dinyalakan ulang). Sinkronisasi "
        "berikutnya mengambil alih kunci ini.",
        "The sync lock of {host} (pid {pid}), taken {since} WITA, has not been renewed since {until} WITA: its "
        "holder stopped (killed, out of memory, or its machine restarted). The next sync takes this lock over.",
    ),
    "admin.lock.unknown": Text("tidak diketahui", "unknown"),
}
