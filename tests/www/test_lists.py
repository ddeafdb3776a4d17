"""The shared list mechanism: scope, filters, search, sort, pagination, exports, bounded queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mutualis.organisations.roles import Role
from tests.catalogue.factories import PurchaseFamilyFactory
from tests.contracts.factories import make_contract
from tests.helpers import read_xlsx
from tests.organisations.factories import EntityFactory, MembershipFactory
from tests.suppliers.factories import SupplierFactory


def rows_of(response):
    return [row.record for row in response.context["table"].paginated_rows]


def test_referent_lists_only_their_entities(client, role_users, hospital, other_hospital, support):
    client.force_login(role_users[Role.REFERENT])
    assert rows_of(client.get(reverse("organisations:entity_list"))) == [hospital]
    client.force_login(role_users[Role.BUYER])
    assert set(rows_of(client.get(reverse("organisations:entity_list")))) == {
        hospital,
        other_hospital,
        support,
    }


def test_referent_export_is_scoped_too(client, role_users, hospital, other_hospital):
    client.force_login(role_users[Role.REFERENT])
    rows = read_xlsx(client.get(reverse("organisations:entity_list"), {"export": "xlsx"}).getvalue())
    assert [row[0] for row in rows[1:]] == [hospital.siret]


def test_filter_search_and_sort(client, role_users):
    EntityFactory(name="Commune de Beaune", kind="commune", city="Beaune")
    EntityFactory(name="Commune d'Auxonne", kind="commune", city="Auxonne")
    client.force_login(role_users[Role.BUYER])
    url = reverse("organisations:entity_list")
    communes = rows_of(client.get(url, {"kind": "commune", "sort": "-name"}))
    assert [e.name for e in communes] == ["Commune de Beaune", "Commune d'Auxonne"]
    assert [e.name for e in rows_of(client.get(url, {"q": "beaune"}))] == ["Commune de Beaune"]
    page = client.get(url, {"kind": "commune", "sort": "name"}).content.decode()
    assert 'aria-sort="ascending"' in page
    assert "<strong>2</strong> résultats" in page


def test_csv_export_follows_filters_and_opens_in_french_excel(client, role_users):
    EntityFactory(name="Commune de Beaune", kind="commune")
    client.force_login(role_users[Role.BUYER])
    response = client.get(reverse("organisations:entity_list"), {"kind": "commune", "export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="entites_membres_' in response["Content-Disposition"]
    text = response.getvalue().decode("utf-8")
    assert text.startswith("\ufeffSIRET;Raison sociale;")
    lines = text.strip().splitlines()
    assert len(lines) == 2 and "Commune de Beaune" in lines[1] and ";Commune;" in lines[1]


def test_pagination(client, role_users):
    for _ in range(30):
        SupplierFactory()
    client.force_login(role_users[Role.BUYER])
    url = reverse("suppliers:supplier_list")
    assert len(rows_of(client.get(url))) == 25
    assert len(rows_of(client.get(url, {"page": 2}))) == 5
    # The export is not paginated.
    assert len(read_xlsx(client.get(url, {"export": "xlsx"}).getvalue())) == 31


def _count_queries(client, url, params=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("url_name", "factory"),
    [
        ("organisations:entity_list", EntityFactory),
        ("catalogue:family_list", PurchaseFamilyFactory),
        ("suppliers:supplier_list", SupplierFactory),
    ],
)
@pytest.mark.parametrize("params", [{}, {"export": "xlsx"}], ids=["page", "export"])
def test_list_queries_do_not_grow_with_rows(client, role_users, url_name, factory, params):
    buyer = role_users[Role.BUYER]
    client.force_login(buyer)

    def add_rows(count):
        for _ in range(count):
            obj = factory()
            if url_name == "catalogue:family_list":
                obj.responsible_buyer = buyer
                obj.save()
                obj.cpv_codes.set(["33141000", "33140000"])

    add_rows(3)
    few = _count_queries(client, reverse(url_name), params)
    add_rows(20)
    many = _count_queries(client, reverse(url_name), params)
    assert many == few


def test_memberships_of_other_entities_stay_hidden(client, role_users, other_hospital):
    MembershipFactory(entity=other_hospital, role=Role.REFERENT)
    client.force_login(role_users[Role.REFERENT])
    assert client.get(reverse("organisations:entity_detail", args=[other_hospital.pk])).status_code == 404


def test_people_list_queries_do_not_grow_with_rows(client, role_users, hospital):
    client.force_login(role_users[Role.ADMIN])
    url = reverse("organisations:user_list")
    few = (_count_queries(client, url), _count_queries(client, url, {"export": "csv"}))
    for _ in range(15):
        MembershipFactory(entity=hospital, role=Role.PRESCRIBER)
    assert (_count_queries(client, url), _count_queries(client, url, {"export": "csv"})) == few


@pytest.mark.parametrize(
    ("url_name", "params"),
    [
        ("contracts:contract_list", {}),
        ("contracts:contract_list", {"export": "xlsx"}),
        ("contracts:contract_list", {"state": "in_force", "ending_within": "365"}),
        ("contracts:usable_list", {}),
        ("contracts:timeline", {}),
        ("organisations:group_list", {}),
    ],
)
def test_registry_queries_do_not_grow_with_rows(client, role_users, support, hospital, url_name, params):
    from mutualis.organisations.models import PurchasingGroup

    client.force_login(
        role_users[Role.REFERENT] if url_name == "contracts:usable_list" else role_users[Role.BUYER]
    )

    def add(count):
        for _ in range(count):
            group = PurchasingGroup.objects.create(
                name=f"G{PurchasingGroup.objects.count()}", coordinator=support
            )
            group.members.set([hospital])
            make_contract(
                buyer=support,
                available_to=[hospital],
                holders=[SupplierFactory(), SupplierFactory()],
                purchasing_group=group,
            )

    add(2)
    few = _count_queries(client, reverse(url_name), params)
    add(12)
    assert _count_queries(client, reverse(url_name), params) == few
