"""Visible strings of the portal's own "page not found" (``core.page_not_found``), Indonesian first."""

from __future__ import annotations

from core.text import Text

NOT_FOUND_STRINGS: dict[str, Text] = {
    "not_found.title": Text("Halaman tidak ditemukan", "Page not found"),
    "not_found.what": Text(
        "Alamat ini tidak ada di portal: tautannya mungkin salah ketik, atau halamannya sudah tidak ada.",
        "There is no such address on this portal: the link may be mistyped, or the page is gone.",
    ),
    "not_found.pages": Text("Halaman portal:", "The portal's pages:"),
    # Written in the language it leads to, for a reader who does not read the page's.
    "not_found.other_language": Text("Buka portal dalam bahasa Indonesia", "Open the portal in English"),
}
