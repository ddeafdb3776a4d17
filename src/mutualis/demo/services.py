"""The demo territories: by default a hospital group (real hospitals of one département), or an
agglomeration and its communes (agglomeration.py); real suppliers, users for every role.

Safe to run again: every record is found by its natural key and brought back to the demo values.
"""

import csv
from datetime import date

from django.db import transaction
from django.utils import timezone

from mutualis.catalogue.models import PurchaseFamily
from mutualis.contracts.alerts import send_contract_alerts
from mutualis.contracts.models import Contract
from mutualis.core.batching import batched
from mutualis.geo.models import Commune
from mutualis.notifications.services import in_app_only
from mutualis.organisations.models import Entity, EntityKind, Territory, TerritoryKind, User
from mutualis.organisations.roles import Role
from mutualis.organisations.services import entity_save, territory_save
from mutualis.steering.cube import cube_build
from mutualis.suppliers.identifiers import IdentifierKind
from mutualis.suppliers.models import Supplier

from . import agglomeration
from .authorship import acting_as
from .awards import awards_by_family
from .clients import load_client_requests
from .common import (
    DATA,
    DEMO_PASSWORD,
    DemoSummary,
    Report,
    load_benchmark_sample,
    load_families,
    load_supplier_identities,
    load_suppliers,
    load_user,
    load_users,
    silent,
    step,
)
from .contracts import RegistryBuilder, load_groups
from .evaluations import load_evaluations
from .events import load_events
from .families import FAMILIES
from .gains import load_gains
from .library import load_library
from .needs import load_campaign
from .prices import load_price_schedules
from .procurements import load_portal_interest, load_procurements
from .spend import load_account_mapping, load_spend
from .steering import load_objectives
from .steering_flags import acknowledge_demo_flags
from .steering_improvements import load_improvement_actions

__all__ = ["DEMO_PASSWORD", "TERRITORIES", "demo_users", "load_demo"]

SUPPORT_SIRET = "26210007600013"  # CHU Dijon Bourgogne, support establishment of the demo group

# The entities' names as they write them (raison sociale, nom d'usage): the FINESS extract has
# upper-case names without accents ("CH HCO CENTRE HOSPITALIER DE LA HAUTE COTE D OR"); the FINESS
# number stays in the entity's `finess` field.
ENTITY_NAMES = {
    SUPPORT_SIRET: ("Centre hospitalier universitaire Dijon Bourgogne", "CHU Dijon Bourgogne"),
    "26210006800010": ("Centre hospitalier La Chartreuse", "CH La Chartreuse"),
    "20004782700015": ("Hospices civils de Beaune", "Hospices civils de Beaune"),
    "26210018300017": ("Centre hospitalier Robert-Morlevat de Semur-en-Auxois", "CH de Semur-en-Auxois"),
    "26210002700016": ("Centre hospitalier d'Auxonne", "CH d'Auxonne"),
    "26210008400017": ("Centre hospitalier d'Is-sur-Tille", "CH d'Is-sur-Tille"),
    "20004781900012": ("Centre hospitalier de la Haute Côte-d'Or", "CH de Haute Côte-d'Or"),
}

# (username, first name, last name, role, SIRET of the entity, job title)
DEMO_USERS = [
    ("admin", "Claire", "Martin", Role.ADMIN, SUPPORT_SIRET, "Directrice des achats du GHT"),
    ("acheteur", "Julien", "Bernard", Role.BUYER, SUPPORT_SIRET, "Acheteur, cellule achats"),
    ("acheteuse", "Sophie", "Petit", Role.BUYER, SUPPORT_SIRET, "Acheteuse, cellule achats"),
    ("juriste", "Nadia", "Roux", Role.LEGAL_OFFICER, SUPPORT_SIRET, "Juriste marchés publics"),
    (
        "referent",
        "Marc",
        "Girard",
        Role.REFERENT,
        "20004782700015",
        "Référent achats, Hospices civils de Beaune",
    ),
    (
        "referente",
        "Anne",
        "Colin",
        Role.REFERENT,
        "26210018300017",
        "Référente achats, CH de Semur-en-Auxois",
    ),
    ("correspondant", "Élodie", "Faure", Role.FAMILY_CORRESPONDENT, "26210018300017", "Pharmacienne"),
    ("prescripteur", "Thomas", "Lambert", Role.PRESCRIBER, "26210002700016", "Cadre de santé"),
    ("gouvernance", "Hélène", "Mercier", Role.GOVERNANCE, SUPPORT_SIRET, "Comité stratégique du GHT"),
    ("controleur", "Isabelle", "Morel", Role.CONTROLLER, SUPPORT_SIRET, "Contrôleuse de gestion achats"),
]


def _rows(name: str) -> list[dict]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_territory() -> Territory:
    territory = Territory.current() or Territory()
    territory.name = "Groupement hospitalier de territoire de Côte-d'Or (démonstration)"
    territory.short_name = "GHT Côte-d'Or"
    territory.kind = TerritoryKind.GHT
    territory.primary_colour = "#1d4f91"
    territory.contact_email = "achats@demo.mutualis.localhost"
    return territory_save(actor=None, territory=territory)


def load_entities() -> dict[str, Entity]:
    entities = {}
    for row in _rows("hopitaux_cote_d_or.csv"):
        kind = (
            EntityKind.SUPPORT_ESTABLISHMENT if row["siret"] == SUPPORT_SIRET else EntityKind.MEMBER_HOSPITAL
        )
        entity = Entity.objects.filter(siret=row["siret"]).first() or Entity(siret=row["siret"])
        entity.name, entity.short_name = ENTITY_NAMES[row["siret"]]
        entity.kind = kind
        entity.finess = row["finess_ej"]
        entity.insee_code = row["insee_code"]
        entity.postal_code = row["postal_code"]
        # The COG writes communes as people do (accents, hyphens): "Is-sur-Tille", not "IS SUR TILLE".
        entity.city = Commune.objects.get(code=row["insee_code"]).name
        entity.is_active = True
        entities[row["siret"]] = entity_save(actor=None, entity=entity)
    return entities


TERRITORIES = {"ght": "groupement hospitalier de territoire", "agglomeration": "agglomération et communes"}


def demo_users(territory: str = "ght") -> list[tuple]:
    """(username, first name, last name, role, SIRET, job title) of the territory's demo accounts."""
    return agglomeration.data.USERS if territory == "agglomeration" else DEMO_USERS


def load_demo(report: Report = silent, territory: str = "ght") -> DemoSummary:
    """Create or refresh a whole demo territory in one transaction: `territory` is a key of TERRITORIES
    (the hospital group by default). Load each territory in its own database.

    `report(label, seconds)` is called after each step (the command prints them as they go).
    Its notifications stay in the application: nothing is e-mailed to the demo's made-up addresses.
    """
    if territory not in TERRITORIES:
        raise ValueError(f"Territoire de démonstration inconnu : {territory}")
    with in_app_only():
        return _load_demo(report, territory)


@transaction.atomic
def _load_demo(report: Report, territory: str) -> DemoSummary:
    with batched():  # what is summed from the registry is refreshed once, at the end
        if territory == "agglomeration":
            summary = agglomeration.load_steps(lambda label: step(report, label))
        else:
            summary = _load_steps(report)
    with step(report, "Cube des indicateurs de pilotage"):
        cube_build()
    return summary


def _load_steps(report: Report) -> DemoSummary:
    # The administrator's account comes first (its own creation is the installer's): she sets up
    # the rest, so the history names her.
    username, first, last, role, _siret, job = DEMO_USERS[0]
    with acting_as(User.objects.filter(username=username).first()):  # on a rerun, she updates herself
        admin = load_user(username, first, last, role, job)
    with step(report, "Territoire, établissements et comptes"), acting_as(admin):
        load_territory()
        entities = load_entities()
        users = load_users(entities, DEMO_USERS)
    buyers = [u for u, spec in zip(users, DEMO_USERS, strict=True) if spec[3] == Role.BUYER]
    with step(report, "Familles d'achat et fournisseurs"):
        with acting_as(admin):
            families = load_families(buyers, FAMILIES)
        with acting_as(buyers[0]):
            suppliers = load_suppliers()
            load_supplier_identities(buyers[0])  # the shipped SIRENE extract and inclusion list
    summary = DemoSummary(entities=len(entities), users=len(users), families=families, suppliers=suppliers)
    with step(report, "Groupements de commandes et registre des contrats"):
        summary.groups, summary.contracts = load_registry(entities, admin)
    with step(report, "Campagne de recensement des besoins"), acting_as(buyers[0]):
        campaign = load_campaign(list(entities.values()), timezone.localdate(), buyer=buyers[0])
    with step(report, "Projets d'achat"):
        summary.projects = load_procurements(timezone.localdate(), campaign)
    with step(report, "Intérêt d'une entreprise exprimé sur le portail public"):
        load_portal_interest()
    with step(report, "Gains achats et plan d'actions achats de territoire"):
        summary.gains, summary.plan_actions = load_gains(
            {user.username: user for user in users}, entities, timezone.localdate()
        )
    with step(report, "Journal d'amélioration continue"):
        load_improvement_actions(timezone.localdate())
    with step(report, "Bordereaux de prix, comptes budgétaires et une année de mandats par établissement"):
        by_name = {user.username: user for user in users}
        with acting_as(admin):
            load_account_mapping(admin)
            load_price_schedules(admin)
        referent = by_name["referent"]
        referent_entity = entities["20004782700015"]
        summary.spend_lines = load_spend(
            list(entities.values()),
            timezone.localdate(),
            lambda entity: referent if entity == referent_entity else by_name["acheteur"],
        )
    with step(report, "Incidents d'exécution et évaluations qualité, coût, délai des fournisseurs"):
        summary.evaluation_campaigns = load_evaluations(by_name, timezone.localdate())
    with step(report, "Demandes d'accompagnement des clients internes à la cellule achats"):
        summary.service_requests = load_client_requests(by_name, timezone.localdate())
    with step(report, "Matinales de la cellule achats : deux passées et leurs résultats, une à venir"):
        load_events(by_name, entities, SUPPORT_SIRET)
    with step(report, "Bibliothèque des clients internes (guides, livrets, trames)"):
        summary.library_documents = load_library(by_name)
    with step(report, "Pilotage : objectifs de l'année"):
        summary.objectives = load_objectives(by_name["controleur"], timezone.localdate().year)
    with step(report, "Échantillon national pour le parangonnage (DECP réelles)"):
        summary.benchmark = load_benchmark_sample(admin)
    # The daily job, so that people find their alerts on first login (in the application only:
    # load_demo e-mails nobody). Keyed notifications: a rerun the same day adds none.
    with step(report, "Alertes du jour (échéances, décisions, publications)"):
        summary.notifications = send_contract_alerts(today=timezone.localdate()).notifications
    with step(report, "Un signal d'alerte examiné"):
        acknowledge_demo_flags(timezone.localdate())
    summary.contracts = Contract.objects.count()
    return summary


def load_registry(entities: dict[str, Entity], admin: User | None = None) -> tuple[int, int]:
    """Joint purchasing groups and the demo registry (built once, then left alone)."""
    support = entities[SUPPORT_SIRET]
    members = [e for siret, e in entities.items() if siret != SUPPORT_SIRET]
    today = timezone.localdate()
    with acting_as(admin):
        groups = load_groups(support, members, convention=date(today.year - 3, 1, 15))
    if not Contract.objects.exists():
        families = list(
            PurchaseFamily.objects.prefetch_related("cpv_codes").select_related("responsible_buyer")
        )
        awards = awards_by_family({f.code: [c.code for c in f.cpv_codes.all()] for f in families})
        suppliers = {s.identifier: s for s in Supplier.objects.filter(identifier_kind=IdentifierKind.SIRET)}
        builder = RegistryBuilder(
            today=today, support=support, members=members, awards=awards, suppliers=suppliers
        )
        builder.build(families, groups)
    return len(groups), Contract.objects.count()
