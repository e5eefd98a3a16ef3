"""Two Streamlit replicas behind nginx on one PostgreSQL, run for real on this machine.

What deploy/ describes, on loopback ports: a throwaway PostgreSQL cluster, two ``streamlit run app.py``
replicas with ``DATABASE_URL`` pointing at it, and nginx with deploy/nginx/portal.conf (ports and paths
replaced) in front. The survey is filled in a real browser (Playwright driving Debian's chromium) through
nginx, so the sticky upstream, the websocket upgrade on /_stcore/stream and X-Real-IP are all exercised.

The tests share one deployment and pass alone (``-k``) or in any order: first start (two replicas of the
test's own find an empty store of its own and try to sync at once; one does), nginx's own files and health,
the server report kept from the public, a response through one replica read on the other, then one replica
stopped with SIGTERM while responses are submitted through it (and started again on its port after).
"""

from __future__ import annotations

import contextlib
import gzip
import http.client
import json
import os
import queue
import re
import signal
import ssl
import subprocess
import sys
import threading
import time
import tomllib
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pytest
import sqlalchemy as sa
from playwright.sync_api import Browser, Page, expect, sync_playwright
from replicas_support import REPO, Cluster, Nginx, nginx, postgres_cluster
from servers import free_port, stop, wait_healthy
from sheets_emulator import SheetsEmulator
from store_queries import snapshot_count

from core.questionnaire import parse_questionnaire
from data_sources.config.portal_config import load_config
from data_sources.store.feedback_store import FeedbackStore, responses
from data_sources.store.snapshot_store import Store, sync_runs

# Starts PostgreSQL, nginx and several portal processes (make test-fast leaves these out; make test runs them).
pytestmark = pytest.mark.replicas

QUESTIONNAIRE = parse_questionnaire(tomllib.loads((REPO / "kuesioner.toml").read_text(encoding="utf-8")))
GENERAL_NAME = QUESTIONNAIRE.general_program.get("id")
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"]
TIMEOUT_MS = 60_000
ARTIFACTS = REPO / "test-artifacts" / "screenshots"
T = TypeVar("T")
# The source published through the Sheets emulator (its worksheets have the exact titles a published
# export needs; dpmptsp's sample carries alias titles).
PUBLISHED = "disdik"
RESPONSE_ID = re.compile(r"QW-[0-9A-Z]{4}-[0-9A-Z]{4}")


def write_config(folder: Path, published_key: str) -> Path:
    """The repo's sources: PUBLISHED through the Sheets emulator (slow to answer at first start),
    the other five sample workbooks by absolute path, not marked sample (so no sample history is seeded: one
    sync records one run per source); open data into ``folder``/static/data, which nginx serves; feedback as
    behind nginx (address from X-Real-IP), with limits a test can submit under."""
    data = tomllib.loads((REPO / "portal.toml").read_text(encoding="utf-8"))
    lines = [
        "[store]",
        f"path = {json.dumps((folder / 'unused.sqlite').as_posix())}",  # DATABASE_URL wins
        "[sync]",
        "interval_minutes = 600",
        "[feedback]",
        # A browser fills the form within a second now that pages answer in milliseconds; the too-fast rule has
        # its own tests (test_feedback_rules, test_feedback_page), and here it only made submissions flaky.
        "min_seconds = 0",
        "per_session_per_hour = 100",
        "per_address_per_hour = 1000",
        "unknown_address_per_hour = 1000",
        'client_address_header = "X-Real-IP"',
        "[open_data]",
        f"folder = {json.dumps((folder / 'static' / 'data').as_posix())}",
    ]
    published = next(source for source in data["sources"] if source["name"] == PUBLISHED)
    workbooks = [source for source in data["sources"] if source is not published]
    lines += [
        "[[sources]]",
        f"name = {json.dumps(published['name'])}",
        f"skpd = {json.dumps(published['skpd'])}",
        'kind = "published"',
        f"sheet = {json.dumps(published_key)}",
    ]
    for source in workbooks:
        path = Path(source["path"])
        lines += [
            "[[sources]]",
            f"name = {json.dumps(source['name'])}",
            f"skpd = {json.dumps(source['skpd'])}",
            'kind = "workbook"',
            f"path = {json.dumps((path if path.is_absolute() else REPO / path).as_posix())}",
        ]
    config = folder / "portal.toml"
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return config


@dataclass
class Replica:
    name: str
    port: int
    log: Path
    process: subprocess.Popen[bytes]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self, sig: signal.Signals = signal.SIGTERM) -> None:
        stop(self.process, sig, timeout=15)


class BrowserThread:
    """Playwright and Debian's chromium in a thread of their own. Playwright's sync API refuses to start in a
    thread where it already runs, and the browser tests (tests/browser) keep theirs open for the session, so
    this module drives its own from another thread: ``run(fn)`` calls ``fn(browser)`` there and returns its
    result or raises its exception here."""

    def __init__(self) -> None:
        self._calls: queue.Queue[tuple[Callable[[Browser], Any], queue.Queue[tuple[bool, Any]]] | None] = queue.Queue()
        self._ready = threading.Event()
        self._failure: BaseException | None = None
        self._thread = threading.Thread(target=self._serve, name="replicas-browser", daemon=True)
        self._thread.start()
        self._ready.wait(timeout=120)
        if self._failure is not None:
            raise self._failure

    def _serve(self) -> None:
        try:
            with sync_playwright() as driver:
                browser = driver.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
                self._ready.set()
                while (call := self._calls.get()) is not None:
                    fn, answer = call
                    try:
                        answer.put((True, fn(browser)))
                    except BaseException as exc:
                        answer.put((False, exc))
                browser.close()
        except BaseException as exc:
            self._failure = exc
            self._ready.set()

    def run(self, fn: Callable[[Browser], T]) -> T:
        answer: queue.Queue[tuple[bool, Any]] = queue.Queue(maxsize=1)
        self._calls.put((fn, answer))
        ok, value = answer.get(timeout=600)
        if not ok:
            raise value
        return value

    def close(self) -> None:
        self._calls.put(None)
        self._thread.join(timeout=30)


@dataclass
class Deployment:
    cluster: Cluster
    database_url: str
    config: Path
    folder: Path
    replicas: dict[str, Replica]
    nginx: Nginx
    browser: BrowserThread
    sheets: SheetsEmulator
    shown: dict[str, list[str]] = field(default_factory=dict)

    def store(self) -> Store:
        return Store(self.database_url)

    def replica_behind_nginx(self) -> Replica:
        """The replica nginx pinned this machine (127.0.0.1) to, from nginx's access log."""
        # The last proxied request's upstream; after a failed try it lists every one tried, the last answered.
        log = self.nginx.prefix / "access.log"
        if not re.search(r"upstream=127", log.read_text(), re.M):
            # Run alone (-k), no test before this one went through nginx: one request pins this machine.
            self.nginx.open("/robots.txt", timeout=60).close()  # health is not logged
        tried = re.findall(r"upstream=(127\.0\.0\.1:.*)$", log.read_text(), re.M)
        assert tried, "nginx logged no proxied request"
        port = int(tried[-1].split(", ")[-1].rsplit(":", 1)[1])
        return next(r for r in self.replicas.values() if r.port == port)

    def other(self, replica: Replica) -> Replica:
        return next(r for r in self.replicas.values() if r is not replica)


def start_replica(
    name: str, config: Path, database_url: str, folder: Path, sheets_url: str, port: int | None = None
) -> Replica:
    """``port``: a stopped replica's own, to start it again where nginx's upstream expects it."""
    port = port or free_port()
    env = {**os.environ, "PORTAL_CONFIG": str(config), "DATABASE_URL": database_url, "PYTHONUNBUFFERED": "1"}
    env.pop("GOOGLE_APPLICATION_CREDENTIALS", None)
    env.update(SHEETS_API_URL=sheets_url, SHEETS_EXPORT_URL=sheets_url)
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.address", "127.0.0.1"]
    command += ["--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    log = folder / f"replica-{name}.log"
    with open(log, "ab") as out:
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
    return Replica(name, port, log, process)


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium.", pytrace=False)
    folder = tmp_path_factory.mktemp("replicas")
    (folder / "static" / "data").mkdir(parents=True)
    with SheetsEmulator() as sheets, postgres_cluster() as cluster:
        # One source of the repo's portal.toml published through the emulator instead of read from disk.
        sources = tomllib.loads((REPO / "portal.toml").read_text(encoding="utf-8"))["sources"]
        published = next(source for source in sources if source["name"] == PUBLISHED)
        key = sheets.load_xlsx(REPO / published["path"], anyone_with_link=True)
        config = write_config(folder, key)
        url = cluster.create_database("replicas")
        replicas = {name: start_replica(name, config, url, folder, sheets.base_url) for name in ("a", "b")}
        try:
            for replica in replicas.values():
                wait_healthy(f"{replica.url}/_stcore/health", replica.process, replica.output)
            with nginx([r.port for r in replicas.values()], folder / "static" / "data", folder) as proxy:
                browser = BrowserThread()
                try:
                    yield Deployment(cluster, url, config, folder, replicas, proxy, browser, sheets)
                finally:
                    browser.close()
        finally:
            for replica in replicas.values():
                replica.stop()


def new_page(browser: Browser) -> Page:
    # nginx's certificate is the test's own: Chromium cannot be told to trust one authority for a context, so it
    # takes any (the HTTPS tests themselves check the certificate with Python's ssl, tests via Nginx.open).
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID", ignore_https_errors=True)
    return context.new_page()


def wait_until_drawn(page: Page, text: str) -> None:
    failure = page.get_by_test_id("stException").or_(page.get_by_test_id("stAlertContentError"))
    expect(page.get_by_text(text).filter(visible=True).first.or_(failure).first).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state", "notRunning", timeout=TIMEOUT_MS)
    assert page.get_by_test_id("stException").count() == 0, page.get_by_test_id("stException").all_inner_texts()


def answer(page: Page, question: str, option: str) -> None:
    group = page.get_by_test_id("stRadio").filter(has_text=question)
    group.get_by_text(option, exact=True).click()
    expect(group.get_by_role("radio", name=option)).to_be_checked()


def fill_survey(page: Page, base: str, suggestion: str = "") -> None:
    """The general survey, all answers given; ``suggestion`` makes it differ from an earlier one (the
    portal refuses the same answers twice from one address)."""
    page.goto(f"{base}/survei?program=umum", wait_until="domcontentloaded")
    wait_until_drawn(page, QUESTIONNAIRE.title.get("id"))
    for question in QUESTIONNAIRE.yes_no:
        answer(page, question.text("id", GENERAL_NAME), "Ya")
    for element in QUESTIONNAIRE.elements:
        answer(page, element.text("id", GENERAL_NAME), f"4 · {element.scale[3].id}")
    benefit = QUESTIONNAIRE.benefit
    answer(page, benefit.text("id", GENERAL_NAME), f"3 · {benefit.scale[2].id}")
    if suggestion:
        page.get_by_role("textbox", name=QUESTIONNAIRE.suggestion_label.get("id")).fill(suggestion)


def shown_id(page: Page, timeout_ms: float = TIMEOUT_MS) -> str:
    thanks = page.get_by_test_id("stAlertContentSuccess").filter(has_text="Terima kasih")
    expect(thanks).to_be_visible(timeout=timeout_ms)
    found = RESPONSE_ID.search(thanks.inner_text())
    assert found, thanks.inner_text()
    return found.group(0)


def expect_respondents(browser: Browser, base: str, count: int) -> None:
    """The general results page at ``base`` shows ``count`` respondents (a new session)."""
    page = new_page(browser)
    page.goto(f"{base}/hasil-survei?program=umum", wait_until="domcontentloaded")
    wait_until_drawn(page, "Hasil Survei Kepuasan Masyarakat")
    metric = page.get_by_test_id("stMetric").filter(has_text="Responden").get_by_test_id("stMetricValue")
    try:
        expect(metric).to_have_text(str(count), timeout=TIMEOUT_MS)
    except AssertionError:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"replicas-results-{count}.png"), full_page=True)
        raise
    finally:
        page.context.close()


def runs_per_source(store: Store) -> dict[str, int]:
    with store.engine.connect() as conn:
        return dict(conn.execute(sa.select(sync_runs.c.source, sa.func.count()).group_by(sync_runs.c.source)).all())


# --- the tests (each one alone or in any order) ----------------------------------------------------------


def test_both_replicas_starting_on_an_empty_store_record_one_sync(deployment: Deployment) -> None:
    """Two replicas of their own on a database of their own, so the store is empty whichever test ran before
    (``-k``, any order); the same portal.toml and Sheets emulator as the deployment."""
    url = deployment.cluster.create_database(f"empty_start_{len(deployment.shown)}_{time.monotonic_ns()}")
    folder = deployment.folder
    replicas = [start_replica(f"empty-{n}", deployment.config, url, folder, deployment.sheets.base_url) for n in "ab"]
    try:
        for replica in replicas:
            wait_healthy(f"{replica.url}/_stcore/health", replica.process, replica.output)
        read_before = deployment.sheets.count("/gviz/")
        # The first source answers its first request only after 3 s: the replica that syncs first holds the
        # lock that long with nothing written yet, so the other surely finds the store empty and tries too.
        deployment.sheets.slow(3.0, times=1)

        def open_both(browser: Browser) -> None:
            pages = [new_page(browser) for _ in replicas]
            for page, replica in zip(pages, replicas, strict=True):
                page.goto(f"{replica.url}/tentang", wait_until="commit")
            for page in pages:
                wait_until_drawn(page, "Tentang")
                page.context.close()

        deployment.browser.run(open_both)

        config = load_config(deployment.config)
        store = Store(url)
        per_source = runs_per_source(store)
        assert per_source == {s.name: 1 for s in config.sources}, (
            f"more than one sync ran: {per_source} runs per source"
        )
        # One sync read the published sheet: its three worksheets once.
        assert deployment.sheets.count("/gviz/") - read_before == 3, deployment.sheets.count("/gviz/") - read_before
        assert snapshot_count(store) == len(config.sources)
        store.close()
    finally:
        for replica in replicas:
            replica.stop()


def test_nginx_serves_the_open_data_files_and_the_health_check(deployment: Deployment) -> None:
    folder = deployment.folder / "static" / "data"
    index = folder / "index.json"
    # Run alone, nothing has asked a replica for anything yet: the first request starts its first-start sync,
    # which writes the open-data files when it ends.
    deployment.nginx.open("/sitemap.xml", timeout=60).close()
    deadline = time.monotonic() + 60
    while not index.exists() and time.monotonic() < deadline:
        time.sleep(0.5)
    assert index.exists(), f"the first-start sync wrote no open data into {folder}"
    with deployment.nginx.open("/app/static/data/index.json", timeout=10) as got:
        assert got.status == 200 and got.read() == index.read_bytes()
        assert got.headers["Content-Type"].startswith("application/json")
    with deployment.nginx.open("/app/static/data/lokasi.geojson", timeout=10) as got:
        assert got.headers["Content-Type"] == "application/geo+json"
    # Served from disk by nginx: a file only in that folder (no replica serves it) comes back too.
    (folder / "nginx-only.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    with deployment.nginx.open("/app/static/data/nginx-only.csv", timeout=10) as got:
        assert got.read() == b"a,b\n1,2\n"
    with deployment.nginx.open("/_stcore/health", timeout=10) as got:
        assert got.status == 200 and got.read().strip() == b"ok"
    # Text is compressed for a browser that accepts it: an open-data file from disk, and a replica's JavaScript.
    lokasi = folder / "lokasi.csv"
    gzip_please = {"Accept-Encoding": "gzip"}
    with deployment.nginx.open("/app/static/data/lokasi.csv", headers=gzip_please, timeout=10) as got:
        assert got.headers["Content-Encoding"] == "gzip" and gzip.decompress(got.read()) == lokasi.read_bytes()
    with deployment.nginx.open("/", timeout=10) as got:
        bundle = re.search(rb'"\./(static/js/index\.[^"]+\.js)"', got.read())  # in the script that starts the app
    assert bundle is not None
    with deployment.nginx.open(f"/{bundle.group(1).decode()}", headers=gzip_please, timeout=10) as got:
        assert got.headers["Content-Encoding"] == "gzip" and "immutable" in got.headers["Cache-Control"]


def test_the_server_report_answers_the_machine_itself_and_never_through_nginx(deployment: Deployment) -> None:
    replica = next(iter(deployment.replicas.values()))
    with urllib.request.urlopen(f"{replica.url}/_stcore/metrics", timeout=30) as got:
        assert got.status == 200 and b"# TYPE" in got.read()  # monitoring on the machine still reads it
    for path in ("/_stcore/metrics", "/_stcore/metrics?families=session_events_total"):
        with pytest.raises(urllib.error.HTTPError) as refused:
            deployment.nginx.open(path, timeout=30)
        assert refused.value.code == 404
    # Neither nginx's version nor the replica's server (uvicorn) is named to the public.
    with deployment.nginx.open("/robots.txt", timeout=30) as got:
        assert got.headers.get("Server", "") == "nginx", got.headers.get("Server")


def _first_answer(url: str, context: ssl.SSLContext | None = None) -> http.client.HTTPResponse:
    """The answer itself, a redirect not followed."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme == "https":
        conn: http.client.HTTPConnection = http.client.HTTPSConnection(parts.netloc, timeout=30, context=context)
    else:
        conn = http.client.HTTPConnection(parts.netloc, timeout=30)
    conn.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""))
    response = conn.getresponse()
    response.read()
    conn.close()
    return response


def test_nginx_answers_only_over_https_and_every_answer_carries_the_security_headers(deployment: Deployment) -> None:
    nginx = deployment.nginx
    # Plain HTTP, on the HTTP port or on the HTTPS one: a permanent redirect to the same address over HTTPS.
    moved = _first_answer(f"{nginx.http_url}/program?program=QW24-PERKIM-01")
    assert moved.status == 301 and moved.getheader("Location") == "https://127.0.0.1/program?program=QW24-PERKIM-01"
    https_port = urllib.parse.urlsplit(nginx.url).port
    moved = _first_answer(f"http://127.0.0.1:{https_port}/tentang")
    assert moved.status == 301 and moved.getheader("Location") == f"{nginx.url}/tentang"

    def headers(path: str) -> dict[str, list[str]]:
        answer = _first_answer(nginx.url + path, nginx.tls)
        return {name.lower(): answer.headers.get_all(name) or [] for name in answer.headers}

    for path in ("/program?program=QW24-PERKIM-01", "/app/static/data/index.json", "/_stcore/metrics", "/nginx-health"):
        got = headers(path)
        [hsts] = got["strict-transport-security"]
        assert int(hsts.split("max-age=")[1].split(";")[0]) >= 15_768_000, (path, hsts)  # six months at least
        assert got["x-content-type-options"] == ["nosniff"], path
        assert len(got["content-security-policy"]) == 1 and len(got["x-frame-options"]) == 1, (path, got)
    # A replica's page keeps its own policy, the one naming its scripts' hashes; nginx adds none of its own.
    [policy] = headers("/program?program=QW24-PERKIM-01")["content-security-policy"]
    assert "'sha256-" in policy and "frame-ancestors 'self'" in policy
    # The embed, made to be framed anywhere, gets no frame rule from nginx either.
    embed = headers("/embed/program?program=QW24-PERKIM-01")
    assert "x-frame-options" not in embed and "frame-ancestors *" in embed["content-security-policy"][0]


def test_a_response_submitted_through_one_replica_shows_in_the_others_results(deployment: Deployment) -> None:

    def submit(browser: Browser) -> str:
        page = new_page(browser)
        fill_survey(page, deployment.nginx.url)  # through nginx: sticky upstream, websocket upgrade
        page.get_by_role("button", name="Kirim tanggapan").click()
        response_id = shown_id(page)
        page.context.close()
        return response_id

    feedback = FeedbackStore(deployment.store().engine)
    before = feedback.count()  # other tests may have submitted some already
    response_id = deployment.browser.run(submit)
    through = deployment.replica_behind_nginx()
    deployment.shown.setdefault(through.name, []).append(response_id)

    stored = feedback.response(response_id)
    assert stored is not None
    assert stored["client_key"] is not None, "nginx's X-Real-IP did not reach the portal"

    other = deployment.other(through)
    assert feedback.count() == before + 1
    deployment.browser.run(lambda browser: expect_respondents(browser, other.url, before + 1))


def test_stopping_a_replica_mid_run_loses_no_shown_response(deployment: Deployment) -> None:
    through = deployment.replica_behind_nginx()

    def submit_until_stopped(browser: Browser) -> tuple[list[str], int | None]:
        shown: list[str] = []
        stopped_at: int | None = None
        page = new_page(browser)
        for attempt in range(4):
            fill_survey(page, deployment.nginx.url, suggestion=f"Saran nomor {attempt + 1}")
            page.get_by_role("button", name="Kirim tanggapan").click()
            if attempt == 2:
                # Stop the replica while this submission is on its way: it may or may not be committed,
                # but every response whose id the resident saw must be in the store.
                through.process.send_signal(signal.SIGTERM)
                stopped_at = len(shown)
                with contextlib.suppress(AssertionError):  # the page may lose its replica before the thank-you
                    shown.append(shown_id(page, timeout_ms=5_000))
                break
            shown.append(shown_id(page))
        page.context.close()
        return shown, stopped_at

    shown, stopped_at = deployment.browser.run(submit_until_stopped)
    through.stop()
    assert stopped_at == 2 and len(shown) >= 2
    assert through.process.returncode is not None

    store = deployment.store()
    with store.engine.connect() as conn:
        stored = set(conn.execute(sa.select(responses.c.id)).scalars())
    missing = [i for i in [*deployment.shown.get(through.name, []), *shown] if i not in stored]
    assert not missing, f"responses shown to residents but not in the store: {missing}"

    # nginx leaves the stopped replica out: readers reach the other one, which counts every response.
    other = deployment.other(through)
    with deployment.nginx.open("/_stcore/health", timeout=10) as got:
        assert got.status == 200
    deployment.browser.run(lambda browser: expect_respondents(browser, deployment.nginx.url, len(stored)))
    assert deployment.replica_behind_nginx() is other
    store.close()

    # Started again on its port, so a test after this one finds the deployment whole (any order).
    again = start_replica(
        through.name,
        deployment.config,
        deployment.database_url,
        deployment.folder,
        deployment.sheets.base_url,
        port=through.port,
    )
    wait_healthy(f"{again.url}/_stcore/health", again.process, again.output)
    deployment.replicas[through.name] = again
