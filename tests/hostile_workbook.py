"""A draft workbook whose text tries to become links and markup: a program name with a markdown link, a
HYPERLINK formula's text and a bare www. name, and a worksheet whose title is a markdown image.

Excel and openpyxl refuse ``[ ] / :`` in a worksheet title, so the title is written into ``xl/workbook.xml``
afterwards, as a hand-made file would carry it.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
from builders import capaian, program, records_grid, write_xlsx

EVIL_NAME = 'Baiman [x](https://evil.example) =HYPERLINK("http://evil.example","klik") www.evil.example'
PLACEHOLDER = "GAMBAR"
EVIL_TITLE = "![i](http://evil.invalid/x.png)"
FORMULA_CELL = "A2"


def hostile_workbook(path: Path) -> bytes:
    """The bytes of the hostile draft (also written to ``path``)."""
    write_xlsx(
        path,
        {
            "program": records_grid([program(nama_program=EVIL_NAME, deskripsi="lihat www.evil.example")]),
            "capaian": records_grid([capaian()]),
        },
    )
    book = openpyxl.load_workbook(path)
    book.create_sheet(PLACEHOLDER)[FORMULA_CELL] = "=1+1"
    book.save(path)
    source = io.BytesIO(path.read_bytes())
    target = io.BytesIO()
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename == "xl/workbook.xml":
                data = data.replace(f'name="{PLACEHOLDER}"'.encode(), f'name="{EVIL_TITLE}"'.encode())
            new.writestr(item, data)
    path.write_bytes(target.getvalue())
    return target.getvalue()
