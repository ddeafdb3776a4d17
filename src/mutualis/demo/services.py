"""The demo territory: real hospitals of one département, real suppliers, users for every role.

Safe to run again: every record is found by its natural key and brought back to the demo values.
"""

import csv
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from mutualis.catalogue.models import CpvCode, PurchaseFamily
from mutualis.catalogue.services import family_save
from mutualis.contracts.models import Contract
from mutualis.notifications.services import in_app_only
from mutualis.organisations.models import Entity, EntityKind, Membership, Territory, TerritoryKind, User
from mutualis.organisations.roles import Role
from mutualis.organisations.services import entity_save, membership_grant, territory_save, user_save
from mutualis.suppliers.identifiers import IdentifierKind
from mutualis.suppliers.models import Supplier
from mutualis.suppliers.services import supplier_save

from .contracts import RegistryBuilder, load_groups
from .families import FAMILIES
from .needs import load_campaign
from .procurements import load_procurements

DATA = Path(__file__).parent / "data"
SUPPORT_SIRET = "26210007600013"  # CHU Dijon Bourgogne, support establishment of the demo group
DEMO_PASSWORD = "demo-mutualis"  # noqa: S105 - published demo accounts, never in production data

# Names as the hospitals' staff write them (the FINESS extract only has the long forms).
SHORT_NAMES = {
    SUPPORT_SIRET: "CHU Dijon Bourgogne",
    "26210006800010": "CH La Chartreuse",
    "20004782700015": "Hospices civils de Beaune",
    "26210018300017": "CH de Semur-en-Auxois",
    "26210002700016": "CH d'Auxonne",
    "26210008400017": "CH d'Is-sur-Tille",
    "20004781900012": "CH de Haute Côte-d'Or",
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


def _rows(name: str) -> list[dict]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _title(text: str) -> str:
    """FINESS names are upper case: write them as people do (small words lower case, acronyms kept)."""
    small = {"de", "du", "des", "la", "le", "les", "d", "l", "et", "en", "sur", "sous", "lès"}
    acronyms = {"chu": "CHU", "ch": "CH", "hco": "HCO"}
    tokens = re.split(r"([\s'-]+)", text.lower())
    words = [acronyms.get(t) or (t if (t in small and i) else t.capitalize()) for i, t in enumerate(tokens)]
    return "".join(words)


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
        entity.name = _title(row["name"])
        entity.short_name = SHORT_NAMES.get(row["siret"], "")
        entity.kind = kind
        entity.finess = row["finess_ej"]
        entity.insee_code = row["insee_code"]
        entity.postal_code = row["postal_code"]
        entity.city = _title(row["city"])
        entity.is_active = True
        entities[row["siret"]] = entity_save(actor=None, entity=entity)
    return entities


def load_users(entities: dict[str, Entity]) -> list[User]:
    users = []
    for username, first, last, role, siret, job in DEMO_USERS:
        user = User.objects.filter(username=username).first() or User(username=username)
        user.first_name, user.last_name, user.job_title = first, last, job
        user.email = f"{username}@demo.mutualis.localhost"
        user.is_active, user.is_staff = True, role == Role.ADMIN
        if not user.pk or not user.has_usable_password():
            user.set_password(DEMO_PASSWORD)
        user_save(actor=None, user=user)
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
    rows = _rows("fournisseurs_decp.csv")
    for row in rows:
        supplier = Supplier.objects.filter(
            identifier_kind=IdentifierKind.SIRET, identifier=row["siret"]
        ).first() or Supplier(identifier_kind=IdentifierKind.SIRET, identifier=row["siret"])
        supplier.name = row["name"]
        supplier_save(actor=None, supplier=supplier)
    return len(rows)


def load_demo() -> DemoSummary:
    """Create or refresh the whole demo territory in one transaction.

    Its notifications stay in the application: nothing is e-mailed to the demo's made-up addresses.
    """
    with in_app_only():
        return _load_demo()


@transaction.atomic
def _load_demo() -> DemoSummary:
    load_territory()
    entities = load_entities()
    users = load_users(entities)
    buyers = [u for u, spec in zip(users, DEMO_USERS, strict=True) if spec[3] == Role.BUYER]
    summary = DemoSummary(
        entities=len(entities), users=len(users), families=load_families(buyers), suppliers=load_suppliers()
    )
    summary.groups, summary.contracts = load_registry(entities)
    campaign = load_campaign(list(entities.values()), timezone.localdate(), buyer=buyers[0])
    summary.projects = load_procurements(timezone.localdate(), campaign)
    summary.contracts = Contract.objects.count()
    return summary


def load_registry(entities: dict[str, Entity]) -> tuple[int, int]:
    """Joint purchasing groups and the demo registry (built once, then left alone)."""
    support = entities[SUPPORT_SIRET]
    members = [e for siret, e in entities.items() if siret != SUPPORT_SIRET]
    today = timezone.localdate()
    groups = load_groups(support, members, convention=date(today.year - 3, 1, 15))
    if not Contract.objects.exists():
        builder = RegistryBuilder(
            today=today, support=support, members=members, suppliers=list(Supplier.objects.order_by("pk"))
        )
        families = PurchaseFamily.objects.prefetch_related("cpv_codes").select_related("responsible_buyer")
        builder.build(list(families), groups)
    return len(groups), Contract.objects.count()
