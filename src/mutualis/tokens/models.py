"""Personal API tokens: a secret shown once, stored as its SHA-256 digest, with a scope and an expiry,
void once the owner's password changes."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def password_stamp(user) -> str:
    """A fragment of a hash of the user's password hash: it changes with the password, and tells nothing
    the user table does not already hold."""
    return hashlib.sha256(user.password.encode()).hexdigest()[:16]


class TokenScope(models.TextChoices):
    READ = "read", "Lecture seule"
    WRITE = "write", "Lecture et écriture"


class TokenState(models.TextChoices):
    ACTIVE = "active", "Actif"
    EXPIRED = "expired", "Expiré"
    REVOKED = "revoked", "Révoqué"
    PASSWORD_CHANGED = "password_changed", "Révoqué (mot de passe changé)"


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="personne", on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField("nom", max_length=100, help_text="Pour le reconnaître : l'outil qui s'en sert.")
    digest = models.CharField("empreinte SHA-256 du secret", max_length=64, unique=True, editable=False)
    prefix = models.CharField("début du secret", max_length=12, editable=False)
    scope = models.CharField("portée", max_length=10, choices=TokenScope.choices, default=TokenScope.READ)
    password_stamp = models.CharField(max_length=16, editable=False)
    created_at = models.DateTimeField("créé le", default=timezone.now, editable=False)
    last_used_at = models.DateTimeField("dernière utilisation", null=True, blank=True, editable=False)
    expires_at = models.DateTimeField("expire le")
    revoked_at = models.DateTimeField("révoqué le", null=True, blank=True)
    # last_used_at is written by queryset updates, which keep no history anyway.
    history = HistoricalRecords(excluded_fields=["last_used_at"])

    class Meta:
        verbose_name = "jeton d'API"
        verbose_name_plural = "jetons d'API"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def state(self, now=None) -> TokenState:
        if self.revoked_at is not None:
            return TokenState.REVOKED
        if self.password_stamp != password_stamp(self.user):
            return TokenState.PASSWORD_CHANGED
        if self.expires_at <= (now or timezone.now()):
            return TokenState.EXPIRED
        return TokenState.ACTIVE

    @property
    def is_active(self) -> bool:
        return self.state() == TokenState.ACTIVE

    def get_state_display(self) -> str:
        return self.state().label
