"""Compression that a client cannot starve (issue #22, item 2): a missing ``/static/`` file is a 404, only real
200s are compressed and kept, and Streamlit's bundles are compressed once however many other names are asked.

Two ways: the edge's middleware in front of Streamlit's own static-files handler, in this process, where the
count of compressions can be read (speed is never asserted as wall time); and a real ``streamlit run app.py``
(``portal_server``) read over HTTP the way the review found the fault.
"""

from __future__ import annotations

import asyncio
import gzip
import http.client
import re
import urllib.error
import urllib.parse
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import brotli
import pytest
from conftest import PortalSetup
from portal_server import PortalServer
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Mount
from streamlit import file_util
from streamlit.web.server.starlette.starlette_static_routes import create_streamlit_static_handler
from test_web_routes import fetch

from server.compression import KEEP, CompressedCopies, TextAssetCompression
from server.conditional import ConditionalRequests
from server.static_assets import StreamlitAssets, asset_names

T = TypeVar("T")
FRONTEND = Path(file_util.get_static_dir())
# More missing names than the copies of other bodies the compression keeps: the review's flood was 260.
FLOOD = KEEP + 44


def _plotly() -> str:
    found = [name for name in asset_names() if name.startswith("js/PlotlyChart.") and name.endswith(".js")]
    assert len(found) == 1, found
    return "/static/" + found[0]


def _edge(copies: CompressedCopies) -> Starlette:
    """The portal's middleware around Streamlit's own static files, mounted at the root as Streamlit mounts it."""
    static = create_streamlit_static_handler(directory=str(FRONTEND), base_url=None)
    middleware = [
        Middleware(ConditionalRequests),
        Middleware(StreamlitAssets),
        Middleware(TextAssetCompression, copies=copies),
    ]
    return Starlette(routes=[Mount("/", app=static)], middleware=middleware)


def _run(coroutine: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run`` in a thread of its own: in ``make test`` the browser tests run first, and Playwright's sync
    API keeps an event loop running in the main thread for the rest of the session."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


async def _get(app: Starlette, path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(k.replace("_", "-").lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 80),
    }
    sent: list[dict] = []
    requested = False

    async def receive() -> dict:
        nonlocal requested
        if not requested:
            requested = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.Event().wait()  # the client stays connected until the response ends
        return {"type": "http.disconnect"}

    async def send(message: dict) -> None:
        sent.append(message)

    await app(scope, receive, send)
    start = sent[0]
    headers_out = {k.decode().lower(): v.decode() for k, v in start["headers"]}
    return start["status"], headers_out, b"".join(m.get("body", b"") for m in sent[1:])


def test_a_flood_of_missing_assets_gets_404s_and_the_plotly_bundle_is_compressed_once() -> None:
    copies = CompressedCopies()
    app = _edge(copies)
    plotly = _plotly()

    async def flood() -> None:
        status, headers, body = await _get(app, plotly, Accept_Encoding="gzip")
        assert status == 200 and headers["content-encoding"] == "gzip"
        assert gzip.decompress(body) == (FRONTEND / plotly.lstrip("/")).read_bytes()
        for n in range(FLOOD):
            status, headers, body = await _get(app, f"/static/js/miss-{n}.js", Accept_Encoding="gzip")
            assert status == 404 and b"<html" not in body.lower(), n
            if n % 50 == 0:  # the bundle asked for again in the middle of the flood
                again = await _get(app, plotly, Accept_Encoding="gzip")
                assert again[0] == 200 and again[2] == body_of_bundle[0]

    body_of_bundle: list[bytes] = []

    async def run() -> None:
        body_of_bundle.append((await _get(app, plotly, Accept_Encoding="gzip"))[2])
        await flood()

    _run(run())
    assert copies.compressions[plotly] == 1
    assert not [path for path in copies.compressions if "miss-" in path]  # nothing missing was compressed or kept


def test_the_bundles_outlast_any_number_of_other_kept_copies() -> None:
    """Other addresses (pictures, the feed, the open-data files) churn the LRU; the immutable bundles stay."""
    copies = CompressedCopies(keep=4)
    app = _edge(copies)
    plotly = _plotly()
    pages = [f"/static/{name}" for name in sorted(asset_names()) if name.startswith("css/")][:1]

    async def run() -> None:
        await _get(app, plotly, Accept_Encoding="gzip")
        for n in range(20):  # an app route's many bodies with validators, kept in the small LRU
            copies.make((f"/grafik/peta.svg/{n}", f'"{n}"'), b"<svg/>" * 400, lasting=False)
        for path in [plotly, *pages]:
            assert (await _get(app, path, Accept_Encoding="gzip"))[0] == 200

    _run(run())
    assert copies.compressions[plotly] == 1


def test_readers_asking_for_the_same_bundle_at_once_wait_for_one_compression() -> None:
    copies = CompressedCopies()
    app = _edge(copies)
    plotly = _plotly()

    async def run() -> list[tuple[int, dict[str, str], bytes]]:
        return await asyncio.gather(*(_get(app, plotly, Accept_Encoding="gzip") for _ in range(4)))

    answers = _run(run())
    assert {status for status, _, _ in answers} == {200} and len({body for _, _, body in answers}) == 1
    assert copies.compressions[plotly] == 1


@pytest.mark.parametrize(
    "path",
    [
        "/static/js/../../index.html",
        "/static/../index.html",
        "/static/js/%2e%2e/%2e%2e/index.html",
        "/static/js/..%2f..%2findex.html",
        "/static/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc/passwd",
        "/static/",
        "/static/js",
    ],
)
def test_no_spelling_of_a_path_under_static_reaches_another_file(portal_server: PortalServer, path: str) -> None:
    url = urllib.parse.urlsplit(portal_server.url)
    connection = http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port, timeout=30)
    connection.request("GET", path)  # sent as written: urllib would resolve the dots first
    response = connection.getresponse()
    body = response.read()
    connection.close()
    assert response.status in (400, 404), (path, response.status)
    assert b"<html" not in body.lower() and b"root:" not in body


def test_missing_assets_are_404s_over_http_and_the_real_bundle_is_still_compressed(
    portal_server: PortalServer,
) -> None:
    plotly = portal_server.url + _plotly()
    _, first_headers, first = fetch(plotly, Accept_Encoding="gzip")
    for n in range(FLOOD):
        with pytest.raises(urllib.error.HTTPError) as missing:
            fetch(f"{portal_server.url}/static/js/miss-{n}.js", Accept_Encoding="gzip")
        assert missing.value.code == 404 and "content-encoding" not in missing.value.headers
        assert b"<html" not in missing.value.read().lower()
    status, headers, again = fetch(plotly, Accept_Encoding="gzip")
    assert status == 200 and headers["content-encoding"] == "gzip" and again == first
    assert headers["etag"] == first_headers["etag"] and "immutable" in headers["cache-control"]


def test_a_page_s_own_address_still_loads_the_app(portal_server: PortalServer) -> None:
    """The plain 404 is for /static/ only: a page's own address loads the app, and an address nothing serves gets
    the portal's own 404 page (server.not_found, issue 25), never Streamlit's page with a 200."""
    status, _, body = fetch(portal_server.url + "/peta")
    assert status == 200 and b'<div id="root">' in body
    with pytest.raises(urllib.error.HTTPError) as missing:
        fetch(portal_server.url + "/halaman-yang-tidak-ada")
    assert missing.value.code == 404 and b"Halaman tidak ditemukan" in missing.value.read()


def test_under_a_base_path_only_what_the_mount_would_fall_back_for_gets_the_404_page(
    sample_portal: PortalSetup,
) -> None:
    """server.not_found asks the routes as the router would, the mount's file names under its own path: with
    Streamlit's frontend mounted at ``/portal`` (``server.baseUrlPath``), a file there and a route answer as ever."""
    from starlette.requests import Request
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route

    from server.not_found import STATIC_MOUNT, UnknownPaths

    def page(request: Request) -> PlainTextResponse:
        return PlainTextResponse("peta")

    static = create_streamlit_static_handler(directory=str(FRONTEND), base_url="portal")
    routes = [Route("/portal/peta", page), Mount("/portal", app=static, name=STATIC_MOUNT)]
    app = Starlette(routes=routes, middleware=[Middleware(UnknownPaths)])

    async def answers() -> list[tuple[int, dict[str, str], bytes]]:
        paths = ["/portal/peta", "/portal/favicon.png", "/portal/nope", "/portal/index.html", "/elsewhere"]
        return [await _get(app, path) for path in paths]

    peta, favicon, nope, shell, elsewhere = _run(answers())
    assert (peta[0], peta[2]) == (200, b"peta")
    assert favicon[0] == 200 and favicon[1]["content-type"] == "image/png"
    for status, headers, body in (nope, shell, elsewhere):
        assert status == 404 and headers["x-robots-tag"] == "noindex" and b"Halaman tidak ditemukan" in body


def _main_bundle() -> str:
    """Streamlit's own bundle, the one its page shell starts."""
    shell = (FRONTEND / "index.html").read_text(encoding="utf-8")
    found = re.search(r'src="\./(static/js/index\.[^"]+\.js)"', shell)
    assert found is not None
    return "/" + found.group(1)


def test_a_reader_who_takes_brotli_gets_a_bundle_s_brotli_copy_once_made_in_the_background() -> None:
    copies = CompressedCopies()
    app = _edge(copies)
    bundle = _main_bundle()
    plain = (FRONTEND / bundle.lstrip("/")).read_bytes()
    browser = "gzip, deflate, br, zstd"

    async def first() -> tuple[int, dict[str, str], bytes]:
        return await _get(app, bundle, Accept_Encoding=browser)

    # Until the copy is made, the gzip one: no reader waits for quality 11.
    status, headers, body = _run(first())
    assert status == 200 and headers["content-encoding"] in ("gzip", "br")
    assert copies.wait_brotli(bundle, timeout=60), "the Brotli copy was not made"

    async def later() -> dict[str, tuple[int, dict[str, str], bytes]]:
        asked = {"browser": browser, "gzip": "gzip", "no br": "br;q=0, gzip", "plain": "identity"}
        return {name: await _get(app, bundle, Accept_Encoding=header) for name, header in asked.items()}

    answers = _run(later())
    status, headers, body = answers["browser"]
    assert status == 200 and headers["content-encoding"] == "br" and brotli.decompress(body) == plain
    assert int(headers["content-length"]) == len(body) < len(answers["gzip"][2])
    assert headers["etag"].endswith('-br"') and "Accept-Encoding" in headers["vary"]
    assert "immutable" in headers["cache-control"]
    for name in ("gzip", "no br"):
        assert answers[name][1]["content-encoding"] == "gzip" and gzip.decompress(answers[name][2]) == plain, name
    assert "content-encoding" not in answers["plain"][1] and answers["plain"][2] == plain
    assert copies.brotli_compressions[bundle] == 1 and copies.compressions[bundle] == 1

    # A reader holding any coding's tag has the data: a 304, whichever coding it asks for now.
    async def conditional() -> list[int]:
        tags = [headers["etag"], answers["gzip"][1]["etag"]]
        return [(await _get(app, bundle, Accept_Encoding=browser, If_None_Match=tag))[0] for tag in tags]

    assert _run(conditional()) == [304, 304]
