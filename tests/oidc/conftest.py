"""A real OpenID Connect provider for the module (tests/oidc/provider.py), and settings pointing at it."""

import pytest
from django.core.cache import cache
from django.test import override_settings

from tests.oidc.provider import oidc_provider

TESTSERVER = "http://testserver"


@pytest.fixture(scope="module")
def provider():
    with oidc_provider(
        [f"{TESTSERVER}/compte/identification/retour/"], [f"{TESTSERVER}/compte/connexion/"]
    ) as running:
        yield running


def oidc_settings(provider, **extra):
    return override_settings(
        MUTUALIS_OIDC_ISSUER=provider.issuer,
        MUTUALIS_OIDC_PROVIDER_NAME=extra.pop("name", "l'annuaire de test"),
        MUTUALIS_OIDC_CLIENT_ID=provider.client_id,
        OIDC_RP_CLIENT_ID=provider.client_id,
        MUTUALIS_OIDC_CLIENT_SECRET=provider.client_secret,
        OIDC_RP_CLIENT_SECRET=provider.client_secret,
        OIDC_RP_SCOPES=extra.pop("scopes", "openid email profile siret organizational_unit"),
        **extra,
    )


@pytest.fixture
def with_provider(provider):
    with oidc_settings(provider):
        yield provider
    cache.clear()
