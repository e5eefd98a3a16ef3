"""The outbox worker: feedback responses appended to a Google Sheet mirror, each exactly once.

A response is committed to the store together with its outbox entry (``feedback_store``); this module
copies what is due to the sheet the city configured in ``[feedback] mirror_sheet``. The sheet is a
convenience for city staff, never the record: when Google is down, the sheet is not shared, or the key
is wrong, the response stays in the store and its outbox entry records the reason and the next attempt
(exponential backoff from 30 seconds, capped at an hour).

Exactly once, although the network may fail at any point:

* The response id is the sheet's first column. Before appending, the worker reads column A; a due
  response already there (an append Google carried out but whose answer was lost) is marked mirrored
  without being appended again.
* The append itself is sent once, never retried within a drain: after a dropped connection or a 5xx,
  the rows may or may not have been written, and only the next read can tell.
* One worker at a time across sessions, processes and replicas (the store lock ``feedback-mirror``, held as
  a renewed and fenced ``Lease`` like the sync's), so no two workers read the same "not there yet" and both
  append.

Values are written with ``valueInputOption=RAW``: text starting with ``=``, ``+``, ``-`` or ``@`` stays
text and never runs as a formula. The suggestion goes out masked (the sheet is shared among staff; the
text as written stays in the store for the moderator), and contact details only with
``mirror_contact = true``.
"""

from __future__ import annotations

import os
import secrets
import socket
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

import requests
from google.auth.exceptions import GoogleAuthError, TransportError
from gspread.exceptions import APIError
from gspread.utils import absolute_range_name, rowcol_to_a1

from core.questionnaire import PROFILE_KEYS
from core.survey import ELEMENTS
from core.text import Text
from core.wilayah import CITY_TIMEZONE
from data_sources.config.portal_config import Config
from data_sources.readers.credentials import load_service_account
from data_sources.readers.google_sheets import (
    GOOGLE_API_ROOT,
    READ_WRITE_SCOPE,
    _GoogleHTTPClient,
    service_account_credentials,
    sheet_key,
)
from data_sources.readers.http_retry import Metrics, RetriesExhausted, RetryPolicy
from data_sources.readers.protocol import Problem, SourceUnreadable
from data_sources.store.feedback_store import FeedbackStore, OutboxEntry
from data_sources.store.lease import Lease
from data_sources.store.snapshot_store import LeaseLost, Store

MIRROR_LOCK = "feedback-mirror"
# The sheet's columns. The send time is "waktu_kirim", not "waktu": "waktu" is already the SKM element
# "time to completion", and a header with one name twice could not be read back by name.
MIRROR_COLUMNS: tuple[str, ...] = (
    "id",
    "waktu_kirim",
    "versi_kuesioner",
    "program",
    "tahu",
    "pernah",
    *ELEMENTS,
    "manfaat",
    *PROFILE_KEYS,
    "saran",
)
CONTACT_COLUMN = "kontak"  # last, and only with [feedback] mirror_contact = true
BACKOFF_START = timedelta(seconds=30)
BACKOFF_CAP = timedelta(hours=1)
DEFAULT_BATCH = 100

SheetValue = str | int


def mirror_columns(contact: bool) -> tuple[str, ...]:
    return (*MIRROR_COLUMNS, CONTACT_COLUMN) if contact else MIRROR_COLUMNS


def backoff(attempts: int) -> timedelta:
    """How long to wait after a failed attempt, given the attempts made before it (0 for the first)."""
    # 30 s, 1 min, 2 min, ... 32 min, then an hour; the exponent is bounded so a very old entry cannot overflow.
    return min(BACKOFF_CAP, BACKOFF_START * 2 ** min(max(attempts, 0), 20))


def _cell(value: Any) -> SheetValue:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, int):
        return value
    return str(value)


def mirror_row(response: Mapping[str, Any], contact: bool = False) -> list[SheetValue]:
    """One response as a sheet row in :func:`mirror_columns` order: strings and numbers, None as ""."""
    created: datetime = response["created_at"]
    if created.tzinfo is None:
        created = created.replace(tzinfo=UTC)
    row: list[SheetValue] = [
        str(response["id"]),
        created.astimezone(CITY_TIMEZONE).isoformat(timespec="seconds"),
        _cell(response["questionnaire_version"]),
        _cell(response["program"]),
        _cell(bool(response["knows"])),
        _cell(bool(response["used"])),
        *(_cell(response.get(key)) for key in ELEMENTS),
        _cell(response.get("manfaat")),
        *(_cell(response.get(key)) for key in PROFILE_KEYS),
        # Masked: the sheet is read by staff who are not moderators.
        _cell(response.get("suggestion_masked")),
    ]
    if contact:
        row.append(_cell(response.get("contact")))
    return row


class MirrorUnavailable(Problem):
    """The mirror cannot be written now; the message says what to do, and never holds a secret."""


class Mirror(Protocol):
    """What :func:`drain` needs of a mirror; :class:`SheetMirror` is the real one."""

    def ids_present(self) -> set[str]: ...

    def append(self, rows: Sequence[Sequence[SheetValue]]) -> None: ...

    def row(self, response: Mapping[str, Any]) -> list[SheetValue]: ...


class SheetMirror:
    """One worksheet of a Google Sheet, read and appended to through gspread with a service account.

    Two requests per drain batch (plus a token about once an hour): one ``values:batchGet`` of column A
    and row 1, one ``values:append``. Reads are retried within the retry policy's budget; the append is
    sent once (see the module's docstring).
    """

    def __init__(
        self,
        key: str,
        worksheet: str,
        credentials_info: Mapping[str, str],
        *,
        api_root: str = GOOGLE_API_ROOT,
        policy: RetryPolicy | None = None,
        contact: bool = False,
        scope: str = READ_WRITE_SCOPE,
        metrics: Metrics | None = None,
    ) -> None:
        self.key = key
        self.worksheet = worksheet
        self.account = str(credentials_info.get("client_email", "?"))
        self.columns = mirror_columns(contact)
        self.contact = contact
        self.metrics = metrics or Metrics()
        policy = policy or RetryPolicy()
        try:
            credentials = service_account_credentials(credentials_info, scope)
        except (ValueError, KeyError) as exc:
            raise MirrorUnavailable(
                Text(
                    f"Kunci service account tidak valid ({type(exc).__name__}). Periksa kuncinya.",
                    f"The service-account key is not valid ({type(exc).__name__}). Check the key.",
                )
            ) from None
        self._reader = _GoogleHTTPClient(credentials, api_root=api_root, policy=policy, metrics=self.metrics)
        # The same session (one connection pool, one token). A zero budget makes send_with_retries give up
        # after the first attempt (any wait would pass it): after a dropped connection, a timeout or a 5xx
        # the rows may have been written, and only the next drain's read can tell.
        self._writer = _GoogleHTTPClient(
            credentials,
            self._reader.session,
            api_root=api_root,
            policy=replace(policy, budget=0),
            metrics=self.metrics,
        )
        self._needs_header: bool | None = None  # known after ids_present()

    def row(self, response: Mapping[str, Any]) -> list[SheetValue]:
        return mirror_row(response, self.contact)

    def ids_present(self) -> set[str]:
        """The ids in column A (the header's "id" included), read in one request with row 1.

        Refuses a worksheet whose row 1 is not this mirror's header: appending there would put
        values under the wrong names.
        """
        ranges = [absolute_range_name(self.worksheet, "A:A"), absolute_range_name(self.worksheet, "1:1")]
        data = self._call(
            lambda: self._reader.values_batch_get(self.key, ranges, params={"valueRenderOption": "FORMATTED_VALUE"})
        )
        column, first = (data.get("valueRanges") or [{}, {}])[:2]
        ids = {str(row[0]).strip() for row in column.get("values", []) if row and str(row[0]).strip()}
        header = [str(v).strip() for v in (first.get("values") or [[]])[0]]
        self._needs_header = not ids and not any(header)
        if any(header):
            self._check_header(header)
        return ids

    def _check_header(self, header: list[str]) -> None:
        """Extra columns on the right (a staff member's notes) are fine; a different one is not."""
        for index, name in enumerate(self.columns):
            found = header[index] if index < len(header) else ""
            if found != name:
                cell = rowcol_to_a1(1, index + 1)
                shown = f"'{found[:40]}'" if found else "kosong"
                shown_en = f"'{found[:40]}'" if found else "empty"
                raise MirrorUnavailable(
                    Text(
                        f"Baris 1 lembar '{self.worksheet}' bukan judul kolom cermin: sel {cell} {shown}, "
                        f"seharusnya '{name}'. Perbaiki baris 1 atau pakai lembar kosong.",
                        f"Row 1 of worksheet '{self.worksheet}' is not the mirror's header: cell {cell} is "
                        f"{shown_en}, expected '{name}'. Fix row 1 or use an empty worksheet.",
                    )
                )

    def append(self, rows: Sequence[Sequence[SheetValue]]) -> None:
        """Append rows below the table in one request, the header first when the worksheet is empty."""
        if not rows:
            return
        if self._needs_header is None:
            self.ids_present()
        values = [list(row) for row in rows]
        if self._needs_header:
            values.insert(0, list(self.columns))
        params = {"valueInputOption": "RAW", "insertDataOption": "INSERT_ROWS"}
        target = absolute_range_name(self.worksheet, "A1")
        self._call(lambda: self._writer.values_append(self.key, target, params=params, body={"values": values}))
        self._needs_header = False

    def _call(self, request: Callable[[], Any]) -> Any:
        try:
            return request()
        except APIError as exc:
            raise MirrorUnavailable(self._api_problem(exc)) from None
        except RetriesExhausted as exc:
            what = f"HTTP {exc.last_status}" if exc.last_status else str(exc)
            raise MirrorUnavailable(
                Text(
                    f"Google tidak dapat dihubungi ({what}). Tanggapan tetap tersimpan dan dikirim ulang nanti.",
                    f"Google could not be reached ({what}). The responses are kept and sent again later.",
                )
            ) from None
        except TransportError:
            raise MirrorUnavailable(
                Text(
                    "Layanan login Google tidak dapat dihubungi. Tanggapan tetap tersimpan dan dikirim ulang nanti.",
                    "Google's login service could not be reached. The responses are kept and sent again later.",
                )
            ) from None
        except GoogleAuthError as exc:
            raise MirrorUnavailable(
                Text(
                    f"Login service account ke Google gagal ({type(exc).__name__}). Periksa kunci service account.",
                    f"The service account could not log in to Google ({type(exc).__name__}). "
                    "Check the service-account key.",
                )
            ) from None
        except requests.RequestException as exc:
            raise MirrorUnavailable(
                Text(
                    f"Google tidak dapat dihubungi ({type(exc).__name__}). Tanggapan dikirim ulang nanti.",
                    f"Google could not be reached ({type(exc).__name__}). The responses are sent again later.",
                )
            ) from None

    def _api_problem(self, exc: APIError) -> Text:
        message = str(exc.error.get("message", ""))
        if exc.code == 403 and "scope" in message.lower():
            return Text(
                f"Akses portal ke Google Sheets hanya baca; cermin memerlukan cakupan {READ_WRITE_SCOPE}.",
                f"The portal's Google Sheets access is read-only; the mirror needs the scope {READ_WRITE_SCOPE}.",
            )
        if exc.code == 403:
            return Text(
                f"Sheet cermin belum dibagikan ke {self.account} sebagai Editor. Buka sheet, klik Bagikan, "
                "tambahkan alamat itu sebagai Editor.",
                f"The mirror sheet is not shared with {self.account} as an editor. Open the sheet, click Share, "
                "add that address as an Editor.",
            )
        if exc.code == 404:
            return Text(
                f"Spreadsheet dengan kunci {self.key} tidak ditemukan. Periksa [feedback] mirror_sheet di portal.toml.",
                f"No spreadsheet with key {self.key}. Check [feedback] mirror_sheet in portal.toml.",
            )
        if exc.code == 400 and "parse range" in message.lower():
            # Google's answer to a range on a worksheet that does not exist.
            return Text(
                f"Lembar '{self.worksheet}' tidak ada di sheet cermin. Buat lembar kosong bernama itu, atau ubah "
                "[feedback] mirror_worksheet.",
                f"Worksheet '{self.worksheet}' not found in the mirror sheet. Create an empty worksheet with that "
                "name, or change [feedback] mirror_worksheet.",
            )
        if exc.code == 401:
            return Text(
                "Google menolak login service account (401). Periksa kunci service account.",
                "Google refused the service account's login (401). Check the service-account key.",
            )
        return Text(
            f"Google menjawab dengan kesalahan HTTP {exc.code}.", f"Google answered with HTTP error {exc.code}."
        )


@dataclass(frozen=True)
class DrainResult:
    """What one run of the worker did. ``busy``: another worker held the lock, so this one did nothing."""

    appended: int = 0
    already_there: int = 0  # found in the sheet (a lost answer to an earlier append) and marked mirrored
    failed: int = 0
    error: str | None = None  # the last failure, as recorded on the outbox entries
    busy: bool = False

    def line(self) -> str:
        if self.busy:
            return "feedback mirror: another worker is running"
        text = f"feedback mirror: {self.appended} appended, {self.already_there} already there, {self.failed} failed"
        return f"{text}: {self.error}" if self.error else text


def _mark_failed(store: FeedbackStore, entries: Sequence[OutboxEntry], now: datetime, error: str) -> None:
    by_attempts: dict[int, list[str]] = defaultdict(list)
    for entry in entries:
        by_attempts[entry.attempts].append(entry.response["id"])
    for attempts, ids in by_attempts.items():
        store.mark_failed(ids, now, error, now + backoff(attempts))


def drain(
    store: FeedbackStore,
    mirror: Mirror,
    now: datetime,
    batch: int = DEFAULT_BATCH,
    *,
    keep_going: Callable[[], bool] = lambda: True,
    before_append: Callable[[], None] = lambda: None,
) -> DrainResult:
    """Mirror every due outbox entry, ``batch`` at a time, until none is due or one batch fails.

    Call it only while holding the mirror lock (:func:`mirror_pending` does): "read the ids, then append
    the missing" is exactly-once only when no other worker appends in between. ``keep_going`` is asked
    before each batch (the lock still held), ``before_append`` just before each append (it raises when the
    lock was taken over).
    """
    appended = already = failed = 0
    error: str | None = None
    while keep_going():
        entries = store.due(now, batch)
        if not entries:
            break
        pending: Sequence[OutboxEntry] = entries
        try:
            present = mirror.ids_present()
            there = [e.response["id"] for e in entries if e.response["id"] in present]
            store.mark_mirrored(there, now)
            already += len(there)
            pending = [e for e in entries if e.response["id"] not in present]
            if pending:
                before_append()
                mirror.append([mirror.row(e.response) for e in pending])
                store.mark_mirrored([e.response["id"] for e in pending], now)
                appended += len(pending)
        except MirrorUnavailable as exc:
            error = str(exc)
            _mark_failed(store, pending, now, error)
            failed += len(pending)
            break  # Google is not answering well: the rest wait for their next attempt
    return DrainResult(appended, already, failed, error)


def _fail_all_due(store: FeedbackStore, now: datetime, error: str, batch: int) -> DrainResult:
    """Record a problem that stops every attempt (no key, a bad sheet URL) on each due entry."""
    failed = 0
    while entries := store.due(now, batch):
        _mark_failed(store, entries, now, error)  # each moves past `now`, so the loop ends
        failed += len(entries)
    return DrainResult(failed=failed, error=error)


def open_mirror(config: Config) -> SheetMirror:
    """The configured mirror; MirrorUnavailable when the sheet address or the key is wrong or missing."""
    try:
        key = sheet_key(config.feedback.mirror_sheet)
    except SourceUnreadable as exc:
        raise MirrorUnavailable(f"[feedback] mirror_sheet: {exc}") from None
    explicit = config.resolve(config.google.credentials_file) if config.google.credentials_file else None
    try:
        info = load_service_account(config.base, explicit)
    except SourceUnreadable as exc:
        raise MirrorUnavailable(exc.text) from None
    return SheetMirror(
        key,
        config.feedback.mirror_worksheet,
        info,
        api_root=config.api_url,
        policy=config.retry_policy,
        contact=config.feedback.mirror_contact,
    )


def _worst_request_seconds(policy: RetryPolicy) -> float:
    # The last attempt may start just before the budget runs out and then wait a whole timeout.
    return policy.budget + policy.timeout


def _batch_seconds(policy: RetryPolicy) -> float:
    # A batch costs up to three requests: a token (about once an hour), the read, the append.
    return 3 * _worst_request_seconds(policy)


def lock_ttl(policy: RetryPolicy) -> timedelta:
    """Two batches at their slowest, at least five minutes: a worker that died blocks others at most that long
    after its last renewal."""
    return timedelta(seconds=max(300.0, 2 * _batch_seconds(policy)))


def mirror_pending(
    config: Config,
    store: Store,
    feedback_store: FeedbackStore,
    now: datetime | None = None,
    *,
    batch: int = DEFAULT_BATCH,
) -> DrainResult | None:
    """Append every due response to the configured mirror. Never raises for a mirror or key problem.

    Returns None when no mirror is configured, ``DrainResult(busy=True)`` when another worker (in this
    process or another, on this replica or another) holds the lock, else what was done. A problem is
    recorded on the outbox entries it stopped (``last_error``, ``next_attempt_at``) for the admin page.
    """
    if not config.feedback.mirror_sheet.strip():
        return None
    now = now or datetime.now(UTC)
    holder = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"
    # The sync's lease: renewed in a thread while the worker lives, so one slow batch does not let another
    # worker in; a worker that stalled past it finds its fence refused before its next append.
    with Lease(store, MIRROR_LOCK, holder, lock_ttl(config.retry_policy)) as lease:
        if not lease.held:
            return DrainResult(busy=True)
        fence = lease.fence
        assert fence is not None
        try:
            try:
                mirror = open_mirror(config)
            except MirrorUnavailable as exc:
                return _fail_all_due(feedback_store, now, str(exc), batch)
            return drain(
                feedback_store,
                mirror,
                now,
                batch,
                keep_going=lambda: not lease.lost,
                before_append=lambda: store.check_fence(fence),
            )
        except LeaseLost:
            # Another worker took the lock over: it reads the sheet before appending, so what this one left
            # is neither lost nor appended twice.
            return DrainResult(error="the feedback-mirror lock was taken over by another worker; stopped")
