"""Personal data in free text: one rule finds and masks NIK/KK numbers, phone numbers and e-mail addresses, for
sheet text and feedback alike; cleaning drops bidi overrides but keeps the joiners inside emoji."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.personal_data import MASK, Kind, describe, find_personal_data, mask_found, mask_personal_data, masked_kinds
from core.text import clean_text

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # 👨‍👩‍👧: three faces joined into one family
HEART = "\u2764\ufe0f"  # ❤️: the variation selector asks for the emoji form
FLAG = "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f"  # the flag of Scotland (tags)


def test_a_note_with_a_nik_a_phone_number_and_an_email_address_has_all_three_masked() -> None:
    note = "Diserahkan ke Bpk Ahmad NIK 6371012345678901 HP 0812-3456-7890 ahmad@contoh.id"
    masked, kinds = masked_kinds(note)
    assert masked == f"Diserahkan ke Bpk Ahmad NIK {MASK} HP {MASK} {MASK}"
    assert kinds == {Kind.NIK: 1, Kind.PHONE: 1, Kind.EMAIL: 1}


@pytest.mark.parametrize(
    "kept",
    [
        "Pagu Rp14.750.000.000 untuk 460 unit",
        "Rp1500000000",
        "anggaran 1.250.000.000",
        "diserahkan 15-01-2024 10.00 WITA",
        "laporan 2024-01-15",
        "buka 08.00-16.00",
        "titik -3.3278 114.5887 di tepi sungai",
        "QW24-PERKIM-01",
        "RTLH-2024-0001",
        "RT 05 RW 12, Jl. A. Yani km 5,5",
    ],
)
def test_amounts_dates_hours_coordinates_and_codes_are_not_personal_data(kept: str) -> None:
    assert mask_personal_data(kept) == kept


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("6371 0123 4567 8901", Kind.NIK),
        ("+62 812 3456 7890", Kind.PHONE),
        ("(0511) 3252 4455", Kind.PHONE),
        ("6281234567890", Kind.PHONE),
        ("rekening 1234567890123", Kind.NUMBER),
    ],
)
def test_each_kind_is_told_apart(text: str, kind: Kind) -> None:
    assert masked_kinds(text)[1] == {kind: 1}


def test_the_description_of_what_was_masked_names_each_kind_in_both_languages() -> None:
    told = describe(masked_kinds("NIK 6371012345678901, 0812-3456-7890 dan 0813 1111 2222")[1])
    assert told.id == "1 NIK/nomor KK (16 angka), 2 nomor telepon"
    assert told.en == "1 NIK/KK number (16 digits), 2 phone number"


@pytest.mark.parametrize("bidi", [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))])
def test_bidi_overrides_and_isolates_are_stripped(bidi: str) -> None:
    assert clean_text(f"Laporan {bidi}fdp.exe") == "Laporan fdp.exe"


def test_emoji_sequences_keep_their_joiners_selectors_and_tags() -> None:
    text = f"Terima kasih {FAMILY} {HEART} {FLAG}\nbaris dua"
    assert clean_text(text) == text


@given(st.text(alphabet="0123456789 .-()+@abc", max_size=40))
def test_the_quick_first_look_never_hides_what_the_full_search_finds(text: str) -> None:
    assert mask_personal_data(text) == mask_found(text, find_personal_data(text))


@pytest.mark.parametrize(
    "text", ["(ahmad@contoh.id)", "email:ahmad@contoh.id", "a" * 5000 + " ahmad@contoh.id", "<ahmad.s+x@contoh.co.id>"]
)
def test_an_address_is_masked_wherever_its_run_of_characters_starts(text: str) -> None:
    assert "ahmad" not in mask_personal_data(text) and MASK in mask_personal_data(text)
