"""The open-data files as a schema.org Dataset (core.dataset_jsonld)."""

from __future__ import annotations

import json
from datetime import date

from core.dataset_jsonld import dataset, script_tag

INDEX = {
    "title": {"id": "Portal Transparansi", "en": "Transparency Portal"},
    "publisher": "Diskominfotik </script><script>alert(1)</script>",
    "licence": "CC BY 4.0",
    "licence_url": "https://creativecommons.org/licenses/by/4.0/",
    "data_per": "2024-11-30",
    "dibaca_pada": "2026-12-01T08:00:00+08:00",
    "files": [
        {
            "name": "program.csv",
            "path": "/app/static/data/program.csv",
            "media_type": "text/csv; charset=utf-8",
            "description": {"id": "Daftar program", "en": "The programs"},
        },
    ],
}


def test_each_file_is_a_download_with_its_address_format_and_description_in_the_language() -> None:
    described = dataset(INDEX, "https://portal.example/", "en", (date(2024, 1, 15), date(2024, 12, 31)), sample=True)
    assert described["distribution"] == [
        {
            "@type": "DataDownload",
            "name": "program.csv",
            "description": "The programs",
            "encodingFormat": "text/csv",
            "contentUrl": "https://portal.example/app/static/data/program.csv",
        }
    ]
    assert described["temporalCoverage"] == "2024-01-15/2024-12-31"
    assert (
        described["dateModified"] == INDEX["dibaca_pada"]
        and described["url"] == "https://portal.example/tentang?lang=en"
    )
    assert "sample data" in described["description"]


def test_no_text_can_close_the_script_element_it_rides_in() -> None:
    tag = script_tag(dataset(INDEX, "https://portal.example", "id", None, sample=False))
    inner = tag.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert "<" not in inner
    assert json.loads(inner)["publisher"]["name"] == INDEX["publisher"]
    assert "temporalCoverage" not in json.loads(inner)
