"""gunicorn's settings for the image and the systemd recipe: `gunicorn mutualis.wsgi -c deploy/gunicorn.conf.py`.
Its own logs (start, errors, one line per request) go to stdout as JSON, like the application's."""

import os

bind = os.environ.get("MUTUALIS_WEB_BIND", "0.0.0.0:8000")  # noqa: S104 (inside the container)
workers = int(os.environ.get("MUTUALIS_WEB_WORKERS", "3"))
timeout = int(os.environ.get("MUTUALIS_WEB_TIMEOUT", "120"))  # the longest exports and PDF reports
accesslog = "-"
# The request's id is the one the application returned (the proxy's, or one it made).
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms %({x-request-id}o)s'
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "mutualis.core.logs.JsonFormatter"}},
    "handlers": {
        "stdout": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "json"}
    },
    "root": {"level": "INFO", "handlers": []},  # the application's settings configure it (JSON too)
    "loggers": {
        "gunicorn.error": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
    },
}
