"""The demo's spend: a year of mandates per establishment, imported like a finance export and consistent
with the registry and its price schedules: consumption on the contracts each may use (quantities at the
schedule's prices where there is one), a framework past its 80 % alert, an order
on a contract the establishment was not given, and off-contract office supplies at Beaune flagged by the
splitting check."""

from decimal import Decimal

import pytest
from django.db.models import Sum

from mutualis.contracts.models import Contract
from mutualis.demo.services import load_demo
from mutualis.notifications.models import Notification
from mutualis.organisations.models import Entity
from mutualis.spend.consumption import contract_consumption
from mutualis.spend.models import MatchMethod, SpendFamilyCell, SpendImport, SpendLine
from mutualis.spend.spendmap import spend_map

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_for_module")]
BEAUNE = "20004782700015"


def test_every_establishment_has_a_year_imported_through_the_import():
    for entity in Entity.objects.all():
        lines = SpendLine.objects.filter(entity=entity)
        assert lines.count() > 100, entity
        assert SpendImport.objects.filter(entity=entity, status="done").exists()
    assert not SpendLine.objects.filter(family__isnull=True).exists()  # every account is mapped


def test_most_spend_is_on_contracts_the_establishment_may_use():
    lines = SpendLine.objects.all()
    on_contract = lines.filter(contract__isnull=False).aggregate(total=Sum("amount_ht"))["total"]
    assert on_contract / lines.aggregate(total=Sum("amount_ht"))["total"] > Decimal("0.9")
    methods = set(lines.values_list("match_method", flat=True))
    assert {MatchMethod.REFERENCE, MatchMethod.SUPPLIER, MatchMethod.OFF_CONTRACT} <= methods
    flagged = lines.filter(not_entitled=True)
    assert flagged.count() == 1
    line = flagged.get()
    assert not Contract.objects.usable_by_entities([line.entity_id]).filter(pk=line.contract_id).exists()


def test_a_framework_of_beaune_is_past_80_percent_and_its_people_were_told():
    beaune = Entity.objects.get(siret=BEAUNE)
    warned = [
        c
        for c in Contract.objects.usable_by_entities([beaune.pk]).filter(is_framework=True)
        if (share := contract_consumption(c).share) is not None and share >= Decimal("0.8")
    ]
    assert warned
    keys = set(
        Notification.objects.filter(key__startswith="contract-consumption:").values_list("key", flat=True)
    )
    assert any(key.startswith(f"contract-consumption:{c.pk}:80:") for c in warned for key in keys)


def test_off_contract_office_supplies_at_beaune_are_flagged_by_the_splitting_check():
    beaune = Entity.objects.get(siret=BEAUNE)
    result = spend_map(SpendLine.objects.all(), SpendFamilyCell.objects.all())
    flags = {f.family.code: f for f in result.splitting.flags}
    assert beaune in flags["LOG-03"].entities
    # The support establishment buys for every member of the GHT (R6132-16): the flags are its, and the
    # members' off-contract spend adds up per family (R2121-1), each member's small purchases included.
    support = Entity.objects.support_establishment()
    assert {flag.buyer for flag in flags.values()} == {support}


def test_loading_again_changes_no_spend_line():
    before = list(SpendLine.objects.order_by("pk").values_list("pk", "amount_ht", "contract_id", "family_id"))
    load_demo()
    after = list(SpendLine.objects.order_by("pk").values_list("pk", "amount_ht", "contract_id", "family_id"))
    assert after == before


def test_orders_on_a_price_schedule_are_quantities_at_its_unit_prices():
    scheduled = SpendLine.objects.filter(contract__price_lines__isnull=False).distinct()
    assert scheduled.count() > 20
    for line in scheduled.select_related("contract")[:50]:
        prices = {p.label: p.unit_price for p in line.contract.price_lines.all()}
        ordered = line.label.split(" : ", 1)[1].split(" ; ")
        total = sum(int(q) * prices[label] for q, label in (part.split(" × ", 1) for part in ordered))
        assert total == line.amount_ht, line.label
