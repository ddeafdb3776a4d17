"""Brute force on the login form: failures counted per account and per address, in the shared cache.

An account is locked after MUTUALIS_LOGIN_ACCOUNT_FAILURES failures within the window, an address after
MUTUALIS_LOGIN_ADDRESS_FAILURES (higher: a hospital's staff often leave through one public address).
The lock ends by itself with the window; an administrator can lift an account's lock from its page.
Every failure is logged with the account and the address.
"""

import hashlib
import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver

from mutualis.core.clients import client_ip

from .access import access_for
from .roles import Perm

log = logging.getLogger("mutualis.security")


@dataclass(frozen=True)
class Lock:
    """Why a login is refused before the password is even checked."""

    message: str


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"login-failures:{kind}:{digest}"


def _window() -> int:
    return settings.MUTUALIS_LOGIN_LOCK_MINUTES * 60


def _count(key: str) -> int:
    return cache.get(key, 0)


def _add(key: str) -> None:
    cache.add(key, 0, timeout=_window())
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=_window())


def lock_for(username: str, address: str | None) -> Lock | None:
    """The lock that refuses this login now, if any."""
    minutes = settings.MUTUALIS_LOGIN_LOCK_MINUTES
    if username and _count(_key("account", username)) >= settings.MUTUALIS_LOGIN_ACCOUNT_FAILURES:
        return Lock(
            f"Trop de tentatives de connexion sur ce compte : il est bloqué {minutes} minutes. "
            "Réessayez plus tard, ou demandez à un administrateur de le débloquer."
        )
    if address and _count(_key("address", address)) >= settings.MUTUALIS_LOGIN_ADDRESS_FAILURES:
        return Lock(
            f"Trop de tentatives de connexion depuis votre adresse : réessayez dans {minutes} minutes."
        )
    return None


def account_is_locked(username: str) -> bool:
    return _count(_key("account", username)) >= settings.MUTUALIS_LOGIN_ACCOUNT_FAILURES


def login_unlock(*, actor, username: str) -> None:
    """Lift an account's lock (an administrator, from the person's page)."""
    if not access_for(actor).has(Perm.MANAGE_MEMBERSHIPS):
        raise PermissionDenied
    cache.delete(_key("account", username))
    log.warning("Blocage de connexion levé pour %s par %s", username, actor)


@receiver(user_login_failed)
def _count_failure(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username") or "")
    address = client_ip(request) if request is not None else None
    if username:
        _add(_key("account", username))
    if address:
        _add(_key("address", address))
    log.warning("Échec de connexion pour le compte « %s » depuis %s", username[:150], address or "?")


@receiver(user_logged_in)
def _forget_failures(sender, user, request=None, **kwargs):
    cache.delete(_key("account", user.get_username()))
