"""Every exported list gives the same cells through its column plan (values_list, core/export_plan.py) as
through django-import-export's export_resource record by record, in a number of queries that does not
grow with the rows."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from import_export import fields, widgets

from mutualis.contracts.models import Contract
from mutualis.contracts.resources import ContractResource
from mutualis.core import export_stream
from mutualis.core.export_plan import export_plan
from mutualis.organisations.roles import Role
from mutualis.suppliers.models import Supplier
from mutualis.suppliers.resources import SupplierResource
from tests.contracts.factories import make_contract
from tests.helpers import read_xlsx
from tests.list_rows import ROW_MAKERS, Territory, list_pages
from tests.suppliers.factories import SupplierFactory

EXPORTED = {name: view for name, view in list_pages().items() if view.resource_class is not None}
# The long lists must not fall back to the record-by-record path unnoticed.
PLANNED = {"contracts:contract_list", "contracts:usable_list", "suppliers:supplier_list"}


def by_record(resource, queryset) -> list[list]:
    return [resource.export_resource(record) for record in queryset]


@pytest.fixture
def territory(role_users, support, hospital):
    return Territory(support=support, hospital=hospital, users=role_users)


@pytest.mark.parametrize("url_name", sorted(EXPORTED))
def test_the_plan_gives_the_cells_of_export_resource(territory, role_users, url_name):
    view_class = EXPORTED[url_name]
    ROW_MAKERS[view_class.model](3, territory)
    resource, queryset = view_class.export_queryset_for(role_users[Role.ADMIN], "", {})
    plan = export_plan(resource, queryset)
    if plan is None:
        assert url_name not in PLANNED
        pytest.skip("read record by record")
    expected = by_record(resource, queryset)
    assert expected  # rows were made, so the comparison is put to the test
    progress = []
    assert list(plan.rows(queryset, chunk_size=2, on_chunk=progress.append)) == expected
    assert progress == [min(count, len(expected)) for count in range(2, len(expected) + 2, 2)]


def test_contract_cells_with_empty_relations_decimals_and_formulas(support, hospital, other_hospital):
    contract = make_contract(
        buyer=support,
        object='=HYPERLINK("http://example.com")',
        amount=Decimal("1234.56"),
        offers_received=None,
        notification_date=date(2025, 3, 4),
        holders=[SupplierFactory(name="-moins"), SupplierFactory(name="Alpha")],  # position order
        available_to=[other_hospital, hospital],
    )
    make_contract(buyer=support, reference="BARE-1", family=None)
    resource = ContractResource()
    queryset = Contract.objects.order_by("reference").prefetch_related(
        "holder_links__supplier", "available_to"
    )
    planned = list(export_stream.resource_rows(resource, queryset))
    assert export_plan(resource, queryset) is not None
    assert planned[1:] == [export_stream.safe_row(row) for row in by_record(resource, queryset)]
    cells = dict(
        zip(planned[0], planned[1 + [r[0] for r in planned[1:]].index(contract.reference)], strict=True)
    )
    assert cells["Objet"].startswith("'=HYPERLINK") and cells["Montant HT"] == "1234,56"
    holders = list(contract.holder_links.select_related("supplier"))
    assert cells["Titulaires (identifiants)"] == "; ".join(h.supplier.identifier for h in holders)
    assert cells["Titulaires (raisons sociales)"] == "'-moins; Alpha"  # escaped: it starts with "-"
    users = sorted([hospital, other_hospital], key=lambda entity: entity.name)  # the entities' order
    assert cells["Entités utilisatrices (SIRET)"] == "; ".join(e.siret for e in users)
    assert cells["Offres reçues"] == ""
    assert cells["Date de notification"] == "2025-03-04"


def test_an_unknown_render_or_a_property_keeps_the_record_path(db):
    class Shouting(widgets.CharWidget):
        def render(self, value, obj=None, **kwargs):
            return str(value).upper()

    class Loud(SupplierResource):
        name = fields.Field(attribute="name", column_name="Raison sociale", widget=Shouting())

    class Computed(SupplierResource):
        name = fields.Field(attribute="__str__", column_name="Raison sociale")

    SupplierFactory(name="Blanchisserie")
    queryset = Supplier.objects.all()
    assert export_plan(SupplierResource(), queryset) is not None
    for resource in (Loud(), Computed()):
        assert export_plan(resource, queryset) is None
        assert list(export_stream.resource_rows(resource, queryset))[1:] == by_record(resource, queryset)
    assert list(export_stream.resource_rows(Loud(), queryset))[1][2] == "BLANCHISSERIE"


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_contract_export_queries_do_not_grow_with_rows(client, role_users, territory, file_format):
    client.force_login(role_users[Role.ADMIN])
    url = reverse("contracts:contract_list")

    def export():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"export": file_format})
            body = response.getvalue()
        rows = body.decode("utf-8-sig").count("\r\n") if file_format == "csv" else len(read_xlsx(body))
        return len(queries), rows

    ROW_MAKERS[Contract](2, territory)
    few, few_rows = export()
    ROW_MAKERS[Contract](4, territory)
    many, many_rows = export()
    assert (few_rows, many_rows) == (3, 7)  # header and rows
    assert many == few
