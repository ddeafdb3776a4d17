"""Companies that hold or bid for contracts, deduplicated by identifier."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from mutualis.core.locking import Versioned
from mutualis.core.models import ImportRecord, TimeStampedModel
from mutualis.core.scoping import ReadableByAllQuerySet
from mutualis.core.validators import validate_postal_code
from mutualis.geo.validators import validate_commune_code

from .identifiers import IdentifierKind, normalise, validate_identifier


class SizeCategory(models.TextChoices):
    """INSEE company category (décret 2008-1354), derived from the SIREN when known."""

    PME = "PME", "PME (dont micro-entreprise)"
    ETI = "ETI", "Entreprise de taille intermédiaire"
    GE = "GE", "Grande entreprise"


class SireneState(models.TextChoices):
    """Administrative state in SIRENE: legal unit A/C, establishment A/F (DOMAIN-2 §2.2)."""

    ACTIVE = "active", "Active"
    CEASED = "ceased", "Cessée (unité légale)"
    CLOSED = "closed", "Fermé (établissement)"


class InclusionKind(models.TextChoices):
    """The `kind` of le marché de l'inclusion (betagouv/lemarche, DOMAIN-2 §2.3)."""

    EI = "EI", "Entreprise d'insertion (EI)"
    AI = "AI", "Association intermédiaire (AI)"
    ACI = "ACI", "Atelier et chantier d'insertion (ACI)"
    ETTI = "ETTI", "Entreprise de travail temporaire d'insertion (ETTI)"
    EITI = "EITI", "Entreprise d'insertion par le travail indépendant (EITI)"
    GEIQ = "GEIQ", "Groupement d'employeurs pour l'insertion et la qualification (GEIQ)"
    EA = "EA", "Entreprise adaptée (EA)"
    EATT = "EATT", "Entreprise adaptée de travail temporaire (EATT)"
    ESAT = "ESAT", "Établissement et service d'aide par le travail (ESAT)"
    SEP = "SEP", "Produits et services réalisés en prison (SEP)"


SIAE_KINDS = frozenset({"EI", "AI", "ACI", "ETTI", "EITI", "GEIQ"})
EA_ESAT_KINDS = frozenset({"EA", "EATT", "ESAT"})


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
    # Filled by the SIRENE import (sirene/), each with the date of the data it came from.
    address = models.CharField("adresse", max_length=250, blank=True)
    legal_form = models.CharField(
        "forme juridique", max_length=4, blank=True, help_text="Catégorie juridique INSEE (4 chiffres)."
    )
    naf_code = models.CharField("activité principale (NAF)", max_length=6, blank=True)
    sirene_state = models.CharField("état SIRENE", max_length=6, choices=SireneState.choices, blank=True)
    sirene_date = models.DateField("date des données SIRENE", null=True, blank=True)
    inclusion_kind = models.CharField(
        "structure inclusive", max_length=5, choices=InclusionKind.choices, blank=True
    )
    inclusion_date = models.DateField("date de la liste de l'inclusion", null=True, blank=True)
    history = HistoricalRecords()

    objects = SupplierQuerySet.as_manager()

    class Meta:
        verbose_name = "fournisseur"
        ordering = ["name"]
        # The directory lists by name: its pages read the index in order instead of sorting every row.
        indexes = [models.Index(fields=["name"], name="supplier_name_idx")]
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
        self.clean_identifier()
        duplicate = (
            Supplier.objects.filter(identifier_kind=self.identifier_kind, identifier=self.identifier)
            .exclude(pk=self.pk)
            .first()
        )
        if duplicate is not None:
            raise ValidationError({"identifier": f"Ce fournisseur existe déjà : {duplicate}."})

    def clean_identifier(self) -> None:
        """The identifier normalised and checked, without the query for duplicates (a batch that looked
        its suppliers up already calls this alone)."""
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

    @property
    def legal_form_label(self) -> str:
        from .legal_forms import legal_form_label

        return legal_form_label(self.legal_form)

    def apply_inclusion_kind(self) -> None:
        """A known kind decides the SIAE and EA/ESAT flags; without one, the flags stay as entered."""
        if self.inclusion_kind:
            self.is_siae = self.inclusion_kind in SIAE_KINDS
            self.is_ea_esat = self.inclusion_kind in EA_ESAT_KINDS

    def save(self, *args, **kwargs):
        self.apply_inclusion_kind()
        self.identifier = normalise(self.identifier_kind, self.identifier)
        if self.identifier_kind in {IdentifierKind.SIRET, IdentifierKind.SIREN}:
            self.siren = self.identifier[:9]
        super().save(*args, **kwargs)


class DataImportKind(models.TextChoices):
    ESTABLISHMENTS = "sirene_etab", "SIRENE : établissements (StockEtablissement)"
    LEGAL_UNITS = "sirene_ul", "SIRENE : unités légales (StockUniteLegale)"
    INCLUSION = "inclusion", "Liste de structures inclusives (SIAE, EA, ESAT)"


class DataImportStatus(models.TextChoices):
    QUEUED = "queued", "En attente"
    RUNNING = "running", "En cours"
    DONE = "done", "Terminé"
    FAILED = "failed", "Échec"


class SupplierDataImport(ImportRecord):
    """One import of a file that enriches suppliers (SIRENE extract, inclusion list): its counts and its
    line-level report. The run is the trace of the import."""

    kind = models.CharField("fichier", max_length=12, choices=DataImportKind.choices)
    data_date = models.DateField("date des données")
    status = models.CharField(
        "état", max_length=10, choices=DataImportStatus.choices, default=DataImportStatus.QUEUED
    )
    file_name = models.CharField("nom du fichier", max_length=255)
    path = models.CharField("fichier stocké", max_length=500, blank=True)

    objects = ReadableByAllQuerySet.as_manager()

    class Meta:
        verbose_name = "import de données fournisseurs"
        verbose_name_plural = "imports de données fournisseurs"
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} du {self.data_date:%d/%m/%Y}"


class SupplierCandidateQuerySet(ReadableByAllQuerySet):
    def search(self, text: str) -> "SupplierCandidateQuerySet":
        """The declared name, or the start of the SIRET (spaces ignored)."""
        text = (text or "").strip()
        if not text:
            return self
        query = models.Q(name__icontains=text)
        compact = normalise(IdentifierKind.SIRET, text)
        if compact.isdigit():
            query |= models.Q(siret__startswith=compact)
        return self.filter(query)

    def promoted(self, value: bool = True) -> "SupplierCandidateQuerySet":
        return self.filter(supplier__isnull=not value)

    def interested_in_family(self, family) -> "SupplierCandidateQuerySet":
        """Candidates who showed interest in a project of this family; a subquery, so that the rows stay
        one per candidate (and a count of interests on them stays right)."""
        matching = SupplierCandidate.objects.filter(interests__project__family=family).values("pk")
        return self.filter(pk__in=matching)


class SupplierCandidate(TimeStampedModel):
    """A company that made itself known (interest shown on the portal), not yet in the directory.

    A separate table rather than a flag on Supplier: contracts, offers, spend, evaluations and the steering
    cube all read Supplier, and none of them may ever see a company nobody checked. A buyer promotes a
    candidate explicitly (`candidate_promote`): that creates the Supplier and links it here.
    """

    siret = models.CharField("SIRET", max_length=14, unique=True)
    name = models.CharField("raison sociale déclarée", max_length=200)
    supplier = models.OneToOneField(
        Supplier,
        verbose_name="fournisseur créé",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="candidate",
    )
    history = HistoricalRecords()

    objects = SupplierCandidateQuerySet.as_manager()

    class Meta:
        verbose_name = "fournisseur candidat"
        verbose_name_plural = "fournisseurs candidats"
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.siret})"

    def get_absolute_url(self) -> str:
        return reverse("suppliers:candidate_list")
