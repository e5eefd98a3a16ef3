"""E-mail notifications: the ``[notify]`` settings, the outbox in the store, and its delivery to a real SMTP server.

The server is aiosmtpd on 127.0.0.1 (``tests/smtp_server.py``), with a real TLS context and a real authenticator;
smtplib is never mocked. Time is passed as ``now``: a retry "an hour later" is a drain told it is an hour later.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from data_sources.config.portal_config import ConfigError, load_config


def _config_file(folder: Path, notify: str) -> Path:
    path = folder / "portal.toml"
    path.write_text(f'[store]\npath = "store.sqlite"\n\n[notify]\n{notify}', encoding="utf-8")
    return path


# -- [notify] ------------------------------------------------------------------------------------------------------


def test_notify_is_off_by_default_and_from_is_read_into_sender(tmp_path: Path) -> None:
    assert not load_config(_config_file(tmp_path, "")).notify.enabled
    config = load_config(
        _config_file(
            tmp_path,
            'smtp_host = "mail.example.go.id"\nsmtp_port = 2525\nfrom = "Portal QW <portal@example.go.id>"\n'
            'timeout_seconds = 7\nca_file = "relay-ca.pem"\n',
        )
    )
    notify = config.notify
    assert notify.enabled
    assert (notify.smtp_host, notify.smtp_port, notify.sender, notify.timeout_seconds, notify.ca_file) == (
        "mail.example.go.id",
        2525,
        "Portal QW <portal@example.go.id>",
        7,
        "relay-ca.pem",
    )


@pytest.mark.parametrize(
    ("notify", "named"),
    [
        # The field's Python name is no key of the file: only `from` is.
        ('sender = "portal@example.go.id"\n', r"unknown key\(s\): sender \(known: smtp_host, smtp_port, from,"),
        ('smtp_user = "portal"\n', r"unknown key\(s\): smtp_user"),
        ('password = "hunter2"\n', r"unknown key\(s\): password"),
        ("smtp_port = 0\n", "smtp_port must be 1 to 65535, not 0"),
        ("smtp_port = 70000\n", "smtp_port must be 1 to 65535, not 70000"),
        ('smtp_port = "587"\n', "smtp_port must be a int"),
        ('smtp_host = "mail.example.go.id"\n', "from must be the sender's e-mail address"),
        ('smtp_host = "mail.example.go.id"\nfrom = "portal"\n', "from must be the sender's e-mail address"),
        ('from = "a@b\\r\\nBcc: c@d"\n', "from must be one line"),
        ("timeout_seconds = 0\n", "timeout_seconds must be at least 1"),
    ],
)
def test_a_wrong_notify_setting_is_one_clear_error_naming_the_key(tmp_path: Path, notify: str, named: str) -> None:
    with pytest.raises(ConfigError, match=rf"\[notify\] {named}"):
        load_config(_config_file(tmp_path, notify))
