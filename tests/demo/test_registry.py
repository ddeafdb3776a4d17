"""The demo registry is believable: real winners of each family, proper names, amounts of the right order."""

import csv
import statistics
from collections import defaultdict
from decimal import Decimal

import pytest

from mutualis.contracts.models import Contract, ContractHolder
from mutualis.demo.awards import AWARDS_FILE
from mutualis.organisations.models import Entity

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_for_module")]


def _real_awards() -> list[dict]:
    with AWARDS_FILE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _family_prefixes(contract: Contract) -> list[str]:
    # A family's CPV code covers its descendants: the codes that start with its significant digits.
    return [c.code.rstrip("0") or "0" for c in contract.family.cpv_codes.all()]


def test_every_holder_really_won_a_contract_of_the_family():
    won = defaultdict(set)  # SIRET -> CPV codes of its real awards
    for row in _real_awards():
        won[row["siret"]].add(row["cpv"])
    links = ContractHolder.objects.select_related("supplier", "contract__family").prefetch_related(
        "contract__family__cpv_codes"
    )
    assert links.count() > 300
    wrong = [
        (link.contract.reference, link.contract.family.code, link.supplier.name)
        for link in links
        if not any(
            cpv.startswith(p)
            for cpv in won[link.supplier.identifier]
            for p in _family_prefixes(link.contract)
        )
    ]
    assert wrong == []


def test_amounts_are_of_the_order_of_the_real_ones():
    real = defaultdict(list)
    for row in _real_awards():
        real[row["cpv"]].append(Decimal(row["amount"]))
    registry = (
        Contract.objects.filter(framework=None).select_related("family").prefetch_related("family__cpv_codes")
    )
    for code in ["ENE-01", "LOG-03", "HOT-01"]:
        contracts = [c for c in registry if c.family.code == code]
        prefixes = _family_prefixes(contracts[0])
        amounts = [
            a for cpv, values in real.items() if any(cpv.startswith(p) for p in prefixes) for a in values
        ]
        median = statistics.median(c.amount for c in contracts)
        assert min(amounts) / 3 <= median <= max(amounts) * 2, (code, median)
    # Electricity for hospitals costs more than office supplies, as in the real data.
    by_family = defaultdict(list)
    for contract in registry:
        by_family[contract.family.code].append(contract.amount)
    assert statistics.median(by_family["ENE-01"]) > 5 * statistics.median(by_family["LOG-03"])


def test_entities_carry_proper_names_and_communes():
    names = {e.short_name: (e.name, e.city) for e in Entity.objects.all()}
    assert names["CH de Haute Côte-d'Or"] == ("Centre hospitalier de la Haute Côte-d'Or", "Vitteaux")
    assert names["CH d'Is-sur-Tille"] == ("Centre hospitalier d'Is-sur-Tille", "Is-sur-Tille")
    assert names["CH de Semur-en-Auxois"][1] == "Semur-en-Auxois"
    for entity in Entity.objects.all():
        assert entity.name != entity.name.upper() and entity.city != entity.city.upper()
        assert len(entity.finess) == 9  # the FINESS number is kept


def test_history_names_the_demo_people_who_acted():
    from django.apps import apps

    anonymous = {}
    for model in apps.get_models():
        if model.__name__.startswith("Historical") and hasattr(model, "history_user"):
            count = model.objects.filter(history_user=None).count()
            if count:
                anonymous[model.__name__] = count
    # Only the administrator's own account, created before anyone could act, and what a business sent
    # from the public portal, where nobody has an account.
    assert anonymous == {"HistoricalUser": 1, "HistoricalInterest": 1, "HistoricalSupplierCandidate": 1}
    contract = Contract.objects.filter(amendments__isnull=False).first()
    assert contract.history.earliest().history_user == contract.manager
    assert contract.amendments.first().created_by == contract.manager


def test_the_alert_job_ran_in_the_application_only():
    from mutualis.notifications.models import Notification

    # Ending contracts and overdue decisions reach the buyers, none by e-mail (made-up addresses).
    keys = Notification.objects.filter(recipient__username="acheteur").values_list("key", flat=True)
    assert any(k.startswith("contract-ending:") for k in keys)
    assert not Notification.objects.exclude(emailed_at=None).exists()


def test_the_benchmark_page_answers_for_a_demo_family():
    from mutualis.opendata.benchmark import benchmark
    from mutualis.opendata.models import ExternalContract, ImportRun

    assert ExternalContract.objects.count() > 800
    assert ImportRun.objects.get().user.username == "admin"
    # No published record belongs to a territory buyer: all of them are other buyers.
    assert not ExternalContract.objects.filter(buyer_siret__in=Entity.objects.values("siret")).exists()
    food = benchmark(["15000000"])
    assert food.contracts >= 20 and food.buyers >= 3 and food.median_amount
    assert any("POMONA" in s["name"] for s in food.top_suppliers)
