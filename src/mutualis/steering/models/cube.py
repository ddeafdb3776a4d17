"""The registry summed for the steering indicators: what a year of contracts gives, in a few thousand rows.

Never edited: steering/cube.py sums the contracts again for the (year, buyer, family) a write touched,
so the indicators read cells instead of a year of contracts (benchmarks/steering.py)."""

from django.db import models


class CellKey(models.Model):
    """The grain both cubes share: the contracts notified in one quarter, by one buyer, of one family."""

    year = models.PositiveSmallIntegerField("année de notification")
    quarter = models.PositiveSmallIntegerField("trimestre")
    buyer = models.ForeignKey("organisations.Entity", on_delete=models.CASCADE, related_name="+")
    # SET_NULL as on the contract: a deleted family leaves its contracts, and their cells, without one.
    family = models.ForeignKey(
        "catalogue.PurchaseFamily", null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        abstract = True


class ContractCell(CellKey):
    """The contracts' counts and sums of the grain, per procedure too (steering.measures)."""

    procedure = models.CharField("procédure", max_length=70)
    contracts = models.PositiveIntegerField("contrats")
    amount = models.DecimalField("montant HT (€)", max_digits=18, decimal_places=2)
    competed = models.PositiveIntegerField("mis en concurrence")
    offers = models.PositiveIntegerField("offres reçues (mis en concurrence)")
    single = models.PositiveIntegerField("offre unique")
    no_publicity = models.PositiveIntegerField("sans publicité ni mise en concurrence")
    social = models.PositiveIntegerField("considération sociale")
    social_amount = models.DecimalField("montant à considération sociale", max_digits=18, decimal_places=2)
    environmental = models.PositiveIntegerField("considération environnementale")
    environmental_amount = models.DecimalField(
        "montant à considération environnementale", max_digits=18, decimal_places=2
    )
    reserved = models.PositiveIntegerField("marchés réservés")
    # Contracts passed on their own (not under a framework agreement): what the splitting check adds up.
    standalone = models.PositiveIntegerField("contrats hors marchés subséquents")
    standalone_amount = models.DecimalField("leur montant HT (€)", max_digits=18, decimal_places=2)
    standalone_largest = models.DecimalField(
        "le plus élevé d'entre eux (€)", max_digits=14, decimal_places=2, null=True
    )
    published = models.PositiveIntegerField("à publier, publiés")
    on_time = models.PositiveIntegerField("publiés dans le délai")

    SUMMED = (
        "contracts", "amount", "competed", "offers", "single", "no_publicity", "social", "social_amount",
        "environmental", "environmental_amount", "reserved", "standalone", "standalone_amount",
        "standalone_largest", "published", "on_time",
    )  # fmt: skip

    class Meta:
        verbose_name = "cellule des contrats (pilotage)"
        indexes = [models.Index(fields=["year", "buyer", "family"], name="steering_contract_cell")]

    def __str__(self) -> str:
        return f"{self.year} T{self.quarter} · acheteur {self.buyer_id} · famille {self.family_id}"


class HolderCell(CellKey):
    """The contracts' amounts shared equally between their holders, by the holders' département (blank:
    commune unknown) and company size: the SME and local shares without reading the holders. Not per
    procedure: a year of these cells stays a few thousand rows (a breakdown by procedure reads holders)."""

    department = models.CharField("département du titulaire", max_length=3, blank=True)
    size_category = models.CharField("catégorie d'entreprise", max_length=3, blank=True)
    amount = models.DecimalField("part du montant HT (€)", max_digits=20, decimal_places=6)

    class Meta:
        verbose_name = "cellule des titulaires (pilotage)"
        indexes = [models.Index(fields=["year", "buyer", "family"], name="steering_holder_cell")]

    def __str__(self) -> str:
        return f"{self.year} T{self.quarter} · acheteur {self.buyer_id} · {self.department or '?'}"


class CubeBuild(models.Model):
    """Present once the cube holds the whole registry (steering.cube.cube_build): until then the
    indicators read the contracts, and writes do not refresh cells that would stay incomplete."""

    built_at = models.DateTimeField("sommé le")

    class Meta:
        verbose_name = "construction du cube de pilotage"

    def __str__(self) -> str:
        return f"cube sommé le {self.built_at:%d/%m/%Y %H:%M}"
