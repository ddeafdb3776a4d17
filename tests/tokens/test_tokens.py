"""Personal API tokens: hashed, expiring, scoped, revoked by their owner or a password change, listed and
created on the account page."""

import hashlib
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from mutualis.organisations.roles import Role
from mutualis.tokens.models import ApiToken, TokenScope
from mutualis.tokens.services import token_create
from tests.tokens.factories import api_token

PASSWORD = "motdepasse-test"  # tests.organisations.factories.UserFactory


def _api(secret):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return api


def _projects(secret):
    return _api(secret).get(reverse("api:project-list")).status_code


def test_a_token_reads_until_it_expires(role_users):
    user = role_users[Role.REFERENT]
    secret = api_token(user)
    assert _projects(secret) == 200
    token = ApiToken.objects.get()
    assert token.last_used_at is not None
    assert token.expires_at.date() == (token.created_at + timedelta(days=90)).date()
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = _api(secret).get(reverse("api:project-list"))
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"
    assert _projects("mut_inconnu") == 401


def test_validity_is_at_most_a_year(role_users):
    with pytest.raises(Exception, match="365"):
        token_create(actor=role_users[Role.BUYER], name="Trop long", days=366)


def test_the_secret_is_not_stored(role_users):
    secret = api_token(role_users[Role.BUYER])
    token = ApiToken.objects.get()
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    stored = [*ApiToken.objects.values(), *ApiToken.history.values()]
    assert stored and not any(secret in str(value) for row in stored for value in row.values())


def test_a_read_only_token_may_not_write(role_users, team, project):
    buyer, _ = team
    url = reverse("api:project-transitions", args=[project.pk])
    read = _api(api_token(buyer, scope=TokenScope.READ))
    assert read.get(url).status_code == 200
    assert read.post(url, {"action": "advance"}, format="json").status_code == 403
    assert not project.transitions.exists()
    write = _api(api_token(buyer, scope=TokenScope.WRITE))
    assert write.post(url, {"action": "advance"}, format="json").status_code != 403


def test_a_token_never_writes_more_than_its_owner(role_users):
    governance = role_users[Role.GOVERNANCE]  # a read-only role
    with pytest.raises(Exception, match="lecture"):
        token_create(actor=governance, name="Écriture", scope=TokenScope.WRITE)
    client = APIClient()
    client.force_login(governance)
    response = client.post(reverse("token_create"), {"name": "x", "scope": "write", "days": "90"})
    assert response.status_code == 400 and not ApiToken.objects.exists()


def test_a_password_change_revokes_every_token(client, role_users):
    user = role_users[Role.BUYER]
    secret = api_token(user)
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Un-autre-secret-42",
            "new_password2": "Un-autre-secret-42",
        },
    )
    assert response.status_code == 302
    assert _projects(secret) == 401
    assert "Révoqué (mot de passe changé)" in client.get(reverse("account")).content.decode()


def test_the_account_page_creates_lists_and_revokes_tokens(client, role_users):
    user = role_users[Role.BUYER]
    client.force_login(user)
    response = client.post(reverse("token_create"), {"name": "Tableur", "scope": "read", "days": "30"})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    secret = response.context["new_secret"]
    assert secret in response.content.decode()
    token = ApiToken.objects.get(user=user)
    assert (token.name, token.scope) == ("Tableur", TokenScope.READ)
    assert token.expires_at.date() == (token.created_at + timedelta(days=30)).date()
    page = client.get(reverse("account")).content.decode()
    assert "Tableur" in page and token.prefix in page and secret not in page  # shown once
    assert _projects(secret) == 200
    assert client.post(reverse("token_revoke", args=[token.pk])).status_code == 302
    assert _projects(secret) == 401
    assert "Révoqué" in client.get(reverse("account")).content.decode()


def test_nobody_revokes_another_persons_token(client, role_users):
    secret = api_token(role_users[Role.BUYER])
    token = ApiToken.objects.get()
    client.force_login(role_users[Role.ADMIN])
    assert client.post(reverse("token_revoke", args=[token.pk])).status_code == 404
    assert "Outil de test" not in client.get(reverse("account")).content.decode()
    assert _projects(secret) == 200


def test_anonymous_cannot_create_a_token(client, db):
    response = client.post(reverse("token_create"), {"name": "x", "scope": "read", "days": "90"})
    assert response.status_code == 302 and not ApiToken.objects.exists()


def test_the_schema_documents_the_token(client, role_users):
    client.force_login(role_users[Role.BUYER])
    schema = client.get(reverse("api:schema"), HTTP_ACCEPT="application/json").json()
    scheme = schema["components"]["securitySchemes"]["tokenAuth"]
    assert scheme["name"] == "Authorization" and "lecture seule" in scheme["description"]
