"""End dates and decisions due, with worked examples (CCP R2112-4: renewals are tacit)."""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest

from mutualis.contracts.amendments import limits_on, summarise
from mutualis.contracts.lifecycle import RENEWAL, RETENDER, compute_schedule, period_bounds


def test_periods_end_the_day_before_the_next_one_starts():
    assert period_bounds(date(2026, 1, 1), 12, 12, 2) == [
        (date(2026, 1, 1), date(2026, 12, 31)),
        (date(2027, 1, 1), date(2027, 12, 31)),
        (date(2028, 1, 1), date(2028, 12, 31)),
    ]
    # Month arithmetic on the 31st: 31 January + 1 month starts on 28 February.
    assert period_bounds(date(2026, 1, 31), 1, 0, 0) == [(date(2026, 1, 31), date(2026, 2, 27))]


def test_one_year_plus_three_tacit_renewals_with_three_months_notice():
    schedule = compute_schedule(
        start=date(2026, 1, 1),
        firm_months=12,
        renewal_count=3,
        renewal_months=12,
        notice_months=3,
        today=date(2026, 6, 1),
    )
    assert schedule.end_date == date(2029, 12, 31)
    # The first renewal must be refused by 30 September 2026 at the latest (3 months before 31 December).
    assert (schedule.next_decision.kind, schedule.next_decision.period) == (RENEWAL, 1)
    assert schedule.next_decision.due_on == date(2026, 9, 30)


def test_a_started_period_was_renewed_tacitly():
    schedule = compute_schedule(
        start=date(2026, 1, 1),
        firm_months=12,
        renewal_count=3,
        renewal_months=12,
        notice_months=3,
        today=date(2027, 2, 1),
    )
    assert (schedule.next_decision.period, schedule.next_decision.due_on) == (2, date(2027, 9, 30))


def test_non_renewal_ends_the_contract_at_the_current_period():
    schedule = compute_schedule(
        start=date(2026, 1, 1),
        firm_months=12,
        renewal_count=3,
        renewal_months=12,
        notice_months=3,
        decisions={1: "renew", 2: "not_renew"},
        today=date(2027, 6, 1),
    )
    assert schedule.end_date == date(2027, 12, 31)
    assert schedule.next_decision is None  # not renewing already is the re-tender decision


def test_after_the_last_renewal_the_retender_decision_is_due_before_the_end():
    schedule = compute_schedule(
        start=date(2026, 1, 1), firm_months=48, retender_lead_months=9, today=date(2026, 3, 1)
    )
    assert schedule.end_date == date(2029, 12, 31)
    assert (schedule.next_decision.kind, schedule.next_decision.due_on) == (RETENDER, date(2029, 3, 31))
    decided = compute_schedule(
        start=date(2026, 1, 1), firm_months=48, decisions={1: "retender"}, today=date(2026, 3, 1)
    )
    assert decided.next_decision is None


def test_amendments_extend_and_termination_cuts():
    extended = compute_schedule(
        start=date(2026, 1, 1), firm_months=12, extra_months=6, today=date(2026, 1, 2)
    )
    assert extended.end_date == date(2027, 6, 30)
    terminated = compute_schedule(
        start=date(2026, 1, 1), firm_months=12, terminated_on=date(2026, 5, 15), today=date(2026, 1, 2)
    )
    assert (terminated.end_date, terminated.next_decision) == (date(2026, 5, 15), None)


def _amendment(number, kind, change, notified_on=date(2026, 6, 1)):
    return SimpleNamespace(number=number, kind=kind, amount_change=Decimal(change), notified_on=notified_on)


@pytest.mark.django_db  # the limits are read from the legal table
@pytest.mark.parametrize(
    ("is_works", "changes", "warned"),
    [
        (False, ["5000", "5000"], False),  # 10 % exactly: at the limit
        (False, ["5000", "5000.01"], True),  # cumulated above 10 %
        (True, ["14000", "1000"], False),  # works: 15 %
        (True, ["14000", "1000.01"], True),
    ],
)
def test_low_value_amendments_are_cumulated(is_works, changes, warned):
    initial = Decimal("100000")
    amendments = [_amendment(i + 1, "low_value", c) for i, c in enumerate(changes)]
    summary = summarise(initial, amendments, is_works=is_works, today=date(2026, 6, 1))
    assert bool(summary.warnings) is warned
    assert summary.current_amount == initial + sum(Decimal(c) for c in changes)


@pytest.mark.django_db  # the limits are read from the legal table
def test_each_additional_amendment_is_capped_at_half_the_initial_amount():
    amendments = [_amendment(1, "additional", "30000"), _amendment(2, "unforeseeable", "50001")]
    summary = summarise(Decimal("100000"), amendments, is_works=False, today=date(2026, 6, 1))
    assert len(summary.warnings) == 1 and "n° 2" in summary.warnings[0] and "R2194-3" in summary.warnings[0]
    assert summary.cumulative_percent == Decimal("80.0")


@pytest.mark.django_db  # the limits are read from the legal table
def test_limits_come_from_the_dated_data_file():
    limits = limits_on(date(2026, 1, 1))
    assert (limits.low_value_supplies_services, limits.low_value_works) == (Decimal("0.10"), Decimal("0.15"))
    assert limits.version == "CCP-2019-04-01"


def test_subsequent_contracts_have_no_retender_decision_of_their_own():
    schedule = compute_schedule(
        start=date(2026, 1, 1), firm_months=12, plan_retender=False, today=date(2026, 2, 1)
    )
    assert schedule.next_decision is None
    renewable = compute_schedule(
        start=date(2026, 1, 1),
        firm_months=12,
        renewal_count=1,
        renewal_months=12,
        plan_retender=False,
        today=date(2026, 2, 1),
    )
    assert renewable.next_decision.kind == RENEWAL
