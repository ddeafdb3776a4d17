"""Every list page, found from the URL configuration, runs as many queries for 3N rows as for N."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mutualis.organisations.access import access_for
from mutualis.organisations.roles import Role
from tests.list_rows import (
    LIST_PARAMS,
    LIST_READERS,
    PLAIN_ROW_MAKERS,
    ROW_MAKERS,
    Territory,
    list_pages,
    plain_list_pages,
)

PAGES = list_pages()
N = 2


def test_the_enumeration_finds_the_lists():
    # Guards the guard: an enumeration that found nothing would make every test below vacuous.
    assert {"contracts:contract_list", "suppliers:supplier_list", "procurements:my_tasks"} <= set(PAGES)
    assert set(plain_list_pages()) == set(PLAIN_ROW_MAKERS)  # the plain lists, each with its row maker


def reader(view_class, url_name, role_users):
    role = LIST_READERS.get(url_name, Role.ADMIN)
    user = role_users[role]
    assert access_for(user).has(view_class.required_perm)
    return user


@pytest.mark.parametrize("mode", ["page", "export", "keyset"])
@pytest.mark.parametrize("url_name", sorted(PAGES))
def test_list_page_queries_do_not_grow_with_rows(client, role_users, support, hospital, url_name, mode):
    view_class = PAGES[url_name]
    exported = mode == "export"
    if exported and view_class.resource_class is None:
        pytest.skip("no export on this list")
    if mode == "keyset" and not view_class.keyset_order:
        pytest.skip("no keyset pagination on this list")
    territory = Territory(support=support, hospital=hospital, users=role_users)
    add_rows = ROW_MAKERS[view_class.model]
    client.force_login(reader(view_class, url_name, role_users))
    params = {**LIST_PARAMS.get(url_name, {}), **({"export": "xlsx"} if exported else {})}

    def visit():
        if mode == "keyset":  # the page after the list's first row: the cursor is read, then the rows
            params.pop("apres", None)
            first = client.get(reverse(url_name), params).context["table"].paginated_rows
            params["apres"] = next(iter(first)).record.pk
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(url_name), params)
        assert response.status_code == 200
        shown = None if exported else len(response.context["table"].paginated_rows)
        if not exported:
            table = connection.ops.quote_name(view_class.model._meta.db_table)
            counts = [q["sql"] for q in queries if q["sql"].startswith("SELECT COUNT(") and table in q["sql"]]
            assert len(counts) <= 1, counts  # the rows are counted once, by the table's paginator
        return len(queries), shown

    add_rows(N, territory)
    few, few_shown = visit()
    add_rows(2 * N, territory)
    many, many_shown = visit()
    if not exported:
        assert many_shown > few_shown  # the new rows are on the page, so the count was put to the test
    assert many == few


@pytest.mark.parametrize("url_name", sorted(plain_list_pages()))
def test_plain_list_page_queries_do_not_grow_with_rows(client, role_users, support, hospital, url_name):
    territory = Territory(support=support, hospital=hospital, users=role_users)
    add_rows = PLAIN_ROW_MAKERS[url_name]  # a new plain list needs its row maker here
    client.force_login(role_users[Role.ADMIN])

    def visit():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(url_name))
        assert response.status_code == 200
        return len(queries), len(response.context["object_list"])

    add_rows(N, territory)
    few, few_shown = visit()
    add_rows(2 * N, territory)
    many, many_shown = visit()
    assert many_shown > few_shown
    assert many == few
