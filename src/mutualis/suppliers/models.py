"""Companies that hold or bid for contracts, deduplicated by identifier."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from mutualis.core.locking import Versioned
from mutualis.core.models import TimeStampedModel
from mutualis.core.scoping import ReadableByAllQuerySet
from mutualis.core.validators import validate_postal_code
from mutualis.geo.validators import validate_commune_code

from .identifiers import IdentifierKind, normalise, validate_identifier


class SizeCategory(models.TextChoices):
    """INSEE company category (décret 2008-1354), derived from the SIREN when known."""

    PME = "PME", "PME (dont micro-entreprise)"
    ETI = "ETI", "Entreprise de taille intermédiaire"
    GE = "GE", "Grande entreprise"


class SupplierQuerySet(ReadableByAllQuerySet):
    def search(self, text: str) -> "SupplierQuerySet":
        text = (text or "").strip()
        if not text:
            return self
        compact = normalise(IdentifierKind.SIRET, text)
        query = models.Q(name__icontains=text) | models.Q(city__icontains=text)
        if compact.isdigit():
            query |= models.Q(identifier__startswith=compact)
        return self.filter(query)

    def inclusive(self) -> "SupplierQuerySet":
        """Structures of the inclusive economy (SIAE, EA/ESAT) and of the ESS."""
        return self.filter(models.Q(is_siae=True) | models.Q(is_ea_esat=True) | models.Q(is_ess=True))


class Supplier(Versioned, TimeStampedModel):
    """A company, identified by SIRET, SIREN or another DECP identifier kind."""

    identifier_kind = models.CharField(
        "type d'identifiant", max_length=10, choices=IdentifierKind.choices, default=IdentifierKind.SIRET
    )
    identifier = models.CharField("identifiant", max_length=30)
    siren = models.CharField("SIREN", max_length=9, blank=True, db_index=True, editable=False)
    name = models.CharField("raison sociale", max_length=200)
    size_category = models.CharField(
        "catégorie d'entreprise", max_length=3, choices=SizeCategory.choices, blank=True
    )
    postal_code = models.CharField("code postal", max_length=5, blank=True, validators=[validate_postal_code])
    insee_code = models.CharField(
        "code commune INSEE", max_length=5, blank=True, validators=[validate_commune_code]
    )
    city = models.CharField("ville", max_length=100, blank=True)
    is_siae = models.BooleanField(
        "SIAE", default=False, help_text="Structure d'insertion par l'activité économique."
    )
    is_ea_esat = models.BooleanField("EA / ESAT", default=False, help_text="Entreprise adaptée ou ESAT.")
    is_ess = models.BooleanField(
        "ESS", default=False, help_text="Entreprise de l'économie sociale et solidaire."
    )
    history = HistoricalRecords()

    objects = SupplierQuerySet.as_manager()

    class Meta:
        verbose_name = "fournisseur"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["identifier_kind", "identifier"], name="supplier_unique_identifier"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("suppliers:supplier_detail", args=[self.pk])

    def clean(self) -> None:
        self.identifier = normalise(self.identifier_kind, self.identifier)
        try:
            validate_identifier(self.identifier_kind, self.identifier)
        except ValidationError as error:
            raise ValidationError({"identifier": error.messages}) from None
        self.siren = (
            self.identifier[:9]
            if self.identifier_kind in {IdentifierKind.SIRET, IdentifierKind.SIREN}
            else ""
        )
        duplicate = (
            Supplier.objects.filter(identifier_kind=self.identifier_kind, identifier=self.identifier)
            .exclude(pk=self.pk)
            .first()
        )
        if duplicate is not None:
            raise ValidationError({"identifier": f"Ce fournisseur existe déjà : {duplicate}."})

    def save(self, *args, **kwargs):
        self.identifier = normalise(self.identifier_kind, self.identifier)
        if self.identifier_kind in {IdentifierKind.SIRET, IdentifierKind.SIREN}:
            self.siren = self.identifier[:9]
        super().save(*args, **kwargs)
