"""The supplier's file: what the system already knows about one supplier, read for one reader.

Each section is read in a fixed number of queries whatever the number of contracts, holders, offers and
spend lines, and through the rules of the pages it comes from:

- contracts: the registry's `Contract.objects.for_user` (an entity role sees the contracts its entities
  may use, as on the registry list), `in_force()` for the running ones;
- spend: the spend map's supplier cells (spend/cube.py) of the supplier's SIREN, scoped like the lines
  (`for_user`), against all the cells of the same years: the share of the reader's spend;
- bids: the offers of the projects `Project.objects.offers_visible_to(user)` (business secrets);
- located in the territory: steering's definition (steering/indicators/holders.py).
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import tablib
from django.db.models import DecimalField, Exists, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from mutualis.contracts.models import Amendment, Contract, ContractHolder
from mutualis.core.formats import percent
from mutualis.geo.models import Commune
from mutualis.organisations.access import access_for
from mutualis.organisations.roles import Perm
from mutualis.procurements.models import Offer, Project
from mutualis.spend.models import SpendSupplierCell
from mutualis.spend.spendmap import to_cent
from mutualis.steering.indicators.holders import is_local
from mutualis.suppliers.models import Supplier

ZERO = Decimal("0.00")
AMOUNT = DecimalField(max_digits=16, decimal_places=2)
SHARE_STEP = Decimal("0.001")
SPEND_YEARS = 3  # the last fiscal years with spend shown


@dataclass
class ContractRow:
    holder: ContractHolder
    contract: Contract
    running: bool
    amendments: Decimal

    @property
    def total(self) -> Decimal:
        """The amount with its amendments."""
        return self.contract.amount + self.amendments

    @property
    def status(self) -> str:
        if self.running:
            return "En cours"
        if self.contract.notification_date is None:
            return "Non notifié"
        return "Terminé"


@dataclass
class Totals:
    count: int = 0
    amount: Decimal = ZERO

    def add(self, row: ContractRow) -> None:
        self.count += 1
        self.amount += row.total


@dataclass
class SpendYear:
    year: int
    amount: Decimal
    on_contract: Decimal
    lines: int
    scope_total: Decimal

    @property
    def off_contract(self) -> Decimal:
        return self.amount - self.on_contract

    @property
    def share(self) -> Decimal | None:
        """The supplier's share of the spend the reader sees that year (0 to 1)."""
        return self.amount / self.scope_total if self.scope_total else None

    @property
    def share_text(self) -> str:
        """« 12,5 % » (to a tenth of a per cent), « non disponible » without spend that year."""
        share = self.share
        return "non disponible" if share is None else percent(share.quantize(SHARE_STEP))


@dataclass
class BidRow:
    offer: Offer

    @property
    def won(self) -> bool:
        return self.offer.lot.awarded_offer_id == self.offer.pk

    @property
    def result(self) -> str:
        lot = self.offer.lot
        if self.won:
            return "Retenue"
        if lot.awarded_offer_id is not None:
            return "Non retenue"
        return lot.get_status_display()


@dataclass
class SupplierFile:
    supplier: Supplier
    commune: Commune | None
    located: bool | None
    contracts: list[ContractRow]
    running: Totals
    all: Totals
    contacts: list[dict] = field(default_factory=list)
    spend: list[SpendYear] | None = None  # None: the reader does not see spend
    bids: list[BidRow] | None = None  # None: the reader sees no offer

    @property
    def won_bids(self) -> int:
        return sum(1 for bid in self.bids or () if bid.won)


def supplier_file(supplier: Supplier, user) -> SupplierFile:
    access = access_for(user)
    commune = Commune.objects.filter(code=supplier.insee_code).first() if supplier.insee_code else None
    rows = contract_rows(supplier, user)
    running, every = Totals(), Totals()
    for row in rows:
        every.add(row)
        if row.running:
            running.add(row)
    result = SupplierFile(
        supplier=supplier,
        commune=commune,
        located=is_local(supplier.insee_code),
        contracts=rows,
        running=running,
        all=every,
        contacts=contacts_of(rows),
    )
    if access.has(Perm.VIEW_SPEND):
        result.spend = spend_years(supplier, user)
    bids = bid_rows(supplier, user)
    if bids or access.has(Perm.VIEW_OFFERS):
        result.bids = bids
    return result


def contract_rows(supplier: Supplier, user) -> list[ContractRow]:
    """The contracts the reader sees where the supplier is a holder, running first, then the latest."""
    visible = Contract.objects.for_user(user)
    running = Contract.objects.in_force().filter(pk=OuterRef("contract_id"))
    amendments = (
        Amendment.objects.filter(contract_id=OuterRef("contract_id"))
        .order_by()
        .values("contract_id")
        .annotate(total=Sum("amount_change"))
        .values("total")
    )
    holders = (
        ContractHolder.objects.filter(supplier=supplier, contract__in=visible.values("pk"))
        .select_related("contract__buyer", "contract__family")
        .annotate(
            running=Exists(running),
            amendments=Coalesce(Subquery(amendments, output_field=AMOUNT), Value(ZERO), output_field=AMOUNT),
        )
    )
    rows = [ContractRow(h, h.contract, h.running, to_cent(h.amendments)) for h in holders]
    # Running first, then the others; the latest notified first, those not notified last.
    rows.sort(key=lambda r: (not r.running, -(r.contract.notification_date or date.min).toordinal()))
    return rows


def contacts_of(rows: list[ContractRow]) -> list[dict]:
    """The supplier's contacts named on its contracts, each once, with the contracts that name it."""
    contacts: dict[tuple, dict] = {}
    for row in rows:
        holder = row.holder
        key = (
            holder.contact_name.strip(),
            holder.contact_email.strip().lower(),
            holder.contact_phone.strip(),
        )
        if not any(key):
            continue
        entry = contacts.setdefault(
            key,
            {"name": holder.contact_name, "email": holder.contact_email, "phone": holder.contact_phone,
             "contracts": []},
        )  # fmt: skip
        entry["contracts"].append(row.contract)
    return list(contacts.values())


def spend_years(supplier: Supplier, user) -> list[SpendYear]:
    """The amount paid to the supplier's company (its SIREN) in each of the last fiscal years with spend
    the reader sees, and its share of that spend: two queries on the spend map's supplier cells."""
    cells = SpendSupplierCell.objects.for_user(user).order_by()
    totals = list(
        cells.values("fiscal_year").annotate(total=Sum("amount")).order_by("-fiscal_year")[:SPEND_YEARS]
    )
    if not totals:
        return []
    mine = {}
    if supplier.siren:
        shown = [total["fiscal_year"] for total in totals]
        sums = {
            "paid": Sum("amount"),
            "paid_on_contract": Sum("amount", filter=~Q(off=True)),
            "line_count": Sum("lines"),
        }
        mine = {
            row["fiscal_year"]: row
            for row in cells.filter(supplier_siren=supplier.siren, fiscal_year__in=shown)
            .values("fiscal_year")
            .annotate(**sums)
        }
    years = []
    for total in totals:
        row = mine.get(total["fiscal_year"], {})
        years.append(
            SpendYear(
                year=total["fiscal_year"],
                amount=to_cent(row.get("paid")),
                on_contract=to_cent(row.get("paid_on_contract")),
                lines=row.get("line_count") or 0,
                scope_total=to_cent(total["total"]),
            )
        )
    return years


def bid_rows(supplier: Supplier, user) -> list[BidRow]:
    """The supplier's offers on the projects whose offers the reader may see, latest first."""
    projects = Project.objects.offers_visible_to(user).values("pk")
    offers = (
        Offer.objects.filter(supplier=supplier, lot__project__in=projects)
        .select_related("lot__project")
        .order_by("-lot__project__created_at", "lot__project", "lot__number")
    )
    return [BidRow(offer) for offer in offers]


# Exports: one dataset per table, the rows the page shows.

CONTRACT_HEADERS = [
    "Statut", "Référence", "Objet", "Acheteur", "Famille", "Notification", "Fin prévue", "Rôle",
    "Montant initial HT (€)", "Avenants HT (€)", "Montant HT avenants compris (€)",
]  # fmt: skip
SPEND_HEADERS = [
    "Exercice", "Payé HT (€)", "dont sous contrat (€)", "dont hors marché (€)", "Mandats",
    "Dépense totale HT de l'exercice (€)", "Part de la dépense",
]  # fmt: skip
BID_HEADERS = ["Projet", "Lot", "Intitulé du lot", "Reçue le", "Prix HT (€)", "Régulière", "Résultat"]


def _day(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def contracts_dataset(file: SupplierFile) -> tablib.Dataset:
    data = tablib.Dataset(headers=CONTRACT_HEADERS)
    for row in file.contracts:
        contract = row.contract
        data.append([
            row.status, contract.reference, contract.object, str(contract.buyer),
            str(contract.family) if contract.family else "", _day(contract.notification_date),
            _day(contract.end_date), row.holder.get_role_display(),
            contract.amount, row.amendments, row.total,
        ])  # fmt: skip
    return data


def spend_dataset(file: SupplierFile) -> tablib.Dataset:
    data = tablib.Dataset(headers=SPEND_HEADERS)
    for year in file.spend or ():
        share = "" if year.share is None else round(year.share, 6)
        data.append([
            year.year, year.amount, year.on_contract, year.off_contract, year.lines, year.scope_total, share,
        ])  # fmt: skip
    return data


def bids_dataset(file: SupplierFile) -> tablib.Dataset:
    data = tablib.Dataset(headers=BID_HEADERS)
    for bid in file.bids or ():
        offer = bid.offer
        data.append([
            str(offer.lot.project), offer.lot.number, offer.lot.title, _day(offer.received_on), offer.price,
            "Oui" if offer.is_regular else "Non", bid.result,
        ])  # fmt: skip
    return data


DATASETS = {"contrats": contracts_dataset, "depense": spend_dataset, "offres": bids_dataset}
