"""The open-data files as a Frictionless data package (``datapackage.json``, Data Package v1). Pure: no I/O.

A data user's tool (``frictionless validate datapackage.json``, a CKAN harvester, a notebook) learns from it what
the bare CSVs cannot say: each column's type and format, its allowed words (``enum``), the bounds of percentages and
coordinates, which columns are always filled, and how the tables join (primary and foreign keys). Every field is
made from the data dictionary (``core.data_dictionary.file_entries``), the same one ``kamus-data.json`` and the
downloads' dictionary sheet are made from, so the schema and the words cannot drift apart.

Choices written down here:

- ``lokasi.csv`` has no primary key: its ``jumlah_rumah`` rows (private homes counted per kelurahan) have no site
  code by design. Its ``kode_program`` is a foreign key to ``program``, as ``capaian``'s is.
- ``riwayat.csv`` has no foreign key to ``program``: it keeps the reports of programs no longer published.
- The GeoJSON of the sites is listed as a plain (non-tabular) resource with its size and hash.
- Titles and descriptions carry both languages, Indonesian first ("id / en"): the format has one text per property.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from core.contract import Kind
from core.data_dictionary import FORMATS, Entry, Format
from core.text import Text

DATA_PACKAGE_SPEC = "https://specs.frictionlessdata.io/data-package/"
TABLE_SCHEMA_SPEC = "https://specs.frictionlessdata.io/table-schema/"

# Each row's identity: a program by its code (unique across every source, the contract's rule), a report by program
# and date (a second report of a program for a day is rejected), a reading of a report by its snapshot too.
PRIMARY_KEYS: dict[str, tuple[str, ...]] = {
    "program": ("kode_program",),
    "capaian": ("kode_program", "tanggal"),
    "riwayat": ("id_snapshot", "kode_program", "tanggal"),
}
# Reports and sites belong to a published program.
FOREIGN_KEYS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "capaian": (("kode_program", "program", "kode_program"),),
    "lokasi": (("kode_program", "program", "kode_program"),),
}
_TYPES = {Format.DATE: "date", Format.DATETIME: "datetime", Format.INTEGER: "integer", Format.NUMBER: "number"}


def both(text: Text, separator: str = " / ") -> str:
    """One property's text in both languages, Indonesian first; once when they are the same."""
    return text.id if text.id == text.en else f"{text.id}{separator}{text.en}"


def schema_field(entry: Entry) -> dict[str, Any]:
    """A Table Schema field for one dictionary entry: type, format, and the constraints the contract promises."""
    kind = _TYPES.get(FORMATS.get(entry.column, Format.TEXT), "string")
    out: dict[str, Any] = {
        "name": entry.column,
        "type": kind,
        "description": f"{both(entry.meaning)} ({both(entry.unit)})",
    }
    if entry.kind is Kind.URL:
        out["format"] = "uri"
    constraints: dict[str, Any] = {}
    if entry.required:
        constraints["required"] = True
    if entry.choices and kind == "string":
        constraints["enum"] = list(entry.choices)
    if kind in ("number", "integer"):
        if entry.minimum is not None:
            constraints["minimum"] = _bound(entry.minimum, kind)
        if entry.maximum is not None:
            constraints["maximum"] = _bound(entry.maximum, kind)
    if constraints:
        out["constraints"] = constraints
    return out


def _bound(value: float, kind: str) -> int | float:
    # An integer field's bounds must be integers for a validator to compare them.
    return int(value) if kind == "integer" or float(value).is_integer() else value


def table_schema(table: str, entries: Sequence[Entry]) -> dict[str, Any]:
    """The Table Schema of one table file, its fields in the file's column order, with its keys."""
    columns = {e.column for e in entries}
    schema: dict[str, Any] = {
        "fields": [schema_field(e) for e in entries],
        # An empty cell is a missing value; nothing else is (a text "NA" is text).
        "missingValues": [""],
    }
    key = PRIMARY_KEYS.get(table)
    if key and set(key) <= columns:
        schema["primaryKey"] = list(key)
    foreign = [
        {"fields": [mine], "reference": {"resource": other, "fields": [theirs]}}
        for mine, other, theirs in FOREIGN_KEYS.get(table, ())
        if mine in columns
    ]
    if foreign:
        schema["foreignKeys"] = foreign
    return schema


@dataclass(frozen=True)
class PackageFile:
    """One published file as the package lists it. ``entries``: the table's columns (None: not a table)."""

    name: str  # the file name, e.g. "program.csv"
    title: Text
    media_type: str
    size: int
    sha256: str
    entries: Sequence[Entry] | None = None

    @property
    def resource_name(self) -> str:
        # "program.csv" -> "program"; "lokasi.geojson" -> "lokasi-geojson" (a name per resource, lower case).
        stem, extension = self.name.rsplit(".", 1)
        return stem if extension == "csv" else f"{stem}-{extension}"


@dataclass(frozen=True)
class PackageInfo:
    title: Text
    description: Text
    licence: str
    licence_url: str
    publisher: str
    created: datetime | None  # the newest reading of a source: unchanged data, unchanged file
    sources: Sequence[str]  # each source as the files name it ("DISPERKIM (perkim.xlsx)")
    authors: Sequence[str]  # the offices (SKPD) whose sheets the data come from
    homepage: str = ""
    keywords: Sequence[str] = field(default_factory=tuple)


def package_name(title: str) -> str:
    """A data package name (lower case letters, digits, ``-``) from the portal's title."""
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "portal-transparansi"


def _resource(file: PackageFile) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "name": file.resource_name,
        "path": file.name,
        "title": both(file.title),
        "format": file.name.rsplit(".", 1)[1],
        "mediatype": file.media_type.split(";")[0],
        "encoding": "utf-8",
        "bytes": file.size,
        "hash": f"sha256:{file.sha256}",
    }
    if file.entries is not None:
        resource["profile"] = "tabular-data-resource"
        # The files' own CSV dialect (RFC 4180, CRLF), said so that no tool has to guess it.
        resource["dialect"] = {"delimiter": ",", "lineTerminator": "\r\n", "quoteChar": '"', "header": True}
        resource["schema"] = table_schema(file.resource_name, file.entries)
    return resource


def build_data_package(info: PackageInfo, files: Sequence[PackageFile]) -> dict[str, Any]:
    """``datapackage.json``: who publishes what under which licence, and every file with its schema or its hash."""
    package: dict[str, Any] = {
        "profile": "data-package",
        "name": package_name(info.title.id),
        "title": both(info.title),
        "description": both(info.description, "\n\n"),
        "licenses": [{"path": info.licence_url, "title": info.licence}],
        "sources": [{"title": source} for source in info.sources],
        "contributors": [
            {"title": info.publisher, "role": "publisher"},
            *({"title": author, "role": "author"} for author in info.authors),
        ],
    }
    if info.homepage:
        package["homepage"] = info.homepage
    if info.created is not None:
        package["created"] = info.created.isoformat()
    if info.keywords:
        package["keywords"] = list(info.keywords)
    package["resources"] = [_resource(f) for f in files]
    return package
