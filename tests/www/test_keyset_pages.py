"""Keyset pagination of the lists whose default order an index serves (the registry): « Page suivante »,
« Page précédente », « Première page » and « Dernière page » walk every row once, in the list's order."""

import re
from datetime import date

import pytest
from django.urls import reverse

from mutualis.contracts.models import Contract
from mutualis.organisations.roles import Role
from mutualis.www import paging
from tests.catalogue.factories import PurchaseFamilyFactory
from tests.contracts.factories import make_contract

URL = reverse("contracts:contract_list")
PER_PAGE = 2


@pytest.fixture
def registry(hospital, other_hospital):
    """Contracts with a decision due, without one, with the same dates (ties broken by reference, then
    id), and not notified (no date at all: last)."""
    renewable = {"renewal_count": 2, "renewal_period_months": 12, "renewal_notice_months": 3}
    made = [
        make_contract(buyer=hospital, reference="R-B", notification_date=date(2025, 3, 1), **renewable),
        make_contract(buyer=hospital, reference="R-A", notification_date=date(2025, 6, 1), **renewable),
        make_contract(buyer=hospital, reference="T-1", notification_date=date(2026, 1, 1)),
        make_contract(buyer=other_hospital, reference="T-1", notification_date=date(2026, 1, 1)),
        make_contract(buyer=hospital, reference="T-0", notification_date=date(2026, 1, 1)),
        make_contract(buyer=hospital, reference="N-1", notification_date=None),
        make_contract(buyer=hospital, reference="N-0", notification_date=None),
    ]
    assert any(c.decision_due_on for c in made) and any(c.decision_due_on is None for c in made)
    return made


def rows_of(response):
    return [row.record.pk for row in response.context["table"].paginated_rows]


def link(response, label):
    """The href of the pagination link with this text, or None."""
    found = re.search(rf'<a class="page-link" href="([^"]*)">{label}</a>', response.content.decode())
    return found and found.group(1).replace("&amp;", "&")


def walk(client, start, forward=True):
    """Follows « Page suivante » (or « Page précédente ») from `start` to the end: every row met."""
    response, seen = client.get(start), []
    while True:
        assert response.status_code == 200
        page = rows_of(response)
        seen = seen + page if forward else page + seen
        following = link(response, "Page suivante" if forward else "Page précédente")
        if following is None:
            return seen
        response = client.get(URL + following)


@pytest.mark.parametrize("sort_up_to", [10_000, 0], ids=["few rows, sorted", "many rows, by the index"])
def test_next_and_previous_walk_every_row_once_in_the_registry_order(
    client, role_users, registry, monkeypatch, sort_up_to
):
    monkeypatch.setattr(paging, "SORT_UP_TO", sort_up_to)
    client.force_login(role_users[Role.BUYER])
    expected = list(Contract.objects.in_registry_order().values_list("pk", flat=True))
    assert len(expected) == len(registry)
    assert walk(client, f"{URL}?per_page={PER_PAGE}") == expected
    assert walk(client, f"{URL}?per_page={PER_PAGE}&fin=1", forward=False) == expected
    # The offset pages (page numbers, still served) show the same order.
    by_offset = [
        pk for n in (1, 2, 3, 4) for pk in rows_of(client.get(URL, {"per_page": PER_PAGE, "page": n}))
    ]
    assert by_offset == expected


def test_the_pagination_links_are_labelled_in_french(client, role_users, registry):
    client.force_login(role_users[Role.BUYER])
    first = client.get(URL, {"per_page": PER_PAGE})
    html = first.content.decode()
    assert '<nav aria-label="Pagination">' in html
    assert link(first, "Page suivante") and link(first, "Dernière page")
    assert link(first, "Page précédente") is None and link(first, "Première page") is None
    assert "<strong>7</strong> résultats" in html  # the count is of the whole list, not of the page
    second = client.get(URL + link(first, "Page suivante"))
    assert link(second, "Première page") == f"?per_page={PER_PAGE}"
    last = client.get(URL + link(first, "Dernière page"))
    assert link(last, "Page suivante") is None and link(last, "Page précédente")


def test_keyset_pages_keep_the_filters(client, role_users, registry):
    family = PurchaseFamilyFactory()
    Contract.objects.filter(reference__startswith="T-").update(family=family)
    client.force_login(role_users[Role.BUYER])
    wanted = list(Contract.objects.filter(family=family).in_registry_order().values_list("pk", flat=True))
    assert len(wanted) == 3
    assert walk(client, f"{URL}?per_page={PER_PAGE}&family={family.pk}") == wanted
    first = client.get(URL, {"per_page": PER_PAGE, "family": family.pk})
    assert f"family={family.pk}" in link(first, "Page suivante")


def test_a_cursor_outside_the_list_gives_the_first_page(client, role_users, registry, hospital):
    # A referent does not see the other hospital's contract: it reveals nothing of where it would stand.
    client.force_login(role_users[Role.REFERENT])
    hidden = Contract.objects.exclude(buyer=hospital).get()
    first = rows_of(client.get(URL, {"per_page": PER_PAGE}))
    assert rows_of(client.get(URL, {"per_page": PER_PAGE, "apres": hidden.pk})) == first
    assert rows_of(client.get(URL, {"per_page": PER_PAGE, "apres": 10**12})) == first


@pytest.mark.parametrize("value", ["abc", "-1", "0", "1.5", str(2**63)])
def test_a_cursor_that_is_no_id_is_refused_naming_the_parameter(client, role_users, registry, value):
    client.force_login(role_users[Role.BUYER])
    response = client.get(URL, {"apres": value})
    assert response.status_code == 400
    assert "apres" in response.content.decode()


def test_a_chosen_sort_pages_by_number_and_the_export_ignores_the_cursor(client, role_users, registry):
    client.force_login(role_users[Role.BUYER])
    sorted_page = client.get(URL, {"per_page": PER_PAGE, "sort": "reference", "apres": registry[0].pk})
    references = [r.reference for r in (row.record for row in sorted_page.context["table"].paginated_rows)]
    assert references == ["N-0", "N-1"]  # the first page of that order: the cursor does not apply
    assert re.search(
        r'href="\?[^"]*page=2[^"]*"><span class="visually-hidden">Page </span>2', sorted_page.content.decode()
    )
    page = client.get(URL, {"per_page": PER_PAGE, "apres": registry[0].pk}).content.decode()
    exports = re.findall(r'href="(\?[^"]*export=[^"]*)"', page)
    assert exports and all("apres" not in href for href in exports)
    exported = client.get(URL, {"export": "csv", "apres": registry[0].pk}).getvalue().decode()
    assert len(exported.strip().splitlines()) == 1 + len(registry)
