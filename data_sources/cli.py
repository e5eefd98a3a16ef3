"""``python -m data_sources``: check a source, sync all sources, send the e-mail notifications, write the SKPD
template, render the contract document, hash a password, back up and restore the store, make the transparency
log's signing key.

Exit codes of ``check``: 0 no errors, 1 errors in the sheet, 2 the source cannot be read at all (a missing,
damaged or too large workbook: one line on stderr, and with ``--json`` an object whose ``error`` says why).
Exit codes of ``sync``: 0 every source read, 1 a source failed (or the transparency log's checkpoint was refused or
its signer key cannot be used), 2 the configuration is wrong, 3 this sync stalled
past its lock's lease and another took the lock over: it stopped without writing the rest (one line on stderr).
A mail the sync's drain of the outbox could not send is one line on stderr and changes no exit code.
Exit codes of ``send-mail``: 0 every due mail sent (or none due, or e-mail off), 1 some failed, 2 the configuration is
wrong.
Exit codes of ``verify``: 0 every check of the log holds, 1 one does not (its line names what, and the first entry
that differs when a kept copy of the entries is given), 2 a usage error, an unreadable file or an unreachable portal.
Exit codes of ``keygen``: 0 the key written, 2 refused (no public_url, the file exists, or a place beside the store
or a served folder): one line on stderr, and the signer key never printed.
"""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import os
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from core.contract_doc import render_contract_doc
from core.passwords import MIN_PASSWORD_LENGTH, hash_password
from core.signed_note import NoteError, generate_key, origin_for
from core.text import Text
from core.validation import ValidationResult, validate_workbook
from core.wilayah import city_today
from data_sources.config.portal_config import REPO_ROOT, Config, ConfigError, load_config
from data_sources.files.sheet_template import write_template
from data_sources.jobs.feedback_mirror import mirror_pending
from data_sources.jobs.notify_mail import MailReport, send_due
from data_sources.jobs.sync import check_source, run_sync, unexpected_failure
from data_sources.jobs.verify_log import Options, verify
from data_sources.readers.credentials import load_service_account
from data_sources.readers.google_sheets import PublishedSheetSource, ServiceAccountSource, looks_like_sheet, sheet_key
from data_sources.readers.protocol import Source, SourceUnreadable
from data_sources.readers.survey_csv import read_survey_csv, survey_report
from data_sources.readers.workbook import read_workbook
from data_sources.store.backup_restore import BackupError, backup_store, restore_store
from data_sources.store.feedback_store import FeedbackStore
from data_sources.store.snapshot_store import Store
from data_sources.store.store_integrity import check_store, sqlite_path


def _load(path: str | None) -> Config:
    return load_config(Path(path) if path else None)


def _sheet_source(target: str, args: argparse.Namespace) -> Source:
    """A Google Sheet named on the command line: with --credentials privately, else as a published sheet."""
    try:
        config = _load(args.config)
    except ConfigError:
        config = Config()
    key = sheet_key(target)
    if args.credentials:
        info = load_service_account(config.base, Path(args.credentials))
        return ServiceAccountSource("cli", key, info, config.api_url, config.retry_policy)
    return PublishedSheetSource("cli", key, args.locale, config.export_url, config.retry_policy)


def _check_config(args: argparse.Namespace) -> Config:
    """The configuration's caps apply to a workbook named by path too; without a configuration, the defaults."""
    try:
        return _load(args.config)
    except ConfigError:
        if args.config:
            raise
        return Config()


def _check(args: argparse.Namespace) -> int:
    target = args.source
    try:
        path = Path(target)
        if path.suffix.lower() in (".xlsx", ".xlsm") or path.exists():
            limits = _check_config(args).workbook_limits.sync
            result = validate_workbook(read_workbook(path, limits=limits), city_today(datetime.now(UTC)))
        elif looks_like_sheet(target) or args.credentials:
            result = validate_workbook(_sheet_source(target, args).read(), city_today(datetime.now(UTC)))
        else:
            config = _load(args.config)
            spec = config.source(target)
            if spec is None:
                raise SourceUnreadable(f"no such file, sheet or configured source: {target}")
            result = check_source(config, spec)
    except (SourceUnreadable, ConfigError) as exc:
        text = exc.text if isinstance(exc, SourceUnreadable) else Text(str(exc), str(exc))
        return _unreadable(args, target, text, exc)
    except Exception as exc:
        # Whatever a reader did not foresee: still one line and exit 2, never a traceback (issue 15).
        return _unreadable(args, target, unexpected_failure(exc), exc)
    if args.json:
        print(json.dumps(result.report(), ensure_ascii=False))
    else:
        _print_report(result, args.lang)
    return 1 if result.errors else 0


def _unreadable(args: argparse.Namespace, target: str, text: Text, exc: Exception) -> int:
    """Exit 2: one line on stderr, and with ``--json`` one object on stdout saying why (docs/admin.md)."""
    print(f"cannot read {target}: {text.get(args.lang)}", file=sys.stderr)
    if args.json:
        report = {
            "source": target,
            "error": {
                "worksheet": getattr(exc, "worksheet", None),
                "cell": getattr(exc, "cell", None),
                "message": text.id,
                "message_en": text.en,
            },
            "counts": {},
            "issues": [],
        }
        print(json.dumps(report, ensure_ascii=False))
    return 2


def _print_report(result: ValidationResult, lang: str) -> None:
    print(result.origin)
    for sheet, c in result.counts.items():
        print(f"  {sheet}: {c.rows} rows, {c.accepted} accepted, {c.rejected} rejected")
    for issue in result.issues:
        where = " ".join(
            str(p) for p in (issue.worksheet, issue.cell or (f"row {issue.row}" if issue.row else "")) if p
        )
        print(f"{issue.severity.upper():8} {where:18} {issue.message.get(lang)}")
    print(f"{len(result.errors)} errors, {len(result.warnings)} warnings")


def _sync(args: argparse.Namespace) -> int:
    try:
        config = _load(args.config)
    except ConfigError as exc:
        print(f"configuration: {exc}", file=sys.stderr)
        return 2
    store = Store(config.database_url)
    try:
        outcomes = run_sync(config, store)
        # A scheduled sync also retries feedback responses the mirror has not taken yet.
        mirrored = mirror_pending(config, store, FeedbackStore(store.engine)) if config.feedback.mirror_sheet else None
        # And sends the notifications it queued: this process exits next, and nothing else would send them soon.
        mailed = _drain_mail_quietly(config, store)
    finally:
        store.close()
    if outcomes is None:
        print("another sync is running; this one did nothing", file=sys.stderr)
    else:
        for outcome in outcomes:
            print(outcome.line())
    if mirrored is not None:
        print(mirrored.line())
    if mailed is not None and (mailed.sent or mailed.failed or mailed.busy or (mailed.disabled and mailed.waiting)):
        print(mailed.line())
    for failure in mailed.failures if mailed is not None else ():
        print(failure.line(), file=sys.stderr)
    if outcomes and any(o.lost for o in outcomes):
        # Stalled past its lease and taken over: the one warning line on stderr (run_sync's) says what was not
        # written and who took over; that sync writes it.
        return 3
    return 1 if outcomes and any(o.failed for o in outcomes) else 0


def _drain_mail_quietly(config: Config, store: Store) -> MailReport | None:
    """The sync's drain of the mail outbox: whatever happens to it, the sync's own result and exit code stand."""
    try:
        return send_due(config, store)
    except Exception as exc:
        # The mails stay queued; send-mail or the next sync tries again. One line, never a traceback.
        print(f"notify mail: the outbox could not be drained ({type(exc).__name__})", file=sys.stderr)
        return None


def _send_mail(args: argparse.Namespace) -> int:
    """Send the e-mail notifications due now; one line per mail not sent on stderr."""
    try:
        config = _load(args.config)
    except ConfigError as exc:
        print(f"configuration: {exc}", file=sys.stderr)
        return 2
    store = Store(config.database_url)
    try:
        report = send_due(config, store)
    finally:
        store.close()
    if report.disabled:
        print(report.line(), file=sys.stderr)
        return 0
    print(report.line())
    for failure in report.failures:
        print(failure.line(), file=sys.stderr)
    return 1 if report.failed else 0


def _mirror_feedback(args: argparse.Namespace) -> int:
    try:
        config = _load(args.config)
    except ConfigError as exc:
        print(f"configuration: {exc}", file=sys.stderr)
        return 2
    if not config.feedback.mirror_sheet:
        print("no mirror: [feedback] mirror_sheet is empty; responses stay in the store", file=sys.stderr)
        return 0
    store = Store(config.database_url)
    try:
        result = mirror_pending(config, store, FeedbackStore(store.engine))
    finally:
        store.close()
    assert result is not None
    print(result.line())
    return 1 if result.failed else 0


def _survey_report(args: argparse.Namespace) -> int:
    try:
        data = read_survey_csv(Path(args.input))
    except SourceUnreadable as exc:
        print(f"cannot read {args.input}: {exc}", file=sys.stderr)
        return 2
    report = survey_report(data, args.lang)
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
        return 0
    for entry in [*report["programs"], {"program": "overall", **report["overall"]}]:
        print(
            f"{entry['program']}: {entry['respondents']} respondents, IKM {entry['ikm']} "
            f"({entry['ikm_converted']}), mutu {entry['mutu']} {entry['kinerja'] or ''}".rstrip()
        )
    for bad in report["rejected"]:
        print(f"line {bad['line']}: {bad['column']} = {bad['value']!r} {bad['reason']}; row left out", file=sys.stderr)
    return 0


T = TypeVar("T")


def _on_store(args: argparse.Namespace, verb: str, action: Callable[[Config], T]) -> T | int:
    """``action`` on the configured store; a configuration or backup error is one line on stderr and exit 2."""
    try:
        return action(_load(args.config))
    except ConfigError as exc:
        print(f"configuration: {exc}", file=sys.stderr)
    except BackupError as exc:
        print(f"{verb} failed: {exc}", file=sys.stderr)
    except OSError as exc:
        # A disk full or a folder without rights: one line, never a traceback.
        print(f"{verb} failed: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr)
    return 2


def _backup(args: argparse.Namespace) -> int:
    """Copy the store to DEST (SQLite: the online backup API; PostgreSQL: pg_dump), then say whether it is sound."""
    done = _on_store(
        args, "backup", lambda config: backup_store(config.database_url, Path(args.dest), force=args.force)
    )
    if isinstance(done, int):
        return done
    written, found = done
    if not found.ok:
        # Written, but not to be trusted: the store it came from is damaged. Keep the previous backup.
        print(f"{written}: written, but DAMAGED: {found.detail}", file=sys.stderr)
        return 1
    print(f"{written}: backup written, integrity ok")
    return 0


def _restore(args: argparse.Namespace) -> int:
    """Put a backup made by ``backup`` back in place of the store. Stop the portal and scheduled syncs first: a
    store in use is refused unless ``--force``."""

    def restore(config: Config) -> int:
        done = restore_store(config.database_url, Path(args.backup), force=args.force)
        if done.set_aside is not None:
            print(f"the previous store was set aside as {done.set_aside}")
        found = check_store(config.database_url)
        print(found.line())
        return 0 if found.ok else 1

    return int(_on_store(args, "restore", restore))


def _contract_doc(_args: argparse.Namespace) -> int:
    sys.stdout.write(render_contract_doc())
    return 0


def _template(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if out.suffix.lower() != ".xlsx":
        print(f"{out}: nama berkas harus berakhiran .xlsx / the file name must end in .xlsx", file=sys.stderr)
        return 2
    if out.exists() and not args.force:
        # The file may be an SKPD's filled workbook: never overwrite it by accident.
        print(f"{out} sudah ada; --force menimpanya / already exists; --force overwrites it", file=sys.stderr)
        return 2
    try:
        written = write_template(out, args.skpd)
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"cannot write {out}: {exc}", file=sys.stderr)
        return 2
    print(written)
    return 0


def _hash_password(args: argparse.Namespace) -> int:
    """Print the ``password_hash = "..."`` line for ``[admin]`` in secrets.toml; the password never touches a file."""
    if args.stdin:
        password = sys.stdin.readline().removesuffix("\n").removesuffix("\r")
    else:
        # getpass: nothing is echoed and nothing lands in the shell history. Prompts go to the
        # terminal, so stdout stays the one line to paste.
        password = getpass.getpass("Kata sandi admin / admin password: ")
        again = getpass.getpass("Ulangi / repeat: ")
        if password != again:
            print("kata sandi tidak sama / the two passwords differ; nothing printed", file=sys.stderr)
            return 1
    if len(password) < MIN_PASSWORD_LENGTH:
        print(
            f"kata sandi terlalu pendek / password too short: at least {MIN_PASSWORD_LENGTH} characters",
            file=sys.stderr,
        )
        return 1
    print(f'password_hash = "{hash_password(password)}"')
    return 0


def _verify(args: argparse.Namespace) -> int:
    """Check the portal's log (data_sources/jobs/verify_log.py, docs/verifikasi.md): verdicts on stdout, a usage
    error on stderr."""
    options = Options(
        source=args.source,
        key=args.key,
        kept=Path(args.kept) if args.kept else None,
        files=[Path(f) for f in args.file],
        index=Path(args.index) if args.index else None,
        save=Path(args.save) if args.save else None,
        lang=args.lang,
    )
    return verify(options, out=print, err=lambda line: print(line, file=sys.stderr))


# Where ``keygen`` writes the signer key when neither --out nor ``[log] key_file`` names a file: the user's own
# configuration folder, outside the repo, the store and anything served.
DEFAULT_KEY_FILE = Path("~/.config/portal-qw/log-signer.key")


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _refused_key_place(config: Config, out: Path) -> str | None:
    """Why ``out`` is no place for the signer key (None: it is one). Never beside the store (a copy of the store, a
    backup, would carry the key that signs for it) nor where files are served (it would be public)."""
    places: list[tuple[Path, str]] = []
    store = sqlite_path(config.database_url)
    if store is not None:
        places.append((store.resolve().parent, "the store's folder"))
    places.append((REPO_ROOT / "data", "the repo's data/ folder"))
    places.append((config.open_data_folder.resolve(), "the open-data folder"))
    places.append((REPO_ROOT / "static", "the app's static/ folder, which is served"))
    for folder, what in places:
        if _inside(out, folder):
            return f"{out} is inside {what} ({folder})"
    return None


def _keygen(args: argparse.Namespace) -> int:
    """Make the transparency log's Ed25519 key pair: the signer key into a new 0600 file, the verifier key printed.

    The signer key is never printed, logged or put in an error message."""
    try:
        config = _load(args.config)
    except ConfigError as exc:
        print(f"configuration: {exc}", file=sys.stderr)
        return 2
    public_url = config.open_data.public_url.strip()
    if not public_url:
        print(
            "isi dulu [open_data] public_url di portal.toml: nama kunci adalah asal (origin) log, dibuat dari alamat "
            "itu / set [open_data] public_url in portal.toml first: the key's name is the log's origin, made from it",
            file=sys.stderr,
        )
        return 2
    out = Path(args.out).expanduser() if args.out else (config.log_key_file or DEFAULT_KEY_FILE.expanduser())
    out = out.absolute().resolve()
    if out.exists() or out.is_symlink():
        # Overwriting would lose the key every published checkpoint was signed with.
        print(
            f"{out} sudah ada; kunci lama tidak ditimpa / already exists; the old key is not overwritten",
            file=sys.stderr,
        )
        return 2
    refused = _refused_key_place(config, out)
    if refused is not None:
        print(f"kunci tidak ditulis di sana / the key is not written there: {refused}", file=sys.stderr)
        return 2
    try:
        origin = origin_for(public_url)
    except NoteError as exc:
        print(f"[open_data] public_url: {exc}", file=sys.stderr)
        return 2
    signer, verifier = generate_key(origin)
    try:
        out.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        # O_EXCL: a file that appeared meanwhile is not overwritten; 0600 from the first byte, whatever the umask.
        descriptor = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="ascii") as file:
            os.fchmod(file.fileno(), 0o600)
            file.write(signer + "\n")
    except OSError as exc:
        print(f"cannot write {out}: {exc.strerror or type(exc).__name__}", file=sys.stderr)
        return 2
    print(f"# kunci penanda tangan ditulis ke / signer key written to {out} (0600; simpan cadangannya / back it up)")
    print(f"# kunci verifikasi, untuk diterbitkan / verifier key, to publish:\n{verifier}")
    print("# baris untuk portal.toml / the line for portal.toml:")
    print(f'[log]\nkey_file = "{out.as_posix()}"')
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m data_sources", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="validate one source and print its report")
    check.add_argument(
        "source", help="a .xlsx workbook, a Google Sheets URL or key, or the name of a configured source"
    )
    check.add_argument("--credentials", help="service-account key file (JSON) to read a private Google Sheet")
    check.add_argument("--locale", default="id_ID", help="locale of a published sheet's text (default id_ID)")
    check.add_argument("--json", action="store_true", help="print exactly one JSON object")
    check.add_argument("--lang", choices=("id", "en"), default="id", help="language of the messages")
    check.add_argument("--config", help="configuration file (default: portal.toml or $PORTAL_CONFIG)")
    check.set_defaults(run=_check)
    sync = sub.add_parser("sync", help="read every configured source into the store")
    sync.add_argument("--config", help="configuration file (default: portal.toml or $PORTAL_CONFIG)")
    sync.set_defaults(run=_sync)
    survey = sub.add_parser("survey-report", help="SKM index (IKM) per program from a CSV of responses")
    survey.add_argument("--input", required=True, help="CSV with program and the nine SKM element columns")
    survey.add_argument("--json", action="store_true", help="print exactly one JSON object")
    survey.add_argument("--lang", choices=("id", "en"), default="id", help="language of the kinerja label")
    survey.set_defaults(run=_survey_report)
    mirror = sub.add_parser("mirror-feedback", help="append waiting feedback responses to the Google Sheet mirror")
    mirror.add_argument("--config", help="configuration file (default: portal.toml or $PORTAL_CONFIG)")
    mirror.set_defaults(run=_mirror_feedback)
    mail = sub.add_parser("send-mail", help="send the e-mail notifications waiting in the outbox ([notify])")
    mail.add_argument("--config", help="configuration file (default: portal.toml or $PORTAL_CONFIG)")
    mail.set_defaults(run=_send_mail)
    template = sub.add_parser("template", help="write the official SKPD workbook (.xlsx) to import into Google Sheets")
    template.add_argument("out", help="the .xlsx file to write, e.g. sheet-disperkim.xlsx")
    template.add_argument("--skpd", help="the SKPD's short name, offered in the skpd column and the instructions")
    template.add_argument("--force", action="store_true", help="overwrite OUT if it exists")
    template.set_defaults(run=_template)
    backup = sub.add_parser("backup", help="copy the store to DEST (SQLite backup API, or pg_dump for PostgreSQL)")
    backup.add_argument(
        "dest", help="the backup file to write (e.g. backups/portal-2026-12-01.sqlite), or a folder for a dated file"
    )
    backup.add_argument("--force", action="store_true", help="overwrite DEST when it exists")
    backup.add_argument("--config", help="configuration file (default: portal.toml or $PORTAL_CONFIG)")
    backup.set_defaults(run=_backup)
    restore = sub.add_parser("restore", help="replace the store with a backup (stop the portal first)")
    restore.add_argument("backup", help="a file written by the backup command")
    restore.add_argument(
        "--force",
        action="store_true",
        help="restore even while a portal or a sync uses the store (read docs/admin.md first)",
    )
    restore.add_argument("--config", help="configuration file (default: portal.toml or $PORTAL_CONFIG)")
    restore.set_defaults(run=_restore)
    keygen = sub.add_parser(
        "keygen", help="make the transparency log's signing key (signer key to a new 0600 file, verifier key printed)"
    )
    keygen.add_argument(
        "--out",
        help=f"the signer key file to write (default: [log] key_file, else {DEFAULT_KEY_FILE}); never overwritten",
    )
    keygen.add_argument("--config", help="configuration file (default: portal.toml or $PORTAL_CONFIG)")
    keygen.set_defaults(run=_keygen)
    doc = sub.add_parser("contract-doc", help="print the sheet contract document (docs/kontrak-sheet.md)")
    doc.set_defaults(run=_contract_doc)
    hashing = sub.add_parser(
        "hash-password", help="print the password_hash line for [admin] in .streamlit/secrets.toml"
    )
    hashing.add_argument(
        "--stdin", action="store_true", help="read the password from the first line of stdin instead of asking twice"
    )
    hashing.set_defaults(run=_hash_password)
    check_log = sub.add_parser(
        "verify", help="check the portal's signed log: signature, every entry, a kept checkpoint, downloaded files"
    )
    check_log.add_argument("source", help="the portal's address (https://...), or a folder saved with --save")
    check_log.add_argument("--key", help="the portal's verifier key (name+hash+key), or a file holding it")
    check_log.add_argument("--kept", help="a checkpoint kept earlier (a file), or a folder saved with --save")
    check_log.add_argument(
        "--file", action="append", default=[], help="a downloaded open-data file to tie to the log (repeatable)"
    )
    check_log.add_argument("--index", help="the index.json the files came with (default: the portal's or the copy's)")
    check_log.add_argument("--save", help="when every check holds, keep the checkpoint and entries in this folder")
    check_log.add_argument("--lang", choices=("id", "en"), default="id", help="language of the answers")
    check_log.set_defaults(run=_verify)
    return p


class _WithoutTraceback(logging.Formatter):
    """The CLI tells what failed and why in one line; the traceback only with ``PORTAL_DEBUG=1``."""

    def format(self, record: logging.LogRecord) -> str:
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            record = logging.makeLogRecord({**record.__dict__, "exc_info": None, "exc_text": None})
            record.msg = f"{record.getMessage()} ({type(error).__name__})"
            record.args = ()
        return super().format(record)


def log_to_stderr() -> None:
    """Warnings and errors of the portal's logger on stderr, for ``python -m data_sources`` (the server has its
    own logging)."""
    portal = logging.getLogger("portal")
    if portal.handlers:
        return
    handler = logging.StreamHandler()
    debug = os.environ.get("PORTAL_DEBUG") == "1"
    handler.setFormatter((logging.Formatter if debug else _WithoutTraceback)("%(levelname)s %(name)s: %(message)s"))
    handler.setLevel(logging.WARNING)
    portal.addHandler(handler)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return int(args.run(args))
