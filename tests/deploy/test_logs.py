"""Production logs: one JSON object per line on stdout, with the request's id."""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import mutualis
from mutualis.core.logs import JsonFormatter, RequestIdFilter

SRC = str(Path(mutualis.__file__).resolve().parents[1])

LOG_SOME_LINES = """
import logging, django
django.setup()
log = logging.getLogger("mutualis.security")
log.warning("Connexion refusée pour « %s »", "dupont", extra={"address": "192.0.2.1"})
try:
    1 / 0
except ZeroDivisionError:
    logging.getLogger("django.request").exception("Erreur\\nsur deux lignes")
"""


def production_environment(**more) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST", "DJANGO", "MUTUALIS"))
    }
    env.update(
        MUTUALIS_ENV="production",
        MUTUALIS_SECRET_KEY="test-only-production-key-0123456789abcdefghijklmnopqrstuvwxyz",
        MUTUALIS_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SETTINGS_MODULE="mutualis.settings",
        PYTHONPATH=os.pathsep.join(filter(None, [SRC, os.environ.get("PYTHONPATH")])),
    )
    env.update(more)
    return env


def test_a_production_process_logs_one_json_object_per_line_on_stdout(tmp_path):
    result = subprocess.run(  # noqa: S603 (this interpreter, a fixed script)
        [sys.executable, "-c", LOG_SOME_LINES],
        env=production_environment(MUTUALIS_DATA_DIR=str(tmp_path)),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    lines = result.stdout.splitlines()
    assert len(lines) == 2, result.stdout + result.stderr
    warning, error = (json.loads(line) for line in lines)
    assert warning["level"] == "WARNING" and warning["logger"] == "mutualis.security"
    assert warning["message"] == "Connexion refusée pour « dupont »"
    assert warning["address"] == "192.0.2.1"
    assert warning["time"].endswith("+00:00")
    assert error["message"] == "Erreur\nsur deux lignes"
    assert "ZeroDivisionError" in error["exception"]


def test_the_request_id_comes_from_the_proxy_or_is_made(client, db, caplog):
    sane = client.get("/sante/", HTTP_X_REQUEST_ID="0123456789abcdef0123456789abcdef")
    assert sane["X-Request-ID"] == "0123456789abcdef0123456789abcdef"
    forged = client.get("/sante/", HTTP_X_REQUEST_ID="a\nforged line")
    assert forged["X-Request-ID"] != "a\nforged line" and len(forged["X-Request-ID"]) == 32


def test_a_log_line_written_during_a_request_carries_its_id(client, db):
    records = []
    handler = logging.Handler()
    handler.emit = records.append
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        client.get("/une-page-qui-n-existe-pas/", HTTP_X_REQUEST_ID="request-id-for-the-test")
    finally:
        logger.removeHandler(handler)
    assert records, "Django logs a 404"
    entry = json.loads(JsonFormatter().format(records[-1]))
    assert entry["request_id"] == "request-id-for-the-test"
    assert entry["status_code"] == 404
