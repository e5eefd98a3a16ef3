"""The open-data files described as a schema.org ``Dataset`` (JSON-LD), so that dataset search finds them.

Pure: made from the files' own ``index.json`` (what was really published, with its licence, its sources and "data
per"), the reports' first and last dates, the portal's address, and the data dictionary (``core.data_dictionary``)
for what each published column measures.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from typing import Any

from core.data_dictionary import Entry, file_entries
from core.text import Text

SPATIAL = "Kota Banjarmasin, Kalimantan Selatan, Indonesia"
DESCRIPTION = Text(
    "Data terbuka program Quick Win Smart City Kota Banjarmasin: daftar program, laporan capaian rencana dan "
    "realisasi fisik serta anggaran, lokasi program (rumah pribadi hanya sebagai jumlah per kelurahan), riwayat "
    "setiap angka yang pernah terbit, dan paket proyek OC4IDS.",
    "Open data of the Smart City Quick Win programs of Banjarmasin: the programs, their progress reports (planned "
    "and actual physical progress, budget spent), the programs' sites (private homes only as a count per "
    "kelurahan), the history of every figure ever published, and an OC4IDS project package.",
)
SAMPLE_NOTE = Text(
    " Saat ini berisi data contoh, bukan angka resmi.", " It holds sample data for now, not official figures."
)
# What dataset search may file the data under, in the page's language.
KEYWORDS: tuple[Text, ...] = (
    Text("Smart City", "Smart City"),
    Text("Quick Win", "Quick Win"),
    Text("Kota Banjarmasin", "Banjarmasin"),
    Text("transparansi", "transparency"),
    Text("kemajuan program", "program progress"),
    Text("realisasi anggaran", "budget spent"),
    Text("lokasi program", "program sites"),
    Text("data terbuka", "open data"),
    Text("OC4IDS", "OC4IDS"),
)


def _text(value: Any, lang: str) -> str:
    return str(value.get(lang) or value.get("id") or "") if isinstance(value, Mapping) else str(value or "")


def _creators(index: Mapping[str, Any]) -> list[dict[str, str]]:
    """The offices (SKPD) whose sheets the data come from, once each in the sources' order: they write the figures;
    the publisher only publishes them. No source listed: the publisher."""
    sources = [s for s in index.get("sources", []) if isinstance(s, Mapping)]
    names = list(dict.fromkeys(str(s["skpd"]) for s in sources if s.get("skpd")))
    names = names or [str(index.get("publisher") or "")]
    return [{"@type": "GovernmentOrganization", "name": name} for name in names]


def _variable(table: str, entry: Entry, lang: str) -> dict[str, str]:
    """One published column as what it measures: its meaning (with its closed list of values) and its unit. The
    dictionary's words are Markdown (``ya``); the backticks are left out of this plain text."""
    meaning = entry.meaning.get(lang).replace("`", "")
    choices = f": {', '.join(entry.choices)}" if entry.choices else ""
    return {
        "@type": "PropertyValue",
        "name": f"{table}.{entry.column}",
        "description": meaning + choices,
        "unitText": entry.unit.get(lang).replace("`", ""),
    }


def _variables(index: Mapping[str, Any], lang: str) -> list[dict[str, str]]:
    """Every column of each published table file, as index.json lists the file's header (``program.csv``: the
    ``program`` table), in the file's order; ``riwayat.csv`` holds the progress reports' columns over time. A
    column the dictionary cannot explain is left out (the job never publishes one: ``file_entries``)."""
    variables: list[dict[str, str]] = []
    for f in index.get("files", []):
        columns = f.get("columns") if isinstance(f, Mapping) else None
        if not isinstance(columns, list):
            continue
        table = str(f.get("name") or "").rsplit(".", 1)[0]
        for column in columns:
            try:
                (entry,) = file_entries(table, [str(column)])
            except KeyError:
                continue
            variables.append(_variable(table, entry, lang))
    return variables


def dataset(
    index: Mapping[str, Any],
    base_url: str,
    lang: str,
    period: tuple[date, date] | None,
    sample: bool,
    index_path: str,
) -> dict[str, Any]:
    """``index_path``: where ``index.json`` is served, the data set's identifier (one address for both languages,
    and the list of every file, its licence and its sources for a program to read)."""
    base = base_url.rstrip("/")
    described: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "name": f"{_text(index.get('title'), lang)}: {'open data' if lang == 'en' else 'data terbuka'}",
        "description": DESCRIPTION.get(lang) + (SAMPLE_NOTE.get(lang) if sample else ""),
        "url": f"{base}/tentang" + ("?lang=en" if lang == "en" else ""),
        "identifier": base + index_path,
        "inLanguage": lang,
        "keywords": [keyword.get(lang) for keyword in KEYWORDS],
        "isAccessibleForFree": True,
        "license": index.get("licence_url") or index.get("licence"),
        "publisher": {"@type": "GovernmentOrganization", "name": str(index.get("publisher") or "")},
        "creator": _creators(index),
        "spatialCoverage": {"@type": "Place", "name": SPATIAL},
        "distribution": [
            {
                "@type": "DataDownload",
                "name": str(f.get("name")),
                "description": _text(f.get("description"), lang),
                "encodingFormat": str(f.get("media_type") or "").split(";")[0],
                "contentUrl": base + str(f.get("path")),
            }
            for f in index.get("files", [])
            if isinstance(f, Mapping) and f.get("path")
        ],
    }
    # The files change when the portal reads a changed sheet: that reading ("dibaca_pada") is when the data set
    # was modified; "data_per" (the newest report date the figures describe) is not a modification time.
    variables = _variables(index, lang)
    if variables:
        described["variableMeasured"] = variables
    if index.get("dibaca_pada"):
        described["dateModified"] = index["dibaca_pada"]
    if period is not None:
        described["temporalCoverage"] = f"{period[0].isoformat()}/{period[1].isoformat()}"
    return described


def script_tag(described: Mapping[str, Any]) -> str:
    """The ``<script type="application/ld+json">`` for a page's head; "<" is escaped so no text can end it."""
    text = json.dumps(described, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
    return f'<script type="application/ld+json">{text}</script>'
