"""Documents that must match the code: a stale document fails here."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from core.contract_doc import render_contract_doc
from data_sources.config.portal_config import SECTIONS, SourceConfig

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_the_contract_document_is_the_one_rendered_from_the_code() -> None:
    committed = (DOCS / "kontrak-sheet.md").read_text(encoding="utf-8")
    assert committed == render_contract_doc(), (
        "docs/kontrak-sheet.md is stale: python -m data_sources contract-doc > docs/kontrak-sheet.md"
    )


def test_every_configuration_key_is_documented_in_the_admin_guide() -> None:
    guide = (DOCS / "admin.md").read_text(encoding="utf-8")
    tables = {**SECTIONS, "[sources]": SourceConfig}
    for section, cls in tables.items():
        heading = f"### `[{section}]`" if section != "[sources]" else "### `[[sources]]`"
        assert heading in guide, f"section {section} is not documented"
        part = guide.split(heading, 1)[1].split("\n### ", 1)[0]
        for field in dataclasses.fields(cls):
            assert re.search(rf"^\| `{field.name}` \|", part, re.MULTILINE), f"[{section}] {field.name} is undocumented"


def test_the_bundled_configuration_uses_only_documented_keys() -> None:
    repo = DOCS.parent
    config = (repo / "portal.toml").read_text(encoding="utf-8")
    guide = (DOCS / "admin.md").read_text(encoding="utf-8")
    for key in re.findall(r"^([a-z_]+)\s*=", config, re.MULTILINE):
        assert f"| `{key}` |" in guide, f"portal.toml key {key} is undocumented"
