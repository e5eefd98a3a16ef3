"""Render the sheet contract as the document SKPD clerks read (``docs/kontrak-sheet.md``).

The document is generated from ``core.contract`` so the two cannot disagree; regenerate it with
``python -m data_sources contract-doc > docs/kontrak-sheet.md``.
"""

from __future__ import annotations

from core import contract
from core.contract import Worksheet

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
            "Koordinat: desimal titik atau koma, lintang dulu. Batas kota: lintang -3,40 s.d. -3,25, "
            "bujur 114,52 s.d. 114,67.",
        ],
        "rows_title": "Baris",
        "rows": "Baris kosong dilewati. Baris dengan kesalahan (`error`) tidak diterbitkan; baris lain "
        "tetap terbit. Peringatan (`warning`) terbit dengan tanda. Setiap masalah dilaporkan dengan "
        "worksheet, nomor baris, referensi sel (mis. `D7`), nilai asli dan pesan.",
        "privacy_title": "Data pribadi",
        "privacy": "Kolom berikut tidak pernah disimpan atau ditampilkan; laporan memberi peringatan "
        "bahwa kolom itu dibuang. Kolom yang judulnya memuat bagian `{parts}` juga dianggap data "
        "pribadi.",
        "required": "wajib",
        "optional": "opsional",
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
            "Coordinates: decimal point or comma, latitude first. City bounds: latitude -3.40 to -3.25, "
            "longitude 114.52 to 114.67.",
        ],
        "rows_title": "Rows",
        "rows": "Empty rows are skipped. A row with an `error` is not published; the other rows still "
        "are. A `warning` is published and flagged. Every problem is reported with its worksheet, row "
        "number, cell reference (e.g. `D7`), raw value and message.",
        "privacy_title": "Personal data",
        "privacy": "These columns are never stored or shown; the report warns that they were dropped. A "
        "column whose header contains the part `{parts}` is personal data too.",
        "required": "required",
        "optional": "optional",
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
    return out


def render_contract_doc() -> str:
    lines = ["# Kontrak sheet / Sheet contract", ""]
    lines += _language_section("id")
    lines += _language_section("en")
    return "\n".join(lines).rstrip("\n") + "\n"
