"""Brute force on the login form: accounts and addresses locked after repeated failures, logged, lifted
by an administrator."""

import logging

import pytest
from django.urls import reverse

from mutualis.organisations.roles import Role
from tests.conftest import PASSWORD

LOGIN = reverse("login")


def attempt(client, username, password, address="198.51.100.7", **headers):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address, **headers)


def test_an_account_is_locked_after_five_failures_even_for_the_right_password(client, role_users, caplog):
    buyer = role_users[Role.BUYER]
    with caplog.at_level(logging.WARNING, logger="mutualis.security"):
        codes = [attempt(client, buyer.username, "mauvais-mot-de-passe").status_code for _ in range(5)]
    assert codes == [200] * 5  # the form says the password is wrong
    assert (
        sum("Échec de connexion pour le compte « u_buyer » depuis 198.51.100.7" in m for m in caplog.messages)
        == 5
    )
    refused = attempt(client, buyer.username, PASSWORD)
    assert refused.status_code == 429
    assert "Trop de tentatives de connexion sur ce compte" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    # Another person at the same address still logs in: the address limit is higher.
    assert attempt(client, role_users[Role.LEGAL_OFFICER].username, PASSWORD).status_code == 302


def test_an_address_is_locked_after_many_failures_whatever_the_forwarded_header(client, role_users, settings):
    settings.MUTUALIS_LOGIN_ADDRESS_FAILURES = 3
    for n in range(3):
        attempt(client, f"inconnu{n}", "x", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    refused = attempt(client, role_users[Role.BUYER].username, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert refused.status_code == 429 and "depuis votre adresse" in refused.content.decode()
    assert attempt(client, role_users[Role.BUYER].username, PASSWORD, address="192.0.2.1").status_code == 302


def test_behind_a_trusted_proxy_the_forwarded_client_is_counted(client, role_users, settings):
    settings.MUTUALIS_TRUSTED_PROXIES = 1
    settings.MUTUALIS_LOGIN_ADDRESS_FAILURES = 2
    for _ in range(2):
        attempt(client, "inconnu", "x", address="10.0.0.1", HTTP_X_FORWARDED_FOR="spoof, 203.0.113.5")
    buyer = role_users[Role.BUYER].username
    locked = attempt(client, buyer, PASSWORD, address="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert locked.status_code == 429
    other = attempt(client, buyer, PASSWORD, address="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.6")
    assert other.status_code == 302  # another client behind the same proxy is not locked out


@pytest.mark.parametrize("role", [Role.ADMIN, Role.REFERENT], ids=lambda r: r.value)
def test_an_administrator_lifts_the_lock(client, role_users, role):
    buyer = role_users[Role.BUYER]
    for _ in range(5):
        attempt(client, buyer.username, "mauvais-mot-de-passe")
    client.force_login(role_users[role])
    page = client.get(reverse("organisations:user_detail", args=[buyer.pk]))
    response = client.post(reverse("organisations:user_unlock", args=[buyer.pk]))
    if role == Role.REFERENT:
        assert response.status_code == 403
        return
    assert "Débloquer la connexion" in page.content.decode()
    assert response.status_code == 302
    client.logout()
    assert attempt(client, buyer.username, PASSWORD).status_code == 302
