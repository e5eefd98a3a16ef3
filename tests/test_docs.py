"""Documents that must match the code: a stale document fails here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from core.contract_doc import NOT_MASKED_EXAMPLES, PERSONAL_EXAMPLE, render_contract_doc
from core.personal_data import MASK, mask_personal_data
from core.table import Cell
from core.values import parse_coordinates
from data_sources.config.portal_config import SECTIONS, SourceConfig, toml_keys

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
        # The keys as written in portal.toml: [notify] from is the field `sender`.
        for key in toml_keys(cls):
            assert re.search(rf"^\| `{key}` \|", part, re.MULTILINE), f"[{section}] {key} is undocumented"


def test_the_bundled_configuration_uses_only_documented_keys() -> None:
    repo = DOCS.parent
    config = (repo / "portal.toml").read_text(encoding="utf-8")
    guide = (DOCS / "admin.md").read_text(encoding="utf-8")
    for key in re.findall(r"^([a-z_]+)\s*=", config, re.MULTILINE):
        assert f"| `{key}` |" in guide, f"portal.toml key {key} is undocumented"


def _section(doc: str, heading: str) -> str:
    return doc.split(heading, 1)[1].split("\n### ", 1)[0]


@pytest.mark.parametrize(
    ("values", "privacy", "said"),
    [
        ("### Cara menulis nilai", "### Data pribadi", ("disamarkan saat validasi", "peringatan (`warning`)")),
        ("### How values are written", "### Personal data", ("masked at validation", "gets a `warning`")),
    ],
)
def test_the_contract_document_says_how_points_are_written_and_that_personal_data_in_a_cell_is_masked(
    values: str, privacy: str, said: tuple[str, ...]
) -> None:
    doc = (DOCS / "kontrak-sheet.md").read_text(encoding="utf-8")
    # Every way of writing coordinates the document shows is read by the portal, the "lat; lon" with decimal
    # commas among them, and a point reads as the one point it is.
    coordinates = next(
        line for line in _section(doc, values).splitlines() if line.startswith(("- Koordinat", "- Coordinates"))
    )
    shown = re.findall(r"`([^`]+)`", coordinates)
    assert "-3,3278; 114,5887" in shown
    for written in shown:
        numbers = re.findall(r"-?\d+(?:[.,]\d+)?", written)
        assert len(parse_coordinates(Cell(written)).value) == len(numbers) // 2, written
    assert parse_coordinates(Cell("-3,3278; 114,5887")).value == [pytest.approx((-3.3278, 114.5887))]

    # The personal-data paragraph: what is masked, with the mask, a real example, and what is not.
    part = _section(doc, privacy)
    assert all(s in part for s in said)
    assert f"`{PERSONAL_EXAMPLE}`" in part and f"`{mask_personal_data(PERSONAL_EXAMPLE)}`" in part
    assert MASK in mask_personal_data(PERSONAL_EXAMPLE)
    for kept in NOT_MASKED_EXAMPLES:
        assert f"`{kept}`" in part and mask_personal_data(kept) == kept
    for name in ("kode_program", "kode_lokasi", "tautan", "bukti"):
        assert f"`{name}`" in part
    # "Any other run of 10 or more digits": the rule the document states is the one the code applies.
    assert "10" in part and mask_personal_data("rekening 1234567890") == f"rekening {MASK}"
    assert mask_personal_data("rekening 123456789") == "rekening 123456789"
