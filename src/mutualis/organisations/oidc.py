"""Single sign-on by OpenID Connect: the provider's discovery document and the authentication backend.

The protocol is mozilla-django-oidc's (authorization code with PKCE, state and nonce, the ID token's
signature checked against the provider's keys); this module adds what the library leaves to its user:
- the endpoints come from `<issuer>/.well-known/openid-configuration`, read on first use and cached;
- the ID token's issuer and audience are checked;
- the user is found by the identity already linked (issuer, `sub`), else by e-mail (case-insensitive,
  one account only), else created active and without any role; the identity is linked then;
- the organisation claims (SIRET, unit) are kept on the identity: shown to the agent and the administrator,
  they never grant a role by themselves.
"""

import logging
import re

import requests
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.utils import timezone
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from .identities import OidcIdentity

log = logging.getLogger("mutualis.security")

DISCOVERY_CACHE_SECONDS = 3600
REQUIRED_ENDPOINTS = ("authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri")


class OidcUnavailable(Exception):
    """The provider cannot be used now; the message is for the person signing in (French)."""


class OidcRefused(Exception):
    """The provider's answer cannot sign this person in; the message is for them (French)."""


def oidc_enabled() -> bool:
    return bool(settings.MUTUALIS_OIDC_ISSUER)


def provider_name() -> str:
    return settings.MUTUALIS_OIDC_PROVIDER_NAME


def is_proconnect() -> bool:
    return provider_name().strip().lower() == "proconnect"


def provider_config() -> dict:
    """The provider's discovery document (cached), checked: its issuer and the endpoints the sign-on uses."""
    issuer = settings.MUTUALIS_OIDC_ISSUER
    key = f"oidc-discovery:{issuer}"
    config = cache.get(key)
    if config is not None:
        return config
    misconfigured = OidcUnavailable(
        f"L'identification par {provider_name()} est mal configurée (MUTUALIS_OIDC_ISSUER) : "
        "prévenez l'administrateur du site."
    )
    try:
        response = requests.get(
            f"{issuer}/.well-known/openid-configuration", timeout=settings.MUTUALIS_OIDC_TIMEOUT
        )
    except requests.RequestException as error:
        log.error("Fournisseur OpenID Connect injoignable (%s) : %s", issuer, error)
        raise OidcUnavailable(
            f"Le service d'identification {provider_name()} ne répond pas : réessayez dans un moment."
        ) from error
    try:
        response.raise_for_status()
        config = response.json()
    except (requests.RequestException, ValueError) as error:
        log.error("Document de découverte OpenID Connect illisible (%s) : %s", issuer, error)
        if response.status_code >= 500:
            raise OidcUnavailable(
                f"Le service d'identification {provider_name()} ne répond pas : réessayez dans un moment."
            ) from error
        raise misconfigured from error
    missing = [name for name in REQUIRED_ENDPOINTS if not isinstance(config, dict) or not config.get(name)]
    if missing or str(config.get("issuer", "")).rstrip("/") != issuer:
        log.error(
            "Document de découverte OpenID Connect incohérent (%s) : émetteur %r, points absents %s",
            issuer,
            config.get("issuer") if isinstance(config, dict) else None,
            missing,
        )
        raise misconfigured
    cache.set(key, config, DISCOVERY_CACHE_SECONDS)
    return config


class PasswordLoginOffBackend(ModelBackend):
    """Django's backend with every password refused (MUTUALIS_PASSWORD_LOGIN=off): sessions, permissions
    and the admin's checks read as usual, but nobody signs in with a password, the admin's page included."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        return None


def _username_for(email: str) -> str:
    from .models import User

    base = re.sub(r"[^\w.@+-]", "", email.lower())[:140] or "agent"
    username, suffix = base, 1
    while User.objects.filter(username__iexact=username).exists():
        suffix += 1
        username = f"{base}-{suffix}"
    return username


class OidcBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend, its endpoints read from the discovery document on first use (a
    password sign-in or a page read never calls the provider)."""

    def __init__(self, *args, **kwargs):
        # Not the library's __init__: it reads the endpoints from the settings at once.
        from .models import User

        self.UserModel = User
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None

    @property
    def OIDC_OP_TOKEN_ENDPOINT(self):
        return provider_config()["token_endpoint"]

    @property
    def OIDC_OP_USER_ENDPOINT(self):
        return provider_config()["userinfo_endpoint"]

    @property
    def OIDC_OP_JWKS_ENDPOINT(self):
        return provider_config()["jwks_uri"]

    def authenticate(self, request, **kwargs):
        # Only the callback view passes a nonce: a password sign-in never reaches the provider.
        if "nonce" not in kwargs or not oidc_enabled():
            return None
        return super().authenticate(request, **kwargs)

    def get_user(self, user_id):
        # Django's, not the library's: a deactivated account's session ends at its next request.
        return ModelBackend.get_user(self, user_id)

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)  # signature, expiry, nonce
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if payload.get("iss", "").rstrip("/") != settings.MUTUALIS_OIDC_ISSUER:
            raise SuspiciousOperation("OpenID Connect: jeton d'un autre émetteur")
        if "nonce" in kwargs and self.OIDC_RP_CLIENT_ID not in audiences:  # the ID token, not userinfo
            raise SuspiciousOperation("OpenID Connect: jeton destiné à un autre client")
        return payload

    def verify_claims(self, claims):
        return bool(claims.get("sub")) and bool(claims.get("email"))

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        if not self.verify_claims(claims) or claims["sub"] != payload.get("sub"):
            raise SuspiciousOperation("OpenID Connect: sub ou e-mail absent, ou sub différent du jeton")
        issuer = settings.MUTUALIS_OIDC_ISSUER
        with transaction.atomic():
            identity = (
                OidcIdentity.objects.select_for_update()
                .select_related("user")
                .filter(issuer=issuer, subject=claims["sub"])
                .first()
            )
            if identity is not None:
                user = identity.user
            else:
                user = self._match_or_create(claims, issuer)
                identity = OidcIdentity(user=user, issuer=issuer, subject=claims["sub"])
            identity.email = claims["email"][:254]
            identity.siret = re.sub(r"\D", "", str(claims.get("siret") or ""))[:14]
            identity.organizational_unit = str(claims.get("organizational_unit") or "")[:255]
            identity.last_login_at = timezone.now()
            identity.save()
        return user

    def _match_or_create(self, claims, issuer):
        email = claims["email"].strip()
        users = list(self.UserModel.objects.filter(email__iexact=email)[:2])
        if len(users) > 1:
            log.warning("OpenID Connect : plusieurs comptes pour l'adresse %s, connexion refusée", email)
            raise SuspiciousOperation("OpenID Connect: plusieurs comptes pour cette adresse")
        if users:
            user = users[0]
            if claims.get("email_verified") is False:
                raise SuspiciousOperation("OpenID Connect: adresse non vérifiée par le fournisseur")
            if user.oidc_identities.filter(issuer=issuer).exists():
                # Linked to another subject already: the same address cannot take the account over.
                raise SuspiciousOperation("OpenID Connect: compte déjà lié à une autre identité")
            log.info("OpenID Connect : identité %s liée au compte %s (par l'adresse)", claims["sub"], user)
            return user
        user = self.UserModel(
            username=_username_for(email),
            email=email,
            first_name=str(claims.get("given_name") or "")[:150],
            last_name=str(claims.get("usual_name") or claims.get("family_name") or "")[:150],
            is_active=True,
        )
        user.set_unusable_password()
        user.save()
        log.info("OpenID Connect : compte %s créé sans rôle pour l'identité %s", user.username, claims["sub"])
        return user
