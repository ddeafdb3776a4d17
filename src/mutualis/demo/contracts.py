"""A demo registry: a few hundred contracts built from the demo families, entities and suppliers.

Deterministic (seeded) and dated relative to the day it is first loaded, so that some contracts
always end soon; contracts already present are left as they are, so reloading changes nothing.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from mutualis.catalogue.models import PurchaseFamily
from mutualis.contracts import enums
from mutualis.contracts.models import Contract
from mutualis.contracts.services import HolderInput, amendment_add, contract_save, renewal_decide
from mutualis.opendata.exports.decp import rules_on
from mutualis.organisations.models import Entity, PurchasingGroup
from mutualis.organisations.services import group_save
from mutualis.suppliers.models import Supplier

from .authorship import acting_as
from .awards import Award

CENT = Decimal("0.01")
PUBLISHED_AFTER_DAYS = 21
LOTS = ["", " — lot 1", " — lot 2", " — lot 3", " — site principal", " — sites secondaires"]
GROUPS = [
    (
        "Groupement restauration Côte-d'Or",
        ["HOT-01"],
        "Denrées alimentaires pour les cuisines des établissements.",
    ),
    ("Groupement énergies du GHT", ["ENE-01", "ENE-02"], "Fourniture d'électricité et de gaz."),
    (
        "Groupement numérique hospitalier",
        ["NUM-01", "NUM-02", "NUM-03"],
        "Informatique et télécommunications.",
    ),
]


def load_groups(support: Entity, members: list[Entity], convention: date) -> list[PurchasingGroup]:
    groups = []
    for name, codes, scope in GROUPS:
        group = PurchasingGroup.objects.filter(name=name).first() or PurchasingGroup(
            name=name, coordinator=support, convention_date=convention, scope=scope
        )
        families = PurchaseFamily.objects.filter(code__in=codes)
        # The demo's members signed the convention on its date (group_save leaves new members unsigned).
        groups.append(
            group_save(
                actor=None, group=group, members=members, scope_families=families, signed_on=convention
            )
        )
    return groups


def _money(value: float) -> Decimal:
    return Decimal(round(value, -2)).quantize(CENT)


class RegistryBuilder:
    """Builds the demo contracts; one instance per load, seeded so every load builds the same list."""

    def __init__(
        self,
        *,
        today: date,
        support: Entity,
        members: list[Entity],
        awards: dict[str, list[Award]],
        suppliers: dict[str, Supplier],
        shared_with_members: bool = True,
        phone_area: str = "03 80",
        pooled_share: float = 0.65,
    ):
        """`awards`: the real awards of each family (by family code); `suppliers`: by SIRET.

        `support` buys the pooled contracts outside groupements (a GHT's support establishment, an
        agglomeration for its own services), `pooled_share` of the contracts outside groupements;
        `shared_with_members`: whether those contracts are made
        available to the members (in a GHT, yes; an agglomeration's own contracts serve its services)."""
        self.rng = random.Random(21)
        self.today = today
        self.support = support
        self.members = members
        self.awards = awards
        self.suppliers = suppliers
        self.shared_with_members = shared_with_members
        self.phone_area = phone_area
        self.pooled_share = pooled_share
        self.created = 0

    def build(self, families: list[PurchaseFamily], groups: list[PurchasingGroup]) -> int:
        group_of = {f.pk: g for g in groups for f in g.scope_families.all()}
        for family in families:
            if not self.awards.get(family.code):
                continue  # no real winner to hold it: the shipped extract says who may
            # The family's buyer keeps its contracts: the history and the amendments name them.
            with acting_as(family.responsible_buyer):
                for index in range(self.rng.randint(6, 14)):
                    self._contract(family, index, group_of.get(family.pk))
        return self.created

    def _contract(self, family: PurchaseFamily, index: int, group: PurchasingGroup | None) -> None:
        rng = self.rng
        pooled = group is not None or rng.random() < self.pooled_share  # in a GHT, the support buys for all
        # A groupement's coordinator buys for its members (L2113-7); each member alone buys less.
        buyer = (group.coordinator if group else self.support) if pooled else rng.choice(self.members)
        works = family.nature == "travaux"
        framework = not works and rng.random() < 0.6
        firm = rng.choice([12, 24, 36, 48]) if not works else rng.choice([6, 12, 18])
        renewals = 0 if works or firm >= 36 else rng.choice([0, 1, 2, 3])
        total_months = firm + renewals * 12
        # Spread notifications so that some contracts end in the coming months and others later.
        notified = self.today - timedelta(days=rng.randint(20, max(30 * total_months - 15, 40)))
        # A real award of the family gives the holder and the order of the amount; an establishment
        # buying for itself alone buys less than the support establishment buying for all.
        award = rng.choice(self.awards[family.code])
        scale = rng.uniform(0.8, 1.3) if pooled else rng.uniform(0.3, 0.7)
        amount = max(Decimal("5000.00"), _money(float(award.amount) * scale))
        reference = f"{notified:%Y}{family.code.replace('-', '')}{index:03d}"
        if Contract.objects.filter(buyer=buyer, reference=reference).exists():
            return
        contract = Contract(
            reference=reference,
            buyer=buyer,
            purchasing_group=group if pooled else None,
            object=f"{family.label}{rng.choice(LOTS)}",
            techniques=[enums.Technique.FRAMEWORK] if framework else [enums.Technique.NONE],
            execution_modes=[
                rng.choice([enums.ExecutionMode.PURCHASE_ORDERS, enums.ExecutionMode.SUBSEQUENT])
            ]
            if framework
            else [enums.ExecutionMode.NONE],
            cpv=rng.choice(list(family.cpv_codes.all())),
            family=family,
            procedure=self._procedure(amount, pooled),
            ccag=enums.Ccag.WORKS if works else enums.Ccag.SUPPLIES_SERVICES,
            offers_received=rng.randint(1, 8),
            price_types=[
                rng.choice([enums.PriceType.REVISABLE, enums.PriceType.FIRM, enums.PriceType.ADJUSTABLE])
            ],
            price_form=enums.PriceForm.UNIT
            if framework
            else rng.choice([enums.PriceForm.LUMP_SUM, enums.PriceForm.MIXED]),
            amount=amount,
            minimum_amount=(amount * Decimal("0.2")).quantize(Decimal("0.01"))
            if framework and rng.random() < 0.4
            else None,
            notification_date=notified,
            start_date=notified + timedelta(days=rng.choice([0, 7, 15, 30])),
            firm_duration_months=firm,
            renewal_count=renewals,
            renewal_period_months=12 if renewals else None,
            renewal_notice_months=rng.choice([2, 3, 4]) if renewals else 0,
            social_considerations=[enums.SocialConsideration.CLAUSE]
            if rng.random() < 0.3
            else [enums.SocialConsideration.NONE],
            environmental_considerations=[
                rng.choice(
                    [enums.EnvironmentalConsideration.CLAUSE, enums.EnvironmentalConsideration.CRITERION]
                )
            ]
            if rng.random() < 0.55
            else [enums.EnvironmentalConsideration.NONE],
            execution_place_code=buyer.insee_code,
            data_published_on=self._published_on(notified, amount),
            manager=family.responsible_buyer,
            notes="Commandes par bon de commande émis par chaque établissement utilisateur."
            if framework
            else "",
        )
        holders = self._holders(award, self.awards[family.code])
        if len(holders) > 1:
            contract.grouping_kind = rng.choice(
                [enums.GroupingKind.JOINT, enums.GroupingKind.JOINT_AND_SEVERAL]
            )
        available = self._available_to(group) if pooled else []
        contract = contract_save(
            actor=contract.manager, contract=contract, holders=holders, available_to=available
        )
        self.created += 1
        self._amendments(contract)
        self._decision(contract)
        if framework and contract.execution_modes == [enums.ExecutionMode.SUBSEQUENT]:
            self._subsequent(contract, holders)

    def _available_to(self, group: PurchasingGroup | None) -> list[Entity]:
        if group is not None and not self.shared_with_members:
            return [m for m in group.members.all() if m != group.coordinator]
        if not self.shared_with_members:
            return []
        return self.rng.sample(self.members, self.rng.randint(2, len(self.members)))

    def _published_on(self, notified: date, amount: Decimal) -> date | None:
        """The registry's past: contracts to publish went out in DECP three weeks after notification."""
        rules = rules_on(notified)
        published = notified + timedelta(days=PUBLISHED_AFTER_DAYS)
        if rules is None or amount < rules.decp_minimum_amount or published > self.today:
            return None
        return published

    def _procedure(self, amount: Decimal, pooled: bool) -> str:
        if amount > 500_000 and pooled:
            return self.rng.choice([enums.Procedure.OPEN, enums.Procedure.OPEN, enums.Procedure.NEGOTIATED])
        # Below the formalised range the demo says "adapted": the legal computation comes with the
        # threshold tables (needs), not with demo data.
        return enums.Procedure.ADAPTED

    def _holders(self, award: Award, family_awards: list[Award]) -> list[HolderInput]:
        rng = self.rng
        chosen = [self.suppliers[award.siret]]
        others = sorted({a.siret for a in family_awards} - {award.siret})
        if others and rng.random() < 0.12:  # a joint contractor, also a real winner of the family
            chosen.append(self.suppliers[rng.choice(others)])
        roles = (
            [enums.HolderRole.SOLE] if len(chosen) == 1 else [enums.HolderRole.LEAD, enums.HolderRole.MEMBER]
        )
        return [
            HolderInput(
                supplier=supplier,
                role=role,
                contact_name=rng.choice(["Service clients", "Chargé de compte", "Direction commerciale"]),
                contact_email=f"commandes{supplier.pk}@fournisseur.example",
                contact_phone=" ".join([self.phone_area, *(str(rng.randint(10, 99)) for _ in range(3))]),
            )
            for supplier, role in zip(chosen, roles, strict=True)
        ]

    def _amendments(self, contract: Contract) -> None:
        rng = self.rng
        if rng.random() > 0.18:
            return
        day = contract.notification_date
        for _ in range(rng.randint(1, 3)):
            day += timedelta(days=rng.randint(60, 300))
            kind = rng.choice(
                [enums.AmendmentKind.LOW_VALUE, enums.AmendmentKind.LOW_VALUE, enums.AmendmentKind.ADDITIONAL]
            )
            share = Decimal(str(rng.uniform(0.02, 0.09 if kind == enums.AmendmentKind.LOW_VALUE else 0.3)))
            duration = rng.choice([None, None, 3])
            if day > self.today:
                # Not yet notified: capping at today stacked several amendments on one day, which
                # the national DECP pipeline cannot order (one row per uid, holder and date).
                continue
            amendment_add(
                actor=contract.manager,
                contract=contract,
                notified_on=day,
                kind=kind,
                description="Ajustement des quantités"
                if kind == enums.AmendmentKind.LOW_VALUE
                else "Prestations supplémentaires",
                amount_change=(contract.amount * share).quantize(Decimal("0.01")),
                duration_change_months=duration,
            )

    def _decision(self, contract: Contract) -> None:
        decision = contract.decision_kind and contract.decision_due_on
        if decision and contract.decision_due_on < self.today and self.rng.random() < 0.5:
            renewal_decide(
                actor=contract.manager,
                contract=contract,
                period=1,  # the first renewal, or the end of a contract without renewals
                kind=enums.RenewalDecisionKind.RENEW
                if contract.renewal_count
                else enums.RenewalDecisionKind.RETENDER,
                decided_on=contract.decision_due_on - timedelta(days=10),
                comment="Décision du comité achats.",
            )

    def _subsequent(self, framework: Contract, holders: list[HolderInput]) -> None:
        for number in range(1, self.rng.randint(2, 4)):
            notified = framework.notification_date + timedelta(days=90 * number)
            if notified > self.today:
                return
            contract = Contract(
                reference=f"{framework.reference[:12]}MS{number}",
                buyer=framework.buyer,
                purchasing_group=framework.purchasing_group,
                object=f"Marché subséquent n° {number} — {framework.object}"[:1000],
                techniques=[enums.Technique.NONE],
                execution_modes=[enums.ExecutionMode.NONE],
                framework=framework,
                cpv=framework.cpv,
                family=framework.family,
                procedure=framework.procedure,
                ccag=framework.ccag,
                offers_received=len(holders),
                price_types=[enums.PriceType.FIRM],
                price_form=enums.PriceForm.LUMP_SUM,
                amount=(framework.amount / 5).quantize(CENT),
                notification_date=notified,
                start_date=notified,
                firm_duration_months=min(12, framework.firm_duration_months),
                social_considerations=framework.social_considerations,
                environmental_considerations=framework.environmental_considerations,
                execution_place_code=framework.execution_place_code,
                data_published_on=self._published_on(notified, (framework.amount / 5).quantize(CENT)),
                manager=framework.manager,
            )
            contract_save(
                actor=framework.manager,
                contract=contract,
                holders=holders[:1],
                available_to=list(framework.available_to.all()),
            )
            self.created += 1
