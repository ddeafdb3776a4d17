"""Published contract data (DECP) imported from open-data files, and the runs that imported it.

Records of buyers outside the territory are kept here as external contracts, for benchmarking; they
never mix with the territory's registry (contracts app).
"""

from pathlib import PurePath

from django.conf import settings
from django.db import models

from mutualis.core.fulltext import FullTextIndex
from mutualis.core.scoping import ReadableByAllQuerySet


class PublishedKind(models.TextChoices):
    CONTRACT = "marche", "Marché"
    CONCESSION = "concession", "Contrat de concession"


def cpv_prefix_range(code: str) -> models.Q:
    """CPV codes under `code` (its sub-tree: the code without its trailing zeros as a prefix), written as
    a range: `startswith` is a LIKE that SQLite cannot answer from the CPV index, a range is not."""
    prefix = code.rstrip("0") or code
    following = prefix[:-1] + chr(ord(prefix[-1]) + 1)  # "339" → "33:", still after every "339…"
    return models.Q(cpv__gte=prefix, cpv__lt=following)


class ExternalContractQuerySet(ReadableByAllQuerySet):
    """Published data: whoever may read contracts reads all of it."""

    def for_cpv(self, code: str) -> "ExternalContractQuerySet":
        return self.filter(cpv_prefix_range(code))

    def search(self, text: str) -> "ExternalContractQuerySet":
        """Words of the object or the buyer's name (full text, in French), best match first."""
        return SEARCH_INDEX.search(self, text)


class ExternalContract(models.Model):
    """A contract published as DECP by a buyer that is not a member of the territory."""

    uid = models.CharField("identifiant national (uid)", max_length=40, unique=True)
    kind = models.CharField(
        "type", max_length=10, choices=PublishedKind.choices, default=PublishedKind.CONTRACT
    )
    buyer_siret = models.CharField("SIRET de l'acheteur", max_length=14, db_index=True)
    buyer_name = models.CharField("acheteur", max_length=300, blank=True)
    reference = models.CharField("identifiant (id)", max_length=40)
    object = models.TextField("objet", blank=True)
    nature = models.CharField("nature", max_length=60, blank=True)
    procedure = models.CharField("procédure", max_length=80, blank=True)
    cpv = models.CharField("code CPV", max_length=8, blank=True, db_index=True)
    amount = models.DecimalField("montant HT", max_digits=16, decimal_places=2, null=True, blank=True)
    notification_date = models.DateField("date de notification", null=True, blank=True)
    published_on = models.DateField("publication des données", null=True, blank=True)
    duration_months = models.PositiveIntegerField("durée (mois)", null=True, blank=True)
    offers_received = models.PositiveIntegerField("offres reçues", null=True, blank=True)
    techniques = models.JSONField("techniques", default=list, blank=True)
    social_considerations = models.JSONField("considérations sociales", default=list, blank=True)
    environmental_considerations = models.JSONField(
        "considérations environnementales", default=list, blank=True
    )
    has_social_consideration = models.BooleanField(default=False)
    has_environmental_consideration = models.BooleanField(default=False)
    modifications = models.JSONField("modifications", default=list, blank=True)
    source = models.CharField("source", max_length=200, blank=True)
    fingerprint = models.CharField(max_length=32, blank=True, editable=False)
    schema_version = models.CharField("format", max_length=10, blank=True)
    imported_at = models.DateTimeField("importé le", auto_now=True)

    objects = ExternalContractQuerySet.as_manager()

    class Meta:
        verbose_name = "contrat externe"
        verbose_name_plural = "contrats externes"
        ordering = ["-notification_date", "uid"]
        indexes = [
            # The benchmark's newest contracts of a code, ties by id, read in index order (no sort).
            models.Index(fields=["cpv", "notification_date", "id"], name="external_cpv_date_id"),
            # The published contracts' list, in its default order, without sorting a million rows.
            models.Index(fields=["-notification_date", "uid"], name="external_notified_uid"),
        ]

    def __str__(self) -> str:
        return f"{self.uid} — {self.object[:80]}"


# Published contracts' words (core/fulltext): the object ranks above the buyer's name.
SEARCH_INDEX = FullTextIndex("opendata.ExternalContract", {"object": "A", "buyer_name": "B"})


class ExternalHolder(models.Model):
    """A holder of an external contract, by identifier (DECP v2 publishes no names)."""

    contract = models.ForeignKey(ExternalContract, on_delete=models.CASCADE, related_name="holders")
    identifier_kind = models.CharField("type d'identifiant", max_length=10)
    identifier = models.CharField("identifiant", max_length=40, db_index=True)
    name = models.CharField("raison sociale", max_length=300, blank=True)

    class Meta:
        verbose_name = "titulaire externe"
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "identifier_kind", "identifier"], name="external_holder_once"
            )
        ]

    def __str__(self) -> str:
        return self.name or self.identifier


class BenchmarkCell(models.Model):
    """The published contracts of one CPV code, summed for the benchmark page (opendata/summary.py):
    never edited, summed again from the contracts for the codes an import touched."""

    cpv = models.CharField("code CPV", max_length=8)
    contracts = models.PositiveIntegerField("contrats")
    amount = models.DecimalField("montant HT", max_digits=20, decimal_places=2, null=True)

    class Meta:
        abstract = True


class BenchmarkCpvCell(BenchmarkCell):
    """Totals of one CPV code; amount is the sum of the known amounts, counted in `amounts`."""

    amounts = models.PositiveIntegerField("montants connus")
    offers = models.PositiveBigIntegerField("offres reçues (somme)")
    with_offers = models.PositiveIntegerField("contrats aux offres publiées")
    social = models.PositiveIntegerField("considération sociale")
    environmental = models.PositiveIntegerField("considération environnementale")
    with_considerations = models.PositiveIntegerField("format 2022")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cpv"], name="benchmark_cpv_once")]

    def __str__(self) -> str:
        return f"CPV {self.cpv} : {self.contracts} contrats"


class BenchmarkBuyerCell(BenchmarkCell):
    buyer_siret = models.CharField("SIRET de l'acheteur", max_length=14)
    buyer_name = models.CharField("acheteur", max_length=300, blank=True)
    last_notified = models.DateField("dernière notification", null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cpv", "buyer_siret"], name="benchmark_buyer_once")]

    def __str__(self) -> str:
        return f"CPV {self.cpv} · acheteur {self.buyer_siret} : {self.contracts} contrats"


class BenchmarkHolderCell(BenchmarkCell):
    identifier_kind = models.CharField("type d'identifiant", max_length=10)
    identifier = models.CharField("identifiant", max_length=40)
    name = models.CharField("raison sociale", max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cpv", "identifier_kind", "identifier"], name="benchmark_holder_once"
            )
        ]

    def __str__(self) -> str:
        return f"CPV {self.cpv} · titulaire {self.identifier} : {self.contracts} contrats"


class BenchmarkAmountCell(models.Model):
    """How many contracts of one CPV code have this exact amount: the exact median walks these counts."""

    cpv = models.CharField("code CPV", max_length=8)
    amount = models.DecimalField("montant HT", max_digits=16, decimal_places=2)
    contracts = models.PositiveIntegerField("contrats")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cpv", "amount"], name="benchmark_amount_once")]

    def __str__(self) -> str:
        return f"CPV {self.cpv} · {self.amount} € : {self.contracts} contrats"


class BenchmarkSummaryBuild(models.Model):
    """Present once the cells hold every published contract: until then the page reads the contracts."""

    built_at = models.DateTimeField("sommé le")

    class Meta:
        verbose_name = "construction des sommes du parangonnage"

    def __str__(self) -> str:
        return f"parangonnage sommé le {self.built_at:%d/%m/%Y %H:%M}"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "En attente"
    RUNNING = "running", "En cours"
    DONE = "done", "Terminé"
    PARTIAL = "partial", "Terminé, fichiers illisibles écartés"
    FAILED = "failed", "Échec"


class ImportRun(models.Model):
    """One run of the DECP importer: what it read, what it did, and every rejection or repair."""

    status = models.CharField("état", max_length=10, choices=ImportStatus.choices, default=ImportStatus.DONE)
    progress = models.FloatField("avancement", default=0.0, help_text="De 0 à 1.")
    records_read = models.PositiveIntegerField("enregistrements lus", default=0)
    message = models.TextField("message", blank=True)
    report_file = models.CharField("rapport complet", max_length=300, blank=True)
    started_at = models.DateTimeField("commencé le", auto_now_add=True)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)
    files = models.JSONField("fichiers", default=list)
    dry_run = models.BooleanField("simulation", default=False)
    counts = models.JSONField("décomptes", default=dict)
    report = models.JSONField("rapport", default=dict)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        verbose_name = "import de données essentielles"
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"Import du {self.started_at:%d/%m/%Y %H:%M}"

    @property
    def file_names(self) -> list[str]:
        return [PurePath(name).name for name in self.files]


class ExportKind(models.TextChoices):
    DECP = "decp", "DECP 2.0.3"
    OCDS = "ocds", "OCDS 1.1.5"


class OpenDataExportQuerySet(models.QuerySet):
    def pending(self) -> "OpenDataExportQuerySet":
        return self.filter(status__in=[ImportStatus.QUEUED, ImportStatus.RUNNING])

    def latest_built(self, kind: str) -> "OpenDataExport | None":
        """The last export of this kind the worker finished (valid or not), or None."""
        return self.filter(kind=kind, status=ImportStatus.DONE).order_by("-finished_at", "-pk").first()


class OpenDataExport(models.Model):
    """An open-data file (DECP or OCDS) built by the background worker, and its summary.

    The page reads only this summary; downloads serve the stored file (private storage). Only the last
    finished export of each kind is kept: a file is rebuilt from the registry, never edited.
    """

    kind = models.CharField("format", max_length=4, choices=ExportKind.choices)
    status = models.CharField(
        "état", max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name="demandé par"
    )
    requested_at = models.DateTimeField("demandé le", auto_now_add=True)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)
    built_on = models.DateField("date de production", null=True, blank=True)
    file_name = models.CharField("fichier", max_length=300, blank=True)
    is_valid = models.BooleanField("conforme au schéma", default=False)
    contract_count = models.PositiveIntegerField("contrats", default=0)
    release_count = models.PositiveIntegerField("publications (OCDS)", default=0)
    contract_ids = models.JSONField("contrats du fichier", default=list)
    amendment_ids = models.JSONField("avenants du fichier", default=list)
    left_out = models.JSONField("contrats écartés", default=list)
    errors = models.JSONField("erreurs de conformité", default=list)
    message = models.TextField("message", blank=True)

    objects = OpenDataExportQuerySet.as_manager()

    class Meta:
        verbose_name = "export de données ouvertes"
        verbose_name_plural = "exports de données ouvertes"
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.requested_at:%d/%m/%Y %H:%M}"

    @property
    def download_name(self) -> str:
        return f"{self.kind}_{self.built_on.isoformat()}.json"
