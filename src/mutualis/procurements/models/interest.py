"""A business's interest in a planned purchase, sent from the public portal (issue 19, part 4)."""

from django.db import models
from simple_history.models import HistoricalRecords

from mutualis.core.validators import validate_siret

MESSAGE_MAX = 1000


class InterestQuerySet(models.QuerySet):
    def for_user(self, user) -> "InterestQuerySet":
        """Those of the projects the user sees."""
        from .project import Project

        return self.filter(project__in=Project.objects.for_user(user))


class Interest(models.Model):
    """Written once by the business, never edited; the candidate or supplier link is set on arrival (a
    known SIRET) or when a buyer promotes the candidate."""

    project = models.ForeignKey(
        "procurements.Project", verbose_name="projet", on_delete=models.CASCADE, related_name="interests"
    )
    siret = models.CharField("SIRET", max_length=14, validators=[validate_siret])
    company_name = models.CharField("raison sociale", max_length=200)
    contact_name = models.CharField("nom du contact", max_length=150)
    email = models.EmailField("adresse électronique", max_length=254)
    phone = models.CharField("téléphone", max_length=30, blank=True)
    message = models.TextField("message", max_length=MESSAGE_MAX)
    created_at = models.DateTimeField("reçu le", auto_now_add=True)
    candidate = models.ForeignKey(
        "suppliers.SupplierCandidate",
        verbose_name="fournisseur candidat",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interests",
    )
    supplier = models.ForeignKey(
        "suppliers.Supplier",
        verbose_name="fournisseur",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interests",
    )
    history = HistoricalRecords()

    objects = InterestQuerySet.as_manager()

    class Meta:
        verbose_name = "intérêt d'une entreprise"
        verbose_name_plural = "intérêts d'entreprises"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.company_name} — {self.project}"
