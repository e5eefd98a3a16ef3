"""E-mail notifications: the ``[notify]`` settings, the outbox in the store, and its delivery to a real SMTP server.

The server is aiosmtpd on 127.0.0.1 (``tests/smtp_server.py``), with a real TLS context and a real authenticator;
smtplib is never mocked. Time is passed as ``now``: a retry "an hour later" is a drain told it is an hour later.
"""

from __future__ import annotations

import base64
import logging
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest
from admin_session import signed_in
from conftest import PortalSetup, write_source
from smtp_server import SmtpServer, Tls, make_tls
from test_cli import run

from data_sources.config.portal_config import Config, ConfigError, load_config
from data_sources.jobs.notify_mail import NOTIFY_LOCK, MailReport, send_due
from data_sources.store.mail_outbox import MailCounts, MailOutbox, OutboxMail
from data_sources.store.snapshot_store import Store

# The sync's time, fixed: every drain is told its own `now`, so retries are tested without waiting for them.
T0 = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)
SENDER = "Portal Quick Win <portal-qw@banjarmasinkota.go.id>"
RECIPIENT = "data@dlh.banjarmasinkota.go.id"
SUBJECT = "Portal Quick Win: 2 masalah baru, 1 diperbaiki di sheet DLH — “Sampah menjadi Energi”"
BODY = (
    "Yth. Admin data Dinas Lingkungan Hidup,\n"
    "\n"
    "Sinkronisasi 27 November 2026 pukul 10.00 WITA menemukan perubahan pada sheet Anda.\n"
    "\n"
    "Masalah baru (2):\n"
    "- capaian G7: status “Hampir” bukan pilihan yang sah → https://docs.google.com/spreadsheets/d/KEY/edit#gid=0&range=G7\n"
    "- lokasi D4: koordinat di luar Kota Banjarmasin (−3,3278; 114,5887)\n"
    "\n"
    "Sudah diperbaiki (1):\n"
    "- capaian C3: rencana_persen 140 %\n"
    "\n"
    "Halaman kesehatan data: https://transparansi.banjarmasinkota.go.id/kesehatan-data\n"
    "Terima kasih. Ünïcödé tetap utuh: é, ü, ñ, 🌊.\n"
)
PASSWORD = "Kata-Sandi-Rahasia-42"


def _config_file(folder: Path, notify: str) -> Path:
    path = folder / "portal.toml"
    path.write_text(f'[store]\npath = "store.sqlite"\n\n[notify]\n{notify}', encoding="utf-8")
    return path


@dataclass
class Mailroom:
    """A portal folder with its store and outbox; ``config`` points [notify] at a test server."""

    folder: Path
    store: Store
    outbox: MailOutbox

    def config(self, port: int, host: str = "127.0.0.1", *, ca_file: Path | None = None, timeout: int = 10) -> Config:
        notify = f'smtp_host = "{host}"\nsmtp_port = {port}\nfrom = "{SENDER}"\ntimeout_seconds = {timeout}\n'
        if ca_file is not None:
            notify += f'ca_file = "{ca_file.as_posix()}"\n'
        return load_config(_config_file(self.folder, notify))

    def secrets(self, text: str) -> None:
        folder = self.folder / ".streamlit"
        folder.mkdir(exist_ok=True)
        (folder / "secrets.toml").write_text(text, encoding="utf-8")

    def login(self, user: str = "portal", password: str = PASSWORD) -> None:
        self.secrets(f'[smtp]\nuser = "{user}"\npassword = "{password}"\n')

    def queue(self, subject: str = SUBJECT, body: str = BODY, source: str = "dlh", at: datetime = T0) -> int:
        return self.outbox.enqueue(source, RECIPIENT, subject, body, now=at)

    def mail(self, mail_id: int) -> OutboxMail:
        return next(m for m in self.outbox.recent(1000) if m.id == mail_id)


@pytest.fixture
def room(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Mailroom]:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    store = Store(f"sqlite:///{tmp_path / 'store.sqlite'}")
    yield Mailroom(tmp_path, store, MailOutbox(store.engine))
    store.close()


@pytest.fixture
def tls(tmp_path: Path) -> Tls:
    return make_tls(tmp_path / "tls")


def _secret_forms() -> list[str]:
    return [
        PASSWORD,
        base64.b64encode(PASSWORD.encode()).decode(),
        base64.b64encode(f"\0portal\0{PASSWORD}".encode()).decode(),
    ]


def _portal_log(caplog: pytest.LogCaptureFixture) -> str:
    """Everything logged on the portal's side; the test server's own log ("mail.log") shows what it was sent."""
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")  # with any traceback
    return "\n".join(formatter.format(r) for r in caplog.records if not r.name.startswith("mail.log"))


def _without_the_password(*texts: str) -> None:
    for text in texts:
        for form in _secret_forms():
            assert form not in text


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


# -- delivery -------------------------------------------------------------------------------------------------------


def test_a_queued_mail_arrives_once_with_its_subject_body_and_addresses_intact(room: Mailroom) -> None:
    with SmtpServer() as server:
        config = room.config(server.port)
        mail_id = room.queue()
        report = send_due(config, room.store, T0)
        assert (report.sent, report.failed, report.waiting) == (1, 0, 0)
        # Drained again, later: it was marked sent, so nothing goes out and no connection is opened.
        assert send_due(config, room.store, T0 + timedelta(hours=2)) == MailReport()
        assert server.connections == 1

    [received] = server.received
    assert received.mail_from == "portal-qw@banjarmasinkota.go.id" and received.rcpt_tos == [RECIPIENT]
    message = received.message
    assert message["From"] == SENDER and message["To"] == RECIPIENT
    assert message["Subject"] == SUBJECT
    assert message.get_content_type() == "text/plain" and message.get_content_charset() == "utf-8"
    assert received.text == BODY
    assert message["Auto-Submitted"] == "auto-generated"
    assert parsedate_to_datetime(message["Date"]) == T0  # when the sync queued it, in WITA
    assert message["Date"].endswith("+0800")
    assert message["Message-ID"].endswith("@banjarmasinkota.go.id>")
    # On the wire the text is 7-bit safe (quoted-printable), whatever the relay offers.
    assert max(received.data) < 128
    sent = room.mail(mail_id)
    assert (sent.state, sent.sent_at, sent.attempts, sent.last_error) == ("sent", T0, 1, None)


def test_with_nothing_due_no_connection_is_made(room: Mailroom) -> None:
    with SmtpServer() as server:
        config = room.config(server.port)
        assert send_due(config, room.store, T0) == MailReport()
        room.queue(at=T0 + timedelta(minutes=5))  # queued, but not due yet at T0
        assert send_due(config, room.store, T0) == MailReport(waiting=1)
        assert server.connections == 0 and server.received == []


def test_with_smtp_host_empty_nothing_is_sent_and_the_mails_stay_queued(room: Mailroom) -> None:
    with SmtpServer() as server:
        room.queue()
        config = load_config(_config_file(room.folder, f"smtp_port = {server.port}\n"))
        report = send_due(config, room.store, T0)
        assert report == MailReport(waiting=1, disabled=True)
        assert "e-mail is off" in report.line() and "1 mail(s) stay queued" in report.line()
        assert server.connections == 0
    assert room.outbox.pending_count() == 1


def test_a_relay_that_is_down_keeps_the_mail_queued_until_a_later_drain_delivers_it(room: Mailroom) -> None:
    server = SmtpServer()  # its port is chosen, nothing listens on it yet
    config = room.config(server.port)
    first, second = room.queue(), room.queue(subject="Kedua")

    report = send_due(config, room.store, T0)
    assert (report.sent, report.failed) == (0, 2)
    for mail_id in (first, second):
        mail = room.mail(mail_id)
        assert (mail.state, mail.attempts, mail.next_attempt_at) == ("failed", 1, T0 + timedelta(seconds=30))
        assert "Connection refused" in (mail.last_error or "") and f"127.0.0.1:{server.port}" in (mail.last_error or "")
    assert [f.id for f in report.failures] == [first, second]

    with server:
        # Back, but the mails wait for their next attempt: no connection before it.
        assert send_due(config, room.store, T0 + timedelta(seconds=29)) == MailReport(waiting=2)
        assert server.connections == 0
        report = send_due(config, room.store, T0 + timedelta(seconds=30))
    assert (report.sent, report.failed, report.waiting) == (2, 0, 0)
    assert [r.message["Subject"] for r in server.received] == [SUBJECT, "Kedua"]
    assert server.connections == 1  # both over one connection
    assert room.mail(first).attempts == 2 and room.mail(first).last_error is None


def test_the_backoff_doubles_from_30_seconds_and_stops_at_an_hour(room: Mailroom) -> None:
    config = room.config(SmtpServer().port)  # nothing listens there
    mail_id = room.queue()
    now, waits = T0, []
    for _ in range(10):
        report = send_due(config, room.store, now)
        assert report.failed == 1  # one attempt per drain, never a second within it
        mail = room.mail(mail_id)
        waits.append(int((mail.next_attempt_at - now).total_seconds()))
        now = mail.next_attempt_at
    assert waits == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]
    assert room.mail(mail_id).attempts == 10


def test_a_5xx_answer_to_data_fails_that_mail_only_and_the_retry_is_the_same_message(room: Mailroom) -> None:
    refused_copies: list[bytes] = []

    def refuse(data: bytes) -> str | None:
        if b"TOLAK" in data and not refused_copies:
            refused_copies.append(data)
            # A reply of two lines (RFC 5321 4.2.1): only the first is kept.
            return "554-5.6.0 Pesan ditolak oleh kebijakan relay\r\n554 5.6.0 baris kedua yang tidak disimpan"
        return None

    with SmtpServer(refuse_data=refuse) as server:
        config = room.config(server.port)
        refused, accepted = room.queue(subject="TOLAK ini"), room.queue()
        report = send_due(config, room.store, T0)
        assert (report.sent, report.failed) == (1, 1)
        assert server.connections == 1  # the refusal did not cost the connection
        mail = room.mail(refused)
        assert mail.state == "failed" and mail.next_attempt_at == T0 + timedelta(seconds=30)
        assert "SMTPDataError 554 5.6.0 Pesan ditolak oleh kebijakan relay" in (mail.last_error or "")
        assert "baris kedua" not in (mail.last_error or "")
        assert room.mail(accepted).state == "sent"

        report = send_due(config, room.store, T0 + timedelta(seconds=30))
        assert (report.sent, report.failed) == (1, 0)
    assert [r.message["Subject"] for r in server.received] == [SUBJECT, "TOLAK ini"]
    # The same Message-ID on both attempts: a copy a relay did take after all is recognisable as the same mail.
    [first_try] = refused_copies
    assert f"Message-ID: {server.received[1].message['Message-ID']}".encode() in first_try


# -- STARTTLS and the login -----------------------------------------------------------------------------------------


def test_a_relay_offering_starttls_is_used_encrypted_when_ca_file_trusts_its_certificate(
    room: Mailroom, tls: Tls
) -> None:
    with SmtpServer(tls=tls.server, require_starttls=True) as server:
        room.queue()
        report = send_due(room.config(server.port, ca_file=tls.ca_file), room.store, T0)
    assert report.sent == 1
    [received] = server.received
    assert received.encrypted and received.text == BODY


@pytest.mark.parametrize("trusted", ["the system store", "another CA"])
def test_a_certificate_the_portal_does_not_trust_fails_the_mail_with_a_clear_message(
    room: Mailroom, tls: Tls, tmp_path: Path, trusted: str
) -> None:
    ca_file = None if trusted == "the system store" else make_tls(tmp_path / "other", "Another").ca_file
    with SmtpServer(tls=tls.server, require_starttls=True) as server:
        mail_id = room.queue()
        report = send_due(room.config(server.port, ca_file=ca_file), room.store, T0)
    assert (report.sent, report.failed) == (0, 1)
    assert server.received == []
    error = room.mail(mail_id).last_error or ""
    assert f"The certificate of the mail relay 127.0.0.1:{server.port} is not trusted" in error
    assert "certificate verify failed" in error or "unable to get local issuer certificate" in error
    assert "Set [notify] ca_file to the PEM file of the CA that signed it" in error
    assert "Sertifikat relay" in error  # and in Indonesian


def test_the_certificate_must_name_the_relay_host(room: Mailroom, tmp_path: Path) -> None:
    # Signed by the trusted CA, but for another host: a relay that shows it is not the one configured.
    other = make_tls(tmp_path / "elsewhere", server_names=("mail.elsewhere.example",))
    with SmtpServer(tls=other.server, require_starttls=True) as server:
        mail_id = room.queue()
        report = send_due(room.config(server.port, ca_file=other.ca_file), room.store, T0)
    assert report.failed == 1 and server.received == []
    error = room.mail(mail_id).last_error or ""
    assert f"The certificate of the mail relay 127.0.0.1:{server.port} is not trusted" in error
    assert "mismatch, certificate is not valid for '127.0.0.1'" in error


def test_a_missing_ca_file_is_recorded_on_the_mail_and_nothing_is_sent(room: Mailroom) -> None:
    with SmtpServer() as server:
        mail_id = room.queue()
        report = send_due(room.config(server.port, ca_file=room.folder / "absent.pem"), room.store, T0)
        assert report.failed == 1 and server.connections == 0
    assert f"[notify] ca_file not found: {room.folder / 'absent.pem'}" in (room.mail(mail_id).last_error or "")


def test_the_smtp_login_from_secrets_is_used_over_starttls(room: Mailroom, tls: Tls) -> None:
    room.login()
    with SmtpServer(tls=tls.server, require_starttls=True, users={"portal": PASSWORD}) as server:
        room.queue()
        report = send_due(room.config(server.port, ca_file=tls.ca_file), room.store, T0)
    assert report.sent == 1
    [received] = server.received
    assert received.encrypted and received.user == "portal"


def test_no_password_goes_to_a_relay_that_does_not_offer_starttls(
    room: Mailroom, caplog: pytest.LogCaptureFixture
) -> None:
    room.login()
    # This relay would even take the password in clear text (auth_require_tls=False): the portal must not offer it.
    with SmtpServer(users={"portal": PASSWORD}, auth_require_tls=False) as server:
        mail_id = room.queue()
        with caplog.at_level(logging.DEBUG):
            report = send_due(room.config(server.port), room.store, T0)
        assert server.connections == 1
    assert (report.sent, report.failed) == (0, 1)
    assert server.logins == [] and server.received == []
    error = room.mail(mail_id).last_error or ""
    assert f"The mail relay 127.0.0.1:{server.port} does not offer STARTTLS" in error
    assert "does not send it the [smtp] password" in error
    _without_the_password(error, _portal_log(caplog), repr(report), report.line(), *(f.line() for f in report.failures))


def test_a_refused_login_is_a_clear_message_that_never_holds_the_password(
    room: Mailroom, tls: Tls, caplog: pytest.LogCaptureFixture
) -> None:
    room.login()
    # A relay may answer anything, even with what it was sent: the portal's record of it still holds no password.
    echo = f"535 5.7.8 Login ditolak: {' '.join(_secret_forms())}"
    with SmtpServer(
        tls=tls.server, require_starttls=True, users={"portal": "the-right-one"}, refuse_login=echo
    ) as server:
        mail_id = room.queue()
        with caplog.at_level(logging.DEBUG):
            report = send_due(room.config(server.port, ca_file=tls.ca_file), room.store, T0)
    assert report.failed == 1 and server.received == []
    assert server.logins and all(user == "portal" for _, user in server.logins)
    error = room.mail(mail_id).last_error or ""
    assert f"The mail relay 127.0.0.1:{server.port} refused the [smtp] user and password" in error
    assert "SMTPAuthenticationError 535 5.7.8 Login ditolak" in error and "Check [smtp]" in error
    _without_the_password(error, _portal_log(caplog), repr(report), report.line(), *(f.line() for f in report.failures))


@pytest.mark.parametrize(
    ("secrets", "said"),
    [
        ('[smtp]\nuser = "portal"\n', "needs both user and password"),
        ('[smtp]\nuser = "portal"\npasword = "x"\n', "unknown key(s) pasword"),
        ("[smtp\n", "not valid TOML"),
    ],
)
def test_a_wrong_smtp_table_is_recorded_on_the_mail_without_connecting(room: Mailroom, secrets: str, said: str) -> None:
    room.secrets(secrets)
    with SmtpServer() as server:
        mail_id = room.queue()
        assert send_due(room.config(server.port), room.store, T0).failed == 1
        assert server.connections == 0
    assert said in (room.mail(mail_id).last_error or "")


# -- one drainer at a time ------------------------------------------------------------------------------------------


def test_the_store_lock_keeps_two_concurrent_drains_from_sending_a_mail_twice(room: Mailroom) -> None:
    hold = threading.Event()
    with SmtpServer(hold_first_data=hold) as server:
        config = room.config(server.port)
        ids = [room.queue(subject=f"Surat {i}") for i in range(5)]
        reports: list[MailReport] = []
        first = threading.Thread(target=lambda: reports.append(send_due(config, room.store, T0)))
        first.start()
        try:
            # The first drain is inside its first DATA, its mails all still unsent in the store...
            assert server.data_arrived.wait(30)
            # ...when a second process drains the same store.
            other = Store(config.database_url)
            try:
                second = send_due(config, other, T0)
            finally:
                other.close()
        finally:
            hold.set()
            first.join(30)
        assert second == MailReport(busy=True, waiting=5)
        assert reports == [MailReport(sent=5)]
        # The lock was released: a drain now takes it and finds nothing due.
        assert room.store.lock_holder(NOTIFY_LOCK) is None
    assert sorted(r.message["Subject"] for r in server.received) == [f"Surat {i}" for i in range(5)]
    assert all(room.mail(i).state == "sent" for i in ids)


def test_a_drainer_whose_lock_was_taken_over_stops_before_its_next_mail(room: Mailroom) -> None:
    hold = threading.Event()
    with SmtpServer(hold_first_data=hold) as server:
        config = room.config(server.port)
        ids = [room.queue(subject=f"Surat {i}") for i in range(3)]
        reports: list[MailReport] = []
        first = threading.Thread(target=lambda: reports.append(send_due(config, room.store, T0)))
        first.start()
        try:
            assert server.data_arrived.wait(30)
            # Stalled past its lease (as if): its lock is released and another replica takes it.
            holder = room.store.lock_holder(NOTIFY_LOCK)
            assert holder is not None
            room.store.release_lock(NOTIFY_LOCK, holder.holder)
            assert room.store.acquire_lock(NOTIFY_LOCK, "replica-2", timedelta(minutes=5)) is not None
        finally:
            hold.set()
            first.join(30)
        # The mail in flight went out and is marked sent; the next two are left to the new holder, untried.
        assert reports == [MailReport(sent=1, waiting=2)]
        assert [room.mail(i).state for i in ids] == ["sent", "waiting", "waiting"]
        assert [r.message["Subject"] for r in server.received] == ["Surat 0"]
        room.store.release_lock(NOTIFY_LOCK, "replica-2")


@pytest.mark.postgres
def test_the_outbox_and_its_lock_work_on_postgresql(room: Mailroom) -> None:
    from replicas_support import postgres_cluster

    with postgres_cluster() as cluster, SmtpServer() as server:
        store = Store(cluster.create_database("mail"))
        try:
            outbox = MailOutbox(store.engine)
            MailOutbox(store.engine)  # a second process opening it finds the table there
            first = outbox.enqueue("dlh", RECIPIENT, SUBJECT, BODY, now=T0)
            second = outbox.enqueue("pupr", RECIPIENT, "Kedua", "Isi kedua\n", now=T0 + timedelta(seconds=1))
            assert [m.id for m in outbox.due(T0 + timedelta(seconds=1))] == [first, second]
            config = room.config(server.port)
            assert store.acquire_lock(NOTIFY_LOCK, "replica-2", timedelta(minutes=5)) is not None
            assert send_due(config, store, T0 + timedelta(seconds=1)) == MailReport(busy=True, waiting=2)
            store.release_lock(NOTIFY_LOCK, "replica-2")
            assert send_due(config, store, T0 + timedelta(seconds=1)) == MailReport(sent=2)
            assert outbox.counts() == MailCounts(waiting=0, failed=0, sent=2)
            [mail] = [m for m in outbox.recent(5) if m.id == first]
            assert (mail.sent_at, mail.created_at, mail.attempts) == (T0 + timedelta(seconds=1), T0, 1)
        finally:
            store.close()
    assert [r.text for r in server.received] == [BODY, "Isi kedua\n"]


# -- after a sync, and from the command line ------------------------------------------------------------------------


def _portal_with_mail(make_portal: Callable[..., PortalSetup], tmp_path: Path, port: int) -> PortalSetup:
    """One workbook source, and [notify] pointing at the test server."""
    setup = make_portal({"dlh": write_source(tmp_path / "dlh.xlsx")})
    with setup.config_path.open("a", encoding="utf-8") as config:
        config.write(
            f'\n[notify]\nsmtp_host = "127.0.0.1"\nsmtp_port = {port}\nfrom = "{SENDER}"\ntimeout_seconds = 10\n'
        )
    return setup


def _queue_in(setup: PortalSetup, *subjects: str) -> list[int]:
    """Mails queued a minute ago (the CLI drains at the wall clock's now) in the setup's store."""
    store = Store(setup.config.database_url)
    try:
        outbox = MailOutbox(store.engine)
        at = datetime.now(UTC) - timedelta(minutes=1)
        return [outbox.enqueue("dlh", RECIPIENT, subject, BODY, now=at) for subject in subjects]
    finally:
        store.close()


def _states(setup: PortalSetup) -> dict[int, str]:
    store = Store(setup.config.database_url)
    try:
        return {m.id: m.state for m in MailOutbox(store.engine).recent(100)}
    finally:
        store.close()


def test_send_mail_sends_what_is_due_and_exits_0(make_portal: Callable[..., PortalSetup], tmp_path: Path) -> None:
    with SmtpServer() as server:
        setup = _portal_with_mail(make_portal, tmp_path, server.port)
        [mail_id] = _queue_in(setup, SUBJECT)
        done = run("send-mail", "--config", str(setup.config_path))
        assert done.returncode == 0, done.stderr
        assert done.stdout.splitlines() == ["notify mail: 1 sent, 0 failed, 0 waiting"] and done.stderr == ""
        # Nothing due any more: exit 0 again, and the relay is not even called.
        again = run("send-mail", "--config", str(setup.config_path))
        assert again.returncode == 0 and again.stdout.splitlines() == ["notify mail: 0 sent, 0 failed, 0 waiting"]
        assert server.connections == 1
    assert [r.text for r in server.received] == [BODY] and _states(setup) == {mail_id: "sent"}


def test_send_mail_exits_1_with_a_line_per_mail_not_sent(
    make_portal: Callable[..., PortalSetup], tmp_path: Path
) -> None:
    def refuse(data: bytes) -> str | None:
        return "550 5.7.1 Ditolak" if b"TOLAK" in data else None

    with SmtpServer(refuse_data=refuse) as server:
        setup = _portal_with_mail(make_portal, tmp_path, server.port)
        first, sent, second = _queue_in(setup, "TOLAK satu", "Diterima", "TOLAK dua")
        done = run("send-mail", "--config", str(setup.config_path))
    assert done.returncode == 1
    assert done.stdout.splitlines() == ["notify mail: 1 sent, 2 failed, 0 waiting"]
    lines = done.stderr.splitlines()
    assert len(lines) == 2, done.stderr  # one per mail, no traceback, no log line repeating them
    for line, mail_id in zip(lines, (first, second), strict=True):
        assert line.startswith(f"mail #{mail_id} (dlh) to {RECIPIENT} not sent, next attempt ")
        assert "SMTPDataError 550 5.7.1 Ditolak" in line
    assert _states(setup) == {first: "failed", sent: "sent", second: "failed"}


def test_send_mail_exits_2_on_a_configuration_error_and_0_with_e_mail_off(
    make_portal: Callable[..., PortalSetup], tmp_path: Path
) -> None:
    setup = _portal_with_mail(make_portal, tmp_path, 0)
    done = run("send-mail", "--config", str(setup.config_path))
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.splitlines() == ["configuration: [notify] smtp_port must be 1 to 65535, not 0"]

    off = make_portal({"dlh": write_source(tmp_path / "dlh.xlsx")})
    _queue_in(off, SUBJECT)
    done = run("send-mail", "--config", str(off.config_path))
    assert done.returncode == 0
    assert done.stderr.splitlines() == [
        "notify mail: e-mail is off ([notify] smtp_host is empty); 1 mail(s) stay queued"
    ]


def test_a_sync_from_the_command_line_sends_the_mails_before_it_exits(
    make_portal: Callable[..., PortalSetup], tmp_path: Path
) -> None:
    with SmtpServer() as server:
        setup = _portal_with_mail(make_portal, tmp_path, server.port)
        [mail_id] = _queue_in(setup, SUBJECT)
        done = run("sync", "--config", str(setup.config_path))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("dlh: new snapshot") and lines[1:] == ["notify mail: 1 sent, 0 failed, 0 waiting"]
    assert [r.message["Subject"] for r in server.received] == [SUBJECT] and _states(setup) == {mail_id: "sent"}


def test_a_mail_a_sync_could_not_send_is_a_line_on_stderr_and_leaves_the_exit_code(
    make_portal: Callable[..., PortalSetup], tmp_path: Path
) -> None:
    setup = _portal_with_mail(make_portal, tmp_path, SmtpServer().port)  # nothing listens there
    [mail_id] = _queue_in(setup, SUBJECT)
    done = run("sync", "--config", str(setup.config_path))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "notify mail: 0 sent, 1 failed, 0 waiting"
    [line] = done.stderr.splitlines()
    assert line.startswith(f"mail #{mail_id} (dlh) to {RECIPIENT} not sent") and "Connection refused" in line
    assert _states(setup) == {mail_id: "failed"}


def test_the_portal_sends_the_mails_in_the_background_after_a_sync(
    make_portal: Callable[..., PortalSetup], tmp_path: Path
) -> None:
    from server.portal import Portal

    with SmtpServer() as server:
        setup = _portal_with_mail(make_portal, tmp_path, server.port)
        [mail_id] = _queue_in(setup, SUBJECT)
        portal = Portal(setup.config)
        try:
            assert portal.sync_now()
            assert portal.wait_for_mail(30)
        finally:
            portal.store.close()
    assert [r.message["Subject"] for r in server.received] == [SUBJECT]
    assert _states(setup) == {mail_id: "sent"}


def test_the_portal_logs_a_failed_drain_without_the_password(
    make_portal: Callable[..., PortalSetup], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from server.portal import Portal

    with SmtpServer(users={"portal": PASSWORD}, auth_require_tls=False) as server:
        setup = _portal_with_mail(make_portal, tmp_path, server.port)
        (tmp_path / ".streamlit").mkdir()
        (tmp_path / ".streamlit" / "secrets.toml").write_text(
            f'[smtp]\nuser = "portal"\npassword = "{PASSWORD}"\n', encoding="utf-8"
        )
        [mail_id] = _queue_in(setup, SUBJECT)
        portal = Portal(setup.config)
        try:
            with caplog.at_level(logging.DEBUG):
                assert portal.mail_in_background() is not None
                assert portal.wait_for_mail(30)
        finally:
            portal.store.close()
    assert server.logins == [] and server.received == [] and _states(setup) == {mail_id: "failed"}
    log = _portal_log(caplog)
    assert "notify mail: 0 sent, 1 failed" in log and "does not offer STARTTLS" in log
    _without_the_password(log)


# -- the admin page -------------------------------------------------------------------------------------------------


def test_the_admin_page_shows_each_mail_s_state_error_and_next_attempt_but_never_its_text(
    make_portal: Callable[..., PortalSetup], tmp_path: Path, portal_env: Callable[[PortalSetup], None]
) -> None:
    # E-mail off: no drain in the background changes the outbox while the page is drawn.
    setup = make_portal({"dlh": write_source(tmp_path / "dlh.xlsx")})
    portal_env(setup)
    failed, _ = _queue_in(setup, "Gagal terkirim", "Belum dicoba")
    store = Store(setup.config.database_url)
    try:
        outbox = MailOutbox(store.engine)
        outbox.mark_failed(failed, "The relay refused this mail (SMTPDataError 554 5.6.0 ditolak).", T0)
        sent = outbox.enqueue("pupr", "data@pupr.banjarmasinkota.go.id", "Terkirim", BODY, now=T0)
        outbox.mark_sent(sent, T0 + timedelta(minutes=1))
    finally:
        store.close()

    at = signed_in()
    assert not at.exception, [e.value for e in at.exception]
    assert any(h.value == "Notifikasi e-mail ke SKPD" for h in at.header)
    assert any("E-mail mati: `[notify] smtp_host`" in i.value for i in at.info)
    assert any("1 menunggu, 1 gagal dan menunggu percobaan berikutnya, 1 terkirim." in m.value for m in at.markdown)
    assert any("dicoba lagi setelah setiap sinkronisasi" in w.value for w in at.warning)
    [table] = [d.value for d in at.dataframe if "Kesalahan terakhir" in d.value.columns]
    assert len(table) == 3
    rows = {row["Subjek"]: row for row in table.to_dict("records")}
    assert rows["Gagal terkirim"]["Status"] == "gagal, dicoba lagi"
    assert rows["Gagal terkirim"]["Kesalahan terakhir"].endswith("(SMTPDataError 554 5.6.0 ditolak).")
    assert rows["Gagal terkirim"]["Percobaan berikutnya (WITA)"] == "27 November 2026 10:00"
    assert rows["Belum dicoba"]["Status"] == "menunggu" and rows["Belum dicoba"]["Kesalahan terakhir"] == "-"
    assert rows["Terkirim"]["Status"] == "terkirim" and rows["Terkirim"]["Terkirim (WITA)"] == "27 November 2026 10:01"
    assert rows["Terkirim"]["Percobaan berikutnya (WITA)"] == "-"
    # The body (with its links to cells) never reaches the page.
    shown = [str(v) for row in rows.values() for v in row.values()]
    shown += [e.value for e in (*at.markdown, *at.caption, *at.info, *at.warning)]
    assert not any("Yth. Admin data" in text or "docs.google.com" in text for text in shown)
