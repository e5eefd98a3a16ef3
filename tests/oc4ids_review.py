"""The real OC4IDS 0.9.4 schema and code lists (``tests/oc4ids-0.9.4/``), and the standard's own review library.

``schema_host`` serves that folder over HTTP on 127.0.0.1, because libcoveoc4ids fetches the schema and the code
lists by address (``schema_host``, ``schema_codelists``) and would otherwise download them from the standard's site;
``review`` runs libcoveoc4ids as the OC4IDS Data Review Tool does. ``package_validator`` is the same schema for
jsonschema, for the many small packages the mapping tests build (the project schema's ``$ref`` is resolved from the
folder, never from the network).
"""

from __future__ import annotations

import csv
import functools
import json
import tempfile
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jsonschema
from libcoveoc4ids.api import oc4ids_json_output
from libcoveoc4ids.config import LibCoveOC4IDSConfig
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

SCHEMA_FOLDER = Path(__file__).resolve().parent / "oc4ids-0.9.4"
PACKAGE_SCHEMA = "project-package-schema.json"
PROJECT_SCHEMA = "project-schema.json"


def schema(name: str) -> dict[str, Any]:
    return json.loads((SCHEMA_FOLDER / name).read_text(encoding="utf-8"))


def codes(codelist: str) -> tuple[str, ...]:
    """The ``Code`` column of one of the standard's code lists, e.g. ``projectStatus.csv``."""
    with (SCHEMA_FOLDER / "codelists" / codelist).open(encoding="utf-8", newline="") as file:
        return tuple(row["Code"] for row in csv.DictReader(file))


@functools.cache
def package_validator() -> jsonschema.Draft4Validator:
    """Draft 4, as the schema declares; its ``$ref`` to the project schema's published address is found here."""
    resources = [(s["id"], Resource.from_contents(s, DRAFT4)) for s in (schema(PACKAGE_SCHEMA), schema(PROJECT_SCHEMA))]
    return jsonschema.Draft4Validator(
        schema(PACKAGE_SCHEMA),
        registry=Registry().with_resources(resources),
        format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER,
    )


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """No line per request on the test's output."""


@contextmanager
def schema_host() -> Iterator[str]:
    """The folder served on 127.0.0.1; yields its address, ending in ``/``."""
    handler = functools.partial(_QuietHandler, directory=str(SCHEMA_FOLDER))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def review(package: Mapping[str, Any], host: str) -> dict[str, Any]:
    """libcoveoc4ids' whole report on a package, against the schema and code lists served at ``host``."""
    config = LibCoveOC4IDSConfig(
        {
            "schema_version": "0.9.4",
            "schema_version_choices": {"0.9.4": ("0.9.4", host)},
            "schema_host": host,
            "schema_codelists": {"0.9": f"{host}codelists/"},
        }
    )
    with tempfile.TemporaryDirectory() as folder:
        return oc4ids_json_output(folder, json_data=dict(package), lib_cove_oc4ids_config=config)
