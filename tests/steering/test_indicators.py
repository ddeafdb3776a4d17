"""Every indicator pinned on the hand-built territory of tests/steering/dataset.py (figures worked by hand
in each test), its scoping, and the objectives against it."""

from datetime import date
from decimal import Decimal

import pytest

from mutualis.organisations.roles import Role
from mutualis.steering.indicators import INDICATORS, Scope, compute
from mutualis.steering.models import Objective
from tests.spend.spendmap_rows import make_line
from tests.steering import dataset

YEAR = Scope(2025)


@pytest.fixture
def data(support, hospital, other_hospital, role_users):
    return dataset.build(
        support=support, hospital=hospital, other_hospital=other_hospital, buyer=role_users[Role.BUYER]
    )


@pytest.fixture
def figures(data, role_users):
    return {code: item.value for code, item in compute(YEAR, role_users[Role.BUYER]).items()}


def test_every_indicator_of_the_registry_is_computed(figures):
    assert list(figures) == [indicator.code for indicator in INDICATORS]


def test_activity(figures):
    """4 contracts notified in 2025 (C0 is 2024, C5 never notified): 100 000 + 300 000 + 50 000 + 50 000.
    Consultations launched in 2025: P1 (150 000) and P3 (200 000); P2 was launched in 2024.
    In progress: the three projects (none closed)."""
    assert figures["contracts_notified"] == 4
    assert figures["amount_notified"] == Decimal("500000.00")
    assert figures["projects_launched"] == 2
    assert figures["amount_launched"] == Decimal("350000.00")
    assert figures["projects_in_progress"] == 3


def test_lead_times(figures):
    """End to end: 60, 62, 99 days → median 62; 90th centile at rank 0.9 × 2 = 1.8, between 62 and 99:
    62 + 0.8 × 37 = 91.6. Stages left in 2025: 3, one late → 2/3 = 66.7 %."""
    assert figures["lead_time_median"] == Decimal("62.0")
    assert figures["lead_time_p90"] == Decimal("91.6")
    assert figures["stages_on_time_share"] == Decimal("66.7")


def test_stage_figures(data, role_users):
    """« sourcing » left twice in 2025 (after 30 days, late, and 20 days): median 25, p90 20 + 0.9 × 10
    = 29, on time 1/2; « besoin » once, after 10 days (P2 left its own in 2024)."""
    from mutualis.steering.indicators.projects import stage_figures

    stages = {stage.code: stage for stage in stage_figures(YEAR, role_users[Role.BUYER])}
    assert set(stages) == {"besoin", "sourcing"}
    assert (stages["sourcing"].moves, stages["sourcing"].median, stages["sourcing"].p90) == (
        2,
        Decimal("25.0"),
        Decimal("29.0"),
    )
    assert stages["sourcing"].on_time_share == Decimal("50.0")
    assert stages["besoin"].durations == [10]


def test_competition(figures):
    """Offers where there was competition (C3 passed without any is left out, C4 unknown): C1 1, C2 4 →
    2.5 on average, one single offer out of 2 → 50 %. Without publicity: C3, 1 of 4 → 25 %."""
    assert figures["offers_average"] == Decimal("2.5")
    assert figures["single_offer_share"] == Decimal("50.0")
    assert figures["no_publicity_share"] == Decimal("25.0")


def test_responsible_purchasing(figures):
    """Social: C1, C3 → 2/4 = 50 %, amount 150 000 / 500 000 = 30 %. Environmental: C2, C3 → 50 %,
    350 000 / 500 000 = 70 %. Reserved: C3 → 25 %.
    Holders' shares (C2 split in two): PME 100 000 + 150 000, GE 150 000 + 50 000, unknown 50 000 (left
    out): SMEs 250 000 / 450 000 = 55.6 %; in the territory's départements (21): the same PME → 55.6 %."""
    assert figures["social_share"] == Decimal("50.0")
    assert figures["social_amount_share"] == Decimal("30.0")
    assert figures["environmental_share"] == Decimal("50.0")
    assert figures["environmental_amount_share"] == Decimal("70.0")
    assert figures["reserved_share"] == Decimal("25.0")
    assert figures["sme_amount_share"] == Decimal("55.6")
    assert figures["local_amount_share"] == Decimal("55.6")
    assert figures["insertion_hours"] is None


def test_decp_on_time(figures):
    """C1 published after 10 days and C2 on its deadline's last day (31 Mar + 2 months = 31 May) are on
    time; C4 one day after its deadline (31 Jan → 31 Mar), C3 never: 2 of 4 = 50 %."""
    assert figures["decp_on_time_share"] == Decimal("50.0")


def test_performance(figures):
    """Gains: 1 000 € of the gain notified on 1 Jan 2025 + 497.27 € (182/366) of the one notified on
    1 Jul 2024; the proposal does not count. Spend: 1 000 of 4 000 € on a contract → 25 %."""
    assert figures["gains"] == Decimal("1497.27")
    assert figures["spend_under_contract_share"] == Decimal("25.0")


def test_spend_counts_the_fiscal_year(data, support, role_users):
    """A payment order of fiscal year 2025 paid in its complementary period (January 2026) is 2025's
    spend, not 2026's: 1 000 + 2 000 on contract of 6 000 → 50 % for 2025, none for 2026. A quarter
    reads the fiscal year's orders paid in it: Q1 2025 holds the dataset's two (paid on 1 March)."""
    make_line(entity=support, year=2025, amount="2000.00", contract=data["contracts"][0],
              paid_on=date(2026, 1, 15))  # fmt: skip
    buyer = role_users[Role.BUYER]
    assert compute(Scope(2025), buyer)["spend_under_contract_share"].value == Decimal("50.0")
    assert compute(Scope(2026), buyer)["spend_under_contract_share"].value is None
    assert compute(Scope(2025, quarter=1), buyer)["spend_under_contract_share"].value == Decimal("25.0")
    assert compute(Scope(2026, quarter=1), buyer)["spend_under_contract_share"].value is None


def test_an_entity_and_a_family(data, support, role_users):
    """Bought by the support establishment: C1 and C3 (150 000); of the family: C1 and C3 too."""
    buyer = role_users[Role.BUYER]
    by_entity = compute(Scope(2025, entity=support), buyer)
    assert (by_entity["contracts_notified"].value, by_entity["amount_notified"].value) == (2, Decimal(150000))
    by_family = compute(Scope(2025, family=data["family"]), buyer)
    assert by_family["contracts_notified"].value == 2
    assert by_family["projects_launched"].value == 1  # P1 only is of this family


def test_a_quarter(data, role_users):
    """First quarter 2025: C1 (10 Mar), C2 (31 Mar), C4 (31 Jan); gains are yearly: not available."""
    values = compute(Scope(2025, quarter=1), role_users[Role.BUYER])
    assert values["contracts_notified"].value == 3
    assert values["gains"].value is None and "trimestre" in values["gains"].note


def test_an_entity_role_counts_its_own_contracts(data, role_users):
    """The referent holds his role in the member hospital: its contract C2 only (no contract is made
    available to it)."""
    values = compute(YEAR, role_users[Role.REFERENT])
    assert (values["contracts_notified"].value, values["amount_notified"].value) == (1, Decimal(300000))


def test_nothing_to_count_is_not_zero(db, role_users):
    values = compute(Scope(2019), role_users[Role.BUYER])
    assert values["contracts_notified"].value == 0
    for code in ("single_offer_share", "social_share", "lead_time_median", "sme_amount_share", "gains"):
        assert values[code].value is None, code


def test_targets_and_gaps(data, support, role_users):
    """A territory target of 60 % environmental: 50 − 60 = −10 points, not met; a ceiling of 30 % single
    offers, met at 50 %? no: 50 > 30. The gains target comes from the gains module (5 000 €)."""
    Objective.objects.create(indicator="environmental_share", year=2025, target=Decimal(60))
    Objective.objects.create(indicator="single_offer_share", year=2025, target=Decimal(30))
    Objective.objects.create(indicator="environmental_share", year=2025, entity=support, target=Decimal(90))
    values = compute(YEAR, role_users[Role.BUYER])
    environmental = values["environmental_share"]
    assert (environmental.target, environmental.gap, environmental.on_target) == (
        Decimal(60),
        Decimal("-10.0"),
        False,
    )
    assert values["single_offer_share"].on_target is False
    assert values["gains"].target == Decimal(5000)
    assert compute(Scope(2025, entity=support), role_users[Role.BUYER])["environmental_share"].target == 90


def test_compliance_counts_are_the_risk_flags(data, role_users):
    """No amendment, no renewal and no family crossing a threshold in the hand-built year: 0 each. Then an
    additional-works amendment of +200 000 € on C2 (300 000 €: +66.7 %, beyond the 50 % of R2194-3),
    notified in June 2025:
    one contract over the limits, the same flag the signals' page lists."""
    from mutualis.contracts.services import amendment_add
    from mutualis.steering.flags import flags_of_kind

    buyer = role_users[Role.BUYER]
    values = compute(YEAR, buyer)
    assert [values[code].value for code in ("amendments_over_limit", "renewals_late", "splitting_flags")] == [
        0,
        0,
        0,
    ]
    c2 = data["contracts"][1]
    amendment_add(
        actor=None, contract=c2, notified_on=date(2025, 6, 1), kind="additional",
        description="Avenant n° 1", amount_change=Decimal(200000), duration_change_months=None,
    )  # fmt: skip
    values = compute(YEAR, buyer)
    assert values["amendments_over_limit"].value == 1
    assert [flag.key for flag in flags_of_kind("amendments_over_limit", YEAR, buyer)] == [f"contract:{c2.pk}"]
    assert "kind=amendments_over_limit" in values["amendments_over_limit"].rows_url


def test_a_year_before_the_law_table_is_computed_without_its_splitting_check(db, support, role_users):
    """Two contracts of one family in 2005, before the first threshold the legal table holds: the registry's
    splitting check has nothing to compare them with, and the rest is computed."""
    from tests.catalogue.factories import PurchaseFamilyFactory
    from tests.contracts.factories import make_contract

    family = PurchaseFamilyFactory()
    for day in (1, 2):
        make_contract(buyer=support, family=family, notification_date=date(2005, 3, day))
    values = compute(Scope(2005), role_users[Role.BUYER])
    assert values["contracts_notified"].value == 2 and values["splitting_flags"].value == 0


def test_each_group_gives_the_indicators_it_declares(data, role_users):
    """compute(codes=…) runs only the groups it needs: their declarations must hold, and cover the
    registry."""
    from mutualis.steering.indicators import GROUPS

    user = role_users[Role.BUYER]
    for group, gives in GROUPS:
        assert [item.indicator.code for item in group(YEAR, user)] == list(gives), group.__name__
    assert sorted(code for _, gives in GROUPS for code in gives) == sorted(i.code for i in INDICATORS)


def test_compute_only_some_codes(data, role_users):
    user = role_users[Role.BUYER]
    chosen = compute(YEAR, user, codes=("contracts_notified", "gains"))
    assert list(chosen) == ["contracts_notified", "gains"]
    assert chosen["contracts_notified"].value == compute(YEAR, user)["contracts_notified"].value


def test_territory_wide_figures_are_kept_until_a_write(data, support, role_users):
    """The team's figures come from the cache on the second call, and a contract saved leaves them
    behind (steering/figures_cache.py); a reader of some entities computes every time."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.contracts.factories import make_contract

    buyer, referent = role_users[Role.BUYER], role_users[Role.REFERENT]
    assert compute(YEAR, buyer)["contracts_notified"].value == 4
    with CaptureQueriesContext(connection) as kept:
        assert compute(YEAR, buyer)["contracts_notified"].value == 4
    make_contract(buyer=support, reference="C9", amount=Decimal(1000), notification_date=date(2025, 9, 1))
    assert compute(YEAR, buyer)["contracts_notified"].value == 5
    compute(YEAR, referent)
    with CaptureQueriesContext(connection) as again:
        compute(YEAR, referent)
    assert len(kept) <= 1 < len(again)
