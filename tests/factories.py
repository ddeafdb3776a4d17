"""Factories for tests: valid French identifiers and records of every domain app."""

import random

import factory
from stdnum import luhn

from mutualis.catalogue.models import Nature, PurchaseFamily
from mutualis.organisations.models import Entity, EntityKind, Membership, User
from mutualis.suppliers.models import Supplier

_random = random.Random(20261124)


def make_siren() -> str:
    """A valid SIREN: 8 digits then their Luhn check digit (STACK.md: never Luhn on 14 digits only)."""
    body = f"{_random.randint(10_000_000, 99_999_999)}"
    return body + luhn.calc_check_digit(body)


def make_siret(siren: str | None = None) -> str:
    siren = siren or make_siren()
    while True:
        body = siren + f"{_random.randint(0, 9999):04d}"
        siret = body + luhn.calc_check_digit(body)
        if not siret.startswith("356000000"):
            return siret


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("motdepasse-test")


class EntityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entity

    name = factory.Sequence(lambda n: f"Centre hospitalier n° {n}")
    siret = factory.LazyFunction(make_siret)
    kind = EntityKind.MEMBER_HOSPITAL
    city = "Dijon"
    postal_code = "21000"
    insee_code = "21231"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    entity = factory.SubFactory(EntityFactory)
    role = "buyer"


class PurchaseFamilyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PurchaseFamily

    code = factory.Sequence(lambda n: f"FAM-{n:03d}")
    label = factory.Sequence(lambda n: f"Famille {n}")
    nature = Nature.SUPPLIES


class SupplierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Supplier

    identifier_kind = "SIRET"
    identifier = factory.LazyFunction(make_siret)
    name = factory.Sequence(lambda n: f"Entreprise {n}")


def make_contract(*, buyer, reference=None, holders=None, available_to=(), **fields):
    """A valid notified contract saved through the service, as the pages do."""
    from datetime import date
    from decimal import Decimal

    from mutualis.contracts.models import Contract
    from mutualis.contracts.services import HolderInput, contract_save

    defaults = {
        "object": "Fourniture de consommables médicaux",
        "techniques": ["Sans objet"],
        "execution_modes": ["Sans objet"],
        "cpv_id": "33141000",
        "procedure": "Procédure adaptée",
        "price_types": ["Définitif ferme"],
        "price_form": "Forfaitaire",
        "amount": Decimal("100000.00"),
        "notification_date": date(2026, 1, 1),
        "firm_duration_months": 12,
        "social_considerations": ["Pas de considération sociale"],
        "environmental_considerations": ["Pas de considération environnementale"],
    }
    defaults.update(fields)
    contract = Contract(buyer=buyer, reference=reference or f"C{_random.randint(0, 10**9):09d}", **defaults)
    suppliers = holders or [SupplierFactory()]
    inputs = [HolderInput(supplier=s) for s in suppliers]
    return contract_save(actor=None, contract=contract, holders=inputs, available_to=list(available_to))
