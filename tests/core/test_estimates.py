"""Past ESTIMATE_FROM rows, an unfiltered list on PostgreSQL shows the planner's estimate « environ »
instead of counting every row; a filtered or scoped list always counts exactly."""

import pytest
from django.db import connection
from django.urls import reverse

from mutualis.core import estimates
from mutualis.core.estimates import estimated_count
from mutualis.organisations.roles import Role
from mutualis.suppliers.models import Supplier
from tests.suppliers.factories import SupplierFactory


def test_sqlite_and_filtered_lists_count_exactly(db, monkeypatch):
    monkeypatch.setattr(estimates, "ESTIMATE_FROM", 0)
    assert estimated_count(Supplier.objects.filter(name="x")) is None
    if connection.vendor != "postgresql":
        assert estimated_count(Supplier.objects.all()) is None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_class statistics: PostgreSQL only")
def test_an_unfiltered_list_on_postgresql_says_about(login, role_users, monkeypatch):
    SupplierFactory.create_batch(3)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Supplier._meta.db_table}")
    monkeypatch.setattr(estimates, "ESTIMATE_FROM", 0)
    assert estimated_count(Supplier.objects.all()) is not None
    client = login(role_users[Role.BUYER])
    assert "environ <strong>" in client.get(reverse("suppliers:supplier_list")).content.decode()
    filtered = client.get(reverse("suppliers:supplier_list"), {"q": "Entreprise"}).content.decode()
    assert "environ <strong>" not in filtered
