"""The questionnaire file, the form checks, suggestion masking, the abuse limits and the feedback store."""

from __future__ import annotations

import copy
import tomllib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from core.feedback_rules import MASK, Limits, Recent, Response, check_form, mask_personal_data, refusal
from core.questionnaire import QuestionnaireError, parse_questionnaire
from core.survey import ELEMENTS, GENERAL
from data_sources.store.feedback_store import FeedbackStore

BUNDLED = Path(__file__).resolve().parent.parent / "kuesioner.toml"
RAW = tomllib.loads(BUNDLED.read_text(encoding="utf-8"))
Q = parse_questionnaire(RAW)
NOW = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)


def answers(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {"program": GENERAL, "tahu": "ya", "pernah": "ya", **dict.fromkeys(ELEMENTS, 3)}
    values.update(manfaat=4, saran="", kontak="", setuju=False)
    values.update(overrides)
    return values


def response(**overrides: Any) -> Response:
    checked = check_form(Q, answers(**overrides), {GENERAL, "QW24-PERKIM-01"})
    assert checked.response is not None, checked.problems
    return checked.response


# --- the questionnaire file -------------------------------------------------------------------


def test_the_bundled_questionnaire_has_the_nine_skm_elements_each_with_four_labels_in_both_languages() -> None:
    assert Q.version
    assert sorted(e.key for e in Q.elements) == sorted(ELEMENTS)
    assert all(len(e.scale) == 4 and all(label.id and label.en for label in e.scale) for e in Q.elements)
    assert [p.key for p in Q.profile] == ["usia", "jenis_kelamin", "pendidikan", "pekerjaan", "kecamatan"]
    (kecamatan,) = [p for p in Q.profile if p.key == "kecamatan"]
    assert len(kecamatan.choices) == 5


def test_a_question_is_worded_for_the_program_it_is_about() -> None:
    element = Q.elements[0]
    assert "Bakawan RTLH" in element.text("id", "Bakawan RTLH") and "{program}" not in element.text("en", "X")


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (lambda d: d.pop("version"), "version"),
        (lambda d: d["elements"].pop(), "missing: "),
        (lambda d: d["elements"].append({**d["elements"][0]}), "each once"),
        (lambda d: d["elements"][1].update(scale=d["elements"][1]["scale"][:3]), "exactly four labels"),
        (lambda d: d["elements"][2]["question"].pop("en"), "both languages"),
        (lambda d: d["profile"][0].update(key="nama"), "key must be one of"),
        (lambda d: d.update(suggestion_max_chars=0), "suggestion_max_chars"),
    ],
)
def test_a_wrong_questionnaire_file_is_refused_naming_what_is_wrong(change: Any, named: str) -> None:
    data = copy.deepcopy(RAW)
    change(data)
    with pytest.raises(QuestionnaireError, match=named):
        parse_questionnaire(data)


# --- the form checks --------------------------------------------------------------------------


def test_a_complete_form_becomes_a_response_with_the_questionnaire_version() -> None:
    r = response(persyaratan="na", kontak="0812-3456-7890", setuju=True, usia="30-39")
    assert r.questionnaire_version == Q.version
    assert r.answers["persyaratan"] is None and r.answers["waktu"] == 3
    assert r.contact == "0812-3456-7890" and r.profile["usia"] == "30-39" and r.profile["kecamatan"] is None


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"program": "QW99-NOPE"}, "program"),
        ({"tahu": None}, "tahu"),
        ({"waktu": None}, "waktu"),
        ({"waktu": 5}, "waktu"),
        ({"manfaat": None}, "manfaat"),
        ({"saran": "x" * 1001}, "saran"),
        ({"usia": "99+"}, "usia"),
        ({"kontak": "telepon saya", "setuju": True}, "kontak"),
        ({"kontak": "warga@contoh.id", "setuju": False}, "setuju"),
    ],
)
def test_each_wrong_answer_gets_a_message_at_its_own_field(overrides: dict[str, Any], field: str) -> None:
    checked = check_form(Q, answers(**overrides), {GENERAL})
    assert checked.response is None
    assert [p.field for p in checked.problems] == [field]
    assert all(p.message.id and p.message.en for p in checked.problems)


def test_the_length_message_says_how_long_the_text_is_and_the_limit() -> None:
    (problem,) = check_form(Q, answers(saran="a" * 1200), {GENERAL}).problems
    assert "1200" in problem.message.id and "1000" in problem.message.en


def test_control_characters_are_dropped_from_a_suggestion_but_line_breaks_stay() -> None:
    assert response(saran="  baik\x00\x1b[31m\nsekali  ").suggestion == "baik[31m\nsekali"


def test_identical_answers_share_a_fingerprint_and_any_difference_changes_it() -> None:
    assert response(saran="Bagus  sekali").fingerprint() == response(saran="bagus sekali").fingerprint()
    assert response().fingerprint() != response(waktu=4).fingerprint()


# --- masking ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "personal",
    [
        "0812-3456-7890",
        "0812 3456 7890",
        "+62 812 3456 7890",
        "(0511) 3252 4455",
        "081234567890",
        "6371012345678901",
        "6371 0123 4567 8901",
        "warga.baik+rt5@contoh.co.id",
    ],
)
def test_phone_numbers_nik_and_email_addresses_in_a_suggestion_are_masked(personal: str) -> None:
    masked = mask_personal_data(f"Hubungi saya di {personal} ya.")
    assert masked == f"Hubungi saya di {MASK} ya.", masked


@pytest.mark.parametrize("kept", ["tahun 2024", "RT 05 RW 12", "Rp 15.000.000", "Rp15.000.000", "Jl. A. Yani km 5,5"])
def test_years_small_numbers_and_rupiah_amounts_are_not_masked(kept: str) -> None:
    assert mask_personal_data(kept) == kept


@given(st.text(alphabet="0123456789", min_size=16, max_size=16), st.sampled_from(["", " ", "NIK ", "no. "]))
def test_any_sixteen_digit_number_is_masked_wherever_it_appears(nik: str, before: str) -> None:
    assert nik not in mask_personal_data(f"saran {before}{nik} selesai")


def test_a_suggestion_keeps_its_family_emoji_whole_and_loses_a_bidi_override() -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # 👨‍👩‍👧: three faces joined into one family
    assert response(saran=f"Bagus sekali {family}\u202e").suggestion == f"Bagus sekali {family}"


# --- limits -----------------------------------------------------------------------------------

LIMITS = Limits(
    per_session_per_hour=3, per_address_per_hour=10, unknown_address_per_hour=60, min_seconds=20, duplicate_hours=24
)
OPENED = NOW - timedelta(minutes=5)


def test_a_response_within_every_limit_is_accepted() -> None:
    assert refusal(LIMITS, Recent(2, 9, True, False), OPENED, NOW) is None


@pytest.mark.parametrize(
    ("recent", "opened", "says", "says_en"),
    [
        (Recent(0, 0, True, False), NOW - timedelta(seconds=5), "5 detik", "sent 5 seconds after"),
        (Recent(0, 0, True, True), OPENED, "sudah kami terima", "already received exactly this response"),
        (Recent(3, 3, True, False), OPENED, "batasnya 3", "the limit is 3"),
        (Recent(0, 10, True, False), OPENED, "jaringan Anda", "from your network"),
        (Recent(0, 60, False, False), OPENED, "jaringan Anda", "from your network"),
    ],
)
def test_each_limit_refuses_with_a_reason(recent: Recent, opened: datetime, says: str, says_en: str) -> None:
    why = refusal(LIMITS, recent, opened, NOW)
    assert why is not None and says in why.id and says_en in why.en


def test_unknown_addresses_share_the_larger_allowance_instead_of_the_per_address_one() -> None:
    assert refusal(LIMITS, Recent(0, 30, False, False), OPENED, NOW) is None
    why = refusal(LIMITS, Recent(0, 30, True, False), OPENED, NOW)
    assert why is not None and (why.id, why.en) == (  # the per-address limit, not another one
        "Terlalu banyak tanggapan dari jaringan Anda dalam satu jam terakhir. Silakan coba lagi nanti.",
        "Too many responses from your network in the last hour. Please try again later.",
    )


# --- the store --------------------------------------------------------------------------------


@pytest.fixture
def store(tmp_path: Path) -> FeedbackStore:
    return FeedbackStore(sa.create_engine(f"sqlite:///{tmp_path / 'store.sqlite'}"))


def test_the_store_counts_per_session_and_address_over_the_last_hour_only(store: FeedbackStore) -> None:
    r = response()
    store.add(r, session_key="s1", client_key="a1", now=NOW - timedelta(minutes=90))
    store.add(r, session_key="s1", client_key="a1", now=NOW - timedelta(minutes=30))
    store.add(response(waktu=1), session_key="s2", client_key="a1", now=NOW - timedelta(minutes=10))
    recent = store.recent("s1", "a1", r.fingerprint(), NOW, duplicate_hours=24)
    assert (recent.from_session, recent.from_address, recent.address_known, recent.duplicate) == (1, 2, True, True)


def test_the_same_answers_from_another_session_and_address_are_not_a_duplicate(store: FeedbackStore) -> None:
    r = response()
    store.add(r, session_key="s1", client_key="a1", now=NOW)
    assert not store.recent("s2", "a2", r.fingerprint(), NOW, 24).duplicate
    assert store.recent("s2", "a1", r.fingerprint(), NOW, 24).duplicate  # same address
    assert not store.recent("s1", "a1", r.fingerprint(), NOW + timedelta(hours=25), 24).duplicate


def test_unknown_addresses_are_counted_together(store: FeedbackStore) -> None:
    store.add(response(), session_key="s1", client_key=None, now=NOW)
    store.add(response(waktu=1), session_key="s2", client_key=None, now=NOW)
    recent = store.recent("s3", None, "f", NOW, 24)
    assert recent.from_address == 2 and not recent.address_known


def test_a_response_is_stored_with_its_outbox_entry_and_the_public_view_holds_no_contact(
    store: FeedbackStore,
) -> None:
    rid = store.add(
        response(saran="Hubungi 081234567890", kontak="warga@contoh.id", setuju=True),
        session_key="s",
        client_key="a",
        now=NOW,
    )
    assert rid.startswith("QW-") and len(rid) == 12
    (entry,) = store.due(NOW)
    assert entry.response["id"] == rid and entry.response["contact"] == "warga@contoh.id"
    (public,) = store.public_responses()
    assert public["saran"] == ""  # pending: not published
    assert not {"contact", "suggestion", "suggestion_masked", "session_key", "client_key"} & set(public)
    assert "warga@contoh.id" not in repr(public) and "081234567890" not in repr(public)


def test_an_approved_suggestion_is_published_masked_and_a_withdrawn_one_disappears(store: FeedbackStore) -> None:
    rid = store.add(response(saran="Tolong hubungi 081234567890"), session_key="s", client_key=None, now=NOW)
    assert [s["id"] for s in store.suggestions("pending")] == [rid]
    assert store.moderate(rid, "approved")
    (published,) = store.approved_suggestions()
    assert published["saran"] == f"Tolong hubungi {MASK}"
    assert store.public_responses()[0]["saran"] == f"Tolong hubungi {MASK}"
    store.moderate(rid, "rejected")
    assert store.approved_suggestions() == [] and store.public_responses()[0]["saran"] == ""


def test_a_response_without_a_suggestion_has_nothing_to_moderate(store: FeedbackStore) -> None:
    rid = store.add(response(), session_key="s", client_key=None, now=NOW)
    assert store.suggestions("pending") == [] and not store.moderate(rid, "approved")


def test_the_salt_is_made_once_and_kept(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'salted.sqlite'}"
    first = FeedbackStore(sa.create_engine(url)).salt()
    assert len(first) == 32 and FeedbackStore(sa.create_engine(url)).salt() == first


def test_populations_are_set_changed_and_cleared(store: FeedbackStore) -> None:
    store.set_population("QW24-PERKIM-01", 300)
    store.set_population(GENERAL, 2000)
    store.set_population("QW24-PERKIM-01", 350)
    assert store.populations() == {"QW24-PERKIM-01": 350, GENERAL: 2000}
    store.set_population(GENERAL, None)
    assert store.populations() == {"QW24-PERKIM-01": 350}
