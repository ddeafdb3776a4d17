"""The container's health check: GET /sante/ on the local gunicorn, as the proxy would send it (an
allowed host name, HTTPS ended before it). Exit 0 when the application answers 200."""

import http.client
import os
import sys

host = os.environ.get("MUTUALIS_ALLOWED_HOSTS", "localhost").split(",")[0].strip().lstrip(".") or "localhost"
connection = http.client.HTTPConnection("127.0.0.1", 8000, timeout=4)
try:
    connection.request("GET", "/sante/", headers={"Host": host, "X-Forwarded-Proto": "https"})
    status = connection.getresponse().status
except OSError:
    status = 0
sys.exit(0 if status == 200 else 1)
