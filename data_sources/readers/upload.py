"""An uploaded ``.xlsx`` for the SKPD preview: checked before it is parsed, parsed safely, never stored.

An upload comes from anyone on the internet, so it is treated as hostile until shown otherwise:
- its size is checked before anything else;
- it must be a zip holding a workbook, and the sizes its members claim are checked before
  decompression, so a small file that inflates to gigabytes (a zip bomb) is refused unread;
- the XML is parsed by openpyxl through defusedxml (installed with the portal), so entity
  expansion tricks do not work;
- formulas are never run: the value Excel saved with the file is read, and every formula cell is
  reported with its A1 reference, because a Google Sheet filled by hand would not hold that formula.
Everything happens in memory; nothing is written to disk or to the store.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from core.formatting import number
from core.table import RawWorkbook
from core.text import Text
from data_sources.readers.protocol import SourceUnreadable
from data_sources.readers.workbook import workbook_from_book

# What a workbook may inflate to, in total and per member relative to its compressed size.
MAX_UNCOMPRESSED_BYTES = 60 * 1024 * 1024
MAX_RATIO = 200
MAX_MEMBERS = 500
MAX_FORMULAS_LISTED = 50


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
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = archive.infolist()
        names = {m.filename for m in members}
        if "[Content_Types].xml" not in names or not any(n.startswith("xl/worksheets/") for n in names):
            raise _refuse(
                "Berkas ini arsip zip, tetapi bukan workbook Excel (.xlsx).",
                "This file is a zip archive, but not an Excel workbook (.xlsx).",
            )
        total = sum(m.file_size for m in members)
        inflated = any(m.compress_size and m.file_size / m.compress_size > MAX_RATIO for m in members)
        if len(members) > MAX_MEMBERS or total > MAX_UNCOMPRESSED_BYTES or inflated:
            raise _refuse(
                "Berkas ini mengembang jauh lebih besar dari ukurannya saat dibuka, jadi tidak dibaca. Simpan "
                "ulang workbook dari Excel atau Google Sheets, lalu unggah lagi.",
                "This file expands to far more than its size when opened, so it is not read. Save the workbook "
                "again from Excel or Google Sheets and upload it again.",
            )


def read_upload(data: bytes, max_bytes: int, locale: str = "id_ID", name: str = "upload.xlsx") -> Upload:
    check_archive(data, max_bytes)
    try:
        # Two light passes in read-only mode: the saved values (what the clerk sees), then the formulas.
        values = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        formulas_book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise _refuse(
            f"Workbook ini tidak dapat dibaca ({type(exc).__name__}). Simpan ulang sebagai .xlsx, lalu unggah lagi.",
            f"This workbook cannot be read ({type(exc).__name__}). Save it again as .xlsx and upload it again.",
        ) from None
    except Exception as exc:  # defusedxml refusing an entity trick, or a broken XML part
        raise _refuse(
            f"Isi workbook ini tidak aman atau rusak ({type(exc).__name__}), jadi tidak dibaca.",
            f"This workbook's content is unsafe or damaged ({type(exc).__name__}), so it is not read.",
        ) from None
    try:
        workbook = workbook_from_book(values, name, locale)
        found: list[str] = []
        count = 0
        for ws in formulas_book.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if getattr(cell, "data_type", None) == "f":
                        count += 1
                        if len(found) < MAX_FORMULAS_LISTED:
                            found.append(f"{ws.title}!{cell.coordinate}")
    finally:
        values.close()
        formulas_book.close()
    return Upload(workbook, found, max(0, count - len(found)))
