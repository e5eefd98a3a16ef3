"""The open-data files described as a schema.org ``Dataset`` (JSON-LD), so that dataset search finds them.

Pure: made from the files' own ``index.json`` (what was really published, with its licence and "data per"),
the reports' first and last dates, and the portal's address.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from typing import Any

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


def _text(value: Any, lang: str) -> str:
    return str(value.get(lang) or value.get("id") or "") if isinstance(value, Mapping) else str(value or "")


def dataset(
    index: Mapping[str, Any], base_url: str, lang: str, period: tuple[date, date] | None, sample: bool
) -> dict[str, Any]:
    base = base_url.rstrip("/")
    described: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "name": f"{_text(index.get('title'), lang)}: {'open data' if lang == 'en' else 'data terbuka'}",
        "description": DESCRIPTION.get(lang) + (SAMPLE_NOTE.get(lang) if sample else ""),
        "url": f"{base}/tentang" + ("?lang=en" if lang == "en" else ""),
        "inLanguage": lang,
        "isAccessibleForFree": True,
        "license": index.get("licence_url") or index.get("licence"),
        "publisher": {"@type": "GovernmentOrganization", "name": str(index.get("publisher") or "")},
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
    if index.get("dibaca_pada"):
        described["dateModified"] = index["dibaca_pada"]
    if period is not None:
        described["temporalCoverage"] = f"{period[0].isoformat()}/{period[1].isoformat()}"
    return described


def script_tag(described: Mapping[str, Any]) -> str:
    """The ``<script type="application/ld+json">`` for a page's head; "<" is escaped so no text can end it."""
    text = json.dumps(described, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
    return f'<script type="application/ld+json">{text}</script>'
