"""Where the service-account key is found, and that its content never appears in an error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from data_sources.readers.credentials import load_service_account
from data_sources.readers.protocol import SourceUnreadable

FAKE = {
    "type": "service_account",
    "client_email": "portal-sync@example.iam.gserviceaccount.com",
    "private_key": "-----BEGIN PRIVATE KEY-----\nSECRET-MATERIAL-123\n-----END PRIVATE KEY-----\n",
    "token_uri": "https://oauth2.googleapis.com/token",
}


@pytest.fixture(autouse=True)
def _no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS", raising=False)


def _secrets(base: Path, text: str) -> None:
    (base / ".streamlit").mkdir()
    (base / ".streamlit" / "secrets.toml").write_text(text, encoding="utf-8")


def test_the_key_is_read_from_the_gcp_service_account_table_of_secrets_toml(tmp_path: Path) -> None:
    table = "\n".join(f"{k} = {json.dumps(v)}" for k, v in FAKE.items())
    _secrets(tmp_path, f"[gcp_service_account]\n{table}\n")
    assert load_service_account(tmp_path)["client_email"] == FAKE["client_email"]


def test_google_application_credentials_wins_over_secrets_toml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _secrets(tmp_path, '[gcp_service_account]\nclient_email = "other@example.org"\n')
    key_file = tmp_path / "key.json"
    key_file.write_text(json.dumps(FAKE), encoding="utf-8")
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(key_file))
    assert load_service_account(tmp_path)["client_email"] == FAKE["client_email"]


def test_an_explicit_key_file_wins_over_everything(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(tmp_path / "absent.json"))
    key_file = tmp_path / "key.json"
    key_file.write_text(json.dumps({**FAKE, "client_email": "cli@example.org"}), encoding="utf-8")
    assert load_service_account(tmp_path, key_file)["client_email"] == "cli@example.org"


def test_no_key_anywhere_says_where_to_put_it(tmp_path: Path) -> None:
    with pytest.raises(SourceUnreadable, match="GOOGLE_APPLICATION_CREDENTIALS"):
        load_service_account(tmp_path)


@pytest.mark.parametrize(
    "content",
    [
        json.dumps({**FAKE, "client_email": ""}),  # incomplete
        json.dumps(FAKE)[:-10],  # cut short: not JSON
    ],
)
def test_a_broken_key_file_is_named_but_its_content_never_shown(tmp_path: Path, content: str) -> None:
    key_file = tmp_path / "key.json"
    key_file.write_text(content, encoding="utf-8")
    with pytest.raises(SourceUnreadable) as caught:
        load_service_account(tmp_path, key_file)
    assert "key.json" in str(caught.value)
    assert "SECRET-MATERIAL" not in str(caught.value) and "SECRET-MATERIAL" not in repr(caught.value.args)
