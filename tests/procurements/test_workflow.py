"""The projects' workflow: every transition by the role allowed and refused, the log, due dates,
"my tasks", and process map versions."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mutualis.notifications.models import Notification
from mutualis.organisations.roles import Role
from mutualis.procurements.models import ProcessMap, Project, ProjectStatus, Stage, StageCode
from mutualis.procurements.services import (
    process_map_draft,
    process_map_publish,
    project_save,
    project_transition,
    stage_save,
)
from tests.organisations.factories import MembershipFactory, UserFactory
from tests.procurements.factories import LAUNCH, new_project, prepare, walk_to

OPEN_TENDER_PATH = [
    StageCode.NEED, StageCode.SOURCING, StageCode.STRATEGY, StageCode.DOCUMENTS, StageCode.PUBLICATION,
    StageCode.ANALYSIS, StageCode.AWARD, StageCode.NOTIFICATION, StageCode.EXECUTION,
]  # fmt: skip
# Who runs each stage in the default map (procurements/data/process_map.json), written out here.
RESPONSIBLE = {
    StageCode.NEED: Role.BUYER,
    StageCode.SOURCING: Role.BUYER,
    StageCode.STRATEGY: Role.BUYER,
    StageCode.DOCUMENTS: Role.BUYER,
    StageCode.PUBLICATION: Role.LEGAL_OFFICER,
    StageCode.ANALYSIS: Role.BUYER,
    StageCode.NEGOTIATION: Role.BUYER,
    StageCode.AWARD: Role.LEGAL_OFFICER,
    StageCode.NOTIFICATION: Role.LEGAL_OFFICER,
    StageCode.EXECUTION: Role.BUYER,
}


def _act(user, project, action="advance", comment=""):
    return project_transition(actor=user, project=project, action=action, comment=comment, today=LAUNCH)


@pytest.mark.parametrize("code", OPEN_TENDER_PATH)
def test_each_stage_is_validated_by_its_role_only(code, project, team, role_users):
    buyer, legal = team
    project = prepare(walk_to(project, code, buyer=buyer, legal=legal), buyer=buyer, legal=legal)
    for role in set(Role) - {RESPONSIBLE[code], Role.ADMIN}:
        with pytest.raises(PermissionDenied):
            _act(role_users[role], project)
    assert project.transitions.count() == OPEN_TENDER_PATH.index(code)
    moved = _act(role_users[RESPONSIBLE[code]], project)
    position = OPEN_TENDER_PATH.index(code)
    if code == StageCode.EXECUTION:
        assert moved.status == ProjectStatus.CLOSED
    else:
        assert moved.stage.code == OPEN_TENDER_PATH[position + 1]
    log = moved.transitions.last()
    assert (log.action, log.from_stage.code, log.by) == ("advance", code, role_users[RESPONSIBLE[code]])


def test_an_administrator_may_validate_any_stage(project, team, role_users):
    buyer, legal = team
    project = prepare(
        walk_to(project, StageCode.PUBLICATION, buyer=buyer, legal=legal), buyer=buyer, legal=legal
    )
    assert _act(role_users[Role.ADMIN], project).stage.code == StageCode.ANALYSIS


def test_negotiation_only_where_the_procedure_allows_it(team, support, hospital):
    buyer, legal = team
    mapa = new_project(
        buyer, entities=[hospital], value="150000", buyer=buyer, legal_officer=legal, buyer_entity=support
    )
    assert mapa.contract_procedure == "Procédure adaptée"
    mapa = walk_to(mapa, StageCode.NEGOTIATION, buyer=buyer, legal=legal)
    assert _act(buyer, prepare(mapa, buyer=buyer, legal=legal)).stage.code == StageCode.AWARD


def test_send_back_needs_a_comment_and_returns_to_the_previous_stage(project, team, role_users):
    buyer, legal = team
    project = walk_to(project, StageCode.PUBLICATION, buyer=buyer, legal=legal)
    with pytest.raises(ValidationError, match="commentaire"):
        _act(legal, project, "send_back")
    with pytest.raises(PermissionDenied):
        _act(buyer, project, "send_back", "à revoir")
    back = _act(legal, project, "send_back", "Le CCAP cite l'ancien CCAG.")
    assert back.stage.code == StageCode.DOCUMENTS
    assert back.transitions.last().comment == "Le CCAP cite l'ancien CCAG."


def test_no_send_back_from_the_first_stage(project, team):
    with pytest.raises(ValidationError, match="première étape"):
        _act(team[0], project, "send_back", "non")


def test_abandon_by_the_buyer_with_a_reason_then_nothing_moves(project, team, role_users):
    buyer, legal = team
    with pytest.raises(PermissionDenied):
        _act(legal, project, "abandon", "motif")
    with pytest.raises(PermissionDenied):
        _act(role_users[Role.GOVERNANCE], project, "abandon", "motif")
    with pytest.raises(ValidationError, match="commentaire"):
        _act(buyer, project, "abandon")
    done = _act(buyer, project, "abandon", "Besoin couvert par la centrale d'achat (R2185-1).")
    assert done.status == ProjectStatus.ABANDONED
    with pytest.raises(ValidationError, match="sans suite"):
        _act(buyer, done)
    done.object = "Autre chose"
    with pytest.raises(ValidationError, match="sans suite"):
        project_save(actor=buyer, project=done)


def test_unknown_action_is_refused(project, team):
    with pytest.raises(ValidationError, match="inconnue"):
        _act(team[0], project, "skip")


def test_due_dates_follow_expected_durations_and_late_projects_are_flagged(project, team):
    buyer, _legal = team
    need = Stage.objects.get(process_map=project.process_map, code=StageCode.NEED)
    assert project.stage_due_on == LAUNCH + timedelta(days=need.expected_days)
    after = project.stage_due_on + timedelta(days=1)
    assert not project.is_late(project.stage_due_on)
    assert project.is_late(after)
    assert list(Project.objects.late(after)) == [project]
    assert not Project.objects.late(project.stage_due_on).exists()
    moved = project_transition(actor=buyer, project=project, action="advance", today=after)
    assert moved.transitions.last().was_late
    assert moved.stage_entered_on == after


def test_the_person_in_charge_of_the_next_stage_is_told(project, team):
    buyer, legal = team
    project = walk_to(project, StageCode.PUBLICATION, buyer=buyer, legal=legal)
    note = Notification.objects.get(recipient=legal)
    assert "Publication" in note.subject and note.url == project.get_absolute_url()


def test_my_tasks_follow_the_stage_and_the_people_in_charge(project, team, support):
    buyer, legal = team
    other_buyer = MembershipFactory(user=UserFactory(), entity=support, role=Role.BUYER).user
    assert list(Project.objects.tasks_for(buyer)) == [project]
    assert not Project.objects.tasks_for(legal).exists()
    assert not Project.objects.tasks_for(other_buyer).exists()
    project = walk_to(project, StageCode.PUBLICATION, buyer=buyer, legal=legal)
    assert list(Project.objects.tasks_for(legal)) == [project]
    assert not Project.objects.tasks_for(buyer).exists()
    Project.objects.filter(pk=project.pk).update(legal_officer=None)
    other_legal = MembershipFactory(user=UserFactory(), entity=support, role=Role.LEGAL_OFFICER).user
    assert list(Project.objects.tasks_for(other_legal)) == [project]  # unassigned: any legal officer


def test_a_new_map_version_applies_to_new_projects_only(project, team, role_users, support, hospital):
    buyer, legal = team
    admin = role_users[Role.ADMIN]
    first = project.process_map
    with pytest.raises(PermissionDenied):
        process_map_draft(actor=buyer, source=first)
    draft = process_map_draft(actor=admin, source=first)
    assert ProcessMap.objects.current() == first  # a draft is not used yet
    sourcing = draft.stages.get(code=StageCode.SOURCING)
    sourcing.expected_days = 45
    stage_save(actor=admin, stage=sourcing)
    process_map_publish(actor=admin, draft=draft)
    with pytest.raises(ValidationError, match="publiée"):
        stage_save(actor=admin, stage=sourcing)
    later = new_project(
        buyer, entities=[hospital], value="300000", buyer=buyer, legal_officer=legal, buyer_entity=support
    )
    assert later.process_map == draft
    project = walk_to(project, StageCode.SOURCING, buyer=buyer, legal=legal)
    later = walk_to(later, StageCode.SOURCING, buyer=buyer, legal=legal)
    assert project.stage.process_map == first and project.stage.expected_days != 45
    assert later.stage_due_on == LAUNCH + timedelta(days=45)


def test_a_map_without_notification_for_a_procedure_is_not_published(project, role_users):
    admin = role_users[Role.ADMIN]
    draft = process_map_draft(actor=admin, source=project.process_map)
    notification = draft.stages.get(code=StageCode.NOTIFICATION)
    notification.procedures = ["Appel d'offres ouvert"]
    stage_save(actor=admin, stage=notification)
    with pytest.raises(ValidationError, match=r"\(MAPA\) : il manque Signature et notification"):
        process_map_publish(actor=admin, draft=draft)
    assert ProcessMap.objects.current() == project.process_map


def test_home_page_counts_my_tasks_and_the_late_ones(project, team, client, role_users):
    buyer, _ = team
    Project.objects.filter(pk=project.pk).update(stage_due_on=LAUNCH - timedelta(days=1))
    client.force_login(buyer)
    page = client.get("/").content.decode()
    assert "Mes tâches" in page
    late = "Projets en retard sur l&#x27;échéance de leur étape"
    assert f'href="/projets/mes-taches/?late=true">{late}</a> : <strong>1</strong>' in page
    client.force_login(role_users[Role.REFERENT])
    assert "Mes tâches" not in client.get("/").content.decode()


def test_in_app_only_notifications_send_no_mail(
    project, team, mailoutbox, django_capture_on_commit_callbacks
):
    from mutualis.notifications.services import in_app_only

    buyer, legal = team
    with django_capture_on_commit_callbacks(execute=True), in_app_only():
        walk_to(project, StageCode.PUBLICATION, buyer=buyer, legal=legal)
    assert Notification.objects.filter(recipient=legal, emailed_at__isnull=True).exists()
    assert mailoutbox == []


def test_a_draft_can_reorder_its_stages(project, role_users):
    from mutualis.procurements.services import process_map_stages_save

    admin = role_users[Role.ADMIN]
    draft = process_map_draft(actor=admin, source=project.process_map)
    stages = list(draft.stages.order_by("position"))
    stages[1].position, stages[2].position = (
        stages[2].position,
        stages[1].position,
    )  # strategy before sourcing
    process_map_stages_save(actor=admin, draft=draft, stages=stages)
    assert list(draft.stages.order_by("position").values_list("code", flat=True))[1:3] == [
        "strategie",
        "sourcing",
    ]
    stages[1].position = stages[2].position
    with pytest.raises(ValidationError, match="même rang"):
        process_map_stages_save(actor=admin, draft=draft, stages=stages)


def test_a_map_whose_order_breaks_the_rules_is_not_published(project, role_users):
    from mutualis.procurements.services import process_map_stages_save

    admin = role_users[Role.ADMIN]
    draft = process_map_draft(actor=admin, source=project.process_map)
    stages = {s.code: s for s in draft.stages.all()}
    award, notification = stages[StageCode.AWARD], stages[StageCode.NOTIFICATION]
    award.position, notification.position = notification.position, award.position
    process_map_stages_save(actor=admin, draft=draft, stages=[award, notification])
    with pytest.raises(ValidationError, match="doivent garder cet ordre"):
        process_map_publish(actor=admin, draft=draft)
