"""Factories of the territory: valid French identifiers, entities, people and their roles."""

import random

import factory
from stdnum import luhn

from mutualis.organisations.models import Entity, EntityKind, Membership, PurchasingMode, User

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
        if not siret.startswith("356000000"):  # La Poste's SIRETs follow another rule
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
    # As the model's clean() says: the support establishment buys for itself, the others through it.
    purchasing_mode = factory.LazyAttribute(
        lambda e: PurchasingMode.OWN if e.kind == EntityKind.SUPPORT_ESTABLISHMENT else PurchasingMode.SUPPORT
    )
    city = "Dijon"
    postal_code = "21000"
    insee_code = "21231"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    entity = factory.SubFactory(EntityFactory)
    role = "buyer"
