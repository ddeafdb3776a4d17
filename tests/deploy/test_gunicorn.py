"""The production settings served by gunicorn, with a real worker process beside it: the login page, then
/sante/ while the worker runs and after it is stopped. No container engine runs on this CI; this is the
same command and gunicorn settings as the image (deploy/docker-entrypoint.sh, deploy/gunicorn.conf.py), on
the test run's own database.

The database: on PostgreSQL, this test process's test database (each xdist process has its own); on
SQLite, the in-memory test database copied into a file the processes can open.
"""

import http.client
import json
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from mutualis.core.models import WorkerHeartbeat
from tests.deploy.test_logs import production_environment

GUNICORN_CONF = Path(__file__).resolve().parents[2] / "deploy" / "gunicorn.conf.py"  # the image's


@pytest.fixture
def database_url(django_db_setup, django_db_blocker, tmp_path):
    # No test transaction here: the processes write and commit their own rows, and the clean-up below must
    # be committed too.
    with django_db_blocker.unblock():
        connection.ensure_connection()
        settings = connection.settings_dict
        if connection.vendor == "sqlite":
            path = tmp_path / "mutualis.sqlite3"
            target = sqlite3.connect(path)
            connection.connection.backup(target)
            target.close()
            yield f"sqlite:///{path}"
            return
        credentials = quote(settings["USER"] or "", safe="")
        if settings["PASSWORD"]:
            credentials += ":" + quote(settings["PASSWORD"], safe="")
        yield (
            f"postgres://{credentials}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
            f"/{settings['NAME']}"
        )
        # The processes committed their rows in the test database: leave it as the other tests expect.
        WorkerHeartbeat.objects.all().delete()


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    """collectstatic with the production storage (hashed names). The API docs' and the admin's large
    folders are left out: the pages read here use the project's own and vendored files only."""
    root = tmp_path_factory.mktemp("static")
    env = production_environment(MUTUALIS_STATIC_ROOT=str(root), MUTUALIS_DATA_DIR=str(root.parent))
    ignored = ["drf_spectacular_sidecar", "admin", "rest_framework", "import_export"]
    subprocess.run(  # noqa: S603 (this interpreter, fixed arguments)
        [sys.executable, "-m", "mutualis.manage", "collectstatic", "--no-input", "-v0"]
        + [f"--ignore={name}" for name in ignored],
        env=env,
        check=True,
        timeout=120,
    )
    return root


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(port: int, path: str, **headers) -> tuple[int, dict, bytes]:
    # As the proxy sends it: HTTPS was ended there (the production profile redirects plain HTTP).
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers={"X-Forwarded-Proto": "https", **headers})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def wait_for(condition, process: subprocess.Popen, seconds: float, what: str, log: Path):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, f"{what} s'est arrêté ({process.returncode}) :\n{log.read_text()}"
        try:
            result = condition()
        except OSError:
            result = None
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError(f"{what} : rien après {seconds} s :\n{log.read_text()}")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_gunicorn_serves_the_login_page_and_the_health_follows_the_worker(
    database_url, static_root, tmp_path
):
    port = free_port()
    env = production_environment(
        DATABASE_URL=database_url,
        MUTUALIS_STATIC_ROOT=str(static_root),
        MUTUALIS_DATA_DIR=str(tmp_path),
        MUTUALIS_ALLOWED_HOSTS="127.0.0.1",
        MUTUALIS_WORKER_HEARTBEAT="1",
        MUTUALIS_HEALTH_WORKER_STALE="3",
        MUTUALIS_CONN_MAX_AGE="0",
        MUTUALIS_WEB_BIND=f"127.0.0.1:{port}",
        MUTUALIS_WEB_WORKERS="1",
    )
    web_log = (tmp_path / "web.log").open("w+")
    web = subprocess.Popen(  # noqa: S603 (gunicorn, fixed arguments)
        [sys.executable, "-m", "gunicorn", "mutualis.wsgi", "--config", str(GUNICORN_CONF)],
        env=env,
        stdout=web_log,
        stderr=subprocess.STDOUT,
    )
    worker = subprocess.Popen(
        [sys.executable, "-m", "mutualis.manage", "worker", "--interval", "0.5", "--no-startup-delay"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "worker.log").open("w"),
    )
    try:
        status, _, page = wait_for(
            lambda: get(port, "/compte/connexion/"), web, 40, "gunicorn", tmp_path / "web.log"
        )
        assert status == 200
        assert b'name="username"' in page and b'name="password"' in page
        assert b"csrfmiddlewaretoken" in page

        def healthy():
            status, _, body = get(port, "/sante/")
            return status == 200 and json.loads(body)

        body = wait_for(healthy, worker, 40, "le travailleur", tmp_path / "worker.log")
        assert body["checks"]["worker"]["state"] == "running"
        assert body["checks"]["database"]["status"] == body["checks"]["migrations"]["status"] == "ok"

        stop(worker)
        assert worker.returncode == 0  # SIGTERM: the worker stops cleanly
        time.sleep(4)  # beyond MUTUALIS_HEALTH_WORKER_STALE
        status, _, body = get(port, "/sante/", **{"X-Request-ID": "sante-apres-arret-du-travailleur"})
        assert status == 503
        assert json.loads(body)["checks"]["worker"]["state"] == "stopped"
    finally:
        stop(worker)
        stop(web)
    # Every line on stdout is one JSON object: gunicorn's own (start, one per request, with the id the
    # application returned) and Django's warning about the 503, with the proxy's request id.
    web_log.seek(0)
    entries = [json.loads(line) for line in web_log.read().splitlines()]
    assert any(entry["logger"] == "gunicorn.error" for entry in entries)
    assert any(
        entry["logger"] == "gunicorn.access" and '"GET /compte/connexion/ HTTP/1.1" 200' in entry["message"]
        for entry in entries
    )
    assert any(
        entry["logger"] == "django.request"
        and entry["request_id"] == "sante-apres-arret-du-travailleur"
        and entry["status_code"] == 503
        for entry in entries
    )
    assert any(
        entry["logger"] == "gunicorn.access" and entry["message"].endswith("sante-apres-arret-du-travailleur")
        for entry in entries
    )
