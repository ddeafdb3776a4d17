"""Scaling out: the read replica's router (core/replica.py), which reads may go to the replica and who
marks them; the deploy check that refuses a per-process cache (core/checks.py).

The test settings have one database: the router's decisions are checked directly, and the marking of
the indicators and the portal through a recording router that keeps every read on the test database.
"""

import pytest
from django.contrib.sessions.models import Session
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from mutualis.contracts.models import Contract
from mutualis.core.replica import (
    REPLICA,
    ReplicaReadsMiddleware,
    ReplicaRouter,
    reading_from_replica,
    replica_reads,
)
from mutualis.organisations.models import User
from mutualis.organisations.roles import Role
from mutualis.steering.indicators import Scope, compute
from mutualis.steering.models import ContractCell


@pytest.fixture
def outside_transactions(monkeypatch):
    # pytest-django wraps database tests in a transaction; these decisions are those of a request.
    monkeypatch.setattr(connections[DEFAULT_DB_ALIAS], "in_atomic_block", False)


def test_only_marked_reads_go_to_the_replica(outside_transactions):
    router = ReplicaRouter()
    assert router.db_for_read(Contract) is None
    with replica_reads():
        assert router.db_for_read(Contract) == REPLICA
        assert router.db_for_read(ContractCell) == REPLICA
    assert router.db_for_read(Contract) is None


def test_identity_sessions_and_the_cache_stay_on_the_primary(outside_transactions):
    from django.core.cache.backends.db import BaseDatabaseCache

    cache_entry = BaseDatabaseCache("mutualis_cache", {}).cache_model_class
    router = ReplicaRouter()
    with replica_reads():
        assert router.db_for_read(User) is None
        assert router.db_for_read(Session) is None
        assert router.db_for_read(cache_entry) is None


def test_reads_inside_a_transaction_see_its_writes(monkeypatch):
    monkeypatch.setattr(connections[DEFAULT_DB_ALIAS], "in_atomic_block", True)
    with replica_reads():
        assert ReplicaRouter().db_for_read(Contract) is None


def test_writes_and_migrations_always_go_to_the_primary():
    router = ReplicaRouter()
    with replica_reads():
        assert router.db_for_write(Contract) == DEFAULT_DB_ALIAS
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "contracts")
    assert not router.allow_migrate(REPLICA, "contracts")


@pytest.mark.parametrize(
    ("method", "path", "marked"),
    [
        ("GET", "/portail/", True),
        ("GET", "/portail/achats-prevus/?famille=X", True),
        ("HEAD", "/portail/marches/", True),
        ("POST", "/portail/achats/1/interet/", False),  # the portal's one write
        ("GET", "/pilotage/", True),
        ("GET", "/pilotage/indicateurs/contracts_notified/", True),
        ("GET", "/api/v1/indicators/", True),
        ("GET", "/pilotage/objectifs/1/", False),  # a form: reads the version it will write
        ("GET", "/contrats/", False),
    ],
)
def test_the_middleware_marks_the_portal_and_the_indicators(method, path, marked):
    seen = []
    middleware = ReplicaReadsMiddleware(lambda request: seen.append(reading_from_replica()) or HttpResponse())
    middleware(RequestFactory().generic(method, path))
    assert seen == [marked]
    assert not reading_from_replica()


class Recorder:
    """Keeps every read on the test database and notes whether it was marked for the replica."""

    def __init__(self):
        self.marked = []

    def db_for_read(self, model, **hints):
        self.marked.append(reading_from_replica())
        return None


def test_the_indicators_are_read_marked_wherever_they_are_computed(role_users):
    recorder = Recorder()
    with override_settings(DATABASE_ROUTERS=[recorder]):
        compute(Scope(2025), role_users[Role.BUYER])
    assert recorder.marked and all(recorder.marked)


def test_a_per_process_cache_is_flagged_for_production():
    from mutualis.core.checks import shared_cache

    locmem = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    with override_settings(CACHES=locmem):
        assert [warning.id for warning in shared_cache()] == ["mutualis.W001"]
    database = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "c"}}
    with override_settings(CACHES=database):
        assert shared_cache() == []
