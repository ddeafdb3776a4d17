"""Issue 21: sign-on by OpenID Connect, against a real provider over HTTP (tests/oidc/provider.mjs, the
`oidc-provider` package): Django's test client is the browser on Mutualis's side, a `requests` session the
same browser on the provider's side (its own cookies), each redirect followed by hand from one to the other.
"""

import html
import os
import re
import subprocess
import sys
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests
from django.contrib.auth import authenticate
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse

from mutualis.organisations.models import OidcIdentity, User
from mutualis.organisations.roles import Role
from tests.oidc.conftest import TESTSERVER, oidc_settings
from tests.oidc.provider import AGENTS, oidc_provider
from tests.organisations.factories import EntityFactory, MembershipFactory, UserFactory

NEW_AGENT, KNOWN_AGENT = AGENTS

pytestmark = pytest.mark.django_db


def _local(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def provider_sign_in(browser: requests.Session, authorize_url: str, email: str) -> str:
    """On the provider: its login form filled with the e-mail, consent granted by the provider itself; the
    URL of Mutualis it sends the browser back to (the callback, with code and state)."""
    page = browser.get(authorize_url, timeout=10)
    assert page.status_code == 200, page.text
    action = html.unescape(re.search(r'<form method="post" action="([^"]+)"', page.text).group(1))
    response = browser.post(page.url.split("/interaction/")[0] + action, data={"email": email}, timeout=10,
                            allow_redirects=False)  # fmt: skip
    for _ in range(10):
        location = response.headers["Location"]
        if location.startswith(TESTSERVER):
            return location
        response = browser.get(urljoin(response.url, location), timeout=10, allow_redirects=False)
    raise AssertionError("the provider never sent the browser back")


def sign_on(client: Client, email: str, browser: requests.Session | None = None):
    """The whole round trip; the answer of Mutualis's callback."""
    start = client.get(reverse("oidc_login"))
    assert start.status_code == 302, start
    query = parse_qs(urlsplit(start["Location"]).query)
    assert query["code_challenge_method"] == ["S256"] and query["state"] and query["nonce"]
    back = provider_sign_in(browser or requests.Session(), start["Location"], email)
    return client.get(_local(back))


def test_an_unknown_agent_gets_an_account_without_any_role(with_provider, client):
    entity = EntityFactory(name="Centre hospitalier de l'exemple", siret=NEW_AGENT["siret"])

    response = sign_on(client, NEW_AGENT["email"])

    assert response.status_code == 302 and response["Location"] == reverse("awaiting_role")
    user = User.objects.get(email__iexact=NEW_AGENT["email"])
    assert (user.first_name, user.last_name, user.is_active) == ("Camille", "Nouvel", True)
    assert not user.has_usable_password()
    assert not user.memberships.exists() and not user.is_staff and not user.is_superuser
    identity = user.oidc_identities.get()
    assert (identity.issuer, identity.subject) == (with_provider.issuer, NEW_AGENT["sub"])
    assert (identity.siret, identity.organizational_unit) == (NEW_AGENT["siret"], "Direction des achats")
    assert identity.claimed_entity == entity  # proposed to the administrator: no role for all that
    assert int(client.session["_auth_user_id"]) == user.pk

    page = client.get(reverse("awaiting_role"))
    text = page.content.decode()
    assert "aucun rôle ne vous est encore attribué" in text
    assert "Centre hospitalier de l&#x27;exemple" in text
    # No role: the pages of the application say no.
    assert client.get(reverse("contracts:contract_list")).status_code == 403
    # The administrator sees the entity proposed on the person's page, and grants the role.
    admin = MembershipFactory(user=UserFactory(username="admin"), entity=entity, role=Role.ADMIN).user
    admin_client = Client()
    admin_client.force_login(admin)
    text = admin_client.get(reverse("organisations:user_detail", args=[user.pk])).content.decode()
    assert "Identification unique" in text and "entité proposée pour son rôle" in text
    assert entity.get_absolute_url() in text


def test_the_second_sign_on_finds_the_account_by_its_subject(with_provider):
    sign_on(Client(), NEW_AGENT["email"])
    user = User.objects.get(email__iexact=NEW_AGENT["email"])
    user.email = "adresse.changee@example.org"  # the account's address changed meanwhile
    user.save()

    response = sign_on(Client(), NEW_AGENT["email"])

    assert response.status_code == 302
    assert User.objects.filter(oidc_identities__subject=NEW_AGENT["sub"]).get() == user
    assert User.objects.count() == 1


def test_an_existing_account_is_matched_by_email_whatever_the_case(with_provider, hospital):
    user = UserFactory(username="dconnu", email="DOMINIQUE.Connu@CH-exemple.fr")
    MembershipFactory(user=user, entity=hospital, role=Role.REFERENT)
    client = Client()

    response = sign_on(client, KNOWN_AGENT["email"])

    assert response.status_code == 302 and response["Location"] == reverse("www:home")
    assert int(client.session["_auth_user_id"]) == user.pk
    assert user.oidc_identities.get().subject == KNOWN_AGENT["sub"]
    assert User.objects.count() == 1
    user.refresh_from_db()
    assert user.has_usable_password()  # the password stays, for when password login is on


def test_an_account_linked_to_another_subject_is_not_taken_over_by_its_address(with_provider):
    user = UserFactory(username="dconnu", email=KNOWN_AGENT["email"])
    OidcIdentity.objects.create(user=user, issuer=with_provider.issuer, subject="un-autre-sub")
    client = Client()

    response = sign_on(client, KNOWN_AGENT["email"])

    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session
    assert "pas abouti" in client.get(reverse("login")).content.decode()


def test_an_inactive_account_is_refused(with_provider):
    UserFactory(username="dconnu", email=KNOWN_AGENT["email"], is_active=False)
    client = Client()
    response = sign_on(client, KNOWN_AGENT["email"])
    assert response["Location"] == reverse("login") and "_auth_user_id" not in client.session


def test_a_deactivated_account_loses_its_open_session(with_provider):
    client = Client()
    sign_on(client, NEW_AGENT["email"])
    assert client.get(reverse("awaiting_role")).status_code == 200
    User.objects.filter(email__iexact=NEW_AGENT["email"]).update(is_active=False)
    assert client.get(reverse("awaiting_role")).status_code == 302


def test_a_replayed_or_forged_return_is_refused_without_error(with_provider):
    client = Client()
    start = client.get(reverse("oidc_login"))
    back = provider_sign_in(requests.Session(), start["Location"], NEW_AGENT["email"])
    assert client.get(_local(back)).status_code == 302
    client.post(reverse("logout"))

    replayed = client.get(_local(back))  # the state was used: no longer in the session

    assert replayed.status_code == 302 and replayed["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session
    forged = client.get(reverse("oidc_callback"), {"code": "x", "state": "inconnu"})
    assert forged.status_code == 302 and forged["Location"] == reverse("login")


def test_sign_out_ends_the_provider_session_too(with_provider):
    client, browser = Client(), requests.Session()
    sign_on(client, NEW_AGENT["email"], browser)

    response = client.post(reverse("logout"))

    assert "_auth_user_id" not in client.session
    end_session = urlsplit(response["Location"])
    assert response.status_code == 302
    assert (
        f"{end_session.scheme}://{end_session.netloc}{end_session.path}"
        == f"{with_provider.issuer}/session/end"
    )
    query = parse_qs(end_session.query)
    assert query["post_logout_redirect_uri"] == [f"{TESTSERVER}/compte/connexion/"]
    assert query["id_token_hint"][0].count(".") == 2
    # The provider accepts the hint and the address: its confirmation, then back to the sign-in page.
    confirm = browser.get(response["Location"], timeout=10)
    assert confirm.status_code == 200, confirm.text
    xsrf = re.search(r'name="xsrf" value="([^"]+)"', confirm.text).group(1)
    action = html.unescape(re.search(r'action="([^"]+)"', confirm.text).group(1))
    done = browser.post(
        with_provider.issuer + urlsplit(action).path,
        data={"xsrf": xsrf, "logout": "yes"},
        allow_redirects=False,
        timeout=10,
    )
    assert done.headers["Location"].startswith(f"{TESTSERVER}/compte/connexion/")
    # The provider's session is over: signing on again asks for the login form.
    again = Client().get(reverse("oidc_login"))
    assert "Adresse électronique" in browser.get(again["Location"], timeout=10).text


def test_a_password_sign_out_stays_on_the_site(with_provider, client):
    client.force_login(UserFactory())
    response = client.post(reverse("logout"))
    assert response["Location"] == reverse("login")


def test_proconnect_like_provider_with_signed_userinfo(db):
    """ProConnect answers the userinfo endpoint with a signed JWT and its own scopes: both understood."""
    with (
        oidc_provider(
            [f"{TESTSERVER}/compte/identification/retour/"], [f"{TESTSERVER}/compte/connexion/"],
            signed_userinfo=True,
        ) as running,
        oidc_settings(running, name="ProConnect", scopes="openid email given_name usual_name siret"),
    ):  # fmt: skip
        response = sign_on(Client(), NEW_AGENT["email"])
        cache.clear()
    assert response["Location"] == reverse("awaiting_role")
    user = User.objects.get()
    assert (user.first_name, user.last_name) == ("Camille", "Nouvel")
    assert user.oidc_identities.get().siret == NEW_AGENT["siret"]


def test_the_login_page_shows_the_provider_button(with_provider, client):
    text = client.get(reverse("login")).content.decode()
    assert "Se connecter avec l&#x27;annuaire de test" in text
    assert 'name="password"' in text  # password login stays, by default


def test_the_proconnect_button_follows_its_guidelines(with_provider, client):
    with override_settings(MUTUALIS_OIDC_PROVIDER_NAME="ProConnect"):
        text = client.get(reverse("login")).content.decode()
    assert "S’identifier avec</span>" in text and 'proconnect-button__brand">ProConnect</span>' in text
    assert re.search(r'<a href="https://www.proconnect.gouv.fr/" target="_blank" rel="noopener"[^>]*>'
                     r"Qu’est-ce que ProConnect \?</a>", text)  # fmt: skip


def test_password_login_can_be_switched_off(with_provider, client):
    user = UserFactory(username="agent", password="motdepasse-test")
    off = override_settings(
        MUTUALIS_PASSWORD_LOGIN=False,
        AUTHENTICATION_BACKENDS=[
            "mutualis.organisations.oidc.PasswordLoginOffBackend",
            "mutualis.organisations.oidc.OidcBackend",
        ],
    )
    with off:
        page = client.get(reverse("login"))
        text = page.content.decode()
        assert page.status_code == 200 and "Se connecter avec" in text
        assert 'name="password"' not in text and "Mot de passe oublié" not in text
        refused = client.post(reverse("login"), {"username": "agent", "password": "motdepasse-test"})
        assert refused.status_code == 403 and "_auth_user_id" not in client.session
        assert authenticate(username="agent", password="motdepasse-test") is None  # the admin's login too
        assert client.post(
            reverse("admin:login"), {"username": "agent", "password": "motdepasse-test"}
        ).status_code == 200  # fmt: skip
        assert "_auth_user_id" not in client.session
        # A session opened before stays readable.
        client.force_login(user)
        assert client.get(reverse("account")).status_code == 200


def test_an_unreachable_provider_gives_a_message_not_an_error(client):
    cache.clear()
    with override_settings(
        MUTUALIS_OIDC_ISSUER="http://127.0.0.1:9", MUTUALIS_OIDC_PROVIDER_NAME="ProConnect"
    ):
        response = client.get(reverse("oidc_login"))
        assert response.status_code == 302 and response["Location"] == reverse("login")
        assert "ne répond pas" in client.get(reverse("login")).content.decode()
        callback = client.get(reverse("oidc_callback"), {"code": "x", "state": "y"})
        assert callback.status_code == 302 and callback["Location"] == reverse("login")


@pytest.mark.parametrize("issuer", ["{issuer}/autre", "{localhost}"])
def test_a_wrong_issuer_is_said_to_be_misconfigured(with_provider, client, issuer):
    """No discovery document there, or one that names another issuer (the same server by another name)."""
    localhost = with_provider.issuer.replace("127.0.0.1", "localhost")
    with override_settings(
        MUTUALIS_OIDC_ISSUER=issuer.format(issuer=with_provider.issuer, localhost=localhost)
    ):
        response = client.get(reverse("oidc_login"))
        assert response["Location"] == reverse("login")
        assert "mal configurée" in client.get(reverse("login")).content.decode()


def test_without_provider_the_sign_on_pages_are_not_found(client):
    assert client.get(reverse("oidc_login")).status_code == 404
    assert client.get(reverse("oidc_callback")).status_code == 404
    assert "Se connecter avec" not in client.get(reverse("login")).content.decode()


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        ({"MUTUALIS_PASSWORD_LOGIN": "off"}, "MUTUALIS_PASSWORD_LOGIN=off demande MUTUALIS_OIDC_ISSUER"),
        ({"MUTUALIS_OIDC_ISSUER": "https://idp.example.org"}, "demande MUTUALIS_OIDC_CLIENT_ID"),
    ],
)
def test_a_bad_configuration_stops_the_start_with_a_french_message(variables, expected):
    env = {**os.environ, "MUTUALIS_ENV": "test", **variables}
    for name in ("MUTUALIS_OIDC_ISSUER", "MUTUALIS_OIDC_CLIENT_ID", "MUTUALIS_OIDC_CLIENT_SECRET"):
        if name not in variables:
            env.pop(name, None)
    result = subprocess.run(
        [sys.executable, "-m", "mutualis.manage", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0 and expected in result.stderr
