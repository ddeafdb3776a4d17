import os

os.environ.setdefault("MUTUALIS_ENV", "test")

import pytest

from mutualis.organisations.roles import TERRITORY_WIDE_ROLES, Role
from tests.organisations.factories import EntityFactory, MembershipFactory, UserFactory

PASSWORD = "motdepasse-test"


def pytest_collection_modifyitems(items):
    """Browser journeys run last: their live server flushes the tables that migrations filled."""
    items.sort(key=lambda item: "tests/browser/" in str(item.path))


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Counters kept in the cache (failed logins, rate limits) do not leak from one test to the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(scope="module")
def demo_for_module(django_db_setup, django_db_blocker):
    """The demo, loaded for a test module and rolled back after its last test. Built through the services
    once per process (and day), then put back from its copy (tests/demo_snapshot.py)."""
    from django.db import transaction

    from tests import demo_snapshot

    with django_db_blocker.unblock(), transaction.atomic():
        demo_snapshot.load()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def support(db):
    return EntityFactory(name="CHU de test", kind="support")


@pytest.fixture
def hospital(db):
    return EntityFactory(name="Centre hospitalier membre")


@pytest.fixture
def other_hospital(db):
    return EntityFactory(name="Autre centre hospitalier")


@pytest.fixture
def role_users(db, support, hospital):
    """One user per role: team roles in the support establishment, entity roles in a member hospital."""
    users = {}
    for role in Role:
        entity = support if role in TERRITORY_WIDE_ROLES else hospital
        users[role] = MembershipFactory(
            user=UserFactory(username=f"u_{role.value}"), entity=entity, role=role
        ).user
    return users


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def team(role_users):
    """The buyer and the legal officer of the purchasing team, who run a consultation's stages."""
    return role_users[Role.BUYER], role_users[Role.LEGAL_OFFICER]


@pytest.fixture
def project(team, support, hospital):
    """An open tender (300 000 € of supplies) for the member hospital, with one lot, at its first stage."""
    from tests.procurements.factories import new_project

    buyer, legal = team
    return new_project(
        buyer, entities=[hospital], value="300000", buyer=buyer, legal_officer=legal, buyer_entity=support
    )
