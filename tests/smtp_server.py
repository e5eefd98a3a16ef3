"""A real SMTP server for the tests: aiosmtpd on 127.0.0.1, with STARTTLS, AUTH and refusals as a relay answers them.

``SmtpServer`` collects every message it accepts (``received``), with whether it came encrypted and who logged in;
it counts the connections made to it, and every login attempt. ``make_tls`` writes a private CA and a server
certificate for 127.0.0.1 signed by it, made with ``cryptography``: the CA's PEM is what ``[notify] ca_file`` points
at, the server's pair goes into the server's TLS context.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import ipaddress
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from types import TracebackType
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from servers import free_port

HOST = "127.0.0.1"


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes  # as it came over the wire, headers and encoded body
    encrypted: bool  # it came after STARTTLS
    user: str | None  # who had logged in; None: nobody

    @property
    def text(self) -> str:
        """The plain-text body as a reader sees it: decoded, lines ending in "\\n" (on the wire they end in CRLF)."""
        return str(self.message.get_content()).replace("\r\n", "\n")

    @property
    def message(self) -> EmailMessage:
        parsed = email.message_from_bytes(self.data, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed


@dataclass
class SmtpServer:
    """``with SmtpServer(...) as server:``; ``start()`` again after ``stop()`` serves on the same port.

    ``users``: logins it accepts ({user: password}); ``refuse_login``: what it answers a wrong one (a relay may say
    anything there, even echo what it got). ``refuse_data``: a function of the message's bytes giving the answer
    to its DATA ("554 ...") or None to accept it. ``hold_first_data``: the first DATA waits until this event is set
    (``data_arrived`` tells the test it is there).
    """

    port: int = field(default_factory=free_port)
    tls: ssl.SSLContext | None = None
    require_starttls: bool = False
    users: dict[str, str] | None = None
    auth_require_tls: bool = True
    refuse_login: str | None = None
    refuse_data: Callable[[bytes], str | None] | None = None
    hold_first_data: threading.Event | None = None
    received: list[Received] = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)  # (mechanism, user) of every attempt
    data_arrived: threading.Event = field(default_factory=threading.Event)
    _connections: int = 0
    _controller: Controller | None = None
    _guard: threading.Lock = field(default_factory=threading.Lock)

    @property
    def connections(self) -> int:
        """Connections made by clients (the one aiosmtpd makes to see it started is not counted)."""
        return self._connections

    def start(self) -> SmtpServer:
        server = self

        class _Counting(Controller):
            def factory(self) -> SMTP:
                with server._guard:
                    server._connections += 1
                return super().factory()

        options: dict[str, Any] = {"tls_context": self.tls, "require_starttls": self.require_starttls}
        if self.users is not None:
            options.update(authenticator=self._authenticate, auth_require_tls=self.auth_require_tls)
        controller = _Counting(_Handler(self), hostname=HOST, port=self.port, ready_timeout=10, **options)
        before = self._connections
        controller.start()
        with self._guard:
            self._connections = before  # the start-up probe is no client
        self._controller = controller
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> SmtpServer:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()

    def _authenticate(
        self, _server: SMTP, _session: Session, _envelope: Envelope, mechanism: str, auth_data: Any
    ) -> AuthResult:
        assert isinstance(auth_data, LoginPassword) and self.users is not None
        user, password = auth_data.login.decode(), auth_data.password.decode()
        self.logins.append((mechanism, user))
        if self.users.get(user) == password:
            return AuthResult(success=True, auth_data=user)
        return AuthResult(success=False, handled=False, message=self.refuse_login)


class _Handler:
    def __init__(self, server: SmtpServer) -> None:
        self.server = server
        self._held = False

    async def handle_DATA(self, _smtp: SMTP, session: Session, envelope: Envelope) -> str:
        server = self.server
        data = envelope.original_content or b""
        server.data_arrived.set()
        if server.hold_first_data is not None and not self._held:
            self._held = True
            # Waited for off the event loop: other connections are served meanwhile.
            await asyncio.get_running_loop().run_in_executor(None, server.hold_first_data.wait, 30)
        answer = server.refuse_data(data) if server.refuse_data else None
        if answer is not None:
            return answer
        server.received.append(
            Received(
                mail_from=str(envelope.mail_from),
                rcpt_tos=list(envelope.rcpt_tos),
                data=data,
                encrypted=session.ssl is not None,
                user=str(session.auth_data) if session.authenticated else None,
            )
        )
        return "250 2.0.0 OK: queued"


@dataclass(frozen=True)
class Tls:
    ca_file: Path  # the private CA's certificate (PEM): what [notify] ca_file names
    server: ssl.SSLContext  # the server's side: its certificate for 127.0.0.1 and localhost, signed by that CA


def make_tls(folder: Path, name: str = "Kota Banjarmasin test", *, server_names: tuple[str, ...] = ()) -> Tls:
    """``server_names``: the host names the server's certificate is for, instead of 127.0.0.1 and localhost."""
    folder.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"{name} CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, (*server_names, "localhost")[0])]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName(n) for n in server_names]
                or [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address(HOST))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    ca_file = folder / "relay-ca.pem"
    ca_file.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    cert_file, key_file = folder / "relay.pem", folder / "relay.key"
    cert_file.write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    return Tls(ca_file, context)
