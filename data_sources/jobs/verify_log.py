"""``python -m data_sources verify``: a journalist checks, with only the portal's address (or a copy of its files)
and the verifier key they kept, that the portal did not rewrite what it published (issue 24).

What is checked, in order, each answered in one plain line (Indonesian or English):

1. the current checkpoint (``/log/checkpoint``) is signed by the given verifier key (C2SP signed-note, Ed25519);
2. every entry of the log (``/log/entries``, paged) re-hashes to the signed root (RFC 6962 §2.1), and the portal's
   inclusion proof of the newest entry holds;
3. with ``--kept``: the checkpoint kept earlier is signed by the same key, of the same log, and the current log
   extends it: the portal's consistency proof holds *and* the first entries re-hash to the kept root. When the kept
   copy has the entries too (a folder written by ``--save``), the first entry that differs is named;
4. with ``--file``: each downloaded open-data file's sha256 is the one ``index.json`` lists, the checkpoint
   ``index.json`` names is signed and part of the current log, and each source's snapshot the files were built
   from is the log entry ``index.json`` says (its fields, and the portal's inclusion proof);
5. with ``--save DIR``: when everything holds, the checkpoint, the entries, the key and index.json are written to
   DIR, to be checked against later (``--kept DIR``).

A copy of the portal's files is a folder as ``--save`` writes it (``checkpoint.txt``, ``entries.json``,
``index.json``); with a copy there is no portal to ask for proofs, so they are computed from its entries.

Exit codes: 0 everything holds, 1 something does not (the lines say what), 2 a usage error, an unreadable file or an
unreachable portal. Nothing here trusts the portal: every answer it gives is checked against the signed root.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from core.formatting import date_time
from core.i18n import t
from core.log_leaf import parse_leaf
from core.merkle_tree import inclusion_proof, leaf_hash, root_hash, verify_consistency, verify_inclusion
from core.signed_note import Checkpoint, NoteError, is_verifier_key, open_checkpoint
from data_sources.jobs.publish_open_data import INDEX, URL_PATH

# The files of a saved copy (``--save DIR``; also what ``--kept DIR`` and a copy as SOURCE read).
CHECKPOINT_FILE = "checkpoint.txt"
ENTRIES_FILE = "entries.json"
KEY_FILE = "key.txt"
INDEX_FILE = INDEX
# What /log/entries gives at most per answer; the client pages on, whatever the portal gives.
PAGE = 1000
TIMEOUT_SECONDS = 30.0

OK, FAILED, USAGE = 0, 1, 2


class UsageError(Exception):
    """Exit 2: what was asked cannot be checked at all (a bad argument, an unreadable file, no portal)."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


class ProofRefused(Exception):
    """The portal answered a proof's request with an error: a failed check, with the portal's one-line reason."""


class NoCheckpoint(Exception):
    """The portal publishes no checkpoint (yet): nothing to verify."""


class LogSource(Protocol):
    """Where the log is read: the portal over HTTP, or a copy of its files."""

    where: str

    def checkpoint(self) -> str: ...

    def entries(self, size: int) -> list[tuple[int, bytes]]: ...

    def inclusion(self, index: int, size: int) -> list[bytes] | None:
        """The portal's audit path; None when there is no portal to ask (the caller computes it)."""
        ...

    def consistency(self, old_size: int, new_size: int) -> list[bytes] | None: ...

    def index(self) -> dict[str, Any] | None: ...


# --- reading the portal -----------------------------------------------------------------------------------


def _b64(text: Any) -> bytes:
    if not isinstance(text, str):
        raise ValueError("not a base64 string")
    return base64.b64decode(text, validate=True)


def _entries_from(document: Any) -> list[tuple[int, bytes]]:
    """``{"entries": [{"index": i, "leaf": "<base64>"}, ...]}`` as (index, leaf) pairs; ValueError when it is not."""
    if not isinstance(document, dict) or not isinstance(document.get("entries"), list):
        raise ValueError('not {"entries": [...]}')
    found = []
    for item in document["entries"]:
        if not isinstance(item, dict) or not isinstance(item.get("index"), int):
            raise ValueError("an entry without its index")
        try:
            found.append((item["index"], _b64(item.get("leaf"))))
        except (ValueError, binascii.Error) as exc:
            raise ValueError(f"entry {item['index']}: its leaf is not base64") from exc
    return found


def _hashes_from(document: Any) -> list[bytes]:
    if not isinstance(document, dict) or not isinstance(document.get("hashes"), list):
        raise ValueError('not {"hashes": [...]}')
    try:
        return [_b64(h) for h in document["hashes"]]
    except (ValueError, binascii.Error) as exc:
        raise ValueError("a hash is not base64") from exc


class PortalOverHttp:
    """The portal's /log/ endpoints and its open-data index, at ``base`` (with any path prefix it is served under)."""

    def __init__(self, base: str, lang: str = "id", timeout: float = TIMEOUT_SECONDS) -> None:
        self.base = base.rstrip("/")
        self.where = self.base
        self.lang = lang
        self.timeout = timeout

    def _get(self, path: str, params: dict[str, int] | None = None) -> tuple[int, bytes]:
        url = self.base + path + ("?" + urllib.parse.urlencode(params) if params else "")
        request = urllib.request.Request(url, headers={"User-Agent": "portal-verify/1"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                return answer.status, answer.read()
        except urllib.error.HTTPError as answer:
            # 4xx: the portal's one-line reason, which the caller turns into a finding.
            return answer.code, answer.read()
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", None) or exc
            raise UsageError(t("verify.usage.unreachable", self.lang, url=url, reason=reason)) from exc

    def _json(self, path: str, params: dict[str, int]) -> Any:
        status, body = self._get(path, params)
        if status != 200:
            raise ProofRefused(f"{path} {status}: {_one_line(body)}")
        try:
            return json.loads(body)
        except ValueError as exc:
            raise ProofRefused(f"{path}: not JSON") from exc

    def checkpoint(self) -> str:
        status, body = self._get("/log/checkpoint")
        if status == 404:
            raise NoCheckpoint(_one_line(body))
        if status != 200:
            raise UsageError(t("verify.usage.unreachable", self.lang, url=self.base + "/log/checkpoint", reason=status))
        return body.decode("utf-8", errors="replace")

    def entries(self, size: int) -> list[tuple[int, bytes]]:
        found: list[tuple[int, bytes]] = []
        while len(found) < size:
            try:
                page = _entries_from(self._json("/log/entries", {"start": len(found), "end": size}))
            except ValueError as exc:
                raise ProofRefused(f"/log/entries: {exc}") from exc
            if not page:
                break  # the portal gives no more than it has: the count is then checked
            found += page
        return found

    def inclusion(self, index: int, size: int) -> list[bytes] | None:
        try:
            return _hashes_from(self._json("/log/proof/inclusion", {"index": index, "size": size}))
        except ValueError as exc:
            raise ProofRefused(f"/log/proof/inclusion: {exc}") from exc

    def consistency(self, old_size: int, new_size: int) -> list[bytes] | None:
        try:
            return _hashes_from(self._json("/log/proof/consistency", {"from": old_size, "to": new_size}))
        except ValueError as exc:
            raise ProofRefused(f"/log/proof/consistency: {exc}") from exc

    def index(self) -> dict[str, Any] | None:
        status, body = self._get(f"{URL_PATH}/{INDEX}")
        if status != 200:
            return None
        try:
            document = json.loads(body)
        except ValueError:
            return None
        return document if isinstance(document, dict) else None


class SavedCopy:
    """A folder as ``--save`` writes it: the checkpoint, the entries, the key kept, index.json."""

    def __init__(self, folder: Path, lang: str = "id") -> None:
        self.folder = folder
        self.where = str(folder)
        self.lang = lang

    def checkpoint(self) -> str:
        return _read_text(self.folder / CHECKPOINT_FILE, self.lang)

    def entries(self, size: int) -> list[tuple[int, bytes]]:
        path = self.folder / ENTRIES_FILE
        try:
            return _entries_from(json.loads(_read_text(path, self.lang)))[:size]
        except ValueError as exc:
            raise UsageError(t("verify.usage.unreadable", self.lang, what=path, reason=exc)) from exc

    def has_entries(self) -> bool:
        return (self.folder / ENTRIES_FILE).is_file()

    def inclusion(self, index: int, size: int) -> list[bytes] | None:
        return None

    def consistency(self, old_size: int, new_size: int) -> list[bytes] | None:
        return None

    def index(self) -> dict[str, Any] | None:
        path = self.folder / INDEX_FILE
        return _read_json(path, self.lang) if path.is_file() else None


def _one_line(body: bytes) -> str:
    text = body.decode("utf-8", errors="replace").strip()
    return text.splitlines()[0][:200] if text else "-"


def _read_text(path: Path, lang: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(t("verify.usage.unreadable", lang, what=path, reason=_os_reason(exc))) from exc


def _read_json(path: Path, lang: str) -> dict[str, Any]:
    try:
        document = json.loads(_read_text(path, lang))
    except ValueError as exc:
        raise UsageError(t("verify.usage.unreadable", lang, what=path, reason=exc)) from exc
    if not isinstance(document, dict):
        raise UsageError(t("verify.usage.unreadable", lang, what=path, reason="not a JSON object"))
    return document


def _os_reason(exc: Exception) -> str:
    return getattr(exc, "strerror", None) or type(exc).__name__


# --- the checks --------------------------------------------------------------------------------------------


@dataclass
class Report:
    """The lines told so far and whether each holds; the exit code follows from them."""

    lang: str
    lines: list[tuple[bool, str]] = field(default_factory=list)
    out: Callable[[str], None] = print

    def tell(self, holds: bool, message: str, /, **values: object) -> bool:
        line = t(message, self.lang, **values)
        self.lines.append((holds, line))
        self.out(f"{t('verify.ok' if holds else 'verify.failed', self.lang)}: {line}")
        return holds

    @property
    def holds(self) -> bool:
        return all(ok for ok, _ in self.lines)


@dataclass(frozen=True)
class Options:
    source: str  # the portal's address, or a folder of a saved copy
    key: str | None = None  # the verifier key's text, or a file holding it
    kept: Path | None = None  # a checkpoint file kept earlier, or a folder written by --save
    files: Sequence[Path] = ()
    index: Path | None = None
    save: Path | None = None
    lang: str = "id"


def open_source(source: str, lang: str) -> LogSource:
    if source.startswith(("http://", "https://")):
        return PortalOverHttp(source, lang)
    folder = Path(source)
    if folder.is_dir():
        return SavedCopy(folder, lang)
    raise UsageError(t("verify.usage.source", lang, source=source))


def verifier_key(given: str | None, kept: Path | None, lang: str) -> str:
    """The key's text: given as text or as a file; else the one a kept folder holds (the key trusted back then)."""
    if given is None and kept is not None and (kept / KEY_FILE).is_file():
        given = str(kept / KEY_FILE)
    if not given:
        raise UsageError(t("verify.usage.no_key", lang))
    text = given.strip()
    if not is_verifier_key(text) and Path(given).is_file():
        text = _read_text(Path(given), lang).strip()
    if not is_verifier_key(text):
        raise UsageError(t("verify.usage.bad_key", lang, reason=text[:40] or "-"))
    return text


def describe_leaf(leaf: bytes | None, lang: str) -> str:
    """An entry in words: its source, office, reading time and content hash (or what is wrong with it)."""
    if leaf is None:
        return t("verify.entry.none", lang)
    try:
        fields = parse_leaf(leaf)
    except ValueError:
        return leaf.decode("utf-8", errors="replace")[:160]
    read_at = _moment(fields.read_at)
    when = date_time(read_at, lang) if read_at is not None else str(fields.read_at)
    return t(
        "verify.entry.fields", lang, source=fields.source, skpd=fields.skpd, read_at=when, rows=fields.rows_sha256[:16]
    )


def _moment(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Log:
    """The current log as verified: its checkpoint (note and body), its entries and their leaf hashes."""

    note: str
    checkpoint: Checkpoint
    leaves: list[bytes]
    hashes: list[bytes]


def _current_log(source: LogSource, key: str, report: Report) -> Log | None:
    """Steps 1 and 2: the signature, then every entry against the signed root. None when either fails."""
    try:
        note = source.checkpoint()
    except NoCheckpoint as none:
        report.tell(False, "verify.no_checkpoint", reason=str(none))
        return None
    try:
        checkpoint = open_checkpoint(note, key)
    except NoteError as exc:
        report.tell(False, "verify.signature.bad", signer=_key_name(key), reason=str(exc))
        return None
    report.tell(True, "verify.signature", signer=_key_name(key), origin=checkpoint.origin, size=checkpoint.size)
    try:
        pairs = source.entries(checkpoint.size)
    except ProofRefused as refused:
        report.tell(False, "verify.proof.refused", reason=str(refused))
        return None
    if [i for i, _ in pairs] != list(range(checkpoint.size)):
        report.tell(False, "verify.entries.count", got=len(pairs), size=checkpoint.size)
        return None
    leaves = [leaf for _, leaf in pairs]
    for index, leaf in enumerate(leaves):
        try:
            parse_leaf(leaf)
        except ValueError as exc:
            report.tell(False, "verify.entries.unreadable", index=index, reason=str(exc).splitlines()[0])
            return None
    hashes = [leaf_hash(leaf) for leaf in leaves]
    if root_hash(hashes) != checkpoint.root:
        report.tell(False, "verify.entries.root")
        return None
    report.tell(True, "verify.entries", size=checkpoint.size)
    log = Log(note, checkpoint, leaves, hashes)
    if checkpoint.size:
        newest = checkpoint.size - 1
        if _included(source, log, newest, checkpoint.size, checkpoint.root, report):
            report.tell(True, "verify.inclusion.newest", index=newest)
    return log


def _included(source: LogSource, log: Log, index: int, size: int, root: bytes, report: Report) -> bool:
    """Entry ``index`` is in the tree of ``size`` with ``root``, by the portal's audit path (or one computed from
    the entries when reading a copy). Tells only a failure."""
    try:
        proof = source.inclusion(index, size)
    except ProofRefused as refused:
        return report.tell(False, "verify.proof.refused", reason=str(refused))
    if proof is None:
        proof = inclusion_proof(index, log.hashes[:size])
    if verify_inclusion(index, size, log.hashes[index], proof, root):
        return True
    return report.tell(False, "verify.inclusion.bad", index=index, size=size)


def _key_name(key: str) -> str:
    """The key as people compare it: its name and hash (``name+hash``), not its long base64 part."""
    return "+".join(key.split("+", 2)[:2])


@dataclass(frozen=True)
class Kept:
    """What the journalist kept: a checkpoint note, and perhaps the entries it covered."""

    where: str
    note: str
    leaves: list[bytes] | None


def read_kept(path: Path, lang: str) -> Kept:
    if path.is_dir():
        copy = SavedCopy(path, lang)
        note = copy.checkpoint()
        leaves = [leaf for _, leaf in copy.entries(sys.maxsize)] if copy.has_entries() else None
        return Kept(str(path), note, leaves)
    return Kept(str(path), _read_text(path, lang), None)


def _check_kept(source: LogSource, log: Log, kept: Kept, key: str, report: Report) -> None:
    """Step 3: the kept checkpoint is the same key's, the same log's, and the current log extends it."""
    current = log.checkpoint
    try:
        old = open_checkpoint(kept.note, key)
    except NoteError as exc:
        report.tell(False, "verify.kept.signature.bad", file=kept.where, signer=_key_name(key), reason=str(exc))
        return
    if old.origin != current.origin:
        report.tell(False, "verify.kept.origin", kept=old.origin, origin=current.origin)
        return
    copy = kept.leaves
    if copy is not None and (len(copy) < old.size or root_hash([leaf_hash(x) for x in copy[: old.size]]) != old.root):
        report.tell(False, "verify.kept.copy_bad")
        copy = None
    if old.size > current.size:
        report.tell(False, "verify.kept.shrunk", size=current.size, kept=old.size)
    elif old.size == current.size:
        if old.root == current.root:
            report.tell(True, "verify.kept.same", kept=old.size)
        else:
            report.tell(False, "verify.kept.inconsistent", kept=old.size)
    else:
        _check_consistency(source, log, old, report)
    if copy is not None:
        _compare_copy(copy[: old.size], log.leaves, report)


def _check_consistency(source: LogSource, log: Log, old: Checkpoint, report: Report) -> None:
    """The current log extends ``old`` (smaller): by the portal's consistency proof, which is what a client without
    the entries would rely on, and by the entries themselves, which must re-hash to the kept root. Both must hold."""
    current = log.checkpoint
    try:
        proof = source.consistency(old.size, current.size)
    except ProofRefused as refused:
        report.tell(False, "verify.proof.refused", reason=str(refused))
        return
    if proof is not None and not verify_consistency(old.size, current.size, old.root, current.root, proof):
        report.tell(False, "verify.kept.proof_bad", kept=old.size, size=current.size)
        return
    if root_hash(log.hashes[: old.size]) != old.root:
        report.tell(False, "verify.kept.inconsistent", kept=old.size)
        return
    report.tell(True, "verify.kept.consistent", kept=old.size, size=current.size)


def _compare_copy(kept: list[bytes], now: list[bytes], report: Report) -> None:
    """Entry by entry: the first that differs (or went missing) is named, with what it said then and says now."""
    for index, then in enumerate(kept):
        current = now[index] if index < len(now) else None
        if current != then:
            report.tell(
                False,
                "verify.kept.first_differs",
                index=index,
                kept=describe_leaf(then, report.lang),
                now=describe_leaf(current, report.lang),
            )
            return
    report.tell(True, "verify.kept.copy_same", kept=len(kept))


def _check_files(
    source: LogSource, log: Log, files: Sequence[Path], index: dict[str, Any], key: str, report: Report
) -> None:
    """Step 4: each file is the one index.json lists, and index.json's checkpoint and snapshots are in the log."""
    listed = {f.get("name"): f for f in index.get("files", []) if isinstance(f, dict)}
    for path in files:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise UsageError(t("verify.usage.unreadable", report.lang, what=path, reason=_os_reason(exc))) from exc
        entry = listed.get(path.name)
        if entry is None:
            report.tell(False, "verify.file.unlisted", file=path.name)
            continue
        got = hashlib.sha256(data).hexdigest()
        if got == entry.get("sha256"):
            report.tell(True, "verify.file.hash", file=path.name)
        else:
            report.tell(
                False, "verify.file.hash_bad", file=path.name, got=got[:16], listed=str(entry.get("sha256"))[:16]
            )
    _check_index(source, log, index, key, report)


def _check_index(source: LogSource, log: Log, index: dict[str, Any], key: str, report: Report) -> None:
    named = index.get("log")
    note = named.get("checkpoint") if isinstance(named, dict) else None
    if not isinstance(note, str):
        report.tell(False, "verify.index.no_checkpoint")
        return
    try:
        files_checkpoint = open_checkpoint(note, key)
    except NoteError as exc:
        report.tell(False, "verify.index.signature_bad", signer=_key_name(key), reason=str(exc))
        return
    size = files_checkpoint.size
    current = log.checkpoint
    if (
        files_checkpoint.origin != current.origin
        or size > current.size
        or root_hash(log.hashes[:size]) != files_checkpoint.root
    ):
        report.tell(False, "verify.index.checkpoint_bad", size=size)
        return
    report.tell(True, "verify.index.checkpoint", size=size)
    for listed in index.get("sources", []):
        if not isinstance(listed, dict) or listed.get("snapshot_id") is None:
            continue  # a source never read has no snapshot, and no entry
        name = str(listed.get("name"))
        leaf_index = listed.get("leaf_index")
        if not isinstance(leaf_index, int) or leaf_index < 0:
            report.tell(False, "verify.index.source_missing", source=name)
            continue
        reason = _source_mismatch(listed, leaf_index, size, log, report.lang)
        if reason is None and not _included(source, log, leaf_index, size, files_checkpoint.root, report):
            reason = t("verify.index.reason.proof", report.lang)
        if reason is None:
            report.tell(True, "verify.index.source", source=name, index=leaf_index)
        else:
            report.tell(False, "verify.index.source_bad", source=name, index=leaf_index, reason=reason)


def _source_mismatch(listed: dict[str, Any], leaf_index: int, size: int, log: Log, lang: str) -> str | None:
    """Why entry ``leaf_index`` is not the snapshot index.json describes (its source, office and reading time)."""
    if leaf_index >= size:
        return t("verify.index.reason.beyond", lang, size=size)
    leaf = log.leaves[leaf_index]
    fields = parse_leaf(leaf)
    same = (
        fields.source == listed.get("name")
        and fields.skpd == listed.get("skpd")
        and _moment(fields.read_at) == _moment(listed.get("dibaca_pada"))
    )
    return None if same else t("verify.index.reason.fields", lang, entry=describe_leaf(leaf, lang))


def _entries_document(leaves: Sequence[bytes]) -> dict[str, Any]:
    return {"entries": [{"index": i, "leaf": base64.b64encode(leaf).decode("ascii")} for i, leaf in enumerate(leaves)]}


def save_copy(folder: Path, log: Log, key: str, index: dict[str, Any] | None) -> None:
    """The checkpoint, every entry, the key trusted and index.json, for ``--kept`` later; each file written whole."""
    folder.mkdir(parents=True, exist_ok=True)
    documents = {
        CHECKPOINT_FILE: log.note.encode("utf-8"),
        ENTRIES_FILE: json.dumps(_entries_document(log.leaves), indent=0).encode("utf-8"),
        KEY_FILE: (key + "\n").encode("utf-8"),
    }
    if index is not None:
        documents[INDEX_FILE] = json.dumps(index, ensure_ascii=False, indent=1).encode("utf-8")
    for name, data in documents.items():
        temporary = folder / f".{name}.tmp"
        temporary.write_bytes(data)
        temporary.replace(folder / name)


def verify(options: Options, out: Callable[[str], None] = print, err: Callable[[str], None] = print) -> int:
    """Run the checks, telling each in a line on ``out``; 0 when all hold, 1 when one does not, 2 when they cannot
    be made (the reason on ``err``)."""
    lang = options.lang
    report = Report(lang, out=out)
    try:
        source = open_source(options.source, lang)
        kept_folder = options.kept if options.kept is not None and options.kept.is_dir() else None
        key = verifier_key(options.key, kept_folder, lang)
        kept = read_kept(options.kept, lang) if options.kept is not None else None
        index = _read_json(options.index, lang) if options.index is not None else None
        log = _current_log(source, key, report)
        if log is not None and kept is not None:
            _check_kept(source, log, kept, key, report)
        if log is not None and options.files:
            index = index if index is not None else source.index()
            if index is None:
                raise UsageError(t("verify.usage.no_index", lang))
            _check_files(source, log, options.files, index, key, report)
        if options.save is not None:
            if log is None or not report.holds:
                # A copy kept to check against later must be one that held: never overwrite a good one with it.
                err(t("verify.usage.not_saved", lang))
            else:
                _save(options.save, log, key, index if index is not None else source.index(), lang)
                out(t("verify.saved", lang, folder=options.save))
    except UsageError as error:
        err(error.text)
        return USAGE
    if log is not None and report.holds:
        # Only a kept checkpoint shows that nothing was rewritten; without one, the portal is only consistent today.
        out(t("verify.all_hold" if options.kept is not None else "verify.all_hold_first", lang))
        return OK
    out(t("verify.something_fails", lang))
    return FAILED


def _save(folder: Path, log: Log, key: str, index: dict[str, Any] | None, lang: str) -> None:
    try:
        save_copy(folder, log, key, index)
    except OSError as exc:
        raise UsageError(t("verify.usage.unreadable", lang, what=folder, reason=_os_reason(exc))) from exc
