"""The tables of one indicator's page: its value by buyer, family, procedure or buyer in charge, or, for
lead times, the projects and the stages behind it. Each cell links to the rows it counts."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.http import urlencode

from mutualis.catalogue.models import PurchaseFamily
from mutualis.contracts.enums import Procedure
from mutualis.organisations.models import Entity, User
from mutualis.steering.formats import figure
from mutualis.steering.indicators import Group, Indicator, Unit
from mutualis.steering.indicators.contracts import CODES, contract_breakdown, rows_url
from mutualis.steering.indicators.projects import lead_times, projects_of, stage_figures
from mutualis.steering.scope import Scope


@dataclass(frozen=True)
class Link:
    text: str
    url: str

    def __str__(self) -> str:
        return self.text


@dataclass
class Table:
    caption: str
    headers: list[str]
    rows: list[list]  # cells: text, or a Link to the rows behind it


def _names(model, keys, label=str) -> dict:
    return {record.pk: label(record) for record in model.objects.filter(pk__in=[k for k in keys if k])}


CONTRACT_DIMENSIONS = (
    ("buyer", "Par entité acheteuse", "Acheteur", "buyer", lambda keys: _names(Entity, keys)),
    ("family", "Par famille d'achat", "Famille", "family", lambda keys: _names(PurchaseFamily, keys)),
    ("procedure", "Par procédure", "Procédure", "procedure", lambda keys: dict(Procedure.choices)),
    ("manager", "Par acheteur en charge", "Acheteur en charge", None, lambda keys: _names(User, keys)),
)


def _contract_tables(indicator: Indicator, scope: Scope, user) -> list[Table]:
    tables = []
    for field, caption, heading, param, names_of in CONTRACT_DIMENSIONS:
        rows = contract_breakdown(scope, user, field)
        names = names_of({key for key, _ in rows})
        table_rows = []
        for key, figures in rows:
            label = names.get(key, key) if key is not None else "Non renseigné"
            url = rows_url(scope, **{param: key}) if param and key is not None else ""
            table_rows.append(
                [
                    Link(label, url) if url else label,
                    figure(figures["contracts_notified"], Unit.COUNT),
                    figure(figures["amount_notified"], Unit.EUROS),
                    figure(figures[indicator.code], indicator.unit),
                ]
            )
        tables.append(
            Table(
                f"{indicator.label} {caption.lower()}",
                [heading, "Contrats notifiés", "Montant notifié", indicator.label],
                table_rows,
            )
        )
    return tables


def _project_tables(scope: Scope, user) -> list[Table]:
    projects = projects_of(scope, user).filter(status="in_progress")
    by_buyer = {}
    for buyer in projects.values_list("buyer", flat=True):
        by_buyer[buyer] = by_buyer.get(buyer, 0) + 1
    names = _names(User, by_buyer, lambda user: user.get_full_name() or user.username)
    url = reverse("procurements:project_list")
    return [
        Table(
            "Charge par acheteur : projets en cours",
            ["Acheteur en charge", "Projets en cours"],
            [
                [
                    Link(
                        names.get(buyer, "?"), f"{url}?{urlencode({'buyer': buyer, 'status': 'in_progress'})}"
                    )
                    if buyer
                    else "Sans acheteur",
                    count,
                ]
                for buyer, count in sorted(by_buyer.items(), key=lambda item: -item[1])
            ],
        )
    ]


def _lead_time_tables(scope: Scope, user) -> list[Table]:
    stages = stage_figures(scope, user)
    return [
        Table(
            "Jours passés par étape de la cartographie",
            [
                "Étape",
                "Étapes quittées",
                "Médiane (jours)",
                "9e décile (jours)",
                "Délai prévu (jours)",
                "Tenues dans le délai (%)",
            ],
            [
                [
                    s.label,
                    s.moves,
                    figure(s.median, Unit.DAYS),
                    figure(s.p90, Unit.DAYS),
                    figure(s.expected_days, Unit.DAYS),
                    figure(s.on_time_share, Unit.PERCENT),
                ]
                for s in stages
            ],
        ),
        Table(
            "Projets notifiés dans la période : de la création à la notification",
            ["Projet", "Créé le", "Dernier lot notifié le", "Délai (jours)"],
            [
                [
                    Link(lead.label, reverse("procurements:project_detail", args=[lead.project_id])),
                    f"{lead.created_on:%d/%m/%Y}",
                    f"{lead.notified_on:%d/%m/%Y}",
                    figure(lead.days, Unit.DAYS),
                ]
                for lead in lead_times(scope, user)
            ],
        ),
    ]


def tables_for(indicator: Indicator, scope: Scope, user) -> list[Table]:
    if indicator.code in CODES:
        return _contract_tables(indicator, scope, user)
    if indicator.group == Group.LEAD_TIMES:
        return _lead_time_tables(scope, user)
    if indicator.code in {"projects_launched", "amount_launched", "projects_in_progress"}:
        return _project_tables(scope, user)
    return []
