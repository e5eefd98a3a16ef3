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
    "sources": [
        {"name": "pupr", "skpd": "Dinas PUPR", "origin": "pupr.xlsx"},
        {"name": "disdik", "skpd": "Disdik", "origin": "disdik.xlsx"},
        {"name": "pupr-2", "skpd": "Dinas PUPR", "origin": "pupr-lokasi.xlsx"},
    ],
    "files": [
        {
            "name": "program.csv",
            "path": "/app/static/data/program.csv",
            "media_type": "text/csv; charset=utf-8",
            "description": {"id": "Daftar program", "en": "The programs"},
        },
    ],
}

INDEX_PATH = "/app/static/data/index.json"


def test_each_file_is_a_download_with_its_address_format_and_description_in_the_language() -> None:
    described = dataset(
        INDEX,
        "https://portal.example/",
        "en",
        (date(2024, 1, 15), date(2024, 12, 31)),
        sample=True,
        index_path=INDEX_PATH,
    )
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
    tag = script_tag(dataset(INDEX, "https://portal.example", "id", None, sample=False, index_path=INDEX_PATH))
    inner = tag.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert "<" not in inner
    assert json.loads(inner)["publisher"]["name"] == INDEX["publisher"]
    assert "temporalCoverage" not in json.loads(inner)


def test_the_offices_that_write_the_data_are_its_creators_once_each_and_the_index_its_identifier() -> None:
    described = dataset(INDEX, "https://portal.example/", "id", None, sample=False, index_path=INDEX_PATH)
    assert described["creator"] == [
        {"@type": "GovernmentOrganization", "name": "Dinas PUPR"},
        {"@type": "GovernmentOrganization", "name": "Disdik"},
    ]
    # One address for both languages: the list of every file, as a program reads it.
    assert described["identifier"] == "https://portal.example/app/static/data/index.json"
    english = dataset(INDEX, "https://portal.example", "en", None, sample=False, index_path=INDEX_PATH)
    assert english["identifier"] == described["identifier"]
    assert "data terbuka" in described["keywords"] and "open data" in english["keywords"]
    assert "Smart City" in english["keywords"] and "data terbuka" not in english["keywords"]
    no_sources = {key: value for key, value in INDEX.items() if key != "sources"}
    alone = dataset(no_sources, "https://portal.example", "id", None, sample=False, index_path=INDEX_PATH)
    assert alone["creator"] == [{"@type": "GovernmentOrganization", "name": INDEX["publisher"]}]


def test_every_column_of_a_published_table_is_a_variable_measured_with_its_meaning_and_unit() -> None:
    """The columns are those index.json lists for each CSV (its header), in the file's order: a file's own columns
    (lintang, the home counts, the snapshot number) included, a sheet column no file holds (koordinat) not."""
    headers = {
        "program.csv": ["kode_program", "anggaran", "lokasi_pribadi"],
        "capaian.csv": ["kode_program", "realisasi_persen", "status", "sumber"],
        "capaian.json": None,  # the same table: its columns are the CSV's
        "lokasi.csv": ["kode_lokasi", "lintang", "bujur", "jumlah_selesai"],
        "riwayat.csv": ["id_snapshot", "kode_program", "realisasi_persen"],
    }
    files = [
        {"name": name, "path": f"/app/static/data/{name}", "media_type": "text/csv"}
        | ({"columns": columns} if columns else {})
        for name, columns in headers.items()
    ]
    index = {**INDEX, "files": files}
    variables = dataset(index, "https://portal.example", "en", None, sample=False, index_path=INDEX_PATH)[
        "variableMeasured"
    ]
    names = [v["name"] for v in variables]
    assert names == [f"{name.split('.')[0]}.{c}" for name, columns in headers.items() for c in columns or []]
    assert {v["@type"] for v in variables} == {"PropertyValue"}
    found = {v["name"]: v for v in variables}
    assert found["capaian.realisasi_persen"]["description"] == "Actual cumulative physical progress"
    assert found["capaian.realisasi_persen"]["unitText"] == "percent, 0–100"
    assert found["riwayat.realisasi_persen"]["unitText"] == "percent, 0–100"
    assert found["program.anggaran"]["unitText"] == "Rupiah (IDR)"
    assert found["lokasi.jumlah_selesai"]["description"] and found["lokasi.lintang"]["description"]
    status = found["capaian.status"]["description"]
    assert status.startswith("The program's status as reported: ") and "Selesai" in status  # its closed list
    assert "`" not in found["program.lokasi_pribadi"]["description"]  # plain text, not the dictionary's Markdown
    indonesian = dataset(index, "https://portal.example", "id", None, sample=False, index_path=INDEX_PATH)
    assert {v["name"]: v for v in indonesian["variableMeasured"]}["capaian.realisasi_persen"]["unitText"] == (
        "persen, 0–100"
    )


def test_a_column_the_dictionary_cannot_explain_is_not_described() -> None:
    files = [{"name": "program.csv", "path": "/app/static/data/program.csv", "columns": ["kode_program", "asing"]}]
    described = dataset({**INDEX, "files": files}, "https://portal.example", "id", None, False, INDEX_PATH)
    assert [v["name"] for v in described["variableMeasured"]] == ["program.kode_program"]


def test_a_data_set_without_a_described_table_names_no_variables() -> None:
    index = {**INDEX, "files": [{"name": "oc4ids.json", "path": "/app/static/data/oc4ids.json"}]}
    assert "variableMeasured" not in dataset(index, "https://portal.example", "id", None, False, INDEX_PATH)
