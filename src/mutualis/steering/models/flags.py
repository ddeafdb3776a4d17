"""A risk flag a person has looked at: flags are computed, their acknowledgement is stored."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords


class FlagAcknowledgement(models.Model):
    """« Vu, justifié : … » on one flag of one record. The flag is named by its kind and the record's
    key (for example kind `single_offer`, key `contract:42`), so a flag computed again finds it."""

    kind = models.CharField("signal", max_length=40)
    key = models.CharField("objet", max_length=80)
    comment = models.TextField("commentaire")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="par", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField("le", default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "signal d'alerte examiné"
        verbose_name_plural = "signaux d'alerte examinés"
        ordering = ["-at"]
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="flag_acknowledged_once")]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} examiné"
