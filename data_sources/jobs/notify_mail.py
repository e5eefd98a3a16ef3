"""Delivering the e-mail notifications queued in the store's outbox (``store/mail_outbox.py``) through the relay
configured in ``[notify]``.

A sync queues a mail to an SKPD whose problem or stale list changed; ``send_due`` sends what is due, in the
background after a sync (``server/portal.py``), after ``python -m data_sources sync``, and from
``python -m data_sources send-mail``. At least once: a mail is marked sent only after the relay took it, so a
drain that dies in between sends it again next time (the Message-ID stays the same, so a mail program can tell
the copy). Never twice within one drain: a failed mail waits for its backoff (30 s doubling to an hour, as the
feedback mirror's), and one drainer at a time across processes and replicas holds the store lock ``notify-mail``.

One SMTP connection per drain. STARTTLS whenever the relay offers it, the certificate verified against
``[notify] ca_file`` or the system's trust store; a certificate that does not verify fails the drain, never falls
back to clear text. The login (``[smtp]`` in ``.streamlit/secrets.toml``) is sent only over that encryption: a
relay without STARTTLS gets no password, and the mails wait with a message that says why. The password is never
logged, never stored in an error, never put in a message or an exception's text.
"""

from __future__ import annotations

import base64
import logging
import os
import secrets
import smtplib
import socket
import ssl
import tomllib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.header import Header
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import format_datetime, parseaddr
from pathlib import Path

from core.text import Text
from core.wilayah import CITY_TIMEZONE
from data_sources.config.portal_config import Config
from data_sources.jobs.feedback_mirror import backoff
from data_sources.readers.protocol import Problem
from data_sources.store.lease import Lease
from data_sources.store.mail_outbox import MailOutbox, OutboxMail
from data_sources.store.snapshot_store import LeaseLost, Store

logger = logging.getLogger("portal")

NOTIFY_LOCK = "notify-mail"
SECRETS_TABLE = "smtp"
DEFAULT_BATCH = 50
# How much of a relay's answer is kept: its first line says what happened; the rest is often a help URL.
_ANSWER_LIMIT = 160

# The relay refused this one mail (its sender, its recipients, its content); the connection is still good, the
# next mail may go through. Anything else from smtplib or the socket means the connection is gone.
_REFUSED = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError)


class _MailPolicy(EmailPolicy):
    """The standard policy, but for a Subject that is not ASCII, encoded whole by ``email.header.Header``.

    Python's own folding (3.11) splits such a subject into encoded words with bare spaces between them, e.g.
    ``DLH =?utf-8?b?4oCU?= =?utf-8?q?=E2=80=9CSampah?=`` for "DLH — “Sampah"; RFC 2047 tells every reader to drop
    the space between two encoded words, so the subject arrived as "DLH  —“Sampah". ``Header`` keeps each space
    inside an encoded word. Addresses (From, To) keep the standard folding, which knows their structure.
    """

    def _subject(self, name: str, value: str) -> str | None:
        if name.lower() != "subject" or value.isascii():
            return None
        encoded = Header(value, "utf-8", header_name=name).encode(linesep=self.linesep, maxlinelen=self.max_line_length)
        return f"{name}: {encoded}{self.linesep}"

    def fold(self, name: str, value: str) -> str:
        return self._subject(name, str(value)) or super().fold(name, value)

    def fold_binary(self, name: str, value: str) -> bytes:
        subject = self._subject(name, str(value))
        return subject.encode("ascii") if subject is not None else super().fold_binary(name, value)


_MAIL_POLICY = _MailPolicy()


class MailProblem(Problem):
    """A problem that stops every mail of a drain (the relay, its certificate, the login); never holds a secret."""


@dataclass(frozen=True)
class SmtpLogin:
    user: str
    # Out of repr: a login that reaches a log line or a traceback's locals shows no password.
    password: str = field(repr=False)


def load_smtp_login(base: Path) -> SmtpLogin | None:
    """``[smtp]`` user and password from ``.streamlit/secrets.toml`` beside the configuration (as
    ``readers/credentials.py`` reads ``[gcp_service_account]``); None when there is no file or no table."""
    path = base / ".streamlit" / "secrets.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        # The file holds secrets: say where, never what.
        raise MailProblem(".streamlit/secrets.toml is not valid TOML") from None
    except OSError as exc:
        raise MailProblem(f".streamlit/secrets.toml cannot be read ({type(exc).__name__})") from None
    table = data.get(SECRETS_TABLE)
    if table is None:
        return None
    if not isinstance(table, dict):
        raise MailProblem(f"[{SECRETS_TABLE}] in .streamlit/secrets.toml must be a table")
    unknown = sorted(set(table) - {"user", "password"})
    if unknown:
        raise MailProblem(
            f"[{SECRETS_TABLE}] in .streamlit/secrets.toml: unknown key(s) {', '.join(unknown)} (known: user, password)"
        )
    user, password = table.get("user", ""), table.get("password", "")
    if not isinstance(user, str) or not isinstance(password, str):
        raise MailProblem(f"[{SECRETS_TABLE}] user and password in .streamlit/secrets.toml must be strings")
    if not user and not password:
        return None
    if not user or not password:
        raise MailProblem(f"[{SECRETS_TABLE}] in .streamlit/secrets.toml needs both user and password")
    return SmtpLogin(user, password)


@dataclass(frozen=True)
class MailFailure:
    """One mail this drain could not send: for the CLI's line per failed mail."""

    id: int
    source: str
    recipient: str
    error: str
    next_attempt_at: datetime

    def line(self) -> str:
        retry = self.next_attempt_at.isoformat(timespec="seconds")
        return f"mail #{self.id} ({self.source}) to {self.recipient} not sent, next attempt {retry}: {self.error}"


@dataclass(frozen=True)
class MailReport:
    """What one drain did. ``waiting``: mails still queued that it did not try (not due yet, or left to another
    drainer). ``busy``: another drainer held the lock. ``disabled``: ``[notify] smtp_host`` is empty."""

    sent: int = 0
    failed: int = 0
    waiting: int = 0
    busy: bool = False
    disabled: bool = False
    failures: tuple[MailFailure, ...] = ()

    def line(self) -> str:
        if self.disabled:
            return f"notify mail: e-mail is off ([notify] smtp_host is empty); {self.waiting} mail(s) stay queued"
        if self.busy:
            return f"notify mail: another sender is running; {self.waiting} mail(s) queued"
        return f"notify mail: {self.sent} sent, {self.failed} failed, {self.waiting} waiting"


def lock_ttl(config: Config) -> timedelta:
    """The lock's lease, renewed every third of it while the drain works: a drainer that died blocks for at most
    this long. Longer than one slow answer of the relay, so one of them never loses the lease."""
    return timedelta(seconds=max(60, 3 * config.notify.timeout_seconds))


def send_due(config: Config, store: Store, now: datetime | None = None, *, batch: int = DEFAULT_BATCH) -> MailReport:
    """Send every mail of the outbox due at ``now``, over one connection, under the ``notify-mail`` lock.

    Never raises for the relay, its certificate or the login: each is recorded on the mails it stopped
    (``last_error``, ``next_attempt_at``) for the admin page, and in the report, whose caller tells it (the CLI on
    stderr, the portal in its log). Nothing due: no lock taken, no connection opened.
    """
    now = now or datetime.now(UTC)
    outbox = MailOutbox(store.engine)
    if not config.notify.enabled:
        return MailReport(disabled=True, waiting=outbox.pending_count())
    if not outbox.due(now, 1):
        return MailReport(waiting=outbox.pending_count())
    holder = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"
    with Lease(store, NOTIFY_LOCK, holder, lock_ttl(config)) as lease:
        if not lease.held:
            return MailReport(busy=True, waiting=outbox.pending_count())
        return _Drain(config, store, outbox, lease, now, batch).run()


class _Drain:
    """One drain under the lock: the connection, then each due mail once."""

    def __init__(
        self, config: Config, store: Store, outbox: MailOutbox, lease: Lease, now: datetime, batch: int
    ) -> None:
        self.config, self.store, self.outbox, self.lease = config, store, outbox, lease
        self.now, self.batch = now, batch
        self.where = f"{config.notify.smtp_host}:{config.notify.smtp_port}"
        self.login: SmtpLogin | None = None
        self.tried: set[int] = set()
        self.sent = 0
        self.failures: list[MailFailure] = []

    def run(self) -> MailReport:
        try:
            self.login = load_smtp_login(self.config.base)
            smtp = self._open()
        except MailProblem as problem:
            self._fail_the_rest(self._safe(str(problem)))
        else:
            try:
                self._send_all(smtp)
            finally:
                _quit(smtp)
        waiting = self.outbox.pending_count() - len(self.failures)
        return MailReport(self.sent, len(self.failures), max(waiting, 0), failures=tuple(self.failures))

    # -- the mails ------------------------------------------------------------------------------------------

    def _next(self) -> list[OutboxMail]:
        # A mail tried in this drain is never tried again in it, whatever the store says of it now.
        return [mail for mail in self.outbox.due(self.now, self.batch) if mail.id not in self.tried]

    def _send_all(self, smtp: smtplib.SMTP) -> None:
        while mails := self._next():
            for mail in mails:
                try:
                    # Past its lease this drainer may have been taken over: the new holder sends the rest.
                    assert self.lease.fence is not None
                    self.store.check_fence(self.lease.fence)
                except LeaseLost as lost:
                    logger.info("notify mail: stopped, %s", lost.reason())
                    return
                self.tried.add(mail.id)
                try:
                    message = self._message(mail)
                except (ValueError, TypeError) as exc:
                    self._fail(mail, f"the mail cannot be written ({type(exc).__name__})")
                    continue
                try:
                    refused = smtp.send_message(message)
                except (*_REFUSED, smtplib.SMTPNotSupportedError) as exc:
                    self._fail(mail, self._refused(exc))
                    continue
                except (OSError, smtplib.SMTPException) as exc:
                    # The connection is gone: this mail and every other due one wait for their next attempt.
                    self._fail_the_rest(self._safe(str(self._unreachable(exc))), mail)
                    return
                self.outbox.mark_sent(mail.id, self.now)
                self.sent += 1
                if refused:
                    # Some recipients took it: sending again would repeat it to them. Said once, in the log.
                    logger.warning(
                        "notify mail #%s: the relay refused %s of its recipients: %s",
                        mail.id,
                        len(refused),
                        self._safe(_describe(smtplib.SMTPRecipientsRefused(refused))),
                    )

    def _fail(self, mail: OutboxMail, error: str) -> None:
        error = self._safe(error)
        retry = self.now + backoff(mail.attempts)
        self.outbox.mark_failed(mail.id, error, retry)
        self.failures.append(MailFailure(mail.id, mail.source, mail.recipient, error, retry))

    def _fail_the_rest(self, error: str, first: OutboxMail | None = None) -> None:
        """A problem no mail could get past (the relay, the login): recorded on each due mail not tried yet."""
        if first is not None:
            self._fail(first, error)
        while mails := self._next():
            for mail in mails:
                self.tried.add(mail.id)
                self._fail(mail, error)

    def _message(self, mail: OutboxMail) -> EmailMessage:
        sender = self.config.notify.sender
        domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
        message = EmailMessage(policy=_MAIL_POLICY)
        message["From"] = sender
        message["To"] = mail.recipient
        message["Subject"] = mail.subject
        # When the sync wrote it, in the city's time: a mail retried for an hour still says when it happened.
        message["Date"] = format_datetime(mail.created_at.astimezone(CITY_TIMEZONE))
        # The same on every attempt: a copy sent again after a lost answer is the same message to a mail program.
        stamp = int(mail.created_at.timestamp() * 1_000_000)
        message["Message-ID"] = f"<quick-win-notify.{mail.id}.{stamp}@{domain}>"
        # RFC 3834: no out-of-office answer to a machine.
        message["Auto-Submitted"] = "auto-generated"
        # Quoted-printable unless plain ASCII: 8-bit text would need the relay's 8BITMIME, which not all offer.
        message.set_content(mail.body, cte=None if mail.body.isascii() else "quoted-printable")
        return message

    # -- the connection -------------------------------------------------------------------------------------

    def _open(self) -> smtplib.SMTP:
        """Connected, greeted, encrypted when offered, logged in when asked: ready for the mails."""
        notify = self.config.notify
        context = self._tls_context()
        try:
            smtp = smtplib.SMTP(notify.smtp_host, notify.smtp_port, timeout=notify.timeout_seconds)
        except (OSError, smtplib.SMTPException, ValueError) as exc:  # ValueError: a host name IDNA cannot encode
            raise self._unreachable(exc) from None
        try:
            smtp.ehlo()
            encrypted = False
            if smtp.has_extn("starttls"):
                smtp.starttls(context=context)
                smtp.ehlo()  # the answer before the encryption counts for nothing (RFC 3207)
                encrypted = True
            if self.login is not None:
                if not encrypted:
                    raise MailProblem(
                        Text(
                            f"Relay {self.where} tidak menawarkan STARTTLS, jadi portal tidak mengirim kata sandi "
                            "[smtp]. Nyalakan STARTTLS di relay, atau hapus [smtp] dari secrets.toml bila relay "
                            "menerima surat tanpa login.",
                            f"The mail relay {self.where} does not offer STARTTLS, so the portal does not send it "
                            "the [smtp] password. Turn STARTTLS on at the relay, or remove [smtp] from secrets.toml "
                            "if the relay takes mail without a login.",
                        )
                    )
                self._log_in(smtp, self.login)
        except MailProblem:
            smtp.close()
            raise
        except ssl.SSLCertVerificationError as exc:
            smtp.close()
            why = (exc.verify_message or "").strip() or type(exc).__name__
            raise MailProblem(
                Text(
                    f"Sertifikat relay {self.where} tidak tepercaya ({why}). Isi [notify] ca_file dengan berkas PEM "
                    "CA yang menandatanganinya.",
                    f"The certificate of the mail relay {self.where} is not trusted ({why}). Set [notify] ca_file "
                    "to the PEM file of the CA that signed it.",
                )
            ) from None
        except (OSError, smtplib.SMTPException) as exc:
            smtp.close()
            raise self._unreachable(exc) from None
        return smtp

    def _log_in(self, smtp: smtplib.SMTP, login: SmtpLogin) -> None:
        try:
            smtp.login(login.user, login.password)
        except smtplib.SMTPAuthenticationError as exc:
            raise MailProblem(
                Text(
                    f"Relay {self.where} menolak user dan kata sandi [smtp] ({_describe(exc)}). Periksa [smtp] di "
                    ".streamlit/secrets.toml.",
                    f"The mail relay {self.where} refused the [smtp] user and password ({_describe(exc)}). Check "
                    "[smtp] in .streamlit/secrets.toml.",
                )
            ) from None
        except smtplib.SMTPNotSupportedError:
            raise MailProblem(
                Text(
                    f"Relay {self.where} tidak menawarkan login (AUTH). Hapus [smtp] dari secrets.toml bila relay "
                    "menerima surat tanpa login.",
                    f"The mail relay {self.where} offers no login (AUTH). Remove [smtp] from secrets.toml if the "
                    "relay takes mail without one.",
                )
            ) from None
        except UnicodeError:
            # smtplib sends the login as ASCII; the error's own text would show a character of the password.
            raise MailProblem(
                Text(
                    "User atau kata sandi [smtp] memuat huruf di luar ASCII, yang tidak dapat dikirim smtplib.",
                    "The [smtp] user or password holds a character outside ASCII, which smtplib cannot send.",
                )
            ) from None

    def _tls_context(self) -> ssl.SSLContext:
        """Verifying the relay's certificate and host name: against ``ca_file`` alone when set, else the system's."""
        ca_file = self.config.notify.ca_file
        if not ca_file:
            return ssl.create_default_context()
        path = self.config.resolve(ca_file)
        try:
            return ssl.create_default_context(cafile=str(path))
        except FileNotFoundError:
            raise MailProblem(f"[notify] ca_file not found: {path}") from None
        except (ssl.SSLError, OSError) as exc:
            raise MailProblem(f"[notify] ca_file holds no PEM certificate: {path} ({type(exc).__name__})") from None

    def _unreachable(self, exc: BaseException) -> MailProblem:
        return MailProblem(
            Text(
                f"Sambungan ke relay {self.where} gagal ({_describe(exc)}); surat dikirim ulang nanti.",
                f"The connection to the mail relay {self.where} failed ({_describe(exc)}); the mails are sent again "
                "later.",
            )
        )

    def _refused(self, exc: BaseException) -> str:
        return str(
            Text(
                f"Relay menolak surat ini ({_describe(exc)}).",
                f"The relay refused this mail ({_describe(exc)}).",
            )
        )

    def _safe(self, text: str) -> str:
        """``text`` with any form of the password the relay might echo masked (a belt to the braces of building
        every error from types, codes and first lines only)."""
        if self.login is None:
            return text
        user, password = self.login.user, self.login.password
        forms = {
            password,
            base64.b64encode(password.encode()).decode(),
            base64.b64encode(f"\0{user}\0{password}".encode()).decode(),
        }
        for form in sorted(forms, key=len, reverse=True):
            text = text.replace(form, "***")
        return text


def _describe(exc: BaseException) -> str:
    """The exception's type, and the relay's code and the first line of its answer when it gave one; for errors of
    the socket, their own short text. Nothing else: an unknown exception's text might hold anything."""
    name = type(exc).__name__
    code: int | None = None
    answer: bytes | str = b""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, answer = next(iter(exc.recipients.values()), (None, b""))
    elif isinstance(exc, smtplib.SMTPResponseException):
        code, answer = exc.smtp_code, exc.smtp_error
    elif isinstance(exc, ssl.SSLCertVerificationError):
        answer = exc.verify_message or ""
    elif isinstance(exc, (smtplib.SMTPServerDisconnected, smtplib.SMTPNotSupportedError)):
        answer = str(exc)  # smtplib's own words, e.g. "Connection unexpectedly closed"
    elif isinstance(exc, OSError):
        answer = exc.strerror or str(exc)  # "Connection refused", "timed out", "Name or service not known"
    text = answer.decode("utf-8", "replace") if isinstance(answer, bytes) else answer
    first = text.strip().splitlines()[0][:_ANSWER_LIMIT] if text.strip() else ""
    return " ".join(str(part) for part in (name, code, first) if part not in (None, ""))


def _quit(smtp: smtplib.SMTP) -> None:
    try:
        smtp.quit()
    except (OSError, smtplib.SMTPException):
        smtp.close()  # the relay hung up first: nothing to say goodbye to
