"""Issue 19: the portal is public, the rest is not. Every URL outside /portail/ answers an anonymous GET
with the login page (the admin: its own login page; the API: 401), but for the few pages public before
the portal, named here with their reason. Arguments are filled with values that match their converter:
the login check runs before any lookup, so no object is needed."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

# Public before the portal, each for a reason.
PUBLIC = {
    "login": "the sign-in page",
    "password_reset": "a forgotten password",
    "oidc_login": "the sign-on by OpenID Connect starts there (tests/oidc)",
    "oidc_callback": "the OpenID Connect provider's return, checked by its state (tests/oidc)",
    "password_reset_done": "a forgotten password",
    "password_reset_confirm": "a forgotten password (the link's token is checked)",
    "password_reset_complete": "a forgotten password",
    "www:accessibility": "the accessibility statement every public site publishes (RGAA)",
    "public_file": "MEDIA_ROOT/public: the territory's logo",
    "api:schema": "the API's description",
    "api:docs": "the API's description",
    "health": "/sante/, for the proxy and monitoring: states only, no business data (tests/deploy)",
    "admin:login": "the admin's sign-in page",
    "admin:logout": "POST only: a GET is sent to the admin's index, which asks for its login",
    # Actions without a page: they answer 405 to a GET, whoever asks.
    "logout": "POST only",
    "api:procedure-estimate": "POST only, public and rate-limited",
    "api:gains-estimate": "POST only, public and rate-limited",
    # The portal's public API (issue 19): what the portal's pages show, as JSON, rate-limited.
    "api:portal-planned-list": "the portal's planned purchases",
    "api:portal-planned-detail": "a published planned purchase",
    "api:portal-consultation-list": "the portal's open consultations",
    "api:portal-consultation-detail": "a published consultation",
    "api:portal-contract-list": "the contracts whose essential data the law makes public",
    "api:portal-contract-detail": "a contract whose essential data the law makes public",
    "api:portal-member-list": "the territory's members, as on the portal",
}
SAMPLE = {"int": "1", "str": "x", "slug": "x", "path": "x", "uuid": "00000000-0000-0000-0000-000000000000"}


def _patterns(patterns=None, namespace="", route=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        here = route + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _patterns(pattern.url_patterns, inner, here)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern, here


def _url(name: str, pattern: URLPattern) -> str:
    converters = getattr(pattern.pattern, "converters", {})
    regex = pattern.pattern.regex
    if not regex.groupindex:
        return reverse(name, args=["1"] * regex.groups)
    kwargs = {
        key: "organisations"
        if key == "app_label"  # the admin's app pages accept only the apps it shows
        else SAMPLE.get(type(converters.get(key)).__name__.removesuffix("Converter").lower(), "1")
        for key in regex.groupindex
        if key != "format"
    }
    return reverse(name, kwargs=kwargs)


CASES = sorted(
    {
        (name, route)
        for name, _, route in _patterns()
        if not route.startswith("portail/") and name not in PUBLIC
    }
)
PATTERNS = {name: pattern for name, pattern, _ in _patterns()}


def test_the_walk_covers_the_application():
    assert len(CASES) > 300
    assert {name for name, _, route in _patterns() if route.startswith("portail/")} >= {
        "portal:home",
        "portal:decp",
    }
    assert not set(PUBLIC) - set(PATTERNS), "a public name left the resolver: update PUBLIC"


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "route"), CASES, ids=[name for name, _ in CASES])
def test_an_anonymous_visitor_is_sent_to_the_login_page(client, name, route):
    url = _url(name, PATTERNS[name])
    response = client.get(url)
    if name.startswith("api:"):
        assert response.status_code == 401, f"{url}: {response.status_code}"
        return
    login = reverse("admin:login" if name.startswith("admin:") else "login")
    assert response.status_code == 302, f"{url}: {response.status_code}"
    assert response["Location"].startswith(login), f"{url} → {response['Location']}"


@pytest.mark.django_db
def test_the_portal_answers_without_login(client):
    for name in ("portal:home", "portal:planned", "portal:consultations", "portal:contracts", "portal:guide"):
        assert client.get(reverse(name)).status_code == 200, name
