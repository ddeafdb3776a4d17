"""What a governance report says, read once for both files: the cockpit's indicators with their trend,
target and gap, its charts (each with its table), the risk flags, the action plan's progress and the
improvement actions still open, the internal clients' satisfaction per module."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from mutualis.clients.satisfaction import results as satisfaction_results
from mutualis.gains.plan_totals import Totals, actions_of_year, summarise

from .. import cockpit
from ..charts import Chart
from ..formats import figure, signed
from ..models import GovernanceReport, ImprovementAction, Objective
from ..scope import Scope

TITLE = "Rapport de gouvernance des achats"
FLAGS_MISSING = "Signaux d'alerte : module non disponible"


@dataclass
class IndicatorRow:
    """One indicator: figures for the workbook (numbers) and their French writing for the PDF."""

    group: str
    code: str
    label: str
    unit: str
    definition: str
    value: Decimal | int | None
    previous: Decimal | int | None
    trend: Decimal | int | None
    target: Decimal | None
    gap: Decimal | None
    on_target: bool | None
    note: str = ""
    source: str = ""  # where the objective comes from (« SPASER 2025-2027 »)

    @property
    def texts(self) -> dict[str, str]:
        return {
            "value": figure(self.value, self.unit),
            "previous": figure(self.previous, self.unit),
            "trend": signed(self.trend, self.unit),
            "target": figure(self.target, self.unit) if self.target is not None else "aucun objectif",
            "gap": signed(self.gap, self.unit) if self.gap is not None else "",
        }

    @property
    def status(self) -> str:
        if self.on_target is None:
            return "non mesurable" if self.target is not None else ""
        return "Atteint" if self.on_target else "Non atteint"


@dataclass
class Group:
    title: str
    rows: list[IndicatorRow]


@dataclass
class Flags:
    """The risk flags of the scope; `available` is False while the flags module is not installed."""

    available: bool
    items: list = field(default_factory=list)
    counts: list[tuple[str, int]] = field(default_factory=list)  # (kind's label, how many)

    @property
    def unacknowledged(self) -> int:
        return sum(1 for flag in self.items if getattr(flag, "acknowledgement", None) is None)


@dataclass
class Plan:
    """The action plan of the report's year: actions by status, expected and realised gains."""

    year: int
    by_status: list[tuple[str, Totals]]
    total: Totals


@dataclass
class Improvements:
    open: int
    late: int


@dataclass
class ReportContent:
    report: GovernanceReport
    scope: Scope
    edited_on: date
    requested_by: str
    groups: list[Group]
    charts: list[Chart]
    flags: Flags
    plan: Plan
    improvements: Improvements
    # The internal clients' satisfaction per module for the period (clients/satisfaction.py: its groups
    # under five answers masked); the comments stay on the satisfaction page.
    satisfaction: dict = field(default_factory=dict)
    title: str = TITLE

    @property
    def rows(self) -> list[IndicatorRow]:
        return [row for group in self.groups for row in group.rows]


def scope_of(report: GovernanceReport) -> Scope:
    return Scope(report.year, report.quarter, report.entity, report.family)


def report_content(report: GovernanceReport, *, progress=None) -> ReportContent:
    """The content, with the rights of the person who asked for it (an entity role's figures are limited
    to its entities, as on the cockpit). `progress(fraction)` is told as each part is read."""
    advance = progress or (lambda fraction: None)
    user, scope = report.requested_by, scope_of(report)
    sections = cockpit.sections(scope, user)
    advance(0.3)
    sources = _objective_sources(scope)
    values = {line.indicator.code: line.current for section in sections for line in section.lines}
    charts = cockpit.charts(scope, user, values)
    advance(0.45)
    content = ReportContent(
        report=report,
        scope=scope,
        edited_on=timezone.localdate(),
        requested_by=user.get_full_name() or user.username,
        groups=[
            Group(section.title, [_row(section.title, line, sources) for line in section.lines])
            for section in sections
        ],
        charts=charts,
        flags=_flags(scope, user),
        plan=_plan(scope, user),
        improvements=_improvements(scope, user),
        satisfaction=satisfaction_results(
            year=scope.year, quarter=scope.quarter, entity=scope.entity, family=scope.family
        ),
    )
    advance(0.55)
    return content


def _objective_sources(scope: Scope) -> dict[str, str]:
    """The objectives' origins, for the same scope as the targets (steering/indicators/targets.py)."""
    objectives = Objective.objects.filter(year=scope.year, entity=scope.entity, family=scope.family)
    return dict(objectives.values_list("indicator", "source"))


def _row(group: str, line: cockpit.Line, sources: dict[str, str]) -> IndicatorRow:
    item, indicator = line.current, line.indicator
    return IndicatorRow(
        group=group,
        code=indicator.code,
        label=indicator.label,
        unit=indicator.unit,
        definition=indicator.definition,
        value=item.value,
        previous=line.previous.value,
        trend=line.trend,
        target=item.target,
        gap=item.gap,
        on_target=item.on_target,
        note=item.note,
        source=sources.get(indicator.code, "") if item.target is not None else "",
    )


def _flags(scope: Scope, user) -> Flags:
    """Read through an import that may fail: the flags were built apart (steering/flags), and a report
    without them says so rather than failing."""
    try:
        from mutualis.steering import flags
    except ImportError:
        return Flags(available=False)
    items = list(flags.flags_for(scope, user))
    counts = Counter(flag.kind for flag in items)
    return Flags(
        True, items, [(kind.label, counts[code]) for code, kind in flags.KINDS.items() if counts[code]]
    )


def _plan(scope: Scope, user) -> Plan:
    actions = actions_of_year(user, scope.year)
    if scope.entity:
        actions = actions.filter(entities=scope.entity)
    if scope.family:
        actions = actions.filter(family=scope.family)
    summary = summarise(actions, [])
    return Plan(
        scope.year, [(label, totals) for _, label, totals in summary.by_status], summary.territory.total
    )


def _improvements(scope: Scope, user) -> Improvements:
    actions = ImprovementAction.objects.for_user(user)
    if scope.entity:  # a team member's report on one entity says nothing of the others'
        entity = scope.entity
        actions = actions.filter(
            Q(project__entities=entity) | Q(contract__buyer=entity) | Q(contract__available_to=entity)
        ).distinct()
    return Improvements(open=actions.open().count(), late=actions.late().count())
