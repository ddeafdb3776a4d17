"""The dated rules a consultation must follow (DOMAIN.md §3 and §6.1): minimum time limits and their
reductions, standstill, the Loi Climat obligations and the abnormally-low ratios, read from the table."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from .rules import in_force
from .vocabulary import FIRST_TIME_LIMIT, FORMALISED
from .working_days import next_working_day


@dataclass(frozen=True)
class ProcedureRules:
    """The consultation rules in force on one date; `version` names the rows by their dates."""

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


def rules_on(day: date, *, rows: list | None = None) -> ProcedureRules:
    """The rules in force on `day`; a French error names the missing rule and the date."""
    book = in_force(day, rows=rows)
    standstill = book.require("standstill_days", "délai de suspension")
    rows = {
        "standstill_days_not_electronic": book.require(
            "standstill_days_not_electronic", "délai de suspension hors voie électronique"
        ),
        "environmental_award_criterion": book.require(
            "environmental_award_criterion", "critère environnemental"
        ),
        "environmental_condition": book.require("environmental_condition", "condition environnementale"),
        "social_condition_above_eu": book.require("social_condition_above_eu", "condition sociale"),
        "abnormally_low_share_of_others_average": book.require(
            "abnormally_low_share_of_others_average", "offre anormalement basse (moyenne)"
        ),
        "abnormally_low_share_of_estimate": book.require(
            "abnormally_low_share_of_estimate", "offre anormalement basse (estimation)"
        ),
    }
    latest = max([standstill, *rows.values()], key=lambda applied: applied.valid_from)
    return ProcedureRules(
        version=f"consultation:{latest.valid_from.isoformat()}",
        valid_from=latest.valid_from,
        # The obligations are what changed last (Loi Climat): their text is the one to quote.
        reference=rows["environmental_award_criterion"].reference,
        standstill_days=standstill.days,
        standstill_days_not_electronic=rows["standstill_days_not_electronic"].days,
        environmental_award_criterion=rows["environmental_award_criterion"].flag,
        environmental_condition=rows["environmental_condition"].flag,
        social_condition_above_eu=rows["social_condition_above_eu"].flag,
        abnormally_low_share_of_others_average=rows["abnormally_low_share_of_others_average"].value,
        abnormally_low_share_of_estimate=rows["abnormally_low_share_of_estimate"].value,
    )


def minimum_time_limit_days(procedure: str, reduction: str = "", *, day: date | None = None) -> int | None:
    """The legal minimum between the notice and the first deadline, reduced where the law allows it;
    None when the law sets none (MAPA and purchases without competition: a reasonable time)."""
    scopes = FIRST_TIME_LIMIT.get(procedure)
    if scopes is None:
        return None
    first, name = scopes
    book = in_force(day or timezone.localdate())
    reduced = book.find("reduced_time_limit", scope=f"{reduction}.{name}") if reduction else None
    return (reduced or book.require("time_limit", "délai minimal", scope=first)).days


def earliest_deadline(procedure: str, notice_sent_on: date, reduction: str = "") -> date | None:
    """The first lawful deadline: counted from the day after the notice is sent, and carried to the next
    working day when the last day is a Saturday, a Sunday or a public holiday (DOMAIN.md §3.2)."""
    days = minimum_time_limit_days(procedure, reduction, day=notice_sent_on)
    return next_working_day(notice_sent_on + timedelta(days=days)) if days is not None else None


def standstill_applies(procedure: str, regular_offers: int) -> bool:
    """R2182-1 and R2182-2: formalised procedures, unless a single bidder took part."""
    return procedure in FORMALISED and regular_offers > 1


def earliest_signature(rejections_sent_on: date, *, electronic: bool, rules: ProcedureRules) -> date:
    """The first day the contract may be signed, once the standstill after the rejections has run."""
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
