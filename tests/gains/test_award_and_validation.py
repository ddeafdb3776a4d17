"""A lot awarded proposes its gain from what Mutualis knows; the buyer declares it, management control
validates or returns it, and every step is logged. Figures are worked by hand in the comments."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mutualis.contracts.prices import price_lines_replace
from mutualis.gains.method import GainKind
from mutualis.gains.models import Gain, GainStage, GainStatus, Lever, PlanAction, ReferenceSource
from mutualis.gains.services import gain_save, gain_transition, plan_action_save
from mutualis.organisations.roles import Role
from mutualis.procurements.models import StageCode
from mutualis.procurements.services import offer_price_lines_replace
from tests.contracts.factories import make_contract
from tests.procurements.factories import project_awarded, project_in_analysis, walk_to


@pytest.fixture
def controller(role_users):
    return role_users[Role.CONTROLLER]


def _awarded_gain(buyer, legal, support, hospital) -> Gain:
    project = project_awarded(buyer=buyer, legal=legal, entities=[hospital], buyer_entity=support)
    return project.lots.get().gain


def test_a_new_need_is_measured_against_the_mean_of_the_offers(team, support, hospital):
    buyer, legal = team
    project = project_awarded(buyer=buyer, legal=legal, entities=[hospital], buyer_entity=support)
    lot = project.lots.get()
    assert lot.awarded_offer.price == Decimal("100000")  # the cheapest, with a good technical score
    gain = lot.gain
    # Twelve months, no renewal: a one-off purchase. Offers 100 000, 120 000, 130 000: mean 116 666.666…
    # SR = 116 666.67, SN = 100 000, gain 16 666.67, all of it in the notification year.
    assert gain.kind == GainKind.ONE_OFF and gain.reference_source == ReferenceSource.OFFERS_MEAN
    assert gain.reference_unit_price is None and len(gain.offers) == 3
    assert (gain.reference_amount, gain.new_amount) == (Decimal("116666.67"), Decimal("100000.00"))
    assert (gain.annual_gain, gain.gain_year_n, gain.gain_year_n1) == (
        Decimal("16666.67"),
        Decimal("16666.67"),
        Decimal("0.00"),
    )
    assert gain.status == GainStatus.PROPOSED and gain.stage == GainStage.TARGETED
    assert gain.lever == Lever.SPECIFICATION and gain.buyer == buyer and gain.entity == support
    assert gain.contract == lot.contract and gain.notification_date == lot.awarded_on


def test_a_replaced_contract_is_the_reference_and_notification_secures_the_gain(team, support, hospital):
    buyer, legal = team
    replaced = make_contract(buyer=support, amount=Decimal("360000.00"), firm_duration_months=36)
    project = project_awarded(
        buyer=buyer,
        legal=legal,
        entities=[hospital],
        buyer_entity=support,
        duration_months=36,
        replaces=replaced,
    )
    gain = project.lots.get().gain
    # Replaced: 360 000 over 36 months = 120 000 a year. New: 100 000 over 36 months = 33 333.3333 a year.
    # Annual gain 86 666.6667 → 86 666.67. Awarded on 1 September 2026: 122 days of 365 left in 2026,
    # N = 86 666.6667 × 122 / 365 = 28 968.0365 → 28 968.04; N+1 = 86 666.67 − 28 968.04 = 57 698.63.
    assert gain.kind == GainKind.RECURRING and gain.reference_source == ReferenceSource.PREVIOUS_CONTRACT
    assert gain.reference_unit_price == Decimal("120000.0000")
    assert gain.new_unit_price == Decimal("33333.3333")
    assert (gain.annual_gain, gain.gain_year_n, gain.gain_year_n1) == (
        Decimal("86666.67"),
        Decimal("28968.04"),
        Decimal("57698.63"),
    )
    assert gain.lever == Lever.PRICE
    project = walk_to(project, StageCode.EXECUTION, buyer=buyer, legal=legal)
    gain.refresh_from_db()
    # Notified on 13 September 2026: 110 days left; N = 86 666.6667 × 110 / 365 = 26 118.7215.
    assert gain.notification_date == date(2026, 9, 13) and gain.stage == GainStage.SECURED
    assert (gain.gain_year_n, gain.gain_year_n1) == (Decimal("26118.72"), Decimal("60547.95"))


def test_declared_validated_returned_and_logged(team, support, hospital, controller):
    buyer, legal = team
    gain = _awarded_gain(buyer, legal, support, hospital)
    with pytest.raises(PermissionDenied):  # the controller validates; he does not declare
        gain_transition(actor=controller, gain=gain, name="declare")
    gain = gain_transition(actor=buyer, gain=gain, name="declare")
    assert gain.status == GainStatus.DECLARED and gain.declared_by == buyer
    with pytest.raises(ValidationError):  # a declared figure no longer changes
        gain_save(actor=buyer, gain=gain)
    with pytest.raises(ValidationError, match="Dites"):
        gain_transition(actor=controller, gain=gain, name="return")
    gain = gain_transition(actor=controller, gain=gain, name="return", comment="Précisez la quantité.")
    assert gain.status == GainStatus.RETURNED
    gain.quantity = Decimal(2)  # the buyer corrects: two sets bought, SR and SN double
    gain = gain_save(actor=buyer, gain=gain)
    assert gain.annual_gain == Decimal("33333.33")
    gain = gain_transition(actor=buyer, gain=gain, name="declare")
    gain = gain_transition(actor=controller, gain=gain, name="validate")
    assert gain.status == GainStatus.VALIDATED and gain.validated_by == controller
    log = list(gain.transitions.values_list("action", "from_status", "to_status", "by__username", "comment"))
    assert log == [
        ("declare", "proposed", "declared", buyer.username, ""),
        ("return", "declared", "returned", controller.username, "Précisez la quantité."),
        ("declare", "returned", "declared", buyer.username, ""),
        ("validate", "declared", "validated", controller.username, ""),
    ]
    assert gain.history.count() >= 5


def test_the_person_who_declared_a_gain_does_not_validate_it(team, support, hospital, role_users):
    buyer, legal = team
    admin = role_users[Role.ADMIN]  # may declare and validate, but not both on the same gain
    gain = _awarded_gain(buyer, legal, support, hospital)
    gain = gain_transition(actor=admin, gain=gain, name="declare")
    with pytest.raises(ValidationError, match="un autre contrôleur"):
        gain_transition(actor=admin, gain=gain, name="validate")
    assert Gain.objects.get(pk=gain.pk).status == GainStatus.DECLARED


def test_a_method_error_names_the_field_and_saves_nothing(team, support, hospital):
    buyer, legal = team
    gain = _awarded_gain(buyer, legal, support, hospital)
    gain.kind, gain.amortisation_years = GainKind.INVESTMENT, None
    with pytest.raises(ValidationError) as error:
        gain_save(actor=buyer, gain=gain)
    assert "amortisation_years" in error.value.message_dict
    assert Gain.objects.get(pk=gain.pk).kind == GainKind.ONE_OFF


def test_an_action_of_the_plan_expects_its_gain_by_the_same_method(role_users, hospital):
    buyer = role_users[Role.BUYER]
    action = PlanAction(
        year=2027,
        title="Regrouper les achats de gants",
        planned_quarter="2027-T3",
        reference_unit_price=Decimal("0.12"),
        new_unit_price=Decimal("0.10"),
        quantity=Decimal("1000000"),
    )
    action = plan_action_save(actor=buyer, action=action, entities=[hospital])
    # 0.02 × 1 000 000 = 20 000 a year, from 1 July 2027: 184 days of 365 → 10 082.19; N+1 9 917.81.
    assert action.expected_annual_gain == Decimal("20000.00")
    assert (action.expected_gain_year_n, action.expected_gain_year_n1) == (
        Decimal("10082.19"),
        Decimal("9917.81"),
    )
    with pytest.raises(PermissionDenied):
        plan_action_save(actor=role_users[Role.REFERENT], action=action, entities=[hospital])


def test_notification_secures_a_declared_gain_without_changing_its_figures(team, support, hospital):
    buyer, legal = team
    project = project_awarded(buyer=buyer, legal=legal, entities=[hospital], buyer_entity=support)
    gain = gain_transition(actor=buyer, gain=project.lots.get().gain, name="declare")
    figures = (gain.notification_date, gain.gain_year_n, gain.gain_year_n1)
    walk_to(project, StageCode.EXECUTION, buyer=buyer, legal=legal)
    gain.refresh_from_db()
    assert gain.stage == GainStage.SECURED and gain.status == GainStatus.DECLARED
    assert (gain.notification_date, gain.gain_year_n, gain.gain_year_n1) == figures


def test_price_schedules_give_sr_and_sn_at_the_same_quantities(team, support, hospital):
    buyer, legal = team
    replaced = make_contract(buyer=support, amount=Decimal("50000.00"), firm_duration_months=12)
    price_lines_replace(
        actor=buyer,
        contract=replaced,
        lines=[
            {"item_code": "GANT-M", "label": "Gants nitrile, taille M", "unit": "boîte", "unit_price": "10"},
            {"item_code": "", "label": "Blouse de protection", "unit": "pièce", "unit_price": "5"},
        ],
    )
    project = project_in_analysis(
        buyer=buyer, legal=legal, entities=[hospital], buyer_entity=support, replaces=replaced
    )
    best = project.lots.get().offers.get(price=Decimal("100000"))
    offer_price_lines_replace(
        actor=buyer,
        offer=best,
        lines=[
            {
                "item_code": "gant-m",
                "label": "Gants",
                "unit": "boîte",
                "unit_price": "9",
                "annual_quantity": "1000",
            },
            {
                "label": "BLOUSE DE PROTECTION ",
                "unit": "pièce",
                "unit_price": "5.5",
                "annual_quantity": "200",
            },
        ],
    )
    project = walk_to(project, StageCode.NOTIFICATION, buyer=buyer, legal=legal)
    gain = project.lots.get().gain
    # Matched by code (case aside), then by designation. At the new annual quantities:
    # SR = 10 × 1 000 + 5 × 200 = 11 000; SN = 9 × 1 000 + 5.5 × 200 = 10 100; gain 900 a year.
    assert gain.reference_source == ReferenceSource.PRICE_SCHEDULE and gain.kind == GainKind.RECURRING
    assert (gain.reference_amount, gain.new_amount, gain.annual_gain) == (
        Decimal("11000.00"),
        Decimal("10100.00"),
        Decimal("900.00"),
    )


def test_an_item_missing_from_the_old_schedule_falls_back_to_the_contract_amount(team, support, hospital):
    buyer, legal = team
    replaced = make_contract(buyer=support, amount=Decimal("120000.00"), firm_duration_months=12)
    price_lines_replace(
        actor=buyer, contract=replaced, lines=[{"label": "Gants", "unit": "boîte", "unit_price": "10"}]
    )
    project = project_in_analysis(
        buyer=buyer, legal=legal, entities=[hospital], buyer_entity=support, replaces=replaced
    )
    best = project.lots.get().offers.get(price=Decimal("100000"))
    offer_price_lines_replace(
        actor=buyer,
        offer=best,
        lines=[{"label": "Masques FFP2", "unit": "boîte", "unit_price": "4", "annual_quantity": "50"}],
    )
    gain = walk_to(project, StageCode.NOTIFICATION, buyer=buyer, legal=legal).lots.get().gain
    assert gain.reference_source == ReferenceSource.PREVIOUS_CONTRACT
    assert gain.reference_unit_price == Decimal("120000.0000")
