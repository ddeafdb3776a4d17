"""What the cockpit and the governance report show: the indicators by group with their trend and target,
and the charts built from them (each with its table, steering/charts.py)."""

from dataclasses import dataclass

from mutualis.contracts.enums import Procedure

from .charts import Chart, Series
from .indicators import INDICATORS, Group, Value, compute
from .indicators.projects import stage_figures
from .indicators.series import contracts_by_year
from .scope import Scope

# What the director and governance see first on their home page; the cockpit has the rest.
HEADLINE = (
    "contracts_notified",
    "amount_notified",
    "lead_time_median",
    "single_offer_share",
    "environmental_share",
    "social_share",
    "decp_on_time_share",
    "gains",
    "spend_under_contract_share",
)
# The responsible-purchasing chart's bars, with labels short enough to be read under them.
RESPONSIBLE = {
    "social_share": "Considération sociale",
    "environmental_share": "Environnementale",
    "reserved_share": "Marchés réservés",
    "sme_amount_share": "Montant aux PME",
    "local_amount_share": "Montant au territoire",
}


@dataclass
class Line:
    """One indicator of the cockpit: this period, the same period a year before, and the target."""

    current: Value
    previous: Value

    @property
    def indicator(self):
        return self.current.indicator

    @property
    def trend(self):
        """Change since the same period of the previous year, in the indicator's unit (None: unknown)."""
        if self.current.value is None or self.previous.value is None:
            return None
        return self.current.value - self.previous.value


@dataclass
class Section:
    code: str
    title: str
    lines: list[Line]


def sections(scope: Scope, user, codes=None) -> list[Section]:
    """The indicators (all, or those of `codes`) grouped as the registry orders them."""
    current, previous = compute(scope, user, codes), compute(scope.previous(), user, codes)
    groups: dict[str, Section] = {}
    for indicator in INDICATORS:
        if (codes and indicator.code not in codes) or indicator.code not in current:
            continue
        section = groups.setdefault(
            indicator.group, Section(indicator.group, Group.LABELS[indicator.group], [])
        )
        section.lines.append(Line(current[indicator.code], previous[indicator.code]))
    return list(groups.values())


def headline(user, year: int) -> list[Line]:
    """The home page's indicators of the year so far, with their trend and the territory's target."""
    return [line for section in sections(Scope(year), user, codes=HEADLINE) for line in section.lines]


def charts(scope: Scope, user, values: dict[str, Value]) -> list[Chart]:
    """The cockpit's charts: activity over five years (bars, and procedures stacked), the amount notified
    (line), responsible purchasing against its targets, and time spent per stage against its target."""
    years = contracts_by_year(scope, user)
    labels = [str(year.year) for year in years]
    procedures = sorted({code for year in years for code in year.by_procedure})
    names = dict(Procedure.choices)
    stages = stage_figures(scope, user)
    return [
        Chart(
            "Contrats notifiés par année",
            "bar",
            labels,
            [Series("Contrats notifiés", [year.count for year in years])],
            target=values["contracts_notified"].target,
        ),
        Chart(
            "Montant notifié par année (€ HT)",
            "line",
            labels,
            [Series("Montant notifié", [year.amount for year in years])],
            unit="€",
        ),
        Chart(
            "Contrats notifiés par procédure",
            "stacked",
            labels,
            [
                Series(names.get(code, code), [year.by_procedure.get(code, 0) for year in years])
                for code in procedures
            ],
        ),
        Chart(
            f"Achats responsables {scope.label} : valeur et objectif (%)",
            "bar",
            list(RESPONSIBLE.values()),
            [
                Series("Valeur", [values[code].value for code in RESPONSIBLE]),
                Series("Objectif", [values[code].target for code in RESPONSIBLE]),
            ],
            unit="%",
        ),
        Chart(
            f"Jours passés par étape {scope.label} : médiane et délai prévu",
            "bar",
            [stage.label for stage in stages],
            [
                Series("Médiane (jours)", [stage.median for stage in stages]),
                Series("9 sur 10 en moins de (jours)", [stage.p90 for stage in stages]),
                Series("Délai prévu (jours)", [stage.expected_days for stage in stages]),
            ],
            unit="j",
        ),
    ]
