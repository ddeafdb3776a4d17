"""Renewals decided after their notice date, and decisions still awaited past their date.

The date a decision was due comes from contracts.lifecycle (the one place the notice rule lives): the
contract's schedule is computed as it stood before that period, which gives its decision and due date.
"""

from mutualis.contracts.enums import RenewalDecisionKind
from mutualis.contracts.lifecycle import RENEWAL, compute_schedule
from mutualis.contracts.models import RenewalDecision

from .base import Flag, contracts_of, day, link_to, name_of

KIND = "renewal_late"


def due_on(contract, period: int):
    """The date the decision on renewal `period` was due: the schedule as of the contract's start, every
    earlier period renewed (so that the next decision asked is this one)."""
    schedule = compute_schedule(
        start=contract.effective_start,
        firm_months=contract.firm_duration_months,
        renewal_count=contract.renewal_count,
        renewal_months=contract.renewal_period_months or 0,
        notice_months=contract.renewal_notice_months,
        decisions=dict.fromkeys(range(1, period), RenewalDecisionKind.RENEW),
        today=contract.effective_start,
    )
    decision = schedule.next_decision
    return decision.due_on if decision and decision.kind == RENEWAL and decision.period == period else None


def _decided_late(scope, user) -> list[Flag]:
    decisions = (
        RenewalDecision.objects.filter(
            contract__in=contracts_of(scope, user).notified().values("pk"),
            decided_on__range=(scope.start, scope.end),
            kind__in=[RenewalDecisionKind.RENEW, RenewalDecisionKind.NOT_RENEW],
        )
        .select_related("contract")
        .order_by("decided_on", "pk")
    )
    flags = []
    for decision in decisions:
        contract = decision.contract
        if decision.period > contract.renewal_count or contract.effective_start is None:
            continue
        due = due_on(contract, decision.period)
        if due is None or decision.decided_on <= due:
            continue
        late = (decision.decided_on - due).days
        flags.append(
            Flag(
                kind=KIND,
                key=f"renewal:{decision.pk}",
                title=f"{name_of(contract)} : reconduction décidée après le préavis",
                explanation=(
                    f"{name_of(contract)} : la décision « {decision.get_kind_display()} » sur la période "
                    f"{decision.period} a été prise le {day(decision.decided_on)}, {late} jour(s) après sa "
                    f"date limite du {day(due)} (préavis de {contract.renewal_notice_months} mois)."
                ),
                links=[link_to(contract)],
            )
        )
    return flags


def _overdue(scope, user, today) -> list[Flag]:
    # A period still to come has nothing overdue; an older one shows what was already late by its end.
    if scope.start > today:
        return []
    contracts = (
        contracts_of(scope, user)
        .decision_overdue(today)
        .filter(decision_due_on__lte=scope.end)
        .order_by("decision_due_on", "reference")
    )
    what = {"renewal": "la reconduction", "retender": "la remise en concurrence à l'échéance"}
    return [
        Flag(
            kind=KIND,
            key=f"contract:{contract.pk}:due:{contract.decision_due_on.isoformat()}",
            title=f"{name_of(contract)} : décision attendue en retard",
            explanation=(
                f"{name_of(contract)} : la décision sur {what.get(contract.decision_kind, 'la suite')} était "
                f"attendue le {day(contract.decision_due_on)} ; elle n'est toujours pas enregistrée "
                f"({(today - contract.decision_due_on).days} jour(s) de retard)."
            ),
            links=[link_to(contract)],
        )
        for contract in contracts
    ]


def find(scope, user, today) -> list[Flag]:
    return _decided_late(scope, user) + _overdue(scope, user, today)
