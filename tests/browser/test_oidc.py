"""Issue 21: an agent signs in through a real OpenID Connect provider (tests/oidc/provider.mjs) with
ProConnect's button, gets an account without any role, and signs out of both Mutualis and the provider."""

import copy
import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings
from playwright.sync_api import expect

from mutualis.organisations.models import Territory, User
from tests.browser.conftest import assert_accessible, open_page
from tests.oidc.provider import AGENTS, oidc_provider

AGENT = AGENTS[0]


@pytest.fixture
def provider_page(browser, live_server, transactional_db):
    Territory.objects.create(name="GHT de l'exemple", short_name="GHT Exemple", kind="ght")
    with oidc_provider(
        [f"{live_server.url}/compte/identification/retour/"], [f"{live_server.url}/compte/connexion/"]
    ) as provider:
        csp = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
        csp["DIRECTIVES"]["form-action"].append(provider.issuer)  # as settings.py does for the issuer
        with (
            override_settings(
                MUTUALIS_OIDC_ISSUER=provider.issuer,
                MUTUALIS_OIDC_PROVIDER_NAME="ProConnect",
                OIDC_RP_CLIENT_ID=provider.client_id,
                OIDC_RP_CLIENT_SECRET=provider.client_secret,
                OIDC_RP_SCOPES="openid email given_name usual_name siret",
                CONTENT_SECURITY_POLICY=csp,
            ),
            open_page(browser, live_server) as page,
        ):
            yield page, provider
        cache.clear()


def test_an_agent_signs_in_through_the_provider_and_out_again(provider_page):
    page, provider = provider_page
    page.goto("/compte/connexion/")
    assert_accessible(page)
    expect(page.get_by_role("link", name="Qu’est-ce que ProConnect ?")).to_have_attribute("target", "_blank")

    page.get_by_role("button", name="S’identifier avec ProConnect").click()
    page.wait_for_url(f"{provider.issuer}/interaction/**")
    page.get_by_label("Adresse électronique").fill(AGENT["email"])
    page.get_by_role("button", name="Valider").click()

    page.wait_for_url("**/compte/en-attente/")
    expect(page.get_by_role("heading", name="Compte en attente d'un rôle")).to_be_visible()
    expect(page.get_by_text("aucun rôle ne vous est encore attribué", exact=False)).to_be_visible()
    assert_accessible(page)
    user = User.objects.get(email=AGENT["email"])
    assert not user.memberships.exists()

    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(f"{provider.issuer}/session/end**")
    page.get_by_role("button", name="Se déconnecter du fournisseur").click()
    page.wait_for_url(re.compile(r".*/compte/connexion/\?state=.*"))
    expect(page.get_by_role("button", name="S’identifier avec ProConnect")).to_be_visible()
    # Signed out of Mutualis: a page asks for the sign-in again.
    page.goto("/compte/")
    page.wait_for_url("**/compte/connexion/?next=/compte/")
