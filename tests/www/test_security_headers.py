"""Headers every page sends, in every profile: a Content-Security-Policy without inline scripts,
Permissions-Policy and Referrer-Policy; and no template that would need an inline script."""

import re
from pathlib import Path

from django.urls import reverse

import mutualis

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)


def test_pages_send_the_security_headers(client, db):
    response = client.get(reverse("login"))
    policy = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    assert policy["script-src"] == "'self'" and policy["default-src"] == "'self'"
    assert policy["object-src"] == "'none'" and policy["frame-ancestors"] == "'none'"
    assert (
        "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]
    )
    assert response["Referrer-Policy"] == "same-origin"


def test_no_template_has_an_inline_script():
    templates = list(Path(mutualis.__file__).parent.rglob("templates/**/*.html"))
    assert len(templates) > 50
    offenders = [str(t) for t in templates if INLINE_SCRIPT.search(t.read_text(encoding="utf-8"))]
    assert offenders == []


def test_api_docs_load_their_script_from_a_url(client, role_users):
    client.force_login(next(iter(role_users.values())))
    page = client.get(reverse("api:docs")).content.decode()
    assert not INLINE_SCRIPT.search(page)
    script = re.search(r'<script src="([^"]*\?script[^"]*)"', page).group(1)
    assert client.get(script).status_code == 200
