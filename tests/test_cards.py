"""A program's card on the home page says what the page's summary says: the HTML a crawler or a link preview
reads, the meta description and the server's pictures are written from ``core.page_summary``, and so is the card.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from builders import OTHER_CODE, accepted, capaian, program, validate, workbook
from streamlit.testing.v1 import AppTest

from core.formatting import WORD_JOINER, escape_markdown
from core.page_summary import ProgramFacts, home_summary
from core.progress import TRACK_LABELS, ProgramProgress, Track, program_progress
from core.text import Text

REPO = Path(__file__).resolve().parent.parent
NO_REPORT = "QW24-DLH-01"
# Sheet text with every kind of markdown-active character: the card escapes it, the summary keeps it as typed,
# and what a reader sees must be the same words.
HOSTILE = "Sungai *Baiman* [tahap 1](https://x.example) <b>#2</b> ~ 50% | `kode`_!"


def _items() -> list[ProgramProgress]:
    result = validate(
        workbook(
            programs=[
                program(),  # a report with the budget spent, without the indicator's count
                program(
                    kode_program=OTHER_CODE,
                    nama_program=HOSTILE,
                    dimensi="Smart Branding",
                    skpd="Dinas *PUPR* [kota]",
                    indikator="Titik `sungai` (_ditata_)",
                    satuan="m² <segmen>",
                    anggaran="Rp1.500.000.000",
                ),  # far behind plan, the indicator's count, the budget without what was spent
                program(kode_program=NO_REPORT, nama_program="Sampah jadi energi", dimensi="Smart Environment"),
            ],
            capaians=[
                capaian(capaian_indikator=None),
                capaian(
                    kode_program=OTHER_CODE,
                    rencana_persen=60,
                    realisasi_persen=35,
                    capaian_indikator=12,
                    realisasi_anggaran=None,
                ),
            ],
            lokasis=None,
        )
    )
    items = program_progress(accepted(result, "program"), accepted(result, "capaian"))
    assert {item.code for item in items} == {"QW24-PERKIM-01", OTHER_CODE, NO_REPORT}
    assert {item.track for item in items} == {Track.LATE, Track.CRITICAL, Track.NO_DATA}
    return items


def _card_app(item: object, lang: str) -> None:
    # AppTest runs this function's source as a script, without this module's imports.
    from components.progress_cards import _program_body

    _program_body(item, None, lang, links=False)  # type: ignore[arg-type]


def _seen(markdown: str) -> str:
    """What a reader sees of a markdown line: the escapes and the word joiners are not shown."""
    return re.sub(r"\\(.)", r"\1", markdown).replace(WORD_JOINER, "")


def _summary_facts(lang: str) -> dict[str, ProgramFacts]:
    summary = home_summary(_items(), [], Text("Portal", "Portal"), lang)
    return {facts.code: facts for facts in summary.programs}


@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_program_s_card_says_what_the_page_summary_says(lang: str) -> None:
    page = _summary_facts(lang)
    for item in _items():
        facts = page[item.code]
        at = AppTest.from_function(_card_app, args=(item, lang), default_timeout=30).run()
        assert not at.exception, [e.value for e in at.exception]

        icon = TRACK_LABELS[item.track][0]
        assert [_seen(m.value) for m in at.markdown] == [f"**{facts.name}**  \n{icon} {facts.status}"]
        bars = at.get("progress")
        if facts.progress is None:  # no report yet: a name and a status, no figures
            assert not bars and not at.caption
            continue
        assert [bar.proto.text for bar in bars] == [facts.progress]
        [caption] = [_seen(c.value) for c in at.caption]
        *figures, as_of = caption.split("  \n")
        assert figures == [line for line in (facts.indicator, facts.budget) if line]
        assert facts.as_of is not None and as_of.startswith(f"{facts.as_of} · ")
        assert facts.skpd in as_of


def test_the_card_gets_there_by_escaping_the_sheet_s_words_for_markdown() -> None:
    """The test above compares what is seen; the card itself carries the sheet's words escaped, never markup."""
    item = next(item for item in _items() if item.code == OTHER_CODE)
    at = AppTest.from_function(_card_app, args=(item, "id"), default_timeout=30).run()
    assert at.markdown[0].value.startswith(f"**{escape_markdown(HOSTILE)}**  \n")
    caption = at.caption[0].value
    for typed in ("Titik `sungai` (_ditata_)", "m² <segmen>", "Dinas *PUPR* [kota]"):
        assert escape_markdown(typed) in caption


# The lines of a program's card that the page summary composes (core.page_summary.program_facts). A face that
# formats one of them itself says it a second time, and the two drift apart.
SUMMARY_LINES = ("card.progress", "card.indicator", "card.budget", "card.budget_spent", "card.as_of")


def test_no_page_or_component_composes_a_program_s_card_line_itself() -> None:
    faces = [REPO / "app.py", *(REPO / "app_pages").glob("*.py"), *(REPO / "components").glob("*.py")]
    assert len(faces) > 20, "the faces moved: this test would check nothing"
    keys = "|".join(re.escape(key) for key in SUMMARY_LINES)
    written = [
        f"{path.relative_to(REPO)}: {found}"
        for path in faces
        for found in re.findall(rf"""\bt\(\s*["']({keys})["']""", path.read_text(encoding="utf-8"))
    ]
    assert written == [], "read these lines from core.page_summary.program_facts"
