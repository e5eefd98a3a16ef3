"""A throwaway PostgreSQL cluster and a private nginx, for the tests of the replica deployment.

Both are Debian's (``postgresql`` and ``nginx``, installed by ``make test``); no system service is started
or touched. The cluster is made with ``initdb`` under a temporary folder, listens on a free loopback port
only (and a socket in that folder), trusts local connections, and is removed afterwards. PostgreSQL
refuses to run as root: as root, the cluster runs as the ``postgres`` user the Debian package creates (or
``nobody``), through ``runuser``. nginx runs with ``-p <tmp prefix> -c <tmp conf>``, in the foreground,
as the user running the tests. Anything missing fails the test with what to install: never a skip.
"""

from __future__ import annotations

import glob
import os
import pwd
import re
import shutil
import signal
import ssl
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from servers import free_port, stop

REPO = Path(__file__).resolve().parents[1]
START_TIMEOUT = 60.0


def _postgres_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if not found:
        pytest.fail(
            "PostgreSQL is missing: these tests need Debian's `postgresql` (initdb and pg_ctl under "
            "/usr/lib/postgresql/*/bin). `make test` installs it (apt-get install postgresql).",
            pytrace=False,
        )
    return Path(found[-1]).parent


def _cluster_user() -> str | None:
    """Who runs the cluster: None for the current user, else a name for ``runuser`` (we are root)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    pytest.fail("running as root and there is neither a `postgres` nor a `nobody` user to run PostgreSQL as")


@dataclass(frozen=True)
class Cluster:
    folder: Path
    port: int
    user: str  # the database superuser
    database: str

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{self.database}"

    def libpq_url(self, database: str | None = None) -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{database or self.database}"

    def log(self) -> str:
        path = self.folder / "postgres.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def create_database(self, name: str) -> str:
        """A fresh database in the cluster; returns its SQLAlchemy URL."""
        import psycopg

        with psycopg.connect(self.libpq_url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{name}"


def _run(command: list[str], runas: str | None, **kwargs: object) -> subprocess.CompletedProcess[str]:
    if runas is not None:
        command = ["runuser", "-u", runas, "--", *command]
    return subprocess.run(command, capture_output=True, text=True, check=False, **kwargs)  # type: ignore[call-overload]


@contextmanager
def postgres_cluster() -> Iterator[Cluster]:
    """initdb + pg_ctl start in a new temporary folder; stopped (immediate) and removed afterwards."""
    bin_dir = _postgres_bin()
    runas = _cluster_user()
    folder = Path(tempfile.mkdtemp(prefix="portal-pg-"))
    data = folder / "data"
    if runas is not None:
        shutil.chown(folder, user=runas)
    port = free_port()
    cluster = Cluster(folder, port, "portal", "portal")
    started = False
    try:
        made = _run(
            [str(bin_dir / "initdb"), "-D", str(data), "-U", "portal", "--auth=trust", "-E", "UTF8", "--no-sync"],
            runas,
        )
        if made.returncode != 0:
            pytest.fail(f"initdb failed ({made.returncode}):\n{made.stdout}\n{made.stderr}", pytrace=False)
        options = f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={folder} -c fsync=off"
        log = str(folder / "postgres.log")
        start = _run(
            [str(bin_dir / "pg_ctl"), "-D", str(data), "-l", log, "-o", options, "-w", "start"],
            runas,
            timeout=START_TIMEOUT,
        )
        started = True
        if start.returncode != 0:
            pytest.fail(f"pg_ctl start failed:\n{start.stdout}\n{start.stderr}\n{cluster.log()}", pytrace=False)
        import psycopg

        with psycopg.connect(cluster.libpq_url("postgres"), autocommit=True) as conn:
            conn.execute('CREATE DATABASE "portal"')
        yield cluster
    finally:
        if started:
            _run([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"], runas, timeout=60)
        shutil.rmtree(folder, ignore_errors=True)


# --- nginx ----------------------------------------------------------------------------------------

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 (its own authority, valid two days) and its key, made with Debian's openssl."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    made = subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1"),
            *("-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if made.returncode != 0:
        pytest.fail(f"openssl could not make the test certificate:\n{made.stderr}", pytrace=False)
    return cert, key


def nginx_config(
    prefix: Path, ports: tuple[int, int], upstreams: list[int], static_root: Path, certificate: tuple[Path, Path]
) -> str:
    """The deployment's deploy/nginx/portal.conf, with its upstream ports, listen ports (HTTP, HTTPS), paths and
    certificate replaced, inside a minimal main nginx.conf (no daemon, no user switch, logs and temp files under
    ``prefix``)."""
    site = (REPO / "deploy" / "nginx" / "portal.conf").read_text(encoding="utf-8")
    servers = "\n".join(f"    server 127.0.0.1:{p} max_fails=1 fail_timeout=2s;" for p in upstreams)
    start, end = site.index("# BEGIN replicas"), site.index("# END replicas")
    site = site[:start] + "# replicas (test)\n" + servers + "\n    " + site[end + len("# END replicas") :]
    http_port, https_port = ports
    site = site.replace("listen 80;", f"listen 127.0.0.1:{http_port};")
    site = site.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;")
    site = site.replace("listen [::]:80;", "").replace("listen [::]:443 ssl http2;", "")
    site = site.replace("/srv/portal/static/data/", f"{static_root.as_posix()}/")
    site = site.replace("/var/www/letsencrypt", f"{prefix.as_posix()}/acme")
    cert, key = certificate
    site = re.sub(r"ssl_certificate [^;]+;", f"ssl_certificate {cert.as_posix()};", site)
    site = re.sub(r"ssl_certificate_key [^;]+;", f"ssl_certificate_key {key.as_posix()};", site)
    # As root, nginx's workers would run as nobody and could not read the test's private temporary folder.
    user = "user root;" if os.geteuid() == 0 else ""
    return f"""
{user}
worker_processes 1;
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log info;
events {{ worker_connections 256; }}
http {{
    log_format replicas '$request_method $request_uri $status upstream=$upstream_addr';
    access_log {prefix}/access.log replicas;
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
{site}
}}
"""


@dataclass
class Nginx:
    url: str  # https://127.0.0.1:PORT, the site as readers reach it
    http_url: str  # its plain-HTTP address, which only redirects
    prefix: Path
    process: subprocess.Popen[bytes]
    certificate: Path

    @property
    def tls(self) -> ssl.SSLContext:
        """Trusts the test's own certificate, and checks it names 127.0.0.1 as a browser would."""
        return ssl.create_default_context(cafile=str(self.certificate))

    def open(self, path: str, headers: dict[str, str] | None = None, timeout: float = 30) -> Any:
        """GET ``path`` over HTTPS (the response, as urllib.request.urlopen returns it)."""
        request = urllib.request.Request(self.url + path, headers=headers or {})
        return urllib.request.urlopen(request, timeout=timeout, context=self.tls)

    def answers(self, path: str) -> bool:
        try:
            with self.open(path, timeout=2) as response:
                return response.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def log(self) -> str:
        parts = []
        for name in ("error.log", "stdout.log"):
            path = self.prefix / name
            if path.exists():
                parts.append(path.read_text(errors="replace"))
        return "\n".join(parts)


@contextmanager
def nginx(upstreams: list[int], static_root: Path, folder: Path) -> Iterator[Nginx]:
    if not Path(NGINX).exists():
        pytest.fail(
            "nginx is missing: these tests need Debian's `nginx`. `make test` installs it (apt-get install nginx).",
            pytrace=False,
        )
    prefix = folder / "nginx"
    prefix.mkdir(parents=True, exist_ok=True)
    ports = (free_port(), free_port())
    certificate = self_signed_certificate(prefix)
    conf = prefix / "nginx.conf"
    conf.write_text(nginx_config(prefix, ports, upstreams, static_root, certificate), encoding="utf-8")
    checked = subprocess.run([NGINX, "-t", "-p", str(prefix), "-c", str(conf)], capture_output=True, text=True)
    if checked.returncode != 0:
        pytest.fail(f"nginx rejects the configuration:\n{checked.stderr}\n{conf.read_text()}", pytrace=False)
    with open(prefix / "stdout.log", "wb") as log:
        process = subprocess.Popen([NGINX, "-p", str(prefix), "-c", str(conf)], stdout=log, stderr=subprocess.STDOUT)
    server = Nginx(f"https://127.0.0.1:{ports[1]}", f"http://127.0.0.1:{ports[0]}", prefix, process, certificate[0])
    try:
        deadline = time.monotonic() + 20
        while not server.answers("/nginx-health"):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"nginx did not start:\n{server.log()}", pytrace=False)
            time.sleep(0.1)
        yield server
    finally:
        stop(process, signal.SIGQUIT)  # nginx's graceful stop
