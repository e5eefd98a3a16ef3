"""Render the sheet contract as the document SKPD clerks read (``docs/kontrak-sheet.md``).

The document is generated from ``core.contract`` (and its personal-data paragraph from ``core.personal_data`` and
``core.validation``) so the two cannot disagree; regenerate it with
``python -m data_sources contract-doc > docs/kontrak-sheet.md``.
"""

from __future__ import annotations

from core import contract, personal_data
from core.contract import Kind, Worksheet
from core.table import column_letter
from core.validation import CODE_COLUMNS

_PROSE = {
    "id": {
        "title": "Kontrak sheet SKPD, versi {v}",
        "generated": "Dokumen ini dibuat dari `core/contract.py`; jangan diubah dengan tangan. "
        "Bahasa Indonesia lebih dulu, English below.",
        "intro": "Setiap sumber SKPD (Google Sheet, atau berkas `.xlsx` dengan tata letak sama) punya "
        "tiga worksheet: `program`, `capaian`, `lokasi`. Baris 1 adalah baris judul kolom. Urutan "
        "kolom bebas.",
        "headers": "Judul kolom dicocokkan tanpa memedulikan huruf besar/kecil, spasi, garis bawah dan "
        "tanda baca (`Kode Program`, `KODE_PROGRAM`, `kode program` sama), juga lewat alias di tabel. "
        "Nama worksheet dicocokkan dengan cara yang sama.",
        "col": "kolom",
        "rule": "aturan",
        "type": "jenis",
        "aliases": "alias",
        "sheet_rules": "Aturan antarbaris",
        "values_title": "Cara menulis nilai",
        "values": [
            "Angka: `1.250.000`, `45,5` (Indonesia) atau `1,250,000`, `45.5` (Inggris). Angka asli "
            "dari xlsx dibaca apa adanya.",
            "Angka yang ambigu: satu pemisah diikuti tepat tiga angka (`1.250`, `1,250`) dibaca "
            "menurut bahasa sheet (Indonesia: `1.250` = 1250, `1,250` = 1,25) dan diberi peringatan.",
            "Persen: `45,5`, `45,5%`, atau sel xlsx berformat persen berisi 0,455 (= 45,5 %).",
            "Rupiah: `Rp1.250.000`, `Rp 1.250.000,-`, `1250000`, `Rp9,2 miliar` (juta, miliar, triliun).",
            "Tanggal: sel tanggal xlsx, `2024-03-12`, `12/03/2024` (hari dulu untuk sheet Indonesia; "
            "bulan dulu hanya untuk sheet ber-locale `en_US`), `12 Maret 2024`, `12 Mar 2024`. Angka "
            "seri tanggal Excel diterima dengan peringatan.",
            "Koordinat: lintang dulu, lalu bujur: `-3.3278, 114.5887` atau `-3.3278 114.5887`. Dengan koma "
            "desimal, pisahkan lintang dan bujur dengan titik koma: `-3,3278; 114,5887`. Ruas (garis, mis. sungai): "
            "titik-titik dipisah titik koma, lintang dan bujur tiap titik dipisah spasi: `-3.31 114.62; -3.30 "
            "114.62` atau `-3,31 114,62; -3,30 114,62`. Batas kota: lintang -3,40 s.d. -3,25, bujur 114,52 s.d. "
            "114,67.",
        ],
        "rows_title": "Baris",
        "rows": "Baris kosong dilewati. Baris dengan kesalahan (`error`) tidak diterbitkan; baris lain "
        "tetap terbit. Peringatan (`warning`) terbit dengan tanda. Setiap masalah dilaporkan dengan "
        "worksheet, nomor baris, referensi sel (mis. `D7`), nilai asli dan pesan.",
        "privacy_title": "Data pribadi",
        "privacy": "Kolom berikut tidak pernah disimpan atau ditampilkan; laporan memberi peringatan "
        "bahwa kolom itu dibuang. Kolom yang judulnya memuat bagian `{parts}` juga dianggap data "
        "pribadi.",
        "privacy_cells": "Data pribadi di dalam sel juga disamarkan saat validasi, sebelum apa pun disimpan atau "
        "diterbitkan. Sel teks (setiap kolom berjenis `teks`) yang memuat NIK atau nomor KK (16 angka), nomor "
        "telepon (10–15 angka, diawali `0`, `62` atau `+62`), alamat e-mail, atau deretan {digits} angka atau lebih "
        "lainnya (nomor rekening atau identitas) terbit dengan `{mask}` di tempat bagian itu, mis. `{example}` "
        "menjadi `{masked}`; sel itu mendapat peringatan (`warning`) yang menyebut selnya dan jenis data yang "
        "disamarkan, tanpa mengulang datanya, dan barisnya tetap terbit. Hapus data itu dari sheet. Kode ({codes}) "
        "yang memuatnya menolak barisnya (`error`), karena kode yang disamarkan akan menghubungkan baris yang "
        "salah. Tautan ({links}) yang memuat alamat e-mail atau nomor telepon (mis. `wa.me/62…`) tidak "
        "diterbitkan, dengan peringatan. Tidak disamarkan: jumlah Rupiah dan angka berkelompok ribuan ({kept}), "
        "tanggal, jam, tahun, nomor rumah dan koordinat.",
        "required": "wajib",
        "optional": "opsional",
        "template_title": "Templat",
        "template_intro": "Templat resmi adalah workbook `.xlsx` yang dibuat dari kontrak ini: tiga worksheet dengan "
        "judul kolom berurutan, baris judul dibekukan, format angka, Rupiah dan tanggal (kolom persen menerima 10 "
        "maupun 10%, keduanya 10 %), daftar pilihan (drop-down) untuk {lists}, petunjuk di setiap kolom, dan "
        "worksheet `petunjuk` di depan. Daftar pilihan disimpan di worksheet tersembunyi `daftar`; portal "
        "mengabaikan `petunjuk` dan `daftar`.",
        "template_steps": [
            'Buat templat (tim Smart City): `python -m data_sources template sheet-skpd.xlsx --skpd "Disperkim"`.',
            "Impor ke Google Sheets: buat spreadsheet kosong, lalu *File → Impor → Upload* (*File → Import → Upload*), "
            "pilih berkasnya, lalu *Ganti spreadsheet* (*Replace spreadsheet*). Atau unggah `.xlsx` ke Google Drive, "
            "buka, lalu *File → Simpan sebagai Google Spreadsheet* (*File → Save as Google Sheets*).",
            "Periksa bahwa daftar pilihan masih ada: klik sel `{dimensi}` worksheet `program` (`dimensi`) dan sel "
            "`{kelurahan}` worksheet `lokasi` (`kelurahan`); keduanya harus menampilkan drop-down.",
            "Atur lokal spreadsheet ke Indonesia: *File → Setelan → Lokal: Indonesia* (*File → Settings → Locale*), "
            "supaya `12/03/2024` berarti 12 Maret dan `45,5` berarti empat puluh lima koma lima.",
            "Bagikan: ke alamat service account portal sebagai **Pelihat** (*Viewer*); atau, untuk sumber "
            "`published`, *Bagikan → Siapa saja yang memiliki link, Pelihat* (*Anyone with the link, Viewer*).",
            "Kirim URL spreadsheet ke tim Smart City; mereka menambahkannya ke `portal.toml` dan memeriksanya dengan "
            "`python -m data_sources check URL`.",
        ],
    },
    "en": {
        "title": "SKPD sheet contract, version {v}",
        "generated": "",
        "intro": "Each SKPD source (a Google Sheet, or a local `.xlsx` with the same layout) has three "
        "worksheets: `program`, `capaian`, `lokasi`. Row 1 is the header row. Columns may be in any "
        "order.",
        "headers": "Headers are matched ignoring case, spaces, underscores and punctuation "
        "(`Kode Program`, `KODE_PROGRAM`, `kode program` are the same column) and through the aliases "
        "in the tables. Worksheet names are matched the same way.",
        "col": "column",
        "rule": "rule",
        "type": "type",
        "aliases": "aliases",
        "sheet_rules": "Rules across rows",
        "values_title": "How values are written",
        "values": [
            "Numbers: `1.250.000`, `45,5` (Indonesian) or `1,250,000`, `45.5` (English). Native xlsx "
            "numbers are read as they are.",
            "Ambiguous numbers: one separator followed by exactly three digits (`1.250`, `1,250`) is "
            "read in the sheet's locale (Indonesian: `1.250` = 1250, `1,250` = 1.25) and gets a warning.",
            "Percent: `45,5`, `45,5%`, or a percent-formatted xlsx cell holding 0.455 (= 45.5 %).",
            "Rupiah: `Rp1.250.000`, `Rp 1.250.000,-`, `1250000`, `Rp9,2 miliar` (juta, miliar, triliun).",
            "Dates: xlsx date cells, `2024-03-12`, `12/03/2024` (day first for Indonesian sheets; month "
            "first only for sheets in the `en_US` locale), `12 Maret 2024`, `12 Mar 2024`. Excel date "
            "serial numbers are accepted with a warning.",
            "Coordinates: latitude first, then longitude: `-3.3278, 114.5887` or `-3.3278 114.5887`. With decimal "
            "commas, separate latitude and longitude with a semicolon: `-3,3278; 114,5887`. A segment (a line, e.g. "
            "a river): points separated by semicolons, each point's latitude and longitude by a space: `-3.31 "
            "114.62; -3.30 114.62` or `-3,31 114,62; -3,30 114,62`. City bounds: latitude -3.40 to "
            "-3.25, longitude 114.52 to 114.67.",
        ],
        "rows_title": "Rows",
        "rows": "Empty rows are skipped. A row with an `error` is not published; the other rows still "
        "are. A `warning` is published and flagged. Every problem is reported with its worksheet, row "
        "number, cell reference (e.g. `D7`), raw value and message.",
        "privacy_title": "Personal data",
        "privacy": "These columns are never stored or shown; the report warns that they were dropped. A "
        "column whose header contains the part `{parts}` is personal data too.",
        "privacy_cells": "Personal data inside a cell is masked at validation too, before anything is stored or "
        "published. A text cell (any column of kind `text`) holding a NIK or KK number (16 digits), a phone number "
        "(10–15 digits starting with `0`, `62` or `+62`), an e-mail address, or any other run of {digits} or more "
        "digits (an account or ID number) is published with `{mask}` in its place, e.g. `{example}` becomes "
        "`{masked}`; the cell gets a `warning` naming the cell and the kinds masked, without repeating them, and "
        "the row still publishes. Remove the data from the sheet. A code ({codes}) holding one rejects its row (an "
        "`error`), since a masked code would join the wrong rows. A link ({links}) carrying an e-mail address or a "
        "phone number (e.g. `wa.me/62…`) is not published, with a warning. Not masked: Rupiah amounts and counts "
        "grouped in thousands ({kept}), dates, times, years, house numbers and coordinates.",
        "required": "required",
        "optional": "optional",
        "template_title": "Template",
        "template_intro": "The official template is an `.xlsx` workbook made from this contract: the three worksheets "
        "with their headers in order, a frozen header row, number, Rupiah and date formats (a percent column takes "
        "10 and 10% alike, both 10 %), drop-down lists for {lists}, a hint on every column, and a `petunjuk` "
        "(instructions) worksheet in front. The lists live on a hidden worksheet, `daftar`; the portal ignores "
        "`petunjuk` and `daftar`.",
        "template_steps": [
            "Make the template (Smart City team): "
            '`python -m data_sources template sheet-skpd.xlsx --skpd "Disperkim"`.',
            "Import it into Google Sheets: create a blank spreadsheet, then *File → Import → Upload*, pick the file, "
            "and choose *Replace spreadsheet*. Or upload the `.xlsx` to Google Drive, open it, and *File → Save as "
            "Google Sheets*.",
            "Check that the drop-downs survived: click cell `{dimensi}` of `program` (`dimensi`) and cell "
            "`{kelurahan}` of `lokasi` (`kelurahan`); both must show a drop-down.",
            "Set the spreadsheet's locale to Indonesia: *File → Settings → Locale: Indonesia*, so that `12/03/2024` "
            "means 12 March and `45,5` means forty-five point five.",
            "Share it: with the portal's service account as **Viewer**; or, for a `published` source, *Share → Anyone "
            "with the link, Viewer*.",
            "Send the spreadsheet's URL to the Smart City team; they add it to `portal.toml` and check it with "
            "`python -m data_sources check URL`.",
        ],
    },
}


def _sheet_section(spec: Worksheet, lang: str) -> list[str]:
    p = _PROSE[lang]
    out = [f"### `{spec.name}`", "", spec.purpose.get(lang)]
    if spec.aliases:
        out[-1] += f" ({p['aliases']}: " + ", ".join(f"`{a}`" for a in spec.aliases) + ")"
    out += ["", f"| {p['col']} | {p['type']} | {p['rule']} | {p['aliases']} |", "| --- | --- | --- | --- |"]
    for col in spec.columns:
        need = p["required"] if col.required else p["optional"]
        kind = col.kind.value.split(" / ")[0 if lang == "id" else -1]
        aliases = ", ".join(f"`{a}`" for a in col.aliases)
        out.append(f"| `{col.name}` | {kind}, {need} | {col.rule.get(lang)} | {aliases} |")
    if spec.rules:
        out += ["", f"{p['sheet_rules']}:", ""]
        out += [f"- {rule.get(lang)}" for rule in spec.rules]
    out.append("")
    return out


def _language_section(lang: str) -> list[str]:
    p = _PROSE[lang]
    out = [f"## {p['title'].format(v=contract.CONTRACT_VERSION)}", ""]
    if p["generated"]:
        out += [p["generated"], ""]
    out += [p["intro"], "", p["headers"], ""]
    for spec in contract.WORKSHEETS:
        out += _sheet_section(spec, lang)
    out += [f"### {p['values_title']}", ""]
    out += [f"- {v}" for v in p["values"]]
    out += ["", f"### {p['rows_title']}", "", p["rows"], ""]
    out += [f"### {p['privacy_title']}", ""]
    out += [p["privacy"].format(parts="`, `".join(contract.PERSONAL_DATA_PARTS)), ""]
    out += [", ".join(f"`{c}`" for c in contract.PERSONAL_DATA_COLUMNS), ""]
    out += [_privacy_cells(lang), ""]
    out += _template_section(lang)
    return out


# What the personal-data paragraph shows: one cell as typed, and amounts that stay (checked by tests/test_docs.py).
PERSONAL_EXAMPLE = "Hubungi Pak RT 0812-3456-7890"
NOT_MASKED_EXAMPLES = ("Rp15.000.000", "1.250.000")


def _privacy_cells(lang: str) -> str:
    """Personal data typed into a cell: masked in text, a code's row rejected, a link left out (core.validation)."""
    and_word = " dan " if lang == "id" else " and "
    links = [c.name for spec in contract.WORKSHEETS for c in spec.columns if c.kind is Kind.URL]
    return _PROSE[lang]["privacy_cells"].format(
        digits=personal_data.MIN_DIGITS,
        mask=personal_data.MASK,
        example=PERSONAL_EXAMPLE,
        masked=personal_data.mask_personal_data(PERSONAL_EXAMPLE),
        codes=", ".join(f"`{c}`" for c in CODE_COLUMNS),
        links=", ".join(f"`{c}`" for c in dict.fromkeys(links)),
        kept=and_word.join(f"`{v}`" for v in NOT_MASKED_EXAMPLES),
    )


def _template_section(lang: str) -> list[str]:
    """How to make the official template and bring it into Google Sheets (``python -m data_sources template``)."""
    p = _PROSE[lang]
    # The template gives every choice column a drop-down, and the two place columns the official lists.
    listed = [c.name for spec in contract.WORKSHEETS for c in spec.columns if c.choices] + ["kecamatan", "kelurahan"]
    names = [f"`{n}`" for n in dict.fromkeys(listed)]
    joined = ", ".join(names[:-1]) + (" dan " if lang == "id" else " and ") + names[-1]

    def first_cell(spec: Worksheet, column: str) -> str:
        return f"{column_letter([c.name for c in spec.columns].index(column))}2"

    cells = {"dimensi": first_cell(contract.PROGRAM, "dimensi"), "kelurahan": first_cell(contract.LOKASI, "kelurahan")}
    out = [f"### {p['template_title']}", "", p["template_intro"].format(lists=joined), ""]
    out += [f"{n}. {step.format(**cells)}" for n, step in enumerate(p["template_steps"], start=1)]
    out.append("")
    return out


def render_contract_doc() -> str:
    lines = ["# Kontrak sheet / Sheet contract", ""]
    lines += _language_section("id")
    lines += _language_section("en")
    return "\n".join(lines).rstrip("\n") + "\n"
