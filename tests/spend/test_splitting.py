"""The ex-post splitting check: an entity's yearly off-contract spend on one family against the procedure
thresholds of the legal table, read here from the legal app (never written in the test)."""

from datetime import date
from decimal import Decimal

import pytest

from mutualis.legal.models import LegalRule
from mutualis.legal.procedure import thresholds_in
from mutualis.legal.rules import in_force
from mutualis.legal.vocabulary import BuyerKind, Nature, ThresholdKind
from mutualis.organisations.models import EntityKind, PurchasingMode, Territory
from mutualis.spend.models import SpendFamilyCell, SpendLine
from mutualis.spend.spendmap import spend_map
from mutualis.spend.splitting import rules_day
from tests.catalogue.factories import PurchaseFamilyFactory
from tests.contracts.factories import make_contract
from tests.organisations.factories import EntityFactory
from tests.spend.spendmap_rows import make_line

CENT = Decimal("0.01")
YEAR = 2025


def thresholds(year=YEAR, nature=Nature.SUPPLIES, buyer_kind=BuyerKind.OTHER):
    return thresholds_in(in_force(date(year, 1, 1)), nature=nature, buyer_kind=buyer_kind)


def check(year=YEAR):
    return spend_map(SpendLine.objects.all(), SpendFamilyCell.objects.all(), year=year).splitting


@pytest.fixture
def supplies(db):
    return PurchaseFamilyFactory(code="PAPIER", nature=Nature.SUPPLIES)


def spend_in_two(entity, family, total, year=YEAR, **fields):
    """The total paid in two orders, so that each stays under the threshold the total reaches."""
    half = (total / 2).quantize(CENT)
    make_line(entity=entity, family=family, amount=str(half), year=year, **fields)
    make_line(entity=entity, family=family, amount=str(total - half), year=year, **fields)


def test_just_above_the_waiver_is_flagged_with_the_row_behind_it(hospital, supplies):
    waiver = thresholds().waiver
    spend_in_two(hospital, supplies, waiver.value + CENT)
    [flag] = check().flags
    assert (flag.entity, flag.family, flag.amount, flag.lines) == (hospital, supplies, waiver.value + CENT, 2)
    [crossing] = flag.crossings
    assert crossing.kind == ThresholdKind.WAIVER
    assert crossing.label == ThresholdKind.WAIVER.label
    assert (crossing.value, crossing.reference, crossing.valid_from) == (
        waiver.value,
        waiver.reference,
        waiver.valid_from,
    )
    assert flag.params == {
        "fiscal_year": YEAR,
        "entity": hospital.pk,
        "family": supplies.pk,
        "off_contract": "oui",
    }


def test_reaching_the_waiver_exactly_is_flagged(hospital, supplies):
    # The waiver covers a value below the threshold: at the threshold, a procedure is due.
    spend_in_two(hospital, supplies, thresholds().waiver.value)
    assert len(check().flags) == 1


def test_just_below_the_waiver_is_not_flagged(hospital, supplies):
    spend_in_two(hospital, supplies, thresholds().waiver.value - CENT)
    assert check().flags == []


def test_every_threshold_reached_is_listed_the_highest_last(hospital, supplies):
    found = thresholds()
    spend_in_two(hospital, supplies, found.eu.value + CENT)
    [flag] = check().flags
    assert [c.kind for c in flag.crossings] == [
        ThresholdKind.WAIVER,
        ThresholdKind.PUBLICITY,
        ThresholdKind.EU,
    ]
    assert flag.highest.value == found.eu.value


def test_spend_under_contract_does_not_count(support, hospital, supplies):
    contract = make_contract(buyer=support, available_to=[hospital])
    waiver = thresholds().waiver.value
    make_line(entity=hospital, family=supplies, amount=str(waiver * 3), year=YEAR, contract=contract)
    make_line(entity=hospital, family=supplies, amount=str(waiver - CENT), year=YEAR)
    assert check().flags == []


def test_each_buyer_is_checked_on_its_own_spend(support, hospital, supplies):
    # The hospital buys for its own account: an independent buyer, whose spend never adds to the support
    # establishment's (R2121-1). Each stays 0,01 € under the waiver: nothing to flag.
    hospital.purchasing_mode = PurchasingMode.OWN
    hospital.save()
    waiver = thresholds().waiver.value
    make_line(entity=hospital, family=supplies, amount=str(waiver - CENT), year=YEAR)
    make_line(entity=support, family=supplies, amount=str(waiver - CENT), year=YEAR)
    assert check().flags == []


def test_the_family_nature_chooses_the_thresholds(hospital):
    works = PurchaseFamilyFactory(code="TRAVAUX", nature=Nature.WORKS)
    supplies_waiver, works_waiver = thresholds().waiver.value, thresholds(nature=Nature.WORKS).waiver.value
    assert works_waiver > supplies_waiver  # the data still tells them apart
    make_line(entity=hospital, family=works, amount=str(works_waiver - CENT), year=YEAR)
    assert check().flags == []
    make_line(entity=hospital, family=works, amount="0.01", year=YEAR)
    assert [flag.family for flag in check().flags] == [works]


def test_the_eu_threshold_follows_the_territory_buyer_kind(hospital, supplies):
    central, other = thresholds(buyer_kind=BuyerKind.CENTRAL).eu, thresholds(buyer_kind=BuyerKind.OTHER).eu
    assert central.value < other.value
    make_line(entity=hospital, family=supplies, amount=str(central.value), year=YEAR)
    [flag] = check().flags
    assert flag.highest.kind != ThresholdKind.EU  # another kind of buyer: its EU threshold is higher
    Territory.objects.create(name="Centrale", short_name="C", buyer_kind=BuyerKind.CENTRAL)
    [flag] = check().flags
    assert flag.highest.kind == ThresholdKind.EU and flag.highest.value == central.value


def test_each_year_is_checked_against_the_rules_in_force_on_its_first_day(hospital, supplies):
    """A new waiver from 1 January of a year applies to that year; one from the middle of a year to the
    next (the documented choice: rules_day)."""
    old = thresholds(year=2031).waiver
    raised = old.value + 10_000
    rule = {"rule": "waiver", "nature": Nature.SUPPLIES}
    LegalRule.objects.create(**rule, valid_from=date(2032, 1, 1), value=raised, reference="décret de test")
    LegalRule.objects.create(
        **rule, valid_from=date(2033, 7, 1), value=old.value, reference="décret de test, milieu d'année"
    )
    amount = old.value + 5_000  # above the old waiver, below the raised one
    for year in (2031, 2032, 2033, 2034):
        make_line(entity=hospital, family=supplies, amount=str(amount), year=year)
    assert rules_day(2033) == date(2033, 1, 1)
    flagged = {year: check(year).flags for year in (2031, 2032, 2033, 2034)}
    assert [flag.crossings[0].value for flag in flagged[2031]] == [old.value]
    assert flagged[2032] == [] and flagged[2033] == []  # 2033: the mid-year change counts from 2034
    [flag] = flagged[2034]
    assert flag.crossings[0].reference == "décret de test, milieu d'année"


def test_lines_without_family_are_reported_unclassified_and_not_checked(support, hospital):
    waiver = thresholds().waiver.value
    make_line(entity=hospital, amount=str(waiver * 10), year=YEAR)
    make_line(entity=hospital, amount="12.34", year=YEAR)
    make_line(entity=support, amount="1.00", year=YEAR)
    result = check()
    assert result.flags == []
    assert [(item.entity, item.amount, item.lines) for item in result.unclassified] == [
        (hospital, waiver * 10 + Decimal("12.34"), 2),
        (support, Decimal("1.00"), 1),
    ]
    assert result.unclassified_amount == waiver * 10 + Decimal("13.34")
    assert result.unclassified[0].params["family"] == "null"


def test_a_year_before_the_table_says_that_nothing_could_be_checked(hospital, supplies):
    make_line(entity=hospital, family=supplies, amount="1000000", year=2001)
    result = check(2001)
    assert result.flags == [] and "Aucun seuil" in result.missing


def test_a_ght_member_s_spend_adds_up_under_its_support_establishment(
    support, hospital, other_hospital, supplies
):
    """The support establishment buys for the members (R6132-16): the family's value is its (R2121-1).
    Each member spends 60 % of the waiver off contract: alone under it, together over it."""
    waiver = thresholds().waiver.value
    part = (waiver * Decimal("0.6")).quantize(CENT)
    make_line(entity=hospital, family=supplies, amount=str(part), year=YEAR)
    make_line(entity=other_hospital, family=supplies, amount=str(part), year=YEAR)
    [flag] = check().flags
    assert (flag.buyer, flag.amount, flag.lines) == (support, 2 * part, 2)
    assert flag.entities == sorted([hospital, other_hospital], key=lambda entity: entity.name)
    assert [crossing.kind for crossing in flag.crossings] == [ThresholdKind.WAIVER]
    # Its rows are the buyer's: the lines of every entity it buys for.
    assert flag.params == {
        "fiscal_year": YEAR,
        "buyer": support.pk,
        "family": supplies.pk,
        "off_contract": "oui",
    }
    behind = SpendLine.objects.of_buyer(support).filter(fiscal_year=YEAR, family=supplies)
    assert set(behind.values_list("entity", flat=True)) == {hospital.pk, other_hospital.pk}


def test_communes_buying_for_themselves_are_never_added_together(supplies):
    """The same spend as above, by two communes each buying for its own account: two buyers, each under
    the waiver, no flag, even with a support establishment in the territory."""
    EntityFactory(name="Établissement support", kind=EntityKind.SUPPORT_ESTABLISHMENT)
    part = (thresholds().waiver.value * Decimal("0.6")).quantize(CENT)
    for name in ("Commune A", "Commune B"):
        town = EntityFactory(name=name, kind=EntityKind.COMMUNE, purchasing_mode=PurchasingMode.OWN)
        make_line(entity=town, family=supplies, amount=str(part), year=YEAR)
    assert check().flags == []
