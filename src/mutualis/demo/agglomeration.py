"""The second demo territory: an agglomeration and its communes, each buying for its own account and
together through groupements de commandes (`mutualis load_demo --territoire agglomeration`).

Same walk-through as the hospital demo (people for every role, registry, needs campaign, projects at
every stage, objectives, benchmark sample, alerts), with what differs by law: every commune is its own
buyer (R2121-1), the agglomeration buys for its own services, and pooling goes through two
groupements (L2113-6), one coordinated by the agglomeration and one by a commune, whose members
deliberated and signed the convention.
"""

import csv
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from django.utils import timezone

from mutualis.catalogue.models import PurchaseFamily
from mutualis.contracts.alerts import send_contract_alerts
from mutualis.contracts.models import Contract
from mutualis.geo.models import Commune
from mutualis.organisations.models import (
    Entity,
    EntityKind,
    PurchasingGroup,
    PurchasingMode,
    Territory,
    TerritoryKind,
    User,
)
from mutualis.organisations.roles import Role
from mutualis.organisations.services import (
    adhesion_record_decision,
    adhesion_sign,
    entity_save,
    group_save,
    territory_save,
)
from mutualis.suppliers.identifiers import IdentifierKind
from mutualis.suppliers.models import Supplier

from . import agglomeration_data as data
from .authorship import acting_as
from .awards import awards_by_family
from .common import (
    DemoSummary,
    load_benchmark_sample,
    load_families,
    load_supplier_identities,
    load_suppliers,
    load_user,
    load_users,
)
from .contracts import RegistryBuilder
from .needs import load_campaign
from .procurements import load_procurements
from .steering import load_objectives
from .steering_flags import acknowledge_demo_flags

MEMBERS_FILE = Path(__file__).parent / "data" / "agglomeration_dracenie.csv"
EPCI_SHORT_NAME = "DPVa"
# Spend (mandats) and gains are not loaded: the hospital demo's budget accounts are the M21
# nomenclature of hospitals, not the M57 of local authorities.
OBJECTIVES_WITHOUT_DATA = ("spend_under_contract_share",)


def load_territory() -> Territory:
    territory = Territory.current() or Territory()
    territory.name = "Dracénie Provence Verdon Agglomération (démonstration)"
    territory.short_name = "Dracénie"
    territory.kind = TerritoryKind.AGGLOMERATION
    territory.primary_colour = "#1f5c3d"
    territory.contact_email = "achats@dracenie.demo.mutualis.localhost"
    return territory_save(actor=None, territory=territory)


def commune_name(name: str) -> str:
    """The raison sociale as the communes write it: « Commune du Muy », « Commune des Arcs »."""
    for article, contracted in (("Le ", "du "), ("Les ", "des ")):
        if name.startswith(article):
            return "Commune " + contracted + name[len(article) :]
    return "Commune de " + name


def load_entities() -> dict[str, Entity]:
    """The agglomeration and its communes, each buying for its own account (its own SIRET)."""
    entities = {}
    with MEMBERS_FILE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        entity = Entity.objects.filter(siret=row["siret"]).first() or Entity(siret=row["siret"])
        if row["kind"] == "epci":
            entity.name, entity.short_name, entity.kind = row["name"], EPCI_SHORT_NAME, EntityKind.EPCI
        else:
            entity.name, entity.short_name = commune_name(row["name"]), row["name"]
            entity.kind = EntityKind.COMMUNE
        entity.purchasing_mode = PurchasingMode.OWN
        entity.insee_code, entity.postal_code = row["insee_code"], row["postal_code"]
        entity.city = Commune.objects.get(code=row["insee_code"]).name
        entity.is_active = True
        entities[row["siret"]] = entity_save(actor=None, entity=entity)
    return entities


def load_groups(entities: dict[str, Entity], admin: User, today: date) -> list[PurchasingGroup]:
    """Two conventions: the members who deliberated and signed, and one who has only deliberated."""
    by_name = {e.short_name: e for e in entities.values()}
    convention = date(today.year - 2, 3, 1)
    groups = []
    for number, (name, coordinator, codes, signed, decided, scope) in enumerate(data.GROUPS, start=1):
        group = PurchasingGroup.objects.filter(name=name).first()
        if group is not None:
            groups.append(group)
            continue
        group = PurchasingGroup(
            name=name,
            coordinator=by_name[coordinator],
            convention_date=convention,
            coordinator_decision_date=convention - timedelta(days=20),
            coordinator_decision_reference=f"Délibération n° {convention.year}-{number:03d} du conseil",
            starts_on=convention,
            scope=scope,
        )
        group = group_save(
            actor=admin, group=group, members=[], scope_families=PurchaseFamily.objects.filter(code__in=codes)
        )
        for index, member in enumerate([*signed, *decided]):
            decided_on = convention - timedelta(days=40 - index)
            adhesion = adhesion_record_decision(
                actor=admin,
                group=group,
                entity=by_name[member],
                decision_date=decided_on,
                decision_reference=f"Délibération n° {decided_on.year}-{20 + index:03d} du conseil municipal",
            )
            if member in signed:
                adhesion_sign(actor=admin, adhesion=adhesion, signed_on=convention + timedelta(days=index))
        groups.append(group)
    return groups


def load_registry(entities: dict[str, Entity], groups: list[PurchasingGroup], today: date) -> int:
    """The communes' own contracts, the agglomeration's, and the groupements' (built once)."""
    if Contract.objects.exists():
        return Contract.objects.count()
    epci = next(e for e in entities.values() if e.kind == EntityKind.EPCI)
    families = list(PurchaseFamily.objects.prefetch_related("cpv_codes").select_related("responsible_buyer"))
    awards = awards_by_family({f.code: [c.code for c in f.cpv_codes.all()] for f in families})
    suppliers = {s.identifier: s for s in Supplier.objects.filter(identifier_kind=IdentifierKind.SIRET)}
    communes = [e for e in entities.values() if e.kind == EntityKind.COMMUNE]
    builder = RegistryBuilder(
        today=today,
        support=epci,
        members=communes,
        awards=awards,
        suppliers=suppliers,
        shared_with_members=False,  # the agglomeration's own contracts serve its own services
        phone_area="04 94",
        pooled_share=0.4,  # the communes buy most of their own needs
    )
    builder.build(families, groups)
    return Contract.objects.count()


def load_steps(step: Callable) -> DemoSummary:
    """The agglomeration's walk-through; `step(label)` is a context manager that times each part."""
    today = timezone.localdate()
    username, first, last, role, _siret, job = data.USERS[0]
    with acting_as(User.objects.filter(username=username).first()):
        admin = load_user(username, first, last, role, job)
    with step("Territoire, agglomération, communes et comptes"), acting_as(admin):
        load_territory()
        entities = load_entities()
        users = {u.username: u for u in load_users(entities, data.USERS)}
    buyers = [users[spec[0]] for spec in data.USERS if spec[3] == Role.BUYER]
    with step("Familles d'achat et fournisseurs"):
        with acting_as(admin):
            families = load_families(buyers, data.FAMILIES)
        with acting_as(buyers[0]):
            suppliers = load_suppliers()
            load_supplier_identities(buyers[0])  # the shipped SIRENE extract and inclusion list
    summary = DemoSummary(entities=len(entities), users=len(users), families=families, suppliers=suppliers)
    with step("Groupements de commandes (conventions, délibérations, signatures)"), acting_as(admin):
        groups = load_groups(entities, admin, today)
        summary.groups = len(groups)
    with step("Registre des contrats"):
        summary.contracts = load_registry(entities, groups, today)
    communes = [e for e in entities.values() if e.kind == EntityKind.COMMUNE]
    with step("Campagne de recensement des besoins des communes"), acting_as(buyers[0]):
        campaign = load_campaign(communes, today, buyer=buyers[0], descriptions=data.NEEDS, quiet=data.QUIET)
    with step("Projets d'achat"):
        epci = next(e for e in entities.values() if e.kind == EntityKind.EPCI)
        summary.projects = load_procurements(
            today, campaign, specs=data.PROJECTS, support=epci, campaign_group=data.CAMPAIGN_GROUP
        )
    with step("Pilotage : objectifs de l'année"):
        summary.objectives = load_objectives(users["controleur"], today.year, skip=OBJECTIVES_WITHOUT_DATA)
    with step("Échantillon national pour le parangonnage (DECP réelles)"):
        summary.benchmark = load_benchmark_sample(admin)
    with step("Alertes du jour (échéances, décisions, publications)"):
        summary.notifications = send_contract_alerts(today=today).notifications
    with step("Un signal d'alerte examiné"):
        acknowledge_demo_flags(today)
    summary.contracts = Contract.objects.count()
    return summary
