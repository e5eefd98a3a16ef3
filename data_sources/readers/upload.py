"""An uploaded ``.xlsx`` for the SKPD preview: checked before it is parsed, parsed safely, never stored.

An upload comes from anyone on the internet, so it is treated as hostile until shown otherwise:
- its size is checked before anything else;
- it must be a zip holding a workbook, and the sizes its members claim are checked before
  decompression, so a small file that inflates to gigabytes (a zip bomb) is refused unread;
- the XML is parsed through defusedxml (installed with the portal), so entity expansion tricks do
  not work, and within the preview's caps (``PREVIEW_LIMITS``, see ``data_sources.readers.workbook``),
  so a small file declaring a huge sheet is refused at the first cell past a cap;
- formulas are never run: the value Excel saved with the file is read, and every formula cell is
  reported with its A1 reference, because a Google Sheet filled by hand would not hold that formula.
Everything happens in memory; nothing is written to disk or to the store.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field

from core.formatting import number
from core.table import RawWorkbook
from core.text import Text
from data_sources.readers.protocol import SourceUnreadable
from data_sources.readers.workbook import (
    MB,
    PREVIEW_LIMITS,
    Formulas,
    WorkbookLimits,
    open_book,
    workbook_from_book,
)

# How much a member may inflate relative to its compressed size, and how many members there may be; the
# total it may inflate to is the preview's ``uncompressed_mb`` cap (``[workbook_limits]``).
MAX_UNCOMPRESSED_BYTES = PREVIEW_LIMITS.uncompressed_mb * MB
MAX_RATIO = 200
MAX_MEMBERS = 500


@dataclass
class Upload:
    workbook: RawWorkbook
    formulas: list[str] = field(default_factory=list)  # "capaian!C5", in sheet order
    more_formulas: int = 0


def _refuse(id_text: str, en_text: str) -> SourceUnreadable:
    return SourceUnreadable(Text(id_text, en_text))


def check_archive(data: bytes, max_bytes: int) -> None:
    """Refuse what is too large, not a workbook, or a zip bomb, before any XML is parsed."""
    if len(data) > max_bytes:
        size, limit = len(data) / 1024 / 1024, max_bytes / 1024 / 1024
        raise _refuse(
            f"Berkas terlalu besar: {number(size, 'id', 1)} MB, paling besar {number(limit, 'id', 0)} MB. Hapus "
            "baris atau lembar yang tidak diperlukan (mis. gambar), lalu unggah lagi.",
            f"The file is too large: {number(size, 'en', 1)} MB, at most {number(limit, 'en', 0)} MB. Remove rows "
            "or sheets that are not needed (e.g. pictures) and upload it again.",
        )
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise _refuse(
            "Berkas ini bukan workbook Excel (.xlsx). Di Google Sheets: File → Download → Microsoft Excel (.xlsx).",
            "This file is not an Excel workbook (.xlsx). In Google Sheets: File → Download → Microsoft Excel (.xlsx).",
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except Exception as exc:  # a directory that zipfile's quick check let through but cannot list
        raise _refuse(
            f"Workbook ini tidak dapat dibaca ({type(exc).__name__}). Simpan ulang sebagai .xlsx, lalu unggah lagi.",
            f"This workbook cannot be read ({type(exc).__name__}). Save it again as .xlsx and upload it again.",
        ) from None
    names = {m.filename for m in members}
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/worksheets/") for n in names):
        raise _refuse(
            "Berkas ini arsip zip, tetapi bukan workbook Excel (.xlsx).",
            "This file is a zip archive, but not an Excel workbook (.xlsx).",
        )
    inflated = any(m.compress_size and m.file_size / m.compress_size > MAX_RATIO for m in members)
    if len(members) > MAX_MEMBERS or inflated:
        # Compressed a thousandfold, or thousands of members: built to inflate, not saved by a spreadsheet.
        raise _refuse(
            "Berkas ini mengembang jauh lebih besar dari ukurannya saat dibuka, jadi tidak dibaca. Simpan "
            "ulang workbook dari Excel atau Google Sheets, lalu unggah lagi.",
            "This file expands to far more than its size when opened, so it is not read. Save the workbook "
            "again from Excel or Google Sheets and upload it again.",
        )
    # A total above the cap is refused by open_book, naming the largest worksheet.


def read_upload(
    data: bytes,
    max_bytes: int,
    locale: str = "id_ID",
    name: str = "upload.xlsx",
    limits: WorkbookLimits = PREVIEW_LIMITS,
) -> Upload:
    """The upload's cells (saved values) and its formula cells, read in one bounded pass; raises only
    ``SourceUnreadable``, with a message for the clerk."""
    check_archive(data, max_bytes)
    book = open_book(io.BytesIO(data), limits)
    try:
        formulas = Formulas()
        workbook = workbook_from_book(book, name, locale, limits, formulas)
    finally:
        book.close()
    return Upload(workbook, formulas.found, formulas.more)
