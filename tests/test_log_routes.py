"""``/log/…`` over real HTTP on a running portal whose store a real sync filled (issue 24): the signed checkpoint,
the verifier key, the entries and the RFC 6962 proofs, each checked with the pure verifiers of ``core``, and every
bad parameter refused in one line. Also what the log adds elsewhere: ``index.json``, the Atom feed and /tentang.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from xml.etree import ElementTree

import pytest
from builders import capaian, validate, workbook
from http_answer import fetch
from log_support import ORIGIN, PUBLIC_URL, LogPortal, log_portal, next_sync, write_key
from lxml import etree
from portal_server import PortalServer, running_portal

from core.atom_feed import CHECKPOINT_NS
from core.log_leaf import parse_leaf
from core.merkle_tree import leaf_hash, root_hash, verify_consistency, verify_inclusion
from core.signed_note import open_checkpoint
from data_sources.jobs.verify_log import Options, verify
from data_sources.published.stored_history import snapshot_ids
from data_sources.store.snapshot_store import Store

ATOM = "{http://www.w3.org/2005/Atom}"
SCHEMA = etree.RelaxNG(etree.parse(str(Path(__file__).with_name("atom.rng"))))


def fetch_json(url: str) -> dict:
    status, headers, body = fetch(url)
    assert status == 200 and headers["content-type"] == "application/json", (status, body)
    return json.loads(body)


@pytest.fixture(scope="module")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LogPortal]:
    with log_portal(tmp_path_factory.mktemp("log-routes")) as running:
        yield running


def all_entries(portal: LogPortal, size: int) -> list[bytes]:
    leaves: list[bytes] = []
    while len(leaves) < size:
        page = fetch_json(f"{portal.url}/log/entries?start={len(leaves)}&end={size}")["entries"]
        assert [e["index"] for e in page] == list(range(len(leaves), len(leaves) + len(page)))
        leaves += [base64.b64decode(e["leaf"]) for e in page]
    return leaves


def hashes_of(document: dict) -> list[bytes]:
    return [base64.b64decode(h) for h in document["hashes"]]


# --- the checkpoint and the key --------------------------------------------------------------------------


def test_the_checkpoint_is_signed_by_the_key_at_log_key_and_covers_every_snapshot(portal: LogPortal) -> None:
    status, headers, body = fetch(portal.url + "/log/checkpoint")
    assert status == 200 and headers["content-type"] == "text/plain; charset=utf-8"
    assert headers["cache-control"] == "public, max-age=60" and headers["etag"]
    key_status, key_headers, key = fetch(portal.url + "/log/key")
    assert key_status == 200 and key_headers["content-type"] == "text/plain; charset=utf-8"
    assert key.decode("ascii").strip() == portal.verifier
    checkpoint = open_checkpoint(body.decode("utf-8"), portal.verifier)
    assert checkpoint.origin == ORIGIN == "portal.example.go.id/log"
    assert checkpoint.size == len(snapshot_ids(portal.store)) > 6  # the sample's history, then the first sync


def test_the_checkpoint_answers_a_reader_who_has_it_with_a_304(portal: LogPortal) -> None:
    _, headers, _ = fetch(portal.url + "/log/checkpoint")
    status, again, body = fetch(portal.url + "/log/checkpoint", If_None_Match=headers["etag"])
    assert status == 304 and body == b"" and again["etag"] == headers["etag"]


def test_the_signer_key_is_never_served(portal: LogPortal) -> None:
    secret = portal.signer.split("+", 4)[4]  # PRIVATE+KEY+name+hash+key
    assert len(secret) > 40
    for path in ("/log/key", "/log/checkpoint", "/tentang", "/tentang?lang=en", "/log/entries?start=0&end=5"):
        _, _, body = fetch(portal.url + path)
        assert secret.encode() not in body and b"PRIVATE+KEY" not in body, path


# --- the entries ---------------------------------------------------------------------------------------------


def test_every_entry_re_hashes_to_the_signed_root_and_names_its_snapshot(portal: LogPortal) -> None:
    checkpoint = open_checkpoint(fetch(portal.url + "/log/checkpoint")[2].decode(), portal.verifier)
    leaves = all_entries(portal, checkpoint.size)
    assert root_hash([leaf_hash(leaf) for leaf in leaves]) == checkpoint.root
    sources = {parse_leaf(leaf).source for leaf in leaves}
    assert sources == {s.name for s in portal.config.sources}


def test_a_page_is_cut_at_the_signed_size_and_kept_a_minute_a_whole_page_a_year(portal: LogPortal) -> None:
    size = portal.store.log.latest_checkpoint().size  # type: ignore[union-attr]
    status, headers, body = fetch(f"{portal.url}/log/entries?start=1&end={size + 50}")
    entries = json.loads(body)["entries"]
    assert status == 200 and [e["index"] for e in entries] == list(range(1, size))
    assert headers["cache-control"] == "public, max-age=60"
    status, headers, body = fetch(f"{portal.url}/log/entries?start=1&end=3")
    assert [e["index"] for e in json.loads(body)["entries"]] == [1, 2]
    # Below a signed checkpoint nothing ever changes; no `immutable`: compression keeps those by path alone.
    assert headers["cache-control"] == "public, max-age=31536000"


def test_entries_are_sent_gzipped_with_their_own_tag(portal: LogPortal) -> None:
    size = portal.store.log.latest_checkpoint().size  # type: ignore[union-attr]
    url = f"{portal.url}/log/entries?start=0&end={size}"
    _, plain_headers, plain = fetch(url)
    _, headers, compressed = fetch(url, Accept_Encoding="gzip")
    assert headers["content-encoding"] == "gzip" and gzip.decompress(compressed) == plain
    assert headers["etag"] != plain_headers["etag"]
    # Another range at the same path is another answer, never a copy kept for the first one.
    _, headers, other = fetch(f"{portal.url}/log/entries?start=1&end={size}", Accept_Encoding="gzip")
    other = gzip.decompress(other) if headers.get("content-encoding") == "gzip" else other
    assert [e["index"] for e in json.loads(other)["entries"]] == list(range(1, size))


# --- the proofs ----------------------------------------------------------------------------------------------


def test_every_inclusion_proof_holds_in_every_tree_up_to_the_signed_one(portal: LogPortal) -> None:
    checkpoint = portal.store.log.latest_checkpoint()
    assert checkpoint is not None
    hashes = portal.store.log.leaf_hashes(checkpoint.size)
    for size in range(1, checkpoint.size + 1):
        root = root_hash(hashes[:size])
        for index in range(size):
            proof = fetch_json(f"{portal.url}/log/proof/inclusion?index={index}&size={size}")
            assert (proof["index"], proof["size"]) == (index, size)
            assert verify_inclusion(index, size, hashes[index], hashes_of(proof), root), (index, size)
            assert not verify_inclusion(index, size, hashes[(index + 1) % size], hashes_of(proof), root) or size == 1


def test_every_consistency_proof_holds_and_proves_nothing_for_another_root(portal: LogPortal) -> None:
    checkpoint = portal.store.log.latest_checkpoint()
    assert checkpoint is not None
    hashes = portal.store.log.leaf_hashes(checkpoint.size)
    for new in range(1, checkpoint.size + 1):
        for old in range(1, new + 1):
            proof = fetch_json(f"{portal.url}/log/proof/consistency?from={old}&to={new}")
            assert (proof["from"], proof["to"]) == (old, new)
            old_root, new_root = root_hash(hashes[:old]), root_hash(hashes[:new])
            assert verify_consistency(old, new, old_root, new_root, hashes_of(proof)), (old, new)
            if old < new:
                forged = hashlib.sha256(b"another history").digest()
                assert not verify_consistency(old, new, forged, new_root, hashes_of(proof))


def test_a_later_sync_grows_the_log_and_its_proof_extends_the_older_checkpoint(portal: LogPortal) -> None:
    before = open_checkpoint(fetch(portal.url + "/log/checkpoint")[2].decode(), portal.verifier)
    size = next_sync(portal)
    after = open_checkpoint(fetch(portal.url + "/log/checkpoint")[2].decode(), portal.verifier)
    assert after.size == size == before.size + 1
    newest = parse_leaf(all_entries(portal, after.size)[-1])
    assert newest.source == "diskop"
    proof = fetch_json(f"{portal.url}/log/proof/consistency?from={before.size}&to={after.size}")
    assert verify_consistency(before.size, after.size, before.root, after.root, hashes_of(proof))


# --- what is refused ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ("/log/entries", "missing parameter start"),
        ("/log/entries?start=0", "missing parameter end"),
        ("/log/entries?start=a&end=3", "start must be a whole number"),
        ("/log/entries?start=-1&end=3", "start must be a whole number"),
        ("/log/entries?start=%2B1&end=3", "start must be a whole number"),
        ("/log/entries?start=1e3&end=3", "start must be a whole number"),
        ("/log/entries?start=0&end=99999999999999999999", "end must be a whole number"),
        ("/log/entries?start=3&end=3", "end (3) must be greater than start (3)"),
        ("/log/entries?start=5000&end=5001", "start (5000) is beyond the signed log"),
        ("/log/proof/inclusion?index=0", "missing parameter size"),
        ("/log/proof/inclusion?index=0&size=0", "size (0) must be from 1"),
        ("/log/proof/inclusion?index=0&size=5000", "size (5000) must be from 1"),
        ("/log/proof/inclusion?index=3&size=3", "index (3) must be below size (3)"),
        ("/log/proof/consistency?from=1", "missing parameter to"),
        ("/log/proof/consistency?from=0&to=3", "from (0) must be from 1 to to (3)"),
        ("/log/proof/consistency?from=4&to=3", "from (4) must be from 1 to to (3)"),
        ("/log/proof/consistency?from=1&to=5000", "to (5000) must be from 1"),
    ],
)
def test_a_bad_parameter_is_a_400_with_one_line_saying_why(portal: LogPortal, query: str, said: str) -> None:
    status, headers, body = fetch(portal.url + query)
    text = body.decode("utf-8")
    assert status == 400 and headers["content-type"].startswith("text/plain"), (status, text)
    assert said in text and text.count("\n") == 1 and "Traceback" not in text, text
    assert headers["x-content-type-options"] == "nosniff"  # the security headers are on every answer


def test_an_unknown_address_under_log_is_the_portal_s_404_page(portal: LogPortal) -> None:
    status, headers, body = fetch(portal.url + "/log/nothing-here")
    assert status == 404 and headers["content-type"].startswith("text/html") and b"<html" in body.lower()


def test_a_portal_without_a_key_says_it_publishes_no_checkpoint(portal_server: PortalServer) -> None:
    for path in ("/log/checkpoint", "/log/key", "/log/entries?start=0&end=1", "/log/proof/inclusion?index=0&size=1"):
        status, headers, body = fetch(portal_server.url + path)
        text = body.decode("utf-8")
        assert status == 404 and headers["content-type"].startswith("text/plain"), (path, status)
        assert text.count("\n") == 1 and ("not signed" in text or "no signed checkpoint" in text), text


# --- where else the log shows ----------------------------------------------------------------------------------


def test_index_json_names_the_signed_checkpoint_and_each_source_s_entry(portal: LogPortal) -> None:
    index = json.loads((portal.open_data / "index.json").read_text(encoding="utf-8"))
    log = index["log"]
    checkpoint = open_checkpoint(log["checkpoint"], portal.verifier)
    assert (log["origin"], log["size"], base64.b64decode(log["root"])) == (
        checkpoint.origin,
        checkpoint.size,
        checkpoint.root,
    )
    assert log["url"] == "/log/checkpoint"
    hashes = portal.store.log.leaf_hashes(checkpoint.size)
    leaves = all_entries(portal, checkpoint.size)
    for source in index["sources"]:
        leaf_index = source["leaf_index"]
        assert leaf_index == portal.store.log.leaf_index_of(source["snapshot_id"])
        assert parse_leaf(leaves[leaf_index]).source == source["name"]
        proof = fetch_json(f"{portal.url}/log/proof/inclusion?index={leaf_index}&size={checkpoint.size}")
        assert verify_inclusion(leaf_index, checkpoint.size, hashes[leaf_index], hashes_of(proof), checkpoint.root)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_atom_entry_carries_the_checkpoint_of_its_sync_and_stays_valid_atom(portal: LogPortal, lang: str) -> None:
    status, _, body = fetch(portal.url + "/riwayat.atom" + ("?lang=en" if lang == "en" else ""))
    assert status == 200
    assert SCHEMA.validate(etree.fromstring(body)), SCHEMA.error_log
    checkpoints = portal.store.log.checkpoints()
    entries = ElementTree.fromstring(body).findall(f"{ATOM}entry")
    assert entries
    for entry in entries:
        snapshot_id = int((entry.findtext(f"{ATOM}id") or "").rsplit("/", 1)[1])
        index = portal.store.log.leaf_index_of(snapshot_id)
        assert index is not None
        line = entry.findtext(f"{{{CHECKPOINT_NS}}}checkpoint") or ""
        origin, size, root = line.split(" ")
        signed = next(c for c in checkpoints if c.size > index)  # the first checkpoint that holds the entry
        assert (origin, int(size), base64.b64decode(root)) == (ORIGIN, signed.size, signed.root)
        assert line in (entry.findtext(f"{ATOM}content") or "")  # told to people too


@pytest.mark.parametrize(("lang", "said"), [("id", "Kunci verifikasi portal"), ("en", "The portal's verifier key")])
def test_the_about_page_shows_the_verifier_key(portal: LogPortal, lang: str, said: str) -> None:
    status, _, body = fetch(portal.url + "/tentang" + ("?lang=en" if lang == "en" else ""))
    page = body.decode("utf-8")
    assert status == 200 and said in page and portal.verifier in page


@pytest.mark.parametrize(("lang", "said"), [("id", "Checkpoint belum ditandatangani"), ("en", "not signed yet")])
def test_the_about_page_of_a_portal_without_a_key_says_checkpoints_are_not_signed(
    portal_server: PortalServer, lang: str, said: str
) -> None:
    status, _, body = fetch(portal_server.url + "/tentang" + ("?lang=en" if lang == "en" else ""))
    assert status == 200 and said in body.decode("utf-8")


# --- a log longer than one answer ----------------------------------------------------------------------------

LONG = 1003  # more than one answer's MAX_ENTRIES


@pytest.fixture(scope="module")
def long_log(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """A portal whose store holds 1,003 snapshots of one office's sheet, each a real validated workbook saved as a
    sync saves it; the portal signs a checkpoint over them when it starts. (Its address, its verifier key.)"""
    folder = tmp_path_factory.mktemp("long-log")
    key_file, _, verifier = write_key(folder / "keys")
    portal_folder = folder / "portal"
    portal_folder.mkdir()
    store = Store(f"sqlite:///{(portal_folder / 'portal.sqlite').as_posix()}")
    read = datetime(2024, 1, 1, tzinfo=UTC)
    for number in range(LONG):
        result = validate(workbook(capaians=[capaian(keterangan=f"laporan {number}")]))
        assert store.save("panjang", result, read + timedelta(hours=number))[0] == "new"
    store.close()
    overrides = {"open_data": {"public_url": PUBLIC_URL}, "log": {"key_file": key_file.as_posix()}}
    with running_portal(portal_folder, overrides) as server:
        # The start-up check signs the pending checkpoint in the background (it reads every snapshot's rows, and no
        # reader's first page waits for it): until then /log/checkpoint says there is none yet.
        deadline = time.monotonic() + 120
        while fetch(server.url + "/log/checkpoint")[0] == 404 and time.monotonic() < deadline:
            time.sleep(0.2)
        yield server.url, verifier


def test_an_answer_holds_at_most_1000_entries_and_the_client_pages_on(long_log: tuple[str, str]) -> None:
    url, verifier = long_log
    checkpoint = open_checkpoint(fetch(url + "/log/checkpoint")[2].decode(), verifier)
    assert checkpoint.size == LONG
    status, headers, body = fetch(f"{url}/log/entries?start=0&end={LONG}")
    first = json.loads(body)["entries"]
    assert status == 200 and [e["index"] for e in first] == list(range(1000))
    # Cut by the cap, not by the log's size: the same 1,000 entries for good.
    assert headers["cache-control"] == "public, max-age=31536000"
    rest = json.loads(fetch(f"{url}/log/entries?start=1000&end={LONG + 10}")[2])["entries"]
    assert [e["index"] for e in rest] == [1000, 1001, 1002]
    leaves = [base64.b64decode(e["leaf"]) for e in first + rest]
    assert root_hash([leaf_hash(leaf) for leaf in leaves]) == checkpoint.root


def test_verify_pages_through_a_log_longer_than_one_answer(long_log: tuple[str, str]) -> None:
    url, verifier = long_log
    lines: list[str] = []
    assert verify(Options(url, key=verifier, lang="en"), out=lines.append, err=lines.append) == 0, lines
    assert f"All {LONG} entries of the log re-hash to the signed root hash." in "\n".join(lines)
