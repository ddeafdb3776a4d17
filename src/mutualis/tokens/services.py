"""Writes on API tokens: creation (the secret is returned once, never stored), revocation, and the
lookup behind each API request."""

import secrets
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from mutualis.organisations.access import access_for
from mutualis.organisations.roles import Perm

from .models import ApiToken, TokenScope, TokenState, digest, password_stamp

DEFAULT_DAYS = 90
MAX_DAYS = 365
# The validity periods offered on the account page (a token's life, not a legal time limit).
LIFETIMES = ((30, "30 jours"), (DEFAULT_DAYS, "90 jours"), (180, "180 jours"), (MAX_DAYS, "1 an"))
SECRET_PREFIX = "mut_"  # noqa: S105 (not a secret) lets secret scanners and people recognise a leaked Mutualis token
LAST_USED_EVERY = timedelta(minutes=5)  # one write per token every few minutes, not per request


def may_write(user) -> bool:
    """Whether the user's roles allow any write: only then may a token write."""
    access = access_for(user)
    return any(access.has(perm) for perm in Perm if not perm.value.startswith("view_"))


def token_create(
    *, actor, name: str, scope: str = TokenScope.READ, days: int = DEFAULT_DAYS
) -> tuple[ApiToken, str]:
    """A new token of the actor's; returns it with its secret, which is shown once and never stored."""
    if not actor.is_authenticated or not actor.is_active:
        raise PermissionDenied
    errors = {}
    if not name.strip():
        errors["name"] = "Donnez un nom au jeton."
    if not 1 <= days <= MAX_DAYS:
        errors["days"] = f"La durée de validité va de 1 à {MAX_DAYS} jours."
    if scope == TokenScope.WRITE and not may_write(actor):
        errors["scope"] = "Vos rôles ne permettent que la lecture : le jeton sera en lecture seule."
    elif scope not in TokenScope.values:
        errors["scope"] = "Portée inconnue."
    if errors:
        raise ValidationError(errors)
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=actor,
        name=name.strip(),
        digest=digest(secret),
        prefix=secret[:12],
        scope=scope,
        password_stamp=password_stamp(actor),
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    return token, secret


def token_revoke(*, actor, token: ApiToken) -> ApiToken:
    """The owner stops a token at once."""
    if token.user_id != actor.pk:
        raise PermissionDenied
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def token_authenticate(secret: str) -> ApiToken | None:
    """The active token with this secret, its use recorded; None if unknown, revoked, expired, or its
    owner changed password or left."""
    token = ApiToken.objects.select_related("user").filter(digest=digest(secret)).first()
    now = timezone.now()
    if token is None or not token.user.is_active or token.state(now) != TokenState.ACTIVE:
        return None
    if token.last_used_at is None or token.last_used_at < now - LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
