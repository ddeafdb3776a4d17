"""What both demo territories load alike: the people, the families, the suppliers of the shipped real
awards, the national benchmark sample, and the timing of each step."""

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from mutualis.catalogue.models import CpvCode, PurchaseFamily
from mutualis.catalogue.services import family_save
from mutualis.opendata.decp_import.service import import_decp
from mutualis.opendata.models import ExternalContract
from mutualis.organisations.models import Entity, Membership, User
from mutualis.organisations.roles import Role
from mutualis.organisations.services import membership_grant, user_save
from mutualis.suppliers.data_imports import supplier_data_import_file
from mutualis.suppliers.identifiers import IdentifierKind
from mutualis.suppliers.models import DataImportKind, DataImportStatus, Supplier, SupplierDataImport
from mutualis.suppliers.services import supplier_save

from .awards import read_awards

DATA = Path(__file__).parent / "data"
DEMO_PASSWORD = "demo-mutualis"  # noqa: S105 - published demo accounts, never in production data
Report = Callable[[str, float], None]


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
    evaluation_campaigns: int = 0
    service_requests: int = 0
    library_documents: int = 0


def load_user(username: str, first: str, last: str, role: Role, job: str) -> User:
    user = User.objects.filter(username=username).first() or User(username=username)
    user.first_name, user.last_name, user.job_title = first, last, job
    user.email = f"{username}@demo.mutualis.localhost"
    user.is_active, user.is_staff = True, role == Role.ADMIN
    if not user.pk or not user.has_usable_password():
        user.set_password(DEMO_PASSWORD)
    return user_save(actor=None, user=user)


def load_users(entities: dict[str, Entity], specs: list[tuple]) -> list[User]:
    """`specs`: (username, first name, last name, role, SIRET of the entity, job title)."""
    users = []
    for username, first, last, role, siret, job in specs:
        user = load_user(username, first, last, role, job)
        if not Membership.objects.filter(user=user, entity=entities[siret], role=role).exists():
            membership_grant(actor=None, user=user, entity=entities[siret], role=role)
        users.append(user)
    return users


def load_families(buyers: list[User], families: list[tuple]) -> int:
    for index, (code, label, nature, cpv, scope) in enumerate(families):
        family = PurchaseFamily.objects.filter(code=code).first() or PurchaseFamily(code=code)
        family.label, family.nature, family.description = label, nature, scope
        family.responsible_buyer = buyers[index % len(buyers)]
        family.is_active = True
        family_save(actor=None, family=family, cpv_codes=CpvCode.objects.resolve(cpv))
    return len(families)


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
        if supplier.pk and (supplier.name == name or supplier.sirene_date):
            continue  # unchanged, or named by SIRENE since: no new history row on a rerun
        supplier.name = name
        supplier_save(actor=None, supplier=supplier)
    return len(names)


# The shipped ILLUSTRATIVE SIRENE extract and inclusion list (data/SOURCE.md) and the dates they claim.
SIRENE_FILES = [
    (DataImportKind.ESTABLISHMENTS, "sirene_extrait_etablissements.csv"),
    (DataImportKind.LEGAL_UNITS, "sirene_extrait_unites_legales.csv"),  # after: a ceased company wins
]
SIRENE_DATE = date(2026, 10, 31)
INCLUSION_FILE, INCLUSION_DATE = "inclusion_extrait.csv", date(2026, 11, 15)


def load_supplier_identities(user: User) -> None:
    """The suppliers' address, commune, category, legal form and inclusion kind, through the real imports
    (a rerun finds them unchanged)."""
    for kind, name in SIRENE_FILES:
        _checked(supplier_data_import_file(kind=kind, path=DATA / name, data_date=SIRENE_DATE, user=user))
    inclusion = DATA / INCLUSION_FILE
    _checked(
        supplier_data_import_file(
            kind=DataImportKind.INCLUSION, path=inclusion, data_date=INCLUSION_DATE, user=user
        )
    )


def _checked(run: SupplierDataImport) -> None:
    if run.status != DataImportStatus.DONE or run.counts.get("rejected"):
        raise RuntimeError(f"Demo file {run.file_name}: {run.message or run.report[:3]}")


def silent(label: str, seconds: float) -> None:
    pass


@contextmanager
def step(report: Callable[[str, float], None], label: str) -> Iterator[None]:
    started = time.perf_counter()
    yield
    report(label, time.perf_counter() - started)


BENCHMARK_FILES = ["parangonnage_decp_2019.json", "parangonnage_decp_2022.json"]


def load_benchmark_sample(user: User) -> int:
    """Real published records of the demo families, through the DECP import like a national file.

    Left alone once any published contract is stored (a rerun, or real national data loaded).
    """
    if not ExternalContract.objects.exists():
        import_decp([DATA / name for name in BENCHMARK_FILES], user=user)
    return ExternalContract.objects.count()
