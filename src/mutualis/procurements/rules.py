"""The legal checks a consultation must pass, as pure functions of its data (DOMAIN.md §3 and §6.1).

Durations and obligation dates come from data/procedure_rules.json, chosen by the launch date; the
minimum time limits from the procedure computation shared with the needs (needs/procedure.py).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path

import holidays
from django.utils import timezone

from mutualis.contracts.enums import Procedure
from mutualis.core.dated import read_versions, version_on
from mutualis.needs.procedure import TIME_LIMITS, ProcedureKind

RULES_FILE = Path(__file__).parent / "data" / "procedure_rules.json"
SATURDAY = 5

# Procedures a computed kind allows without a written reason: a buyer may always do more than the
# value requires, never less.
ALLOWED_WITHOUT_REASON = {
    ProcedureKind.NONE: set(Procedure.values),
    ProcedureKind.ADAPTED: set(Procedure.values) - {Procedure.NO_COMPETITION},
    ProcedureKind.FORMALISED: {
        Procedure.OPEN,
        Procedure.RESTRICTED,
        Procedure.NEGOTIATED,
        Procedure.DIALOGUE,
    },
}
DEFAULT_FOR_KIND = {
    ProcedureKind.NONE: Procedure.NO_COMPETITION,
    ProcedureKind.ADAPTED: Procedure.ADAPTED,
    ProcedureKind.FORMALISED: Procedure.OPEN,
}
FORMALISED = frozenset({Procedure.OPEN, Procedure.RESTRICTED, Procedure.NEGOTIATED, Procedure.DIALOGUE})
# The first time limit of each formalised procedure, counted from the notice (DOMAIN.md §3.2).
_TIME_LIMIT_KEYS = {
    Procedure.OPEN: ("appel_offres_ouvert", "offres"),
    Procedure.RESTRICTED: ("appel_offres_restreint", "candidatures"),
    Procedure.NEGOTIATED: ("procedure_avec_negociation", "candidatures"),
    Procedure.DIALOGUE: ("procedure_avec_negociation", "candidatures"),
}

# Reduced first time limits (DOMAIN.md §3.2, the values marked [U] there): after a prior information
# notice, and in a duly justified urgency (R2161-3, R2161-6, R2161-12).
_REDUCED_TIME_LIMITS = {
    "prior_notice": {Procedure.OPEN: 15},
    "urgency": {Procedure.OPEN: 15, Procedure.RESTRICTED: 15, Procedure.NEGOTIATED: 15},
}


@dataclass(frozen=True)
class ProcedureRules:
    version: str
    valid_from: date
    reference: str
    standstill_days: int
    standstill_days_not_electronic: int
    environmental_award_criterion: bool
    environmental_condition: bool
    social_condition_above_eu: bool
    abnormally_low_share_of_others_average: Decimal
    abnormally_low_share_of_estimate: Decimal


def _build(raw: dict) -> ProcedureRules:
    return ProcedureRules(
        **{
            **raw,
            "abnormally_low_share_of_others_average": Decimal(raw["abnormally_low_share_of_others_average"]),
            "abnormally_low_share_of_estimate": Decimal(raw["abnormally_low_share_of_estimate"]),
        }
    )


@cache
def _versions() -> tuple[ProcedureRules, ...]:
    return read_versions(RULES_FILE, _build)


def rules_on(day: date) -> ProcedureRules:
    rules = version_on(_versions(), day)
    if rules is None:
        raise ValueError(f"Aucune règle de procédure n'est définie au {day:%d/%m/%Y}.")
    return rules


def launch_date(project) -> date:
    """The date that chooses the rules: the launch, else the notice, else today (not launched yet)."""
    return project.launched_on or project.published_on or timezone.localdate()


def rules_for(project) -> ProcedureRules:
    return rules_on(launch_date(project))


def needs_reason(computed: str, chosen: str) -> bool:
    """Whether the retained procedure is less demanding than the computed one."""
    return chosen not in ALLOWED_WITHOUT_REASON[ProcedureKind(computed)]


def minimum_time_limit_days(procedure: str, reduction: str = "") -> int | None:
    """The legal minimum between the notice and the first deadline, reduced where the law allows it;
    None when the law sets none (MAPA and purchases without competition: a reasonable time)."""
    keys = _TIME_LIMIT_KEYS.get(procedure)
    if keys is None:
        return None
    return _REDUCED_TIME_LIMITS.get(reduction, {}).get(procedure, TIME_LIMITS[keys[0]][keys[1]])


def earliest_deadline(procedure: str, notice_sent_on: date, reduction: str = "") -> date | None:
    """The first lawful deadline: counted from the day after the notice is sent, and carried to the next
    working day when the last day is a Saturday, a Sunday or a public holiday (DOMAIN.md §3.2)."""
    days = minimum_time_limit_days(procedure, reduction)
    return next_working_day(notice_sent_on + timedelta(days=days)) if days is not None else None


def next_working_day(day: date) -> date:
    """The day itself if it is worked, else the next one (national public holidays of France)."""
    while day.weekday() >= SATURDAY or day in _public_holidays(day.year):
        day += timedelta(days=1)
    return day


@cache
def _public_holidays(year: int) -> holidays.HolidayBase:
    return holidays.France(years=year)


def standstill_applies(procedure: str, regular_offers: int) -> bool:
    """R2182-1 and R2182-2: formalised procedures, unless a single bidder took part."""
    return procedure in FORMALISED and regular_offers > 1


def earliest_signature(rejections_sent_on: date, *, electronic: bool, rules: ProcedureRules) -> date:
    days = rules.standstill_days if electronic else rules.standstill_days_not_electronic
    return rejections_sent_on + timedelta(days=days)


@dataclass(frozen=True)
class Obligations:
    """What the consultation must contain, given its launch date and value."""

    environmental_award_criterion: bool
    environmental_condition: bool
    social_condition: bool
    reference: str


def obligations_for(*, launch_date: date, above_eu: bool, competition: bool) -> Obligations:
    """L2152-7 (an environmental award criterion, where offers are compared), L2112-2 (an environmental
    execution condition) and L2112-2-1 (a social condition at or above the EU thresholds)."""
    rules = rules_on(launch_date)
    return Obligations(
        environmental_award_criterion=rules.environmental_award_criterion and competition,
        environmental_condition=rules.environmental_condition,
        social_condition=rules.social_condition_above_eu and above_eu,
        reference=rules.reference,
    )
