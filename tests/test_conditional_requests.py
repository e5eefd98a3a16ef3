"""HTTP by the RFC on a real ``streamlit run app.py`` (issue #22, item 4): ``Accept-Encoding`` with weights and
names in any case, ``If-None-Match`` with lists, weak tags, ``*`` and the gzip copy's tag, 304s that carry the
Cache-Control and ETag of their 200, and the icon font's validator. Each case is one the review found wrong.
"""

from __future__ import annotations

import gzip
import urllib.error

import brotli
import pytest
from http_answer import brotli_answer
from portal_server import PortalServer
from test_web_routes import _main_bundle, fetch

from server.icon_font import font_path


def _not_modified(url: str, **headers: str) -> dict[str, str]:
    """The headers of the 304 ``url`` answers with ``headers``; fails when it answers anything else."""
    with pytest.raises(urllib.error.HTTPError) as answer:
        fetch(url, **headers)
    assert answer.value.code == 304, (url, headers, answer.value.code)
    assert answer.value.read() == b""
    return {k.lower(): v for k, v in answer.value.headers.items()}


DECODE = {None: lambda body: body, "gzip": gzip.decompress, "br": brotli.decompress}


@pytest.mark.parametrize(
    ("accept_encoding", "coding"),
    [
        ("gzip;q=0, identity", None),
        ("nogzip", None),
        ("identity", None),
        ("br;q=0, gzip;q=0, identity", None),
        ("GZIP", "gzip"),
        ("x-gzip;q=0.5", "gzip"),
        ("br;q=0.5, gzip", "gzip"),  # the reader prefers gzip
        ("*", "br"),
        ("BR", "br"),
        ("gzip, deflate, br, zstd", "br"),
        ("deflate, gzip;q=1.0, *;q=0.5", "gzip"),
    ],
)
def test_accept_encoding_is_read_by_its_weights_and_in_any_case(
    portal_server: PortalServer, accept_encoding: str, coding: str | None
) -> None:
    bundle = _main_bundle(portal_server)
    _, _, plain = fetch(bundle)
    assert brotli_answer(bundle)[1].get("content-encoding") == "br"  # the bundle's Brotli copy is made
    status, headers, body = fetch(bundle, Accept_Encoding=accept_encoding)
    assert status == 200 and headers.get("content-encoding") == coding
    assert DECODE[coding](body) == plain
    assert "Accept-Encoding" in headers["vary"]  # the plain answer too: it depends on the header


def test_a_bundle_s_304_carries_the_cache_control_etag_and_vary_of_its_200(portal_server: PortalServer) -> None:
    bundle = _main_bundle(portal_server)
    _, plain, _ = fetch(bundle)
    _, zipped, _ = fetch(bundle, Accept_Encoding="gzip")
    tag, zipped_tag = plain["etag"], zipped["etag"]
    weak = "W/" + tag
    for held in (tag, zipped_tag, weak, f'"other", {zipped_tag}', f'W/"x", {weak}, "y"', "*"):
        for sent, asked in ((plain, {}), (zipped, {"Accept_Encoding": "gzip"})):
            headers = _not_modified(bundle, If_None_Match=held, **asked)
            assert headers["etag"] == sent["etag"], held  # the tag of what this reader would have got
            assert headers["cache-control"] == sent["cache-control"] and "immutable" in headers["cache-control"]
            assert headers.get("vary") == sent.get("vary")
    status, _, _ = fetch(bundle, If_None_Match='"other", W/"another"')
    assert status == 200


def test_if_modified_since_gets_the_same_304_and_if_none_match_wins_over_it(portal_server: PortalServer) -> None:
    bundle = _main_bundle(portal_server)
    _, plain, _ = fetch(bundle)
    headers = _not_modified(bundle, If_Modified_Since=plain["last-modified"])
    assert "immutable" in headers["cache-control"] and headers["etag"] == plain["etag"]
    status, _, _ = fetch(bundle, If_Modified_Since=plain["last-modified"], If_None_Match='"other"')
    assert status == 200  # RFC 9110 §13.1.3: If-Modified-Since is ignored when If-None-Match is there


def test_a_picture_s_304_carries_its_cache_control_and_the_gzip_copy_s_tag(portal_server: PortalServer) -> None:
    url = portal_server.url + "/grafik/kemajuan.svg?lang=en"
    _, plain, _ = fetch(url)
    _, zipped, _ = fetch(url, Accept_Encoding="gzip")
    assert zipped["etag"] != plain["etag"]
    for held in (zipped["etag"], "W/" + plain["etag"], f'"nope", {plain["etag"]}', "*"):
        headers = _not_modified(url, If_None_Match=held, Accept_Encoding="gzip")
        assert headers["etag"] == zipped["etag"] and headers["cache-control"] == zipped["cache-control"]
        assert "Accept-Encoding" in headers["vary"]


def test_the_icon_font_has_a_validator_and_answers_a_conditional_request(portal_server: PortalServer) -> None:
    path = font_path()
    assert path is not None
    url = portal_server.url + path
    status, headers, _ = fetch(url)
    assert status == 200 and headers["etag"].startswith('"')
    for held in (headers["etag"], "W/" + headers["etag"], "*"):
        not_modified = _not_modified(url, If_None_Match=held)
        assert not_modified["etag"] == headers["etag"] and not_modified["cache-control"] == headers["cache-control"]
    assert fetch(url, If_None_Match='"another-cut"')[0] == 200
