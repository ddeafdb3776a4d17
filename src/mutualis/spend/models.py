"""What the entities actually paid: payment orders (mandats) from their finance software, matched to the
registry's contracts, and the mapping of budget accounts to purchase families for what is off contract."""

from django.db import models
from django.db.models import Count, Q, Sum
from simple_history.models import HistoricalRecords

from mutualis.core.models import ImportRecord
from mutualis.core.scoping import ReadableByAllQuerySet
from mutualis.organisations.access import access_for
from mutualis.organisations.models import EntityKind, buyer_key


class Nomenclature(models.TextChoices):
    """The budget nomenclature of an entity: it decides what its account numbers mean."""

    M21 = "M21", "M21 (établissements publics de santé)"
    M57 = "M57", "M57 (collectivités territoriales et leurs établissements)"


class MatchMethod(models.TextChoices):
    """How a spend line was joined to a contract (or not): every link says how it was made."""

    REFERENCE = "reference", "Numéro de marché du mandat"
    SUPPLIER = "supplier", "Seul contrat en cours du fournisseur"
    SUPPLIER_FAMILY = "supplier_family", "Contrat du fournisseur dans la famille du compte"
    OFF_CONTRACT = "off_contract", "Hors marché"
    MANUAL = "manual", "Corrigé par un acheteur"


class SpendImportStatus(models.TextChoices):
    QUEUED = "queued", "En attente"
    RUNNING = "running", "En cours"
    DONE = "done", "Terminé"
    FAILED = "failed", "Échec"


class EntityScopedQuerySet(models.QuerySet):
    def for_user(self, user) -> "EntityScopedQuerySet":
        """The team sees every entity's spend; an entity role sees its own entities'."""
        scope = access_for(user).entity_ids
        return self if scope is None else self.filter(entity_id__in=scope)


class SpendImportQuerySet(EntityScopedQuerySet):
    def failed_since(self, moment) -> "SpendImportQuerySet":
        """Runs that failed from this moment on, the latest first."""
        return self.filter(status=SpendImportStatus.FAILED, started_at__gte=moment).order_by("-started_at")


class SpendImport(ImportRecord):
    """One import of an entity's finance export(s): the run, its counts and its line-level report."""

    entity = models.ForeignKey(
        "organisations.Entity", verbose_name="entité", on_delete=models.PROTECT, related_name="spend_imports"
    )
    status = models.CharField(
        "état", max_length=10, choices=SpendImportStatus.choices, default=SpendImportStatus.QUEUED
    )
    dry_run = models.BooleanField("simulation", default=False)
    files = models.JSONField("fichiers", default=list)

    objects = SpendImportQuerySet.as_manager()

    class Meta:
        verbose_name = "import de dépenses"
        verbose_name_plural = "imports de dépenses"
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"Import de dépenses du {self.started_at:%d/%m/%Y %H:%M}"


class SpendLineQuerySet(EntityScopedQuerySet):
    def on_contract(self) -> "SpendLineQuerySet":
        return self.filter(contract__isnull=False)

    def off_contract(self) -> "SpendLineQuerySet":
        return self.filter(contract__isnull=True)

    def of_group(self, group) -> "SpendLineQuerySet":
        """Lines paid on a groupement's contracts, subsequent contracts of its frameworks included: each
        member's execution of what the coordinator passed for all (L2113-7)."""
        return self.filter(
            Q(contract__purchasing_group=group) | Q(contract__framework__purchasing_group=group)
        )

    def per_entity(self) -> dict[int, dict]:
        """Entity id → {"amount": HT total, "lines": number of mandates}."""
        rows = self.order_by().values("entity_id").annotate(amount=Sum("amount_ht"), lines=Count("pk"))
        return {row["entity_id"]: row for row in rows}

    def of_buyer(self, buyer) -> "SpendLineQuerySet":
        """Lines of the entities a buyer buys for (its buyer key), itself included."""
        return self.annotate(legal_buyer=buyer_key("entity__")).filter(legal_buyer=buyer.pk)

    def search(self, text: str) -> "SpendLineQuerySet":
        text = (text or "").strip()
        if not text:
            return self
        query = (
            Q(supplier_name__icontains=text)
            | Q(label__icontains=text)
            | Q(mandate_number=text)
            | Q(contract_reference__icontains=text)
        )
        digits = text.replace(" ", "")
        if digits.isdigit():
            query |= Q(supplier_siret__startswith=digits) | Q(account__startswith=digits)
        return self.filter(query)


class SpendLine(models.Model):
    """One payment order (mandat) of an entity, as its finance software exported it, and its link."""

    entity = models.ForeignKey(
        "organisations.Entity",
        verbose_name="entité",
        on_delete=models.PROTECT,
        related_name="spend_lines",
        db_index=False,  # the unique key (entity, fiscal_year, mandate_number) starts with it
    )
    fiscal_year = models.PositiveSmallIntegerField("exercice")
    mandate_number = models.CharField("numéro de mandat", max_length=40)
    paid_on = models.DateField("date")
    supplier_siret = models.CharField("SIRET du fournisseur", max_length=14, blank=True)
    supplier_siren = models.CharField("SIREN du fournisseur", max_length=9, blank=True)
    supplier_name = models.CharField("fournisseur", max_length=200, blank=True)
    supplier = models.ForeignKey(
        "suppliers.Supplier",
        verbose_name="fournisseur du référentiel",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="spend_lines",
        db_index=False,  # a supplier is rarely deleted; its lines are read by SIREN
    )
    amount_ht = models.DecimalField("montant HT (€)", max_digits=14, decimal_places=2)
    amount_ttc = models.DecimalField(
        "montant TTC (€)", max_digits=14, decimal_places=2, null=True, blank=True
    )
    account = models.CharField("compte", max_length=20)
    contract_reference = models.CharField("numéro de marché", max_length=40, blank=True)
    label = models.CharField("libellé", max_length=300, blank=True)
    contract = models.ForeignKey(
        "contracts.Contract",
        verbose_name="contrat",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="spend_lines",
        db_index=False,  # spend_line_contract (contract, entity) starts with it
    )
    family = models.ForeignKey(
        "catalogue.PurchaseFamily",
        verbose_name="famille d'achat",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="spend_lines",
        db_index=False,  # spend_line_map (fiscal_year, family, …) serves the reads
    )
    match_method = models.CharField(
        "rattachement", max_length=20, choices=MatchMethod.choices, default=MatchMethod.OFF_CONTRACT
    )
    # The entity is neither the contract's buyer nor among the entities it was made available to.
    not_entitled = models.BooleanField("entité non utilisatrice du contrat", default=False)
    spend_import = models.ForeignKey(
        SpendImport,
        verbose_name="import",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lines",
    )
    # Imports write rows in bulk (their run is their trace); a buyer's correction goes through save()
    # and is recorded here.
    history = HistoricalRecords()

    objects = SpendLineQuerySet.as_manager()

    class Meta:
        verbose_name = "ligne de dépense"
        verbose_name_plural = "lignes de dépense"
        ordering = ["-paid_on", "mandate_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["entity", "fiscal_year", "mandate_number"], name="spend_line_unique_mandate"
            ),
        ]
        # Each index costs a million-row import its share (benchmarks/import_spend.py): the foreign keys'
        # own indexes are left out where a composite one starts with the same column or nothing reads them,
        # and the spend map reads its cubes (spend/cube.py), not the lines.
        indexes = [
            models.Index(fields=["contract", "entity"], name="spend_line_contract"),
        ]

    def __str__(self) -> str:
        return f"Mandat {self.mandate_number} ({self.fiscal_year})"

    @property
    def is_off_contract(self) -> bool:
        return self.contract_id is None


class AccountFamily(models.Model):
    """Budget account (or account prefix) → purchase family, per nomenclature: classifies off-contract
    spend. The longest matching prefix wins, so 6021 can go elsewhere than 602."""

    nomenclature = models.CharField("nomenclature", max_length=3, choices=Nomenclature.choices)
    account = models.CharField("compte (ou racine)", max_length=20)
    label = models.CharField("intitulé du compte", max_length=200, blank=True)
    family = models.ForeignKey(
        "catalogue.PurchaseFamily",
        verbose_name="famille d'achat",
        on_delete=models.CASCADE,
        related_name="budget_accounts",
    )
    history = HistoricalRecords()

    objects = ReadableByAllQuerySet.as_manager()

    class Meta:
        verbose_name = "compte budgétaire"
        verbose_name_plural = "comptes budgétaires"
        ordering = ["nomenclature", "account"]
        constraints = [
            models.UniqueConstraint(fields=["nomenclature", "account"], name="account_family_unique"),
            models.CheckConstraint(
                condition=Q(account__regex=r"^[0-9]{1,20}$"), name="account_family_digits"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nomenclature} {self.account} → {self.family.code}"


def nomenclature_of(entity) -> str:
    """Health establishments keep M21 accounts; communes, EPCIs and the others M57."""
    hospital = entity.kind in (EntityKind.SUPPORT_ESTABLISHMENT, EntityKind.MEMBER_HOSPITAL)
    return Nomenclature.M21 if hospital else Nomenclature.M57


class SpendFamilyCell(models.Model):
    """The spend map's cube by family: the lines of one entity, fiscal year, family and side of the
    contract line, summed. Rebuilt from the lines by spend.cube after every write (never edited), so the
    map reads a few thousand cells instead of millions of lines, and the lines need no wide index."""

    entity = models.ForeignKey("organisations.Entity", on_delete=models.CASCADE, related_name="+")
    fiscal_year = models.PositiveSmallIntegerField("exercice")
    family = models.ForeignKey(
        "catalogue.PurchaseFamily", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    off = models.BooleanField("hors marché")
    amount = models.DecimalField("montant HT (€)", max_digits=16, decimal_places=2)
    lines = models.PositiveIntegerField("mandats")

    objects = EntityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "cellule de la cartographie (famille)"
        indexes = [models.Index(fields=["fiscal_year", "family", "entity"], name="spend_family_cell")]

    def __str__(self) -> str:
        return f"{self.fiscal_year} · famille {self.family_id} · entité {self.entity_id}"


class SpendSupplierCell(models.Model):
    """The spend map's cube by supplier (SIREN): same rule as SpendFamilyCell."""

    entity = models.ForeignKey("organisations.Entity", on_delete=models.CASCADE, related_name="+")
    fiscal_year = models.PositiveSmallIntegerField("exercice")
    supplier_siren = models.CharField("SIREN du fournisseur", max_length=9, blank=True)
    supplier_name = models.CharField("fournisseur", max_length=200, blank=True)
    off = models.BooleanField("hors marché")
    amount = models.DecimalField("montant HT (€)", max_digits=16, decimal_places=2)
    lines = models.PositiveIntegerField("mandats")

    objects = EntityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "cellule de la cartographie (fournisseur)"
        indexes = [models.Index(fields=["fiscal_year", "supplier_siren"], name="spend_supplier_cell")]

    def __str__(self) -> str:
        return f"{self.fiscal_year} · SIREN {self.supplier_siren or '—'} · entité {self.entity_id}"
