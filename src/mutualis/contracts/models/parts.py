"""What hangs off a contract: holders, amendments, renewal decisions and documents."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from simple_history.models import HistoricalRecords

from .. import enums

DOCUMENT_EXTENSIONS = ["pdf", "odt", "ods", "doc", "docx", "xls", "xlsx", "zip", "png", "jpg", "jpeg"]


class ContractHolder(models.Model):
    """A supplier holding a contract, with the contact entities use to order."""

    contract = models.ForeignKey("contracts.Contract", on_delete=models.CASCADE, related_name="holder_links")
    supplier = models.ForeignKey("suppliers.Supplier", verbose_name="fournisseur", on_delete=models.PROTECT)
    role = models.CharField(
        "rôle", max_length=10, choices=enums.HolderRole.choices, default=enums.HolderRole.SOLE
    )
    contact_name = models.CharField("contact", max_length=120, blank=True)
    contact_email = models.EmailField("courriel du contact", blank=True)
    contact_phone = models.CharField("téléphone du contact", max_length=30, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "titulaire"
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "supplier"], name="holder_unique_per_contract")
        ]

    def __str__(self) -> str:
        return f"{self.supplier} ({self.get_role_display()})"


class Amendment(models.Model):
    """A notified modification, appended in notification order; initial values are never overwritten."""

    contract = models.ForeignKey("contracts.Contract", on_delete=models.CASCADE, related_name="amendments")
    number = models.PositiveSmallIntegerField("numéro")
    notified_on = models.DateField("date de notification")
    kind = models.CharField("fondement", max_length=20, choices=enums.AmendmentKind.choices)
    description = models.CharField("objet de l'avenant", max_length=1000)
    amount_change = models.DecimalField(
        "variation du montant HT (€)", max_digits=14, decimal_places=2, null=True, blank=True,
        help_text="Positive pour une hausse, négative pour une baisse ; vide si le montant ne change pas.",
    )  # fmt: skip
    duration_change_months = models.SmallIntegerField(
        "variation de durée (mois)", null=True, blank=True, help_text="Vide si la durée ne change pas."
    )
    data_published_on = models.DateField("publication des données", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "avenant"
        ordering = ["contract", "number"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="amendment_unique_number"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="amendment_number_from_one"),
        ]

    def __str__(self) -> str:
        return f"Avenant n° {self.number} au {self.contract.reference}"

    def clean(self) -> None:
        if (
            self.amount_change in (None, 0)
            and not self.duration_change_months
            and self.kind == enums.AmendmentKind.LOW_VALUE
        ):
            raise ValidationError({"amount_change": "Une modification de faible montant change le montant."})

    def same_day_warning(self) -> str:
        """A warning when another amendment of the contract was notified the same day, else ""."""
        others = self.contract.amendments.filter(notified_on=self.notified_on).exclude(pk=self.pk)
        numbers = ", ".join(f"n° {n}" for n in others.order_by("number").values_list("number", flat=True))
        if not numbers:
            return ""
        # The national DECP pipeline keeps one state per contract, holder and date: same-day
        # modifications cannot be told apart there, and the published amount or duration may be wrong.
        return (
            f"L'avenant {numbers} au contrat {self.contract.reference} est notifié le même jour "
            f"({self.notified_on:%d/%m/%Y}) : les données essentielles ne savent pas ordonner deux "
            "modifications du même jour. Vérifiez la date ou regroupez-les en un seul avenant."
        )


class RenewalDecision(models.Model):
    """The buyer's decision on a renewal period, or on what follows the contract's end."""

    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.CASCADE, related_name="renewal_decisions"
    )
    period = models.PositiveSmallIntegerField("période concernée")
    kind = models.CharField("décision", max_length=10, choices=enums.RenewalDecisionKind.choices)
    decided_on = models.DateField("décidé le")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="décidé par",
    )
    comment = models.TextField("commentaire", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "décision de reconduction"
        verbose_name_plural = "décisions de reconduction"
        ordering = ["contract", "period"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "period"], name="renewal_decision_once_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} (période {self.period})"


def document_path(instance, filename: str) -> str:
    return f"contracts/{instance.contract_id}/{filename}"


def validate_document_size(file) -> None:
    limit = settings.MUTUALIS_DOCUMENT_MAX_BYTES
    if file.size > limit:
        raise ValidationError(f"Le fichier dépasse {limit // (1024 * 1024)} Mo.")


class ContractDocument(models.Model):
    """A file attached to a contract; served only to those who may see the contract."""

    contract = models.ForeignKey("contracts.Contract", on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField("type de document", max_length=12, choices=enums.DocumentKind.choices)
    title = models.CharField("titre", max_length=200)
    file = models.FileField(
        "fichier",
        upload_to=document_path,
        validators=[FileExtensionValidator(DOCUMENT_EXTENSIONS), validate_document_size],
        help_text="PDF, bureautique, image ou ZIP.",
    )
    size = models.PositiveIntegerField("taille (octets)", editable=False, default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="déposé par",
    )
    uploaded_at = models.DateTimeField("déposé le", auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "document"
        ordering = ["contract", "kind", "title"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if self.file:
            self.size = self.file.size
        super().save(*args, **kwargs)
