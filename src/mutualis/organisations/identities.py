"""An agent's identity at an OpenID Connect provider (ProConnect or the body's own), linked to one user.

The first sign-on matches the user by e-mail (or creates one, with no role); later ones by the provider's
subject (`sub`), whatever the e-mail has become. The last claims of the organisation the agent belongs to
(SIRET, unit) are kept, so that an administrator sees which entity the agent says it belongs to."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from mutualis.core.models import TimeStampedModel


class OidcIdentity(TimeStampedModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="utilisateur",
        on_delete=models.CASCADE,
        related_name="oidc_identities",
    )
    issuer = models.CharField("fournisseur d'identité", max_length=255)
    subject = models.CharField("identifiant chez le fournisseur (sub)", max_length=255)
    email = models.EmailField("adresse transmise", max_length=254, blank=True)
    siret = models.CharField("SIRET transmis", max_length=14, blank=True)
    organizational_unit = models.CharField("service transmis", max_length=255, blank=True)
    last_login_at = models.DateTimeField("dernière connexion", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "identité OpenID Connect"
        verbose_name_plural = "identités OpenID Connect"
        ordering = ["issuer", "subject"]
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="oidc_identity_unique_subject"),
            models.UniqueConstraint(fields=["user", "issuer"], name="oidc_identity_one_per_issuer"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} @ {self.issuer}"

    @property
    def claimed_entity(self):
        """The member entity whose SIRET the provider gave, if any: proposed to the administrator, never a
        role by itself."""
        from .models import Entity

        return Entity.objects.filter(siret=self.siret).first() if self.siret else None
