"""What needs me today: the reads behind the home page, one small function per section.

Every item counts what waits for the person and links to the list where it is handled, with that
list's own filters in the query string, so that the count and the rows behind the link agree. Each
function runs a fixed number of queries, whatever the number of records.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from mutualis.contracts.alerts import CONSUMPTION_KEY_PREFIX, DEFAULT_HORIZON_DAYS
from mutualis.contracts.filters import HORIZONS
from mutualis.contracts.models import Contract
from mutualis.evaluations.models import Evaluation
from mutualis.gains.models import Gain, GainStatus
from mutualis.needs.models import NeedLine, NeedStatus
from mutualis.notifications.models import Notification
from mutualis.organisations.access import access_for
from mutualis.organisations.models import Territory
from mutualis.organisations.roles import Role
from mutualis.organisations.vocabulary import current_words
from mutualis.procurements.models import Project
from mutualis.spend.models import SpendImport

# A display choice, not a legal time limit: how many days a contract counts as new, and a failed
# import as still worth a look.
RECENT_WINDOW = 30
TOP = 5  # records shown in a section; its link leads to the others


@dataclass(frozen=True)
class Item:
    label: str
    count: int
    url: str
    detail: str = ""
    urgent: bool = False


@dataclass(frozen=True)
class Records:
    """The first few records of a list (each links to its own page), the total and the whole list."""

    rows: list[Item]
    total: int
    url: str
    url_label: str


def link(name: str, **params) -> str:
    query = urlencode({key: value for key, value in params.items() if value not in (None, "")})
    return f"{reverse(name)}?{query}" if query else reverse(name)


def project_tasks(user, today: date) -> list[Item]:
    tasks = Project.objects.tasks_for(user)
    late = tasks.late(today).count()
    return [
        Item(
            "Projets qui attendent une action de votre part", tasks.count(), reverse("procurements:my_tasks")
        ),
        Item(
            "Projets en retard sur l'échéance de leur étape",
            late,
            link("procurements:my_tasks", late="true"),
            urgent=late > 0,
        ),
    ]


def alert_horizon() -> tuple[int, str]:
    """The territory's alert horizon, raised to the next horizon the registry's filter offers (the
    link must show the rows counted): (days, label)."""
    territory = Territory.current()
    days = territory.contract_alert_days if territory else DEFAULT_HORIZON_DAYS
    return next(((d, label) for d, label in HORIZONS if d >= days), HORIZONS[-1])


def contracts_to_watch(user, today: date) -> list[Item]:
    days, label = alert_horizon()
    contracts = Contract.objects.for_user(user)
    overdue = contracts.decision_overdue(today).count()
    return [
        Item(
            "Contrats en cours qui se terminent bientôt",
            contracts.expiring_within(days, today).count(),
            link("contracts:contract_list", ending_within=days),
            detail=f"dans les {label}",
        ),
        Item(
            "Contrats dont la décision de reconduction ou de relance est en retard",
            overdue,
            link("contracts:contract_list", decision_overdue="true"),
            urgent=overdue > 0,
        ),
    ]


def gains_to_declare(user) -> list[Item]:
    counts = dict(Gain.objects.to_declare(user).values_list("status").annotate(n=Count("pk")).order_by())
    returned = counts.get(GainStatus.RETURNED, 0)
    return [
        Item(
            "Gains proposés, à compléter et déclarer",
            counts.get(GainStatus.PROPOSED, 0),
            link("gains:gain_list", buyer=user.pk, status=GainStatus.PROPOSED),
        ),
        Item(
            "Gains renvoyés pour correction par le contrôle de gestion",
            returned,
            link("gains:gain_list", buyer=user.pk, status=GainStatus.RETURNED),
            urgent=returned > 0,
        ),
    ]


def gains_to_validate(user) -> Item:
    return Item(
        "Gains déclarés, à valider",
        Gain.objects.for_user(user).to_validate().count(),
        link("gains:gain_list", status=GainStatus.DECLARED),
    )


ENTITY_NEED_LABELS = {
    NeedStatus.PROPOSED: "Besoins proposés par vos services, à examiner et transmettre",
    NeedStatus.DRAFT: "Brouillons à transmettre à la cellule achats",
    NeedStatus.RETURNED: "Besoins renvoyés pour correction",
}


def entity_needs(user) -> list[Item]:
    """Per open campaign and entity the person is referent of: the lines waiting on the entity side."""
    referent_of = [e for e, roles in access_for(user).roles_by_entity.items() if Role.REFERENT in roles]
    return [
        Item(
            ENTITY_NEED_LABELS[row["status"]],
            row["count"],
            link(
                "needs:line_list", campaign=row["campaign_id"], entity=row["entity_id"], status=row["status"]
            ),
            detail=f"{row['entity__name']}, {row['campaign__title']} : "
            f"saisie jusqu'au {row['campaign__deadline']:%d/%m/%Y}",
            urgent=row["status"] == NeedStatus.RETURNED,
        )
        for row in NeedLine.objects.entity_to_do(referent_of)
    ]


def evaluations_to_answer(user) -> list[Item]:
    """Per open QCD campaign: the evaluations the person's entities still have to fill in."""
    rows = (
        Evaluation.objects.to_answer_by(user)
        .order_by("campaign__answer_by", "campaign_id")
        .values("campaign_id", "campaign__title", "campaign__answer_by")
        .annotate(count=Count("pk"))
    )
    return [
        Item(
            f"Évaluation fournisseur à remplir : {row['campaign__title']}",
            row["count"],
            reverse("evaluations:campaign_detail", args=[row["campaign_id"]]),
            detail=f"réponses attendues pour le {row['campaign__answer_by']:%d/%m/%Y}",
            urgent=row["campaign__answer_by"] < timezone.localdate(),
        )
        for row in rows
    ]


def new_contracts(user, today: date) -> Item:
    since = today - timedelta(days=RECENT_WINDOW)
    # The person's own entities, as on the page of usable contracts (a team role too).
    entity_ids = list(access_for(user).roles_by_entity)
    contracts = Contract.objects.usable_by_entities(entity_ids).in_force(today).notified_since(since)
    return Item(
        "Nouveaux contrats que vos entités peuvent utiliser",
        contracts.count(),
        link("contracts:usable_list", notified_from=since.isoformat()),
        detail=f"notifiés depuis le {since:%d/%m/%Y}",
    )


def consumption_alerts(user) -> Records:
    """Unread alerts of the daily job rather than each contract's consumption computed again: they are
    already the person's, cost one indexed query, and leave once read."""
    alerts = Notification.objects.for_user(user).unread().keyed(CONSUMPTION_KEY_PREFIX)
    rows = [
        Item(alert.subject, 1, alert.url or reverse("notifications:list"), f"le {alert.created_at:%d/%m/%Y}")
        for alert in alerts[:TOP]
    ]
    return Records(rows, alerts.count(), reverse("notifications:list"), "Toutes mes notifications")


def prescriber_need_labels() -> dict[str, str]:
    """Built when asked: the referent's entity is named as the territory calls its members."""
    yours = current_words().your_one
    return {
        NeedStatus.DRAFT: f"Brouillons, à proposer au référent de {yours}",
        NeedStatus.PROPOSED: f"Proposés au référent de {yours}",
        NeedStatus.SUBMITTED: "Transmis à la cellule achats",
        NeedStatus.VALIDATED: "Validés par la cellule achats",
        NeedStatus.RETURNED: "Renvoyés pour correction",
    }


def my_need_lines(user) -> list[Item]:
    """The lines the person wrote, counted per status (in the workflow's order)."""
    lines = NeedLine.objects.for_user(user).declared_by(user)
    counts = dict(lines.values_list("status").annotate(n=Count("pk")).order_by())
    return [
        Item(
            label,
            counts[status],
            link("needs:line_list", mine="true", status=status),
            urgent=status == NeedStatus.RETURNED,
        )
        for status, label in prescriber_need_labels().items()
        if counts.get(status)
    ]


def failed_spend_imports(user) -> Records:
    since = timezone.now() - timedelta(days=RECENT_WINDOW)
    runs = SpendImport.objects.for_user(user).failed_since(since)
    rows = [
        Item(
            f"{run.entity} : import du {timezone.localtime(run.started_at):%d/%m/%Y à %H:%M}",
            1,
            reverse("spend:import_run", args=[run.pk]),
            detail=run.message[:200],
            urgent=True,
        )
        for run in runs.select_related("entity")[:TOP]
    ]
    return Records(rows, runs.count(), reverse("spend:import_list"), "Tous les imports de mandats")
