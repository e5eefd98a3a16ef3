"""The one configuration file, ``portal.toml`` at the repo root.

It says which sources to read, where the store lives, and what the portal publishes about
itself. It never holds secrets: credentials live in ``.streamlit/secrets.toml`` (a later issue).
Every key is documented in ``docs/admin.md``; a test fails when one is not.
"""

from __future__ import annotations

import ipaddress
import os
import tomllib
from dataclasses import MISSING, Field, dataclass, field, fields
from pathlib import Path
from typing import Any

from core.admin_session import MAX_SESSION_HOURS
from core.site_base import LOOPBACK_PROXIES
from core.site_map import HOME_GROUP_LIMIT, SITE_LIMIT
from core.text import Text
from data_sources.readers.credentials import load_service_account
from data_sources.readers.google_sheets import (
    GOOGLE_API_ROOT,
    GOOGLE_EXPORT_ROOT,
    READ_ONLY_SCOPE,
    READ_WRITE_SCOPE,
    PublishedSheetSource,
    ServiceAccountSource,
    sheet_key,
)
from data_sources.readers.http_retry import RetryPolicy
from data_sources.readers.protocol import Source
from data_sources.readers.workbook import PREVIEW_LIMITS, WorkbookLimits, WorkbookSource

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CONFIG = REPO_ROOT / "portal.toml"


class ConfigError(Exception):
    """The configuration file is missing or wrong; the message names the key."""


SOURCE_KINDS = ("workbook", "google", "published")


@dataclass(frozen=True)
class SourceConfig:
    name: str
    kind: str
    path: str = ""
    sheet: str = ""
    skpd: str = ""
    locale: str = "id_ID"
    sample: bool = False
    # Write a note on every problem cell and a status worksheet into the sheet itself (kind "google" only; the
    # sheet must be shared with the service account as Editor). Off by default.
    write_back: bool = False
    # Where an e-mail goes when this source's problems or stale programs change ([notify] must be set up).
    notify_email: str = ""


@dataclass(frozen=True)
class PortalConfig:
    title_id: str = "Portal Transparansi Quick Win Kota Banjarmasin"
    title_en: str = "Quick Win Transparency Portal, City of Banjarmasin"
    contact: str = ""
    licence: str = "CC BY 4.0"
    licence_url: str = "https://creativecommons.org/licenses/by/4.0/"


@dataclass(frozen=True)
class StoreConfig:
    path: str = "data/portal.sqlite"


@dataclass(frozen=True)
class SyncConfig:
    interval_minutes: int = 5
    request_timeout_seconds: int = 30
    retry_budget_seconds: int = 120
    # The sync lock's lease: its holder renews it every third of this while it works, so a holder that died
    # blocks syncing for at most this long.
    lock_lease_seconds: int = 45

    def __post_init__(self) -> None:
        if not 3 <= self.lock_lease_seconds <= 600:
            raise ConfigError(f"[sync] lock_lease_seconds must be 3 to 600, not {self.lock_lease_seconds}")


@dataclass(frozen=True)
class GoogleConfig:
    api_url: str = GOOGLE_API_ROOT
    export_url: str = GOOGLE_EXPORT_ROOT
    # A path to a service-account key file, relative to portal.toml. The key itself never goes in
    # this file; GOOGLE_APPLICATION_CREDENTIALS or .streamlit/secrets.toml are the usual places.
    credentials_file: str = ""


@dataclass(frozen=True)
class FeedbackConfig:
    enabled: bool = True
    # The questionnaire definition (questions, scales, labels, version), relative to portal.toml;
    # empty: the kuesioner.toml bundled with the portal.
    questionnaire: str = ""
    # A Google Form the city already runs; embedded below the portal's own form, never instead of it.
    google_form_url: str = ""
    # A Google Sheet (URL or key) every response is appended to, from an outbox; empty: no mirror.
    mirror_sheet: str = ""
    mirror_worksheet: str = "tanggapan"
    # Contact details (e-mail/phone given for a reply) go to the mirror only when this is true.
    mirror_contact: bool = False
    per_session_per_hour: int = 3
    per_address_per_hour: int = 10
    # One shared allowance for every respondent whose address is unknown (see docs/admin.md).
    unknown_address_per_hour: int = 60
    min_seconds: int = 20
    duplicate_hours: int = 24
    # Where a reverse proxy puts the reader's address (e.g. "X-Real-IP"); empty: the connection's own.
    client_address_header: str = ""
    # Responses the store could not take (damaged or down) are appended here, fsync'd, and moved into the store
    # when it is back (JSON lines, relative to portal.toml; keep it on the store's disk, never in static/).
    spool_file: str = "data/feedback-spool.jsonl"
    # The most the spool may hold, in MB: while the store is down, the survey form must not be a way to fill the
    # disk. A response that would not fit is refused with "try again later", never thanked for and dropped.
    spool_max_mb: int = 20

    def __post_init__(self) -> None:
        if self.spool_max_mb < 1:
            raise ConfigError(f"[feedback] spool_max_mb must be at least 1, not {self.spool_max_mb}")

    @property
    def spool_max_bytes(self) -> int:
        return self.spool_max_mb * 1024 * 1024


@dataclass(frozen=True)
class HealthConfig:
    # A program not finished whose last capaian report is older than this many days is flagged stale.
    stale_days: int = 30
    # The data health page is public (transparency about data quality); false puts it behind the admin password.
    public: bool = True


@dataclass(frozen=True)
class PreviewConfig:
    # The largest .xlsx an SKPD may upload for a preview, in megabytes.
    max_upload_mb: int = 5


_SYNC_LIMITS = WorkbookLimits()


@dataclass(frozen=True)
class WorkbookLimitsConfig:
    # Per worksheet of a workbook read by sync and `check` (a `workbook` source): the highest row number and
    # column a cell may sit in, and the cells held (each row counted up to its last cell). Past one, the
    # workbook is refused with a message naming the worksheet and the cell; the source alone fails.
    max_rows: int = _SYNC_LIMITS.rows
    max_columns: int = _SYNC_LIMITS.columns
    max_cells: int = _SYNC_LIMITS.cells
    # What the whole workbook may inflate to (the zip members' uncompressed sizes), in MB.
    max_uncompressed_mb: int = _SYNC_LIMITS.uncompressed_mb
    # The same for an upload to the SKPD preview (/pratinjau): anyone may upload, so the caps are smaller.
    preview_max_rows: int = PREVIEW_LIMITS.rows
    preview_max_columns: int = PREVIEW_LIMITS.columns
    preview_max_cells: int = PREVIEW_LIMITS.cells
    preview_max_uncompressed_mb: int = PREVIEW_LIMITS.uncompressed_mb

    @property
    def sync(self) -> WorkbookLimits:
        return WorkbookLimits(self.max_rows, self.max_columns, self.max_cells, self.max_uncompressed_mb)

    @property
    def preview(self) -> WorkbookLimits:
        return WorkbookLimits(
            self.preview_max_rows, self.preview_max_columns, self.preview_max_cells, self.preview_max_uncompressed_mb
        )


BASEMAPS = ("carto", "none", "pmtiles")


@dataclass(frozen=True)
class MapConfig:
    # At most this many sites matching the reader's filters are drawn one by one; above it, counts per kelurahan.
    site_limit: int = SITE_LIMIT
    # At most this many (program, kelurahan) circles of homes; above it, one count per kelurahan.
    home_group_limit: int = HOME_GROUP_LIMIT
    # "carto": the interactive map draws Carto's basemap (streets, names), fetched by each reader's browser from
    # Carto's servers; "none": only the portal's own context (rivers, kelurahan points), no third party at all;
    # "pmtiles": the portal serves a basemap itself, from the city's PMTiles extract in basemap_file.
    basemap: str = "carto"
    # The PMTiles archive of basemap = "pmtiles", relative to portal.toml (docs/admin.md says how to make it).
    basemap_file: str = ""

    def __post_init__(self) -> None:
        if self.basemap not in BASEMAPS:
            raise ConfigError(f"[map] basemap must be one of {', '.join(BASEMAPS)}, not {self.basemap!r}")
        if self.basemap == "pmtiles" and not self.basemap_file.strip():
            raise ConfigError('[map] basemap = "pmtiles" needs basemap_file, the path of the city\'s .pmtiles file')


@dataclass(frozen=True)
class AdminConfig:
    # Sign-in failures from one address (or session, when the address is unknown) before a lockout.
    max_failures: int = 5
    lockout_minutes: int = 15
    # How long a signed-in admin stays signed in across reloads (the session cookie, core/admin_session.py).
    session_hours: int = 8

    def __post_init__(self) -> None:
        if not 1 <= self.session_hours <= MAX_SESSION_HOURS:
            raise ConfigError(f"[admin] session_hours must be 1 to {MAX_SESSION_HOURS}, not {self.session_hours!r}")


@dataclass(frozen=True)
class OpenDataConfig:
    # false: no open-data files are written (e.g. on a read-only disk); the pages work the same.
    enabled: bool = True
    # Where the files go, relative to portal.toml. Streamlit serves only the ``static`` folder beside app.py
    # (at /app/static/), so a portal.toml kept elsewhere needs the absolute path of <app folder>/static/data.
    folder: str = "static/data"
    # The portal's public address (https://...): absolute links in index.json and the OC4IDS package's uri.
    public_url: str = ""
    # Who publishes the files (the OC4IDS package's publisher).
    publisher: str = "Dinas Komunikasi, Informatika dan Statistik Kota Banjarmasin"
    # The OC4IDS project identifier prefix; replace it with the one the OC4IDS Helpdesk assigns. The default is a
    # placeholder, kept so the published ids stay stable until then: not of a registered prefix's shape ("oc4ids-" and
    # six lower-case letters or digits), so /admin and /kesehatan-data warn while it is in use
    # (core.oc4ids.prefix_is_registered_shape). Not refused: a portal must publish before its prefix arrives.
    oc4ids_prefix: str = "oc4ids-bjm"


def _addresses(where: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"[server] {where} must be a list of names or addresses, not {value!r}")
    return tuple(v.strip() for v in value)


@dataclass(frozen=True)
class ServerConfig:
    """Which host the portal is when ``[open_data] public_url`` is empty (``core.site_base``, issue #22 item 3)."""

    # The Host names a link may carry; None (not set): the loopback names and this machine's own names and addresses.
    allowed_hosts: tuple[str, ...] | None = None
    # The proxies whose X-Forwarded-Proto and X-Forwarded-Host are believed: addresses or networks (10.0.0.0/8).
    trusted_proxies: tuple[str, ...] = LOOPBACK_PROXIES

    def __post_init__(self) -> None:
        if self.allowed_hosts is not None:
            object.__setattr__(self, "allowed_hosts", _addresses("allowed_hosts", self.allowed_hosts))
        proxies = _addresses("trusted_proxies", self.trusted_proxies)
        for entry in proxies:
            try:
                ipaddress.ip_network(entry, strict=False)
            except ValueError:
                raise ConfigError(f"[server] trusted_proxies: {entry!r} is not an address or a network") from None
        object.__setattr__(self, "trusted_proxies", proxies)


# SMTP's port range; 0 is no port a relay listens on.
_PORTS = range(1, 65536)


@dataclass(frozen=True)
class NotifyConfig:
    """E-mail to an SKPD whose problem or stale list changed in a sync (issue 20, item 9). The relay's user and
    password are secrets: ``[smtp]`` in ``.streamlit/secrets.toml``, never here."""

    # The mail relay (e.g. the city's mail server); empty: e-mail is off and queued mails wait.
    smtp_host: str = ""
    # 587, the submission port, where STARTTLS is the rule; STARTTLS is used whenever the relay offers it.
    smtp_port: int = 587
    # The TOML key is ``from`` (a Python keyword): "Portal QW <portal@banjarmasinkota.go.id>" or a bare address.
    sender: str = field(default="", metadata={"toml": "from"})
    # How long one answer of the relay may take, in seconds (connecting included).
    timeout_seconds: int = 30
    # A PEM file with the private CA that signed the relay's certificate, relative to portal.toml; empty: the
    # system's trust store. Only this CA is then trusted for the relay.
    ca_file: str = ""

    def __post_init__(self) -> None:
        if self.smtp_port not in _PORTS:
            raise ConfigError(f"[notify] smtp_port must be 1 to 65535, not {self.smtp_port}")
        if self.timeout_seconds < 1:
            raise ConfigError(f"[notify] timeout_seconds must be at least 1, not {self.timeout_seconds}")
        if any(c in self.sender for c in "\r\n"):
            # A line break in a header would let the value write headers of its own.
            raise ConfigError("[notify] from must be one line")
        if self.smtp_host.strip() and "@" not in self.sender:
            raise ConfigError(
                f"[notify] from must be the sender's e-mail address when smtp_host is set, not {self.sender!r}"
            )

    @property
    def enabled(self) -> bool:
        return bool(self.smtp_host.strip())


@dataclass(frozen=True)
class LogConfig:
    """The transparency log's signing key (issue 24): where its file is, never the key itself."""

    # The signer key file made by ``python -m data_sources keygen``, relative to portal.toml; keep it outside the
    # store's folder and outside anything served. Empty: ``log_key_file`` in .streamlit/secrets.toml, else no key
    # (the log is kept, no checkpoint is signed, /admin says so).
    key_file: str = ""


# The top-level key of .streamlit/secrets.toml that may name the signer key file instead of ``[log] key_file``.
SECRETS_LOG_KEY_FILE = "log_key_file"


@dataclass(frozen=True)
class Config:
    portal: PortalConfig = field(default_factory=PortalConfig)
    store: StoreConfig = field(default_factory=StoreConfig)
    sync: SyncConfig = field(default_factory=SyncConfig)
    google: GoogleConfig = field(default_factory=GoogleConfig)
    feedback: FeedbackConfig = field(default_factory=FeedbackConfig)
    admin: AdminConfig = field(default_factory=AdminConfig)
    health: HealthConfig = field(default_factory=HealthConfig)
    preview: PreviewConfig = field(default_factory=PreviewConfig)
    workbook_limits: WorkbookLimitsConfig = field(default_factory=WorkbookLimitsConfig)
    map: MapConfig = field(default_factory=MapConfig)
    open_data: OpenDataConfig = field(default_factory=OpenDataConfig)
    notify: NotifyConfig = field(default_factory=NotifyConfig)
    server: ServerConfig = field(default_factory=ServerConfig)
    log: LogConfig = field(default_factory=LogConfig)
    sources: tuple[SourceConfig, ...] = ()
    # The folder relative paths are resolved against: the config file's own folder.
    base: Path = REPO_ROOT

    @property
    def title(self) -> Text:
        return Text(self.portal.title_id, self.portal.title_en)

    @property
    def database_url(self) -> str:
        """``DATABASE_URL`` wins (PostgreSQL for replicas); else the SQLite file in ``[store]``."""
        url = os.environ.get("DATABASE_URL")
        if url:
            return url
        return f"sqlite:///{self.resolve(self.store.path)}"

    @property
    def log_key_file(self) -> Path | None:
        """The transparency log's signer key file: ``[log] key_file``, else ``log_key_file`` in
        ``.streamlit/secrets.toml`` beside the configuration (both relative to it), else None (no key).

        Only the path: the file is read when a checkpoint is signed (``data_sources.config.signing_key``). A
        secrets file that is not valid TOML names no key here; Streamlit itself refuses to start on it.
        """
        if self.log.key_file.strip():
            return self.resolve(self.log.key_file.strip())
        secrets = self.base / ".streamlit" / "secrets.toml"
        try:
            value = tomllib.loads(secrets.read_text(encoding="utf-8")).get(SECRETS_LOG_KEY_FILE)
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            return None
        return self.resolve(value.strip()) if isinstance(value, str) and value.strip() else None

    @property
    def has_sample_sources(self) -> bool:
        return any(s.sample for s in self.sources)

    def resolve(self, path: str) -> Path:
        p = Path(path)
        return p if p.is_absolute() else self.base / p

    @property
    def open_data_folder(self) -> Path:
        """Where the open-data files are written (``[open_data] folder``, relative to portal.toml)."""
        return self.resolve(self.open_data.folder)

    def source(self, name: str) -> SourceConfig | None:
        return next((s for s in self.sources if s.name == name), None)

    @property
    def api_url(self) -> str:
        return os.environ.get("SHEETS_API_URL") or self.google.api_url

    @property
    def export_url(self) -> str:
        return os.environ.get("SHEETS_EXPORT_URL") or self.google.export_url

    @property
    def retry_policy(self) -> RetryPolicy:
        return RetryPolicy(timeout=self.sync.request_timeout_seconds, budget=self.sync.retry_budget_seconds)

    def open_source(self, spec: SourceConfig, credentials: Path | None = None) -> Source:
        """The reader for a configured source; ``credentials`` overrides where the key is found."""
        if spec.kind == "workbook":
            return WorkbookSource(spec.name, self.resolve(spec.path), spec.locale, self.workbook_limits.sync)
        if spec.kind == "google":
            explicit = credentials or (
                self.resolve(self.google.credentials_file) if self.google.credentials_file else None
            )
            info = load_service_account(self.base, explicit)
            scope = READ_WRITE_SCOPE if spec.write_back else READ_ONLY_SCOPE
            return ServiceAccountSource(
                spec.name, sheet_key(spec.sheet), info, self.api_url, self.retry_policy, scope=scope
            )
        if spec.kind == "published":
            return PublishedSheetSource(
                spec.name, sheet_key(spec.sheet), spec.locale, self.export_url, self.retry_policy
            )
        raise ConfigError(f"source '{spec.name}': unknown kind '{spec.kind}' (known: {', '.join(SOURCE_KINDS)})")


SECTIONS = {
    "portal": PortalConfig,
    "store": StoreConfig,
    "sync": SyncConfig,
    "google": GoogleConfig,
    "feedback": FeedbackConfig,
    "admin": AdminConfig,
    "health": HealthConfig,
    "preview": PreviewConfig,
    "workbook_limits": WorkbookLimitsConfig,
    "map": MapConfig,
    "open_data": OpenDataConfig,
    "notify": NotifyConfig,
    "server": ServerConfig,
    "log": LogConfig,
}


def toml_keys(cls: type) -> dict[str, Field[Any]]:
    """A section's keys as written in portal.toml, each with its field: the field's name, unless its metadata names
    another key (``from`` in ``[notify]``, which no Python name can be)."""
    return {f.metadata.get("toml", f.name): f for f in fields(cls)}


def _build(cls: type, data: Any, where: str) -> Any:
    if not isinstance(data, dict):
        raise ConfigError(f"[{where}] must be a table")
    known = toml_keys(cls)
    unknown = sorted(set(data) - set(known))
    if unknown:
        raise ConfigError(f"[{where}] unknown key(s): {', '.join(unknown)} (known: {', '.join(known)})")
    for key, value in data.items():
        expected = known[key].type
        kind = {"str": str, "int": int, "bool": bool}.get(str(expected))
        if kind and not (isinstance(value, kind) and (kind is bool or not isinstance(value, bool))):
            raise ConfigError(f"[{where}] {key} must be a {kind.__name__}, not {value!r}")
    missing = [
        key for key, f in known.items() if key not in data and f.default is MISSING and f.default_factory is MISSING
    ]
    if missing:
        raise ConfigError(f"[{where}] missing key(s): {', '.join(missing)}")
    return cls(**{known[key].name: value for key, value in data.items()})


def load_config(path: Path | None = None) -> Config:
    """Read the file named by ``path``, else ``PORTAL_CONFIG``, else ``portal.toml``."""
    path = path or Path(os.environ.get("PORTAL_CONFIG") or DEFAULT_CONFIG)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"configuration file not found: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from None
    unknown = sorted(set(data) - {*SECTIONS, "sources"})
    if unknown:
        raise ConfigError(f"{path}: unknown section(s): {', '.join(unknown)}")
    sections = {name: _build(cls, data.get(name, {}), name) for name, cls in SECTIONS.items()}
    for key, value in vars(sections["workbook_limits"]).items():
        if value < 1:
            # A cap of 0 would refuse every workbook; a negative one is a typo.
            raise ConfigError(f"[workbook_limits] {key} must be at least 1, not {value}")
    raw_sources = data.get("sources", [])
    if not isinstance(raw_sources, list):
        raise ConfigError("[[sources]] must be a list of tables")
    sources = []
    for i, raw in enumerate(raw_sources):
        src = _build(SourceConfig, raw, f"sources #{i + 1}")
        if src.kind not in SOURCE_KINDS:
            raise ConfigError(f"source '{src.name}': unknown kind '{src.kind}' (known: {', '.join(SOURCE_KINDS)})")
        if src.kind == "workbook" and not src.path:
            raise ConfigError(f"source '{src.name}': a workbook source needs a path")
        if src.kind in ("google", "published") and not src.sheet:
            raise ConfigError(f"source '{src.name}': a {src.kind} source needs sheet (its URL or key)")
        if src.write_back and src.kind != "google":
            raise ConfigError(
                f"source '{src.name}': write_back works only for kind = \"google\" (a sheet read with the service "
                f"account, shared with it as Editor); a {src.kind} source cannot be written to. Remove write_back "
                "or change the source's kind."
            )
        if src.notify_email and "@" not in src.notify_email:
            raise ConfigError(f"source '{src.name}': notify_email must be an e-mail address, not {src.notify_email!r}")
        sources.append(src)
    names = [s.name for s in sources]
    if len(set(names)) != len(names):
        raise ConfigError("source names must be unique")
    return Config(sources=tuple(sources), base=path.resolve().parent, **sections)
