"""Visible strings of the embeds (``/embed``, ``/embed/program``), their embed code on the program page and the
oEmbed answer, Indonesian first."""

from __future__ import annotations

from core.text import Text

EMBED_STRINGS: dict[str, Text] = {
    "embed.title": Text("Sematkan", "Embed"),
    "embed.help": Text(
        "Salin kode ini ke halaman web Anda: sebuah kartu dengan angka program ini, diperbarui setiap sinkronisasi, "
        "tanpa JavaScript dan tanpa cookie.",
        "Copy this code into your web page: a card with this program's figures, updated with every sync, with no "
        "JavaScript and no cookie.",
    ),
    "embed.frame_title": Text("{program}: kemajuan program · {portal}", "{program}: program progress · {portal}"),
    "embed.all_title": Text("Kemajuan semua program", "Progress of every program"),
    "embed.bar": Text(
        "Batang: realisasi {actual} dari rencana {plan}", "Bar: progress {actual} against a plan of {plan}"
    ),
    "embed.program_page": Text("Halaman program", "Program page"),
    "embed.history": Text("Riwayat angka", "History of the figures"),
    "embed.new_tab": Text("(membuka tab baru)", "(opens in a new tab)"),
    "embed.sample": Text("Data contoh, bukan angka resmi", "Sample data, not official figures"),
    "embed.licence": Text("Lisensi", "Licence"),
    "embed.not_found": Text("Program tidak ditemukan", "Program not found"),
    "embed.not_found_text": Text(
        "Portal tidak mengenal kode program pada alamat ini.",
        "The portal does not know the program code in this address.",
    ),
}
