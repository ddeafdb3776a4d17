"""The renewal timeline draws its contracts a page at a time, with each family's figures over all pages."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from mutualis.organisations.roles import Role
from mutualis.www.contracts import timeline
from tests.contracts.factories import make_contract


def test_the_timeline_pages_its_bars_and_counts_each_family_over_every_page(
    client, role_users, support, hospital, monkeypatch
):
    monkeypatch.setattr(timeline, "PER_PAGE", 2)
    notified = timezone.localdate() - timedelta(days=30)  # in the window whatever the day of the run
    for buyer in (support, hospital, support):
        make_contract(buyer=buyer, notification_date=notified)
    client.force_login(role_users[Role.BUYER])
    first = client.get(reverse("contracts:timeline"))
    rows = first.context["rows"]
    assert sum(len(row.bars) for row in rows) == 2
    assert [(row.count, row.entity_count) for row in rows] == [(3, 2)]
    assert "Contrats 1 à 2 sur 3" in first.content.decode() and "Page suivante" in first.content.decode()
    second = client.get(reverse("contracts:timeline"), {"page": 2})
    assert sum(len(row.bars) for row in second.context["rows"]) == 1
    assert "Page précédente" in second.content.decode()
    drawn = {bar.contract.pk for page in (first, second) for row in page.context["rows"] for bar in row.bars}
    assert len(drawn) == 3
