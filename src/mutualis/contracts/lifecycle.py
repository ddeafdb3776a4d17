"""Dates of a contract's life: periods, renewals, end date and the next decision due.

Pure functions over plain values, so the rules are tested without a database. Renewals are tacit
unless decided otherwise (CCP R2112-4): a renewal period whose notice date has passed without a
decision starts anyway.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

RENEWAL = "renewal"
RETENDER = "retender"


@dataclass(frozen=True)
class Decision:
    """The next choice the buyer must make: renew period `period`, or re-tender at the end."""

    kind: str  # RENEWAL or RETENDER
    period: int  # 1..renewal_count for renewals, renewal_count + 1 for the re-tender decision
    due_on: date


@dataclass(frozen=True)
class Schedule:
    periods: list[tuple[date, date]]  # firm period first, then each renewal still planned
    end_date: date
    next_decision: Decision | None


def add_months(day: date, months: int) -> date:
    return day + relativedelta(months=months)


def period_bounds(start: date, firm_months: int, renewal_months: int, count: int) -> list[tuple[date, date]]:
    """[first day, last day] of the firm period and of each renewal."""
    bounds, cursor = [], start
    for length in [firm_months] + [renewal_months] * count:
        following = add_months(cursor, length)
        bounds.append((cursor, following - timedelta(days=1)))
        cursor = following
    return bounds


def compute_schedule(
    *,
    start: date,
    firm_months: int,
    renewal_count: int = 0,
    renewal_months: int = 0,
    notice_months: int = 0,
    decisions: dict[int, str] | None = None,
    extra_months: int = 0,
    terminated_on: date | None = None,
    retender_lead_months: int = 9,
    plan_retender: bool = True,
    today: date,
) -> Schedule:
    """Periods still planned, end date and next pending decision, as of `today`.

    `decisions` maps a period number to a decision kind ("renew", "not_renew", "retender", "lapse");
    `extra_months` comes from amendments that changed the duration; `plan_retender` is False for
    contracts with no re-tender of their own (subsequent contracts of a framework agreement).
    """
    decisions = decisions or {}
    bounds = period_bounds(start, firm_months, renewal_months or 0, renewal_count if renewal_months else 0)
    planned = [bounds[0]]
    for number, period in enumerate(bounds[1:], start=1):
        if decisions.get(number) == "not_renew":
            break
        planned.append(period)
    end = planned[-1][1]
    if extra_months:
        end = add_months(end + timedelta(days=1), extra_months) - timedelta(days=1)
    if terminated_on is not None and terminated_on < end:
        end = terminated_on
    decision = _next_decision(
        planned, bounds, decisions, end, notice_months, retender_lead_months, today, terminated_on
    )
    if decision is not None and decision.kind == RETENDER and not plan_retender:
        decision = None
    return Schedule(planned, end, decision)


def _next_decision(planned, bounds, decisions, end, notice_months, lead_months, today, terminated_on):
    if terminated_on is not None:
        return None
    stopped = len(planned) < len(bounds)
    if not stopped:
        for number in range(1, len(bounds)):
            if number in decisions:
                continue
            if today >= bounds[number][0]:
                continue  # the period has started: renewed tacitly, nothing left to decide for it
            due = (
                add_months(bounds[number - 1][1], -notice_months) if notice_months else bounds[number - 1][1]
            )
            return Decision(RENEWAL, number, due)
    final_period = len(bounds)
    if stopped or final_period in decisions:
        return None  # a non-renewal already means re-tendering; or the end decision is recorded
    return Decision(RETENDER, final_period, add_months(end, -lead_months))
