"""Logs as one JSON object per line (production profile, on stdout), each with the id of the request that
wrote it, so a log collector can parse them and an error is found from the id the proxy logged."""

import json
import logging
import re
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

_request_id: ContextVar[str] = ContextVar("request_id", default="")
# The proxy's id is taken as is when it looks like one (nginx's $request_id: 32 hex digits); anything
# else a client writes is replaced, so no one writes into the logs through this header.
_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
# LogRecord's own attributes: what is not among them was passed in `extra=` and is kept in the object.
_RECORD_FIELDS = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class RequestIdMiddleware:
    """Reads X-Request-ID from the proxy (or makes one), keeps it for the logs and returns it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request_id = given if _VALID_ID.match(given) else uuid.uuid4().hex
        request.request_id = request_id
        token = _request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        # Django logs a response's status after the middleware has returned: the request it passes has the id.
        record.request_id = getattr(getattr(record, "request", None), "request_id", "") or _request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", "") or _request_id.get()
        if request_id:
            entry["request_id"] = request_id
        for key, value in vars(record).items():
            if key not in _RECORD_FIELDS and key not in entry and key != "request":
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        # default=str: an object passed in `extra` (a user, a path) is written as its text, never refused.
        return json.dumps(entry, ensure_ascii=False, default=str)
