"""Moderation on the admin page (AppTest): nothing before the password, then approve, reject, withdraw,
set populations; the mirror's state is shown."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from admin_session import ADMIN, HASH, signed_in
from conftest import PortalSetup, write_source
from streamlit.testing.v1 import AppTest

from core.feedback_rules import MASK, check_form
from core.survey import ELEMENTS, GENERAL
from data_sources.config.portal_config import load_config
from data_sources.config.questionnaire_file import load_questionnaire
from data_sources.store.feedback_store import FeedbackStore
from data_sources.store.snapshot_store import Store


@pytest.fixture
def setup(
    tmp_path: Path, make_portal: Callable[..., PortalSetup], portal_env: Callable[[PortalSetup], None]
) -> PortalSetup:
    made = make_portal({"disperkim": write_source(tmp_path / "perkim.xlsx")})
    portal_env(made)
    return made


def feedback_store(setup: PortalSetup) -> FeedbackStore:
    return FeedbackStore(Store(load_config(setup.config_path).database_url).engine)


def add_response(setup: PortalSetup, saran: str, kontak: str = "") -> str:
    config = load_config(setup.config_path)
    values: dict[str, Any] = {"program": GENERAL, "tahu": "ya", "pernah": "ya", **dict.fromkeys(ELEMENTS, 3)}
    values.update(manfaat=3, saran=saran, kontak=kontak, setuju=bool(kontak))
    checked = check_form(load_questionnaire(config), values, {GENERAL})
    assert checked.response is not None
    return feedback_store(setup).add(checked.response, session_key="s", client_key=None, now=datetime.now(UTC))


def texts(at: AppTest) -> list[str]:
    return [t.value for t in at.text]


def test_nothing_of_the_moderation_queue_shows_before_the_password(setup: PortalSetup) -> None:
    add_response(setup, "rahasia sebelum masuk")
    at = AppTest.from_file(ADMIN, default_timeout=60)
    at.secrets["admin"] = {"password_hash": HASH}
    at.run()
    assert "rahasia sebelum masuk" not in texts(at) and not at.tabs


def test_the_admin_sees_a_suggestion_as_written_and_masked_with_the_contact_and_approves_it(
    setup: PortalSetup,
) -> None:
    rid = add_response(setup, "Tolong telepon saya 0812 3456 7890", kontak="warga@contoh.id")
    at = signed_in()
    shown = texts(at)
    assert "Tolong telepon saya 0812 3456 7890" in shown  # as written, for the admin only
    assert f"Tolong telepon saya {MASK}" in shown
    assert any("warga@contoh.id" in s for s in shown)
    assert feedback_store(setup).approved_suggestions() == []

    at.button(key=f"approve_{rid}").click().run()
    assert any(rid in s.value and "disetujui" in s.value for s in at.success)
    (published,) = feedback_store(setup).approved_suggestions()
    assert published["saran"] == f"Tolong telepon saya {MASK}"

    at.button(key=f"withdraw_{rid}").click().run()
    assert feedback_store(setup).approved_suggestions() == []


def test_a_rejected_suggestion_never_becomes_public(setup: PortalSetup) -> None:
    rid = add_response(setup, "kata-kata kasar")
    at = signed_in()
    at.button(key=f"reject_{rid}").click().run()
    store = feedback_store(setup)
    assert store.suggestions("rejected")[0]["id"] == rid
    assert store.approved_suggestions() == [] and store.public_responses()[0]["saran"] == ""
    assert not any(b.key == f"approve_{rid}" for b in at.button)


def test_the_admin_sets_the_population_of_a_program(setup: PortalSetup) -> None:
    at = signed_in()
    at.number_input(key="population_semua").set_value(5000)
    at.number_input(key=f"population_{GENERAL}").set_value(2000)
    next(b for b in at.button if b.label == "Simpan populasi").click().run()
    assert feedback_store(setup).populations() == {"semua": 5000, GENERAL: 2000}
    assert any("tersimpan" in s.value for s in at.success)


def test_without_a_mirror_the_admin_is_told_responses_stay_in_the_portal(setup: PortalSetup) -> None:
    at = signed_in()
    assert any("mirror_sheet" in i.value for i in at.info)
