"""The demo territory: real hospitals of one département, real suppliers, users for every role.

Safe to run again: every record is found by its natural key and brought back to the demo values.
"""

import csv
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from mutualis.catalogue.models import CpvCode, PurchaseFamily
from mutualis.catalogue.services import family_save
from mutualis.contracts.alerts import send_contract_alerts
from mutualis.contracts.models import Contract
from mutualis.core.batching import batched
from mutualis.geo.models import Commune
from mutualis.notifications.services import in_app_only
from mutualis.opendata.decp_import.service import import_decp
from mutualis.opendata.models import ExternalContract
from mutualis.organisations.models import Entity, EntityKind, Membership, Territory, TerritoryKind, User
from mutualis.organisations.roles import Role
from mutualis.organisations.services import entity_save, membership_grant, territory_save, user_save
from mutualis.steering.cube import cube_build
from mutualis.suppliers.identifiers import IdentifierKind
from mutualis.suppliers.models import Supplier
from mutualis.suppliers.services import supplier_save

from .authorship import acting_as
from .awards import awards_by_family, read_awards
from .contracts import RegistryBuilder, load_groups
from .families import FAMILIES
from .gains import load_gains
from .needs import load_campaign
from .prices import load_price_schedules
from .procurements import load_procurements
from .spend import load_account_mapping, load_spend
from .steering import load_objectives
from .steering_flags import acknowledge_demo_flags
from .steering_improvements import load_improvement_actions

DATA = Path(__file__).parent / "data"
SUPPORT_SIRET = "26210007600013"  # CHU Dijon Bourgogne, support establishment of the demo group
DEMO_PASSWORD = "demo-mutualis"  # noqa: S105 - published demo accounts, never in production data

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
    ("correspondant", "Élodie", "Faure", Role.FAMILY_CORRESPONDENT, "26210018300017", "Pharmacienne"),
    ("prescripteur", "Thomas", "Lambert", Role.PRESCRIBER, "26210002700016", "Cadre de santé"),
    ("gouvernance", "Hélène", "Mercier", Role.GOVERNANCE, SUPPORT_SIRET, "Comité stratégique du GHT"),
    ("controleur", "Isabelle", "Morel", Role.CONTROLLER, SUPPORT_SIRET, "Contrôleuse de gestion achats"),
]


@dataclass
class DemoSummary:
    entities: int
    users: int
    families: int
    suppliers: int
    groups: int = 0
    contracts: int = 0
    projects: int = 0
    notifications: int = 0
    benchmark: int = 0
    gains: int = 0
    plan_actions: int = 0
    spend_lines: int = 0
    objectives: int = 0


def _rows(name: str) -> list[dict]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_territory() -> Territory:
    territory = Territory.current() or Territory()
    territory.name = "Groupement hospitalier de territoire de Côte-d'Or (démonstration)"
    territory.short_name = "GHT Côte-d'Or"
    territory.kind = TerritoryKind.GHT
    territory.primary_colour = "#1d4f91"
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


def load_user(username: str, first: str, last: str, role: Role, job: str) -> User:
    user = User.objects.filter(username=username).first() or User(username=username)
    user.first_name, user.last_name, user.job_title = first, last, job
    user.email = f"{username}@demo.mutualis.localhost"
    user.is_active, user.is_staff = True, role == Role.ADMIN
    if not user.pk or not user.has_usable_password():
        user.set_password(DEMO_PASSWORD)
    return user_save(actor=None, user=user)


def load_users(entities: dict[str, Entity]) -> list[User]:
    users = []
    for username, first, last, role, siret, job in DEMO_USERS:
        user = load_user(username, first, last, role, job)
        if not Membership.objects.filter(user=user, entity=entities[siret], role=role).exists():
            membership_grant(actor=None, user=user, entity=entities[siret], role=role)
        users.append(user)
    return users


def load_families(buyers: list[User]) -> int:
    for index, (code, label, nature, cpv, scope) in enumerate(FAMILIES):
        family = PurchaseFamily.objects.filter(code=code).first() or PurchaseFamily(code=code)
        family.label, family.nature, family.description = label, nature, scope
        family.responsible_buyer = buyers[index % len(buyers)]
        family.is_active = True
        family_save(actor=None, family=family, cpv_codes=CpvCode.objects.resolve(cpv))
    return len(FAMILIES)


def load_suppliers() -> int:
    """The holders of the shipped real awards, one supplier per SIRET (its first published name)."""
    names: dict[str, str] = {}
    for award in read_awards():
        names.setdefault(award.siret, award.name)
    existing = {
        s.identifier: s
        for s in Supplier.objects.filter(identifier_kind=IdentifierKind.SIRET, identifier__in=names)
    }
    for siret, name in names.items():
        supplier = existing.get(siret) or Supplier(identifier_kind=IdentifierKind.SIRET, identifier=siret)
        if supplier.pk and supplier.name == name:
            continue  # unchanged: no new history row on a rerun
        supplier.name = name
        supplier_save(actor=None, supplier=supplier)
    return len(names)


def _silent(label: str, seconds: float) -> None:
    pass


@contextmanager
def _step(report: Callable[[str, float], None], label: str) -> Iterator[None]:
    started = time.perf_counter()
    yield
    report(label, time.perf_counter() - started)


def load_demo(report: Callable[[str, float], None] = _silent) -> DemoSummary:
    """Create or refresh the whole demo territory in one transaction.

    `report(label, seconds)` is called after each step (the command prints them as they go).
    Its notifications stay in the application: nothing is e-mailed to the demo's made-up addresses.
    """
    with in_app_only():
        return _load_demo(report)


@transaction.atomic
def _load_demo(report: Callable[[str, float], None]) -> DemoSummary:
    with batched():  # what is summed from the registry is refreshed once, at the end
        summary = _load_steps(report)
    with _step(report, "Cube des indicateurs de pilotage"):
        cube_build()
    return summary


def _load_steps(report: Callable[[str, float], None]) -> DemoSummary:
    # The administrator's account comes first (its own creation is the installer's): she sets up
    # the rest, so the history names her.
    username, first, last, role, _siret, job = DEMO_USERS[0]
    with acting_as(User.objects.filter(username=username).first()):  # on a rerun, she updates herself
        admin = load_user(username, first, last, role, job)
    with _step(report, "Territoire, établissements et comptes"), acting_as(admin):
        load_territory()
        entities = load_entities()
        users = load_users(entities)
    buyers = [u for u, spec in zip(users, DEMO_USERS, strict=True) if spec[3] == Role.BUYER]
    with _step(report, "Familles d'achat et fournisseurs"):
        with acting_as(admin):
            families = load_families(buyers)
        with acting_as(buyers[0]):
            suppliers = load_suppliers()
    summary = DemoSummary(entities=len(entities), users=len(users), families=families, suppliers=suppliers)
    with _step(report, "Groupements de commandes et registre des contrats"):
        summary.groups, summary.contracts = load_registry(entities, admin)
    with _step(report, "Campagne de recensement des besoins"), acting_as(buyers[0]):
        campaign = load_campaign(list(entities.values()), timezone.localdate(), buyer=buyers[0])
    with _step(report, "Projets d'achat"):
        summary.projects = load_procurements(timezone.localdate(), campaign)
    with _step(report, "Gains achats et plan d'actions achats de territoire"):
        summary.gains, summary.plan_actions = load_gains(
            {user.username: user for user in users}, entities, timezone.localdate()
        )
    with _step(report, "Journal d'amélioration continue"):
        load_improvement_actions(timezone.localdate())
    with _step(report, "Bordereaux de prix, comptes budgétaires et une année de mandats par établissement"):
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
    with _step(report, "Pilotage : objectifs de l'année"):
        summary.objectives = load_objectives(by_name["controleur"], timezone.localdate().year)
    with _step(report, "Échantillon national pour le parangonnage (DECP réelles)"):
        summary.benchmark = load_benchmark_sample(admin)
    # The daily job, so that people find their alerts on first login (in the application only:
    # load_demo e-mails nobody). Keyed notifications: a rerun the same day adds none.
    with _step(report, "Alertes du jour (échéances, décisions, publications)"):
        summary.notifications = send_contract_alerts(today=timezone.localdate()).notifications
    with _step(report, "Un signal d'alerte examiné"):
        acknowledge_demo_flags(timezone.localdate())
    summary.contracts = Contract.objects.count()
    return summary


BENCHMARK_FILES = ["parangonnage_decp_2019.json", "parangonnage_decp_2022.json"]


def load_benchmark_sample(user: User) -> int:
    """Real published records of the demo families, through the DECP import like a national file.

    Left alone once any published contract is stored (a rerun, or real national data loaded).
    """
    if not ExternalContract.objects.exists():
        import_decp([DATA / name for name in BENCHMARK_FILES], user=user)
    return ExternalContract.objects.count()


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
