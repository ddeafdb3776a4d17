"""What the public portal may show, and nothing else.

One whitelist of fields per public object (PROJECT_FIELDS, ENTITY_FIELDS, CONTRACT_FIELDS): the reads
below fetch those columns only (`values()`), and pages get frozen records built from them, never model
instances, so a template cannot reach a note, an offer or a person by following a relation. The
QuerySets (`planned_projects`, `consultations`, `awarded_contracts`, `public_entities`) choose the rows;
the feeds, alerts and the portal's API (api/portal.py) reuse both.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from mutualis.contracts.enums import Procedure
from mutualis.contracts.models import Contract, ContractHolder
from mutualis.legal.publication import publication_windows
from mutualis.legal.rules import rule_rows
from mutualis.needs.procedure import territory_buyer_kind
from mutualis.organisations.models import Entity, EntityKind
from mutualis.procurements.models import Lot, Project, StageCode
from mutualis.procurements.services.projects import quarter_start

from .brackets import value_bracket

# Stages at which a published project is announced as planned, then open to offers. Later stages
# (analysis, award…) are internal until the contract reaches the registry.
PLANNED_STAGES = (StageCode.NEED, StageCode.SOURCING, StageCode.STRATEGY, StageCode.DOCUMENTS)
CONSULTATION_STAGES = (StageCode.PUBLICATION,)

# The whitelists. estimated_value is read only to compute the bracket; the record never carries it.
PROJECT_FIELDS = (
    "pk",
    "object",
    "stage__code",
    "family__code",
    "family__label",
    "family__nature",
    "cpv__code",
    "cpv__label",
    "buyer_entity_id",
    "buyer_entity__is_active",
    "buyer_entity__name",
    "buyer_entity__short_name",
    "planned_launch_quarter",
    "launched_on",
    "contract_procedure",
    "estimated_value",
    "portal_contact",
    "consultation_url",
    "tender_deadline",
    "updated_at",  # the feeds' <updated>: when the published facts may have changed
)
ENTITY_FIELDS = ("pk", "name", "short_name", "kind", "siret", "postal_code", "city")
CONTRACT_FIELDS = (
    "pk",
    "reference",
    "object",
    "nature",
    "buyer_id",
    "buyer__is_active",
    "buyer__name",
    "buyer__short_name",
    "family__label",
    "cpv__code",
    "cpv__label",
    "procedure",
    "notification_date",
    "amount",
    "firm_duration_months",
    "renewal_count",
    "renewal_period_months",
)
HOLDER_FIELDS = ("contract_id", "supplier__name", "supplier__identifier")


# ---------------------------------------------------------------------------------------------------
# Which rows


def published_projects(today: date | None = None):
    """Projects a buyer published that are planned or open to offers (deadline not passed)."""
    today = today or timezone.localdate()
    return (
        Project.objects.in_progress()
        .filter(portal_published=True)
        .filter(
            Q(stage__code__in=PLANNED_STAGES)
            | (
                Q(stage__code__in=CONSULTATION_STAGES)
                & (Q(tender_deadline__gte=today) | Q(tender_deadline=None))
            )
        )
    )


def planned_projects(today: date | None = None):
    return published_projects(today).filter(stage__code__in=PLANNED_STAGES)


def consultations(today: date | None = None):
    return published_projects(today).filter(stage__code__in=CONSULTATION_STAGES)


def public_entities():
    return Entity.objects.active()


def awarded_contracts():
    """Notified contracts whose essential data the law makes public (DECP threshold of their date)."""
    public = Q(pk__in=[])
    for period in publication_windows():
        window = Q(notification_date__gte=period.valid_from, amount__gte=period.minimum_amount)
        public |= window & Q(notification_date__lt=period.until) if period.until else window
    return Contract.objects.notified().filter(public)


# ---------------------------------------------------------------------------------------------------
# The records pages receive


@dataclass(frozen=True)
class PublicName:
    pk: int | None  # None: no page of its own (a former member)
    name: str


@dataclass(frozen=True)
class PublicProject:
    pk: int
    object: str
    is_consultation: bool
    family: str
    family_code: str
    cpv: str
    buyer: PublicName | None
    entities: tuple[PublicName, ...]
    lots: tuple[str, ...]
    quarter: str
    procedure: str
    bracket: str
    contact: str
    consultation_url: str
    tender_deadline: date | None
    updated: datetime


@dataclass(frozen=True)
class PublicEntity:
    pk: int
    name: str
    legal_name: str
    kind: str
    siret: str
    postal_code: str
    city: str


@dataclass(frozen=True)
class PublicHolder:
    name: str
    identifier: str


@dataclass(frozen=True)
class PublicContract:
    pk: int
    reference: str  # the DECP `id`
    object: str
    nature: str
    buyer: PublicName
    family: str
    cpv: str
    procedure: str
    notification_date: date
    amount: Decimal
    duration_months: int
    holders: tuple[PublicHolder, ...]


def _name(short: str, name: str) -> str:
    return short or name


def _cpv(code: str | None, label: str | None) -> str:
    return f"{code} — {label}" if code else ""


def project_records(pks) -> list[PublicProject]:
    """Public records of these projects, in the order given; callers pass rows of the QuerySets above."""
    pks = list(pks)
    rows = {row["pk"]: row for row in Project.objects.filter(pk__in=pks).values(*PROJECT_FIELDS)}
    entities: dict[int, list[PublicName]] = {}
    links = Project.entities.through.objects.filter(project_id__in=pks, entity__is_active=True)
    for link in links.order_by("entity__name").values(
        "project_id", "entity_id", "entity__name", "entity__short_name"
    ):
        entities.setdefault(link["project_id"], []).append(
            PublicName(link["entity_id"], _name(link["entity__short_name"], link["entity__name"]))
        )
    lots: dict[int, list[str]] = {}
    for lot in (
        Lot.objects.filter(project_id__in=pks).order_by("number").values("project_id", "number", "title")
    ):
        lots.setdefault(lot["project_id"], []).append(f"Lot {lot['number']} — {lot['title']}")
    legal, buyer_kind, today = rule_rows(), territory_buyer_kind(), timezone.localdate()
    records = []
    for pk in pks:
        row = rows[pk]
        day = row["launched_on"] or quarter_start(row["planned_launch_quarter"]) or today
        bracket = value_bracket(
            row["estimated_value"], nature=row["family__nature"], buyer_kind=buyer_kind, day=day, rows=legal
        )
        records.append(
            PublicProject(
                pk=pk,
                object=row["object"],
                is_consultation=row["stage__code"] in CONSULTATION_STAGES,
                family=row["family__label"],
                family_code=row["family__code"],
                cpv=_cpv(row["cpv__code"], row["cpv__label"]),
                buyer=PublicName(
                    row["buyer_entity_id"] if row["buyer_entity__is_active"] else None,
                    _name(row["buyer_entity__short_name"], row["buyer_entity__name"]),
                )
                if row["buyer_entity_id"]
                else None,
                entities=tuple(entities.get(pk, ())),
                lots=tuple(lots.get(pk, ())),
                quarter=row["planned_launch_quarter"],
                procedure=Procedure(row["contract_procedure"]).label if row["contract_procedure"] else "",
                bracket=bracket.label if bracket else "",
                contact=row["portal_contact"],
                consultation_url=row["consultation_url"],
                tender_deadline=row["tender_deadline"],
                updated=row["updated_at"],
            )
        )
    return records


def entity_records(queryset) -> list[PublicEntity]:
    kinds = dict(EntityKind.choices)
    return [
        PublicEntity(
            pk=row["pk"],
            name=_name(row["short_name"], row["name"]),
            legal_name=row["name"],
            kind=kinds.get(row["kind"], ""),
            siret=row["siret"],
            postal_code=row["postal_code"],
            city=row["city"],
        )
        for row in queryset.values(*ENTITY_FIELDS)
    ]


def contract_records(pks) -> list[PublicContract]:
    pks = list(pks)
    rows = {row["pk"]: row for row in Contract.objects.filter(pk__in=pks).values(*CONTRACT_FIELDS)}
    holders: dict[int, list[PublicHolder]] = {}
    links = ContractHolder.objects.filter(contract_id__in=pks).order_by("position", "pk")
    for link in links.values(*HOLDER_FIELDS):
        holders.setdefault(link["contract_id"], []).append(
            PublicHolder(link["supplier__name"], link["supplier__identifier"])
        )
    procedures = dict(Procedure.choices)
    records = []
    for pk in pks:
        row = rows[pk]
        records.append(
            PublicContract(
                pk=pk,
                reference=row["reference"],
                object=row["object"],
                nature=row["nature"],
                buyer=PublicName(
                    row["buyer_id"] if row["buyer__is_active"] else None,
                    _name(row["buyer__short_name"], row["buyer__name"]),
                ),
                family=row["family__label"] or "",
                cpv=_cpv(row["cpv__code"], row["cpv__label"]),
                procedure=procedures.get(row["procedure"], row["procedure"]),
                notification_date=row["notification_date"],
                amount=row["amount"],
                duration_months=row["firm_duration_months"]
                + row["renewal_count"] * (row["renewal_period_months"] or 0),
                holders=tuple(holders.get(pk, ())),
            )
        )
    return records
