"""A year of payment orders (mandats) for every demo establishment, as their finance software exports them.

Generated from the demo registry so that the figures hold together: each contract an establishment may
use is paid quarterly at the pace its amount allows, one framework agreement has nearly run out, one
establishment orders on a contract it may not use, and a little spend off contract, for one family of
the referent's establishment, crosses the threshold below which no competition is required. The rows
then go through the real import, like a file from the establishment's accountant.
"""

import csv
import random
import tempfile
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from django.db.models import Prefetch

from mutualis.catalogue.models import PurchaseFamily
from mutualis.contracts.models import Contract, ContractHolder
from mutualis.legal.rules import in_force
from mutualis.organisations.models import Entity
from mutualis.spend.accounts import account_family_save, account_mapping_load_defaults
from mutualis.spend.importer import spend_import
from mutualis.spend.models import AccountFamily, Nomenclature, SpendLine
from mutualis.suppliers.identifiers import IdentifierKind
from mutualis.suppliers.models import Supplier

CENT = Decimal("0.01")
# The budget account each demo family is paid on (M21, the hospitals' nomenclature): what the
# establishments' accountants write, and what the demo's account mapping reads back.
FAMILY_ACCOUNTS = {
    "MED-01": ("60211", "Spécialités pharmaceutiques avec AMM"),
    "MED-02": ("60222", "Dispositifs médicaux stériles"),
    "MED-03": ("60216", "Fournitures et produits de laboratoire"),
    "MED-04": ("2154", "Matériel et outillage médical"),
    "HOT-01": ("6023", "Alimentation"),
    "HOT-02": ("6281", "Blanchissage à l'extérieur"),
    "HOT-03": ("6283", "Nettoyage à l'extérieur"),
    "HOT-04": ("60262", "Produits d'entretien"),
    "HOT-05": ("6026", "Fournitures hôtelières"),
    "LOG-01": ("6288", "Autres prestations de services extérieures"),
    "LOG-02": ("6245", "Transports d'usagers"),
    "LOG-03": ("6064", "Fournitures administratives"),
    "LOG-04": ("2184", "Mobilier"),
    "ENE-01": ("60612", "Énergie et électricité"),
    "ENE-02": ("60613", "Chauffage"),
    "NUM-01": ("2183", "Matériel de bureau et matériel informatique"),
    "NUM-02": ("2051", "Concessions et droits similaires (logiciels)"),
    "NUM-03": ("6262", "Frais de télécommunications"),
    "MAI-01": ("61522", "Entretien et réparations des bâtiments"),
    "MAI-02": ("61525", "Maintenance du matériel médical"),
    "TRA-01": ("2313", "Constructions"),
    "PI-01": ("6226", "Honoraires"),
    "SRV-01": ("616", "Primes d'assurances"),
    "SRV-02": ("6282", "Gardiennage et surveillance"),
    "SRV-03": ("6228", "Divers (études et conseil)"),
    "VEH-01": ("2182", "Matériel de transport"),
}
# Off contract, the referent's establishment buys its office supplies from a few local shops.
OFF_CONTRACT_FAMILY = "LOG-03"
REFERENT_SIRET = "20004782700015"  # Hospices civils de Beaune


@dataclass
class Mandate:
    fiscal_year: int
    number: str
    paid_on: date
    siret: str
    supplier: str
    amount_ht: Decimal
    account: str
    reference: str
    label: str

    def row(self) -> dict[str, str]:
        """The row as an accountant's export writes it (French headers, decimal comma, dd/mm/yyyy)."""
        return {
            "exercice": str(self.fiscal_year),
            "numero_mandat": self.number,
            "date": f"{self.paid_on:%d/%m/%Y}",
            "siret_fournisseur": self.siret,
            "fournisseur": self.supplier,
            "montant_ht": f"{self.amount_ht:.2f}".replace(".", ","),
            "montant_ttc": f"{(self.amount_ht * Decimal('1.2')).quantize(CENT):.2f}".replace(".", ","),
            "compte": self.account,
            "numero_marche": self.reference,
            "libelle": self.label,
        }


COLUMNS = list(Mandate(0, "", date.min, "", "", Decimal(0), "", "", "").row())


class SpendBuilder:
    """One year of mandates per establishment, up to `today`; seeded, so a load is reproducible."""

    def __init__(self, today: date):
        self.rng = random.Random(14)
        self.today = today
        self.start = today - timedelta(days=364)
        self.numbers: dict[tuple[int, int], int] = {}
        self.holding: Counter = Counter()

    def _number(self, entity: Entity, day: date) -> str:
        key = (entity.pk, day.year)
        self.numbers[key] = self.numbers.get(key, 0) + 1
        return f"{day.year % 100:02d}{self.numbers[key]:05d}"

    def _mandate(self, entity, day, supplier, amount, account, reference, label) -> Mandate:
        return Mandate(
            fiscal_year=day.year,
            number=self._number(entity, day),
            paid_on=day,
            siret=supplier.identifier if supplier.identifier_kind == IdentifierKind.SIRET else "",
            supplier=supplier.name,
            amount_ht=amount.quantize(CENT),
            account=account,
            reference=reference,
            label=label[:300],
        )

    def contracts_of(self, entity: Entity) -> list[Contract]:
        """The contracts the entity may use today; counts how many each supplier holds among them."""
        holders = Prefetch("holder_links", ContractHolder.objects.select_related("supplier"))
        contracts = list(
            Contract.objects.usable_by_entities([entity.pk])
            .in_force(self.today)
            .select_related("family")
            .prefetch_related(holders, "available_to", "price_lines")
            .order_by("pk")
        )
        self.holding = Counter(link.supplier_id for c in contracts for link in c.holder_links.all())
        return contracts

    def on_contract(self, entity: Entity, contract: Contract, share: float) -> list[Mandate]:
        """Quarterly payments at the pace that would use `share` of the contract over its duration."""
        links = list(contract.holder_links.all())
        if not links or contract.family is None:
            return []
        users = 1 + len(contract.available_to.all())
        quarterly = contract.amount * Decimal(share) / Decimal(users) * 3 / contract.duration_months
        account, _ = FAMILY_ACCOUNTS.get(contract.family.code, ("60628", ""))
        mandates = []
        day = max(self.start, contract.effective_start) + timedelta(days=self.rng.randint(10, 40))
        schedule = [line for line in contract.price_lines.all() if line.annual_quantity]
        while day <= self.today:
            amount = quarterly * Decimal(str(round(self.rng.uniform(0.7, 1.2), 3)))
            if schedule:
                amount, ordered = self._ordered(schedule, users)
                if not amount:  # nothing ordered this quarter
                    day += timedelta(days=91)
                    continue
            # Four mandates in ten carry the contract number; the others are matched by supplier, which
            # only works when the supplier holds no other running contract for the entity.
            ambiguous = self.holding.get(links[0].supplier_id, 0) > 1
            reference = contract.reference if ambiguous or self.rng.random() < 0.4 else ""
            label = f"{contract.family.label} — facture {self.rng.randint(1000, 99999)}"
            if schedule:
                label = f"Facture {self.rng.randint(1000, 99999)} : {ordered}"
            mandates.append(self._mandate(entity, day, links[0].supplier, amount, account, reference, label))
            day += timedelta(days=91)
        return mandates

    def _ordered(self, schedule, users: int) -> tuple[Decimal, str]:
        """A quarter's order on a price schedule: each line's quarter of its annual quantity, shared
        between the contract's users, give or take; the amount is quantities × unit prices."""
        amount, parts = Decimal(0), []
        for line in schedule:
            share = float(line.annual_quantity) / 4 / users * self.rng.uniform(0.7, 1.2)
            quantity = int(share + self.rng.random())  # rounded at random: the right quantity on average
            if quantity:
                amount += quantity * line.unit_price
                parts.append(f"{quantity} × {line.label}")
        return amount, " ; ".join(parts)

    def near_ceiling(self, entity: Entity, contract: Contract, used: Decimal) -> list[Mandate]:
        """Orders that bring a framework agreement to 92 % of its maximum (the 80 % alert fires)."""
        missing = contract.amount * Decimal("0.92") - used
        supplier = contract.holder_links.all()[0].supplier
        account, _ = FAMILY_ACCOUNTS.get(contract.family.code, ("60628", ""))
        mandates, parts = [], 6
        for index in range(parts):
            day = self.today - timedelta(days=30 * (parts - index))
            label = f"Commande sur accord-cadre {contract.reference}"
            mandates.append(
                self._mandate(entity, day, supplier, missing / parts, account, contract.reference, label)
            )
        return mandates

    def off_contract(self, entity, shops, family_code: str, total: Decimal, count: int) -> list[Mandate]:
        """`count` orders outside any contract, in one fiscal year, summing to `total` for the family."""
        account, label = FAMILY_ACCOUNTS[family_code]
        year = self.today.year if self.today.month >= 3 else self.today.year - 1
        first, last = date(year, 1, 1), min(self.today, date(year, 12, 31))
        step = (last - first).days / count
        amounts = [Decimal(str(round(self.rng.uniform(0.85, 1.15), 3))) for _ in range(count)]
        scale = total / sum(amounts)
        return [
            self._mandate(
                entity, first + timedelta(days=int(step * index)), shops[index % len(shops)],
                amount * scale, account, "", f"{label} — facture {self.rng.randint(1000, 99999)}",
            )
            for index, amount in enumerate(amounts)
        ]  # fmt: skip

    def not_entitled(self, entity: Entity, contract: Contract) -> Mandate:
        """An order on a contract the entity was not given: the import links it and flags it."""
        account, _ = FAMILY_ACCOUNTS.get(contract.family.code, ("60628", ""))
        supplier = contract.holder_links.all()[0].supplier
        label = f"Commande hors périmètre sur {contract.reference}"
        return self._mandate(entity, self.today - timedelta(days=20), supplier, Decimal("1840.00"), account,
                             contract.reference, label)  # fmt: skip


def demo_mandates(entities: list[Entity], today: date) -> dict[Entity, list[Mandate]]:
    """Every establishment's year of mandates, consistent with the registry (see the module's text)."""
    builder = SpendBuilder(today)
    mandates: dict[Entity, list[Mandate]] = {entity: [] for entity in entities}
    paid: dict[int, Decimal] = {}
    usable: dict[Entity, list[Contract]] = {}
    for entity in entities:
        usable[entity] = builder.contracts_of(entity)
        for contract in usable[entity]:
            rows = builder.on_contract(entity, contract, builder.rng.uniform(0.45, 0.85))
            paid[contract.pk] = paid.get(contract.pk, Decimal(0)) + sum(m.amount_ht for m in rows)
            mandates[entity] += rows
    referent = next(e for e in entities if e.siret == REFERENT_SIRET)
    frameworks = [
        c for c in usable[referent]
        if c.is_framework and c.family is not None and not c.amendments.exists() and c.holder_links.all()
    ]  # fmt: skip
    if frameworks:
        framework = max(frameworks, key=lambda c: c.amount)
        mandates[referent] += builder.near_ceiling(referent, framework, paid.get(framework.pk, Decimal(0)))
    shops = free_suppliers(referent, 3)
    if shops:
        total = waiver_crossing(today, "fournitures")
        mandates[referent] += builder.off_contract(referent, shops, OFF_CONTRACT_FAMILY, total, 14)
    for entity in entities:
        others = free_suppliers(entity, 2)
        if entity is not referent and others:
            family = builder.rng.choice(["HOT-04", "LOG-03", "NUM-03"])
            mandates[entity] += builder.off_contract(entity, others, family, Decimal("3500.00"), 4)
    outsider = next((e for e in entities if e is not referent and e.kind != "support"), None)
    if outsider is not None:
        elsewhere = (
            Contract.objects.in_force(today).exclude(pk__in=[c.pk for c in usable[outsider]])
            .filter(family__isnull=False).prefetch_related("holder_links__supplier").order_by("pk").first()
        )  # fmt: skip
        if elsewhere is not None and elsewhere.holder_links.all():
            mandates[outsider].append(builder.not_entitled(outsider, elsewhere))
    return mandates


def waiver_crossing(day: date, nature: str) -> Decimal:
    """A yearly amount above the no-competition threshold in force at either end of the year."""
    ends = (date(day.year, 1, 1), date(day.year, 12, 31))
    values = [in_force(end).require("waiver", "dispense", natures=(nature,)).amount for end in ends]
    return (max(values) * Decimal("1.15")).quantize(CENT)


def free_suppliers(entity: Entity, count: int) -> list[Supplier]:
    """Suppliers holding no contract this entity may use: what it buys from them is off contract."""
    usable = Contract.objects.usable_by_entities([entity.pk])
    return list(
        Supplier.objects.filter(identifier_kind=IdentifierKind.SIRET)
        .exclude(contracts__in=usable)
        .order_by("name")[:count]
    )


def load_account_mapping(admin) -> int:
    """The shipped M21 and M57 defaults, then the demo's own accounts (FAMILY_ACCOUNTS) they leave out."""
    for nomenclature in Nomenclature.values:
        account_mapping_load_defaults(nomenclature, user=admin)
    families = {f.code: f for f in PurchaseFamily.objects.filter(code__in=FAMILY_ACCOUNTS)}
    mapped = set(
        AccountFamily.objects.filter(nomenclature=Nomenclature.M21).values_list("account", flat=True)
    )
    for code, (account, label) in FAMILY_ACCOUNTS.items():
        if account not in mapped and code in families:
            entry = AccountFamily(nomenclature=Nomenclature.M21, account=account, label=label)
            entry.family = families[code]
            account_family_save(actor=admin, account=entry)
    return AccountFamily.objects.count()


def load_spend(entities: list[Entity], today: date, importer) -> int:
    """Each establishment's year of mandates, written as its accountant's CSV and imported by `importer`
    (the referent for his establishment, a buyer for the others). Built once, then left alone."""
    if SpendLine.objects.exists():
        return SpendLine.objects.count()
    with tempfile.TemporaryDirectory() as folder:
        for entity, mandates in demo_mandates(entities, today).items():
            path = Path(folder) / f"mandats_{entity.siret}.csv"
            with path.open("w", encoding="utf-8", newline="") as handle:
                writer = csv.DictWriter(handle, fieldnames=COLUMNS, delimiter=";")
                writer.writeheader()
                writer.writerows(m.row() for m in mandates)
            result = spend_import(entity, [path], user=importer(entity))
            if result.refused:
                raise RuntimeError(f"Import des dépenses de démonstration refusé : {result.refused}")
    return SpendLine.objects.count()
