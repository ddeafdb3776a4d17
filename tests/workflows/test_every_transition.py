"""Every transition of every workflow, as every role, in every situation below: the buttons
(`available`) and the service (`apply`) agree, and a move writes exactly one log row.

The transitions come from the declarations, so a new one is walked as soon as it is declared; a
transition that no situation below can reach fails `test_..._exercises_every_transition` until one is
added here."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from mutualis.clients.models import RequestStatus, ServiceRequest
from mutualis.clients.workflow import REQUEST
from mutualis.evaluations.campaign_workflow import CAMPAIGN
from mutualis.evaluations.incident_workflow import INCIDENT
from mutualis.evaluations.models import CampaignStatus, EvaluationCampaign, Incident, IncidentStatus
from mutualis.events.models import Event, EventStatus
from mutualis.events.workflow import EVENT
from mutualis.needs.models import Campaign, NeedLine, NeedStatus
from mutualis.needs.workflow import NEED_LINE
from mutualis.organisations.roles import Role
from mutualis.procurements.analysis import lot_analysis
from mutualis.procurements.models import Lot, ProjectStatus, StageCode
from mutualis.procurements.services import LOT, PROJECT, lot_declare_unsuccessful, project_transition
from mutualis.steering.improvement_workflow import IMPROVEMENT
from mutualis.steering.models import ImprovementAction, ImprovementStatus
from tests.catalogue.factories import PurchaseFamilyFactory
from tests.clients.factories import make_request
from tests.contracts.factories import make_contract
from tests.evaluations.factories import make_incident
from tests.evaluations.qcd_factories import launch
from tests.events.factories import make_event
from tests.organisations.factories import MembershipFactory
from tests.procurements.factories import LAUNCH, new_project, prepare, walk_to
from tests.spend.spendmap_rows import make_line
from tests.steering.improvement_factories import make_action

COMMENT = "Commentaire de la vérification"


# ---------------------------------------------------------------------------------------------------
# Situations: records put in a state, with what their transitions need to be applied.


def need_lines(support, hospital, other_hospital, **_):
    family = PurchaseFamilyFactory()
    campaign = Campaign.objects.create(
        title="Besoins 2027", year=2027, deadline=LAUNCH + timedelta(days=90), launch_date=LAUNCH
    )
    campaign.families.add(family)
    for entity in (hospital, other_hospital):
        for status in NeedStatus:
            line = NeedLine.objects.create(
                campaign=campaign, entity=entity, family=family, description="Linge", estimated_amount=1000
            )
            NeedLine.objects.filter(pk=line.pk).update(status=status)
            line.refresh_from_db()
            yield f"{status.label} de {entity}", line


def _project(team, support, hospital):
    buyer, legal = team
    return new_project(
        buyer, entities=[hospital], value="300000", buyer=buyer, legal_officer=legal, buyer_entity=support
    )


def projects(team, support, hospital, **_):
    buyer, legal = team
    # The first stage (no sending back), a buyer's stage and a legal officer's, each ready to be validated.
    for code in (StageCode.NEED, StageCode.SOURCING, StageCode.PUBLICATION):
        project = walk_to(_project(team, support, hospital), code, buyer=buyer, legal=legal)
        yield f"projet à l'étape {code.label}", prepare(project, buyer=buyer, legal=legal)
    abandoned = project_transition(
        actor=buyer, project=_project(team, support, hospital), action="abandon", comment=COMMENT
    )
    yield "projet sans suite", abandoned


def lots(team, support, hospital, **_):
    buyer, legal = team

    def lot_at(code, *, prepared):
        project = walk_to(_project(team, support, hospital), code, buyer=buyer, legal=legal)
        if prepared:
            project = prepare(project, buyer=buyer, legal=legal)
        return project.lots.get()

    yield "lot ouvert, offres saisies, à l'analyse", lot_at(StageCode.ANALYSIS, prepared=True)
    yield "lot ouvert à l'attribution", lot_at(StageCode.AWARD, prepared=False)
    yield "lot attribué, encore à l'étape d'attribution", lot_at(StageCode.AWARD, prepared=True)
    yield "lot attribué à notifier", lot_at(StageCode.NOTIFICATION, prepared=False)
    unsuccessful = lot_at(StageCode.ANALYSIS, prepared=True)
    yield "lot infructueux", lot_declare_unsuccessful(actor=buyer, lot=unsuccessful, reason=COMMENT)


def award_options(lot: Lot) -> dict:
    return {
        "offer": lot_analysis(lot).best.offer,
        "awarded_on": LAUNCH,
        "rejections_sent_on": LAUNCH,
        "rejections_sent_electronically": True,
    }


def notify_options(lot: Lot) -> dict:
    return {"signed_on": LAUNCH + timedelta(days=11), "notified_on": LAUNCH + timedelta(days=12)}


def improvement_actions(role_users, **_):
    """In every state, owned by a buyer (a manager) and by the referent (an entity role)."""
    for owner in (role_users[Role.BUYER], role_users[Role.REFERENT]):
        for status in ImprovementStatus:
            action = make_action(role_users[Role.ADMIN], owner=owner)
            ImprovementAction.objects.filter(pk=action.pk).update(status=status)
            action.refresh_from_db()
            yield f"action {status.label.lower()} pilotée par {owner}", action


def incidents(role_users, support, hospital, **_):
    """In every state, declared by the referent of the member hospital on a contract it may use."""
    contract = make_contract(buyer=support, available_to=[hospital])
    for status in IncidentStatus:
        incident = make_incident(role_users[Role.REFERENT], contract=contract, entity=hospital)
        Incident.objects.filter(pk=incident.pk).update(status=status)
        incident.refresh_from_db()
        yield f"incident {status.label.lower()}", incident


def qcd_campaigns(role_users, support, hospital, **_):
    """In every state, on a contract the member hospital used during the period."""
    contract = make_contract(buyer=support, available_to=[hospital])
    make_line(entity=hospital, year=2026, contract=contract, paid_on=date(2026, 3, 1))
    for status in CampaignStatus:
        campaign, _ = launch(role_users[Role.BUYER], contract=contract, title=f"QCD {status}")
        EvaluationCampaign.objects.filter(pk=campaign.pk).update(status=status)
        campaign.refresh_from_db()
        yield f"campagne {status.label.lower()}", campaign


def service_requests(role_users, hospital, **_):
    """In every state, asked by the prescriber of the member hospital for two modules."""
    for status in RequestStatus:
        request = make_request(role_users[Role.PRESCRIBER], entity=hospital, codes=("sourcing", "dce"))
        reason = "Hors du périmètre de la cellule" if status == RequestStatus.DECLINED else ""
        ServiceRequest.objects.filter(pk=request.pk).update(status=status, decline_reason=reason)
        request.refresh_from_db()
        yield f"demande {status.label.lower()}", request


def events(role_users, hospital, **_):
    """In every state, coming and past (an invitation or a hold is only possible on one side of its start)."""
    now = timezone.now()
    for status in EventStatus:
        for label, start in (("à venir", now + timedelta(days=20)), ("passée", now - timedelta(days=1))):
            event = make_event(role_users[Role.BUYER], entity=hospital)
            Event.objects.filter(pk=event.pk).update(
                status=status, starts_at=start, ends_at=start + timedelta(hours=2)
            )
            event.refresh_from_db()
            yield f"matinale {status.label.lower()} {label}", event


# workflow -> (its situations, the keyword arguments each transition takes)
WORKFLOWS = {
    "need_line": (NEED_LINE, need_lines, {}),
    "project": (PROJECT, projects, {"advance": lambda p: {"today": LAUNCH}}),
    "lot": (LOT, lots, {"award": award_options, "notify": notify_options}),
    "improvement": (IMPROVEMENT, improvement_actions, {}),
    "incident": (INCIDENT, incidents, {}),
    "qcd_campaign": (CAMPAIGN, qcd_campaigns, {}),
    "service_request": (REQUEST, service_requests, {}),
    "event": (EVENT, events, {}),
}


# ---------------------------------------------------------------------------------------------------


def _try(workflow, record, transition, user, options) -> tuple[bool, int]:
    """Apply the transition inside a savepoint rolled back afterwards: did it succeed, how many log rows."""
    sid = transaction.savepoint()
    before = record.transitions.count()
    try:
        workflow.apply(record, transition, user, comment=COMMENT, **options)
        succeeded = True
    except (PermissionDenied, ValidationError):
        succeeded = False
    written = record.transitions.count() - before
    transaction.savepoint_rollback(sid)
    return succeeded, written


def walk(name, fixtures):
    workflow, situations, options = WORKFLOWS[name]
    disagreements, moved = [], set()
    for label, record in situations(**fixtures):
        for transition in workflow.transitions:
            kwargs = options.get(transition.name, lambda r: {})(record)
            for role, user in fixtures["role_users"].items():
                shown = transition in workflow.available(record, user)
                succeeded, written = _try(workflow, record, transition, user, kwargs)
                if shown != succeeded or written != int(succeeded):
                    disagreements.append(
                        f"{label} / {transition.name} / {role}: bouton {shown}, service {succeeded}, "
                        f"{written} ligne(s) de journal"
                    )
                if succeeded:
                    moved.add(transition.name)
    return workflow, disagreements, moved


@pytest.fixture
def fixtures(role_users, team, support, hospital, other_hospital):
    return {
        "role_users": role_users,
        "team": team,
        "support": support,
        "hospital": hospital,
        "other_hospital": other_hospital,
    }


@pytest.mark.parametrize("name", WORKFLOWS)
def test_buttons_and_services_agree_and_each_move_is_logged_once(name, fixtures):
    workflow, disagreements, moved = walk(name, fixtures)
    assert disagreements == []
    assert moved == {t.name for t in workflow.transitions}, "situation manquante pour une transition"


def test_a_refused_precondition_keeps_the_button_and_names_the_problem(fixtures):
    """Preconditions show the button with what is missing; the service refuses with the same words."""
    buyer, legal = fixtures["team"]
    project = _project(fixtures["team"], fixtures["support"], fixtures["hospital"])
    project = walk_to(project, StageCode.DOCUMENTS, buyer=buyer, legal=legal)  # no criteria grid yet
    advance = PROJECT.transition("advance")
    assert advance in PROJECT.available(project, buyer)
    problems = PROJECT.problems(project, advance)
    assert problems
    with pytest.raises(ValidationError) as refused:
        PROJECT.apply(project, advance, buyer)
    assert refused.value.messages == problems
    assert project.transitions.count() == 3 and project.status == ProjectStatus.IN_PROGRESS


def test_a_lot_decision_is_logged_with_its_author_and_reason(fixtures):
    buyer, legal = fixtures["team"]
    project = walk_to(
        _project(fixtures["team"], fixtures["support"], fixtures["hospital"]),
        StageCode.ANALYSIS,
        buyer=buyer,
        legal=legal,
    )
    lot = project.lots.get()
    lot_declare_unsuccessful(actor=buyer, lot=lot, reason="Aucune offre reçue")
    row = lot.transitions.get()
    assert (row.action, row.from_status, row.to_status) == ("declare_unsuccessful", "open", "unsuccessful")
    assert (row.by, row.comment) == (buyer, "Aucune offre reçue")
    lot.refresh_from_db()
    assert (lot.status, lot.unsuccessful_reason) == ("unsuccessful", "Aucune offre reçue")
    assert lot.estimated_value == Decimal("300000")


def test_a_request_is_withdrawn_by_its_client_side_only_before_it_is_taken(fixtures):
    """The requester or his entity's referent, with an optional reason; another entity's referent, the
    team and a family correspondent of the same entity may not; once taken in charge, nobody."""
    users = fixtures["role_users"]
    stranger = MembershipFactory(entity=fixtures["other_hospital"], role=Role.REFERENT).user
    request = make_request(users[Role.PRESCRIBER], entity=fixtures["hospital"])
    withdraw = REQUEST.transition("withdraw")
    for user in (stranger, users[Role.BUYER], users[Role.FAMILY_CORRESPONDENT]):
        assert withdraw not in REQUEST.available(request, user)
        with pytest.raises(PermissionDenied):
            REQUEST.apply(request, withdraw, user)
    move = REQUEST.apply(request, withdraw, users[Role.REFERENT])
    assert (move.log_row.from_status, move.log_row.to_status, move.log_row.comment) == (
        "submitted",
        "withdrawn",
        "",
    )
    taken = make_request(users[Role.PRESCRIBER], entity=fixtures["hospital"])
    REQUEST.apply(taken, "take", users[Role.BUYER])
    with pytest.raises(ValidationError, match="retirer la demande"):
        REQUEST.apply(taken, withdraw, users[Role.PRESCRIBER], comment="Trop tard")
    assert ServiceRequest.objects.get(pk=taken.pk).status == RequestStatus.TAKEN
