"""The improvement log: its workflow (who moves an action, with what comment, what is logged and who
hears of it), the service's refusals, who sees which actions, and the counts of the cockpit."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from mutualis.notifications.models import Notification
from mutualis.organisations.roles import Role
from mutualis.procurements.models import StageCode
from mutualis.steering.improvements import improvement_counts
from mutualis.steering.models import ImprovementAction, ImprovementStatus
from mutualis.steering.services.improvements import SUBJECT_MISSING, improvement_save, improvement_transition
from tests.contracts.factories import make_contract
from tests.organisations.factories import MembershipFactory, UserFactory
from tests.procurements.factories import new_project
from tests.steering.improvement_factories import make_action

MANAGERS = {Role.ADMIN, Role.BUYER, Role.LEGAL_OFFICER, Role.CONTROLLER}
COMMENT = "Grille complétée et relue par la juriste."


@pytest.fixture
def buyer(role_users):
    return role_users[Role.BUYER]


@pytest.fixture
def referent(role_users):
    return role_users[Role.REFERENT]


def _in_state(action, status):
    ImprovementAction.objects.filter(pk=action.pk).update(status=status)
    action.refresh_from_db()
    return action


def _moves(action, name, users) -> set:
    """The roles (or "owner") whose move succeeded, each tried then rolled back."""
    moved = set()
    for key, user in users.items():
        sid = transaction.savepoint()
        try:
            improvement_transition(actor=user, action=action, name=name, comment=COMMENT)
            moved.add(key)
        except PermissionDenied:
            pass
        transaction.savepoint_rollback(sid)
    return moved


# ---------------------------------------------------------------------------------------------------
# The workflow


@pytest.mark.parametrize(
    ("name", "source", "movers"),
    [
        ("start", ImprovementStatus.OPEN, MANAGERS | {Role.REFERENT}),
        ("close", ImprovementStatus.OPEN, MANAGERS | {Role.REFERENT}),
        ("close", ImprovementStatus.IN_PROGRESS, MANAGERS | {Role.REFERENT}),
        ("reopen", ImprovementStatus.CLOSED, MANAGERS),
        ("cancel", ImprovementStatus.OPEN, MANAGERS),
        ("cancel", ImprovementStatus.IN_PROGRESS, MANAGERS),
    ],
)
def test_the_managers_and_the_owner_move_an_action(role_users, buyer, referent, name, source, movers):
    # The referent is the owner: he moves it forward (start, close) but does not reopen nor cancel it.
    action = _in_state(make_action(buyer, owner=referent), source)
    assert _moves(action, name, role_users) == movers


def test_an_entity_role_who_is_not_the_owner_cannot_move_it(role_users, buyer, hospital):
    other_referent = MembershipFactory(entity=hospital, role=Role.REFERENT).user
    action = make_action(buyer, owner=role_users[Role.REFERENT])
    assert _moves(action, "start", {"autre référent": other_referent}) == set()


def test_a_move_from_a_wrong_state_is_refused_in_words(buyer):
    action = _in_state(make_action(buyer, owner=buyer), ImprovementStatus.CANCELLED)
    with pytest.raises(ValidationError) as refused:
        improvement_transition(actor=buyer, action=action, name="start")
    assert refused.value.messages == [
        "L'action « Grille d'analyse incomplète » est abandonnée : « prendre en charge » n'est pas possible."
    ]


@pytest.mark.parametrize("name", ["close", "reopen", "cancel"])
def test_closing_reopening_and_cancelling_need_a_comment(buyer, name):
    source = ImprovementStatus.CLOSED if name == "reopen" else ImprovementStatus.IN_PROGRESS
    action = _in_state(make_action(buyer, owner=buyer), source)
    with pytest.raises(ValidationError) as refused:
        improvement_transition(actor=buyer, action=action, name=name, comment="  ")
    assert list(refused.value.message_dict) == ["comment"]
    action.refresh_from_db()
    assert action.status == source and action.transitions.count() == 1  # its creation only


def test_the_owner_takes_in_charge_and_closes_with_the_outcome(buyer, referent):
    action = make_action(buyer, owner=referent)
    action = improvement_transition(actor=referent, action=action, name="start")
    action = improvement_transition(actor=referent, action=action, name="close", comment=f"  {COMMENT}\n")
    action.refresh_from_db()
    assert action.status == ImprovementStatus.CLOSED
    assert action.closed_on == timezone.localdate()
    assert action.outcome == COMMENT
    steps = list(action.transitions.values_list("name", "from_status", "to_status", "by", "comment"))
    assert steps == [
        ("create", "open", "open", buyer.pk, ""),
        ("start", "open", "in_progress", referent.pk, ""),
        ("close", "in_progress", "closed", referent.pk, f"  {COMMENT}\n"),
    ]


def test_reopening_clears_the_closing_date_and_tells_the_owner(buyer, referent, role_users):
    controller = role_users[Role.CONTROLLER]
    action = make_action(buyer, owner=referent)
    action = improvement_transition(actor=referent, action=action, name="close", comment=COMMENT)
    action = improvement_transition(
        actor=controller, action=action, name="reopen", comment="La grille 2031 est encore incomplète."
    )
    action.refresh_from_db()
    assert (action.status, action.closed_on, action.outcome) == ("in_progress", None, COMMENT)
    reopened = Notification.objects.get(
        recipient=referent, subject__startswith="Action d'amélioration rouverte"
    )
    assert "La grille 2031 est encore incomplète." in reopened.body
    assert reopened.url == f"/pilotage/amelioration/{action.pk}/"


def test_cancelling_keeps_the_reason_in_the_log(buyer):
    action = make_action(buyer, owner=buyer)
    improvement_transition(actor=buyer, action=action, name="cancel", comment="Doublon de l'action 12.")
    action.refresh_from_db()
    assert (action.status, action.closed_on) == ("cancelled", None)
    assert action.transitions.last().comment == "Doublon de l'action 12."


# ---------------------------------------------------------------------------------------------------
# The service


def test_a_new_action_is_open_logged_and_its_owner_told(buyer, referent):
    action = make_action(buyer, owner=referent, title="Délai de publication dépassé")
    assert (action.status, action.created_by) == (ImprovementStatus.OPEN, buyer)
    assert list(action.transitions.values_list("name", "by")) == [("create", buyer.pk)]
    told = Notification.objects.get(recipient=referent)
    assert told.subject == "Action d'amélioration qui vous est confiée : Délai de publication dépassé"
    assert told.body.endswith("(non-conformité), à mener pour le 30/06/2031.")
    assert told.url == action.get_absolute_url()


def test_the_author_who_owns_the_action_is_not_told(buyer):
    make_action(buyer, owner=buyer)
    assert not Notification.objects.filter(recipient=buyer).exists()


def test_a_new_owner_is_told_once(buyer, referent, role_users):
    action = make_action(buyer, owner=buyer)
    action.owner = referent
    improvement_save(actor=buyer, action=action)
    action.title = "Grille d'analyse incomplète (lots 2 et 3)"
    improvement_save(actor=buyer, action=action)  # same owner: nobody told again
    assert Notification.objects.filter(recipient=referent).count() == 1


def test_an_action_is_about_a_stage_a_project_or_a_contract(buyer):
    with pytest.raises(ValidationError) as refused:
        make_action(buyer, owner=buyer, stage_code="")
    assert refused.value.messages == [SUBJECT_MISSING]
    assert "étape de la cartographie, projet ou contrat" in SUBJECT_MISSING


def test_the_stage_is_one_of_the_map(buyer):
    with pytest.raises(ValidationError) as refused:
        make_action(buyer, owner=buyer, stage_code="recette")
    assert refused.value.message_dict == {"stage_code": ["Étape de la cartographie inconnue : « recette »."]}


def test_the_owner_is_an_active_person_who_reads_the_steering_pages(buyer, role_users):
    gone = UserFactory(first_name="Paul", last_name="Durand", is_active=False)
    with pytest.raises(ValidationError) as refused:
        make_action(buyer, owner=gone)
    assert refused.value.message_dict == {
        "owner": ["Paul Durand n'a plus de compte actif : choisissez un autre pilote."]
    }
    prescriber = role_users[Role.PRESCRIBER]
    with pytest.raises(ValidationError) as refused:
        make_action(buyer, owner=prescriber)
    assert list(refused.value.message_dict) == ["owner"]
    assert "n'a pas accès au pilotage" in refused.value.message_dict["owner"][0]


@pytest.mark.parametrize("role", [Role.REFERENT, Role.GOVERNANCE, Role.PRESCRIBER])
def test_only_the_managers_record_actions(role_users, role):
    with pytest.raises(PermissionDenied):
        make_action(role_users[role], owner=role_users[Role.BUYER])
    assert not ImprovementAction.objects.exists()


def test_an_edit_never_changes_the_state(buyer):
    action = improvement_transition(actor=buyer, action=make_action(buyer, owner=buyer), name="start")
    action.status, action.outcome, action.closed_on = ImprovementStatus.CLOSED, "Rien", date(2031, 1, 1)
    action.title = "Nouvel intitulé"
    improvement_save(actor=buyer, action=action)
    action.refresh_from_db()
    assert (action.title, action.status, action.outcome, action.closed_on) == (
        "Nouvel intitulé",
        "in_progress",
        "",
        None,
    )


# ---------------------------------------------------------------------------------------------------
# Who sees what, and the counts


@pytest.fixture
def actions(buyer, referent, role_users, support, hospital, other_hospital):
    """One action per way a referent may see it, and three he does not see."""
    legal = role_users[Role.LEGAL_OFFICER]
    own_project = new_project(
        buyer, entities=[hospital], buyer=buyer, legal_officer=legal, buyer_entity=support
    )
    other_project = new_project(buyer, entities=[other_hospital], buyer=buyer, buyer_entity=support)
    usable = make_contract(buyer=support, available_to=[hospital, other_hospital])
    bought = make_contract(buyer=hospital, available_to=[hospital])  # two ways in: counted once
    elsewhere = make_contract(buyer=other_hospital, available_to=[other_hospital])
    return {
        "project": make_action(buyer, owner=buyer, project=own_project),
        "usable": make_action(buyer, owner=buyer, contract=usable),
        "bought": make_action(buyer, owner=buyer, contract=bought),
        "owned": make_action(buyer, owner=referent, project=other_project),
        "other project": make_action(buyer, owner=buyer, project=other_project),
        "other contract": make_action(buyer, owner=buyer, contract=elsewhere),
        "stage only": make_action(buyer, owner=buyer, stage_code=StageCode.DOCUMENTS),
    }


def test_a_referent_sees_his_entities_actions_and_those_he_owns(actions, referent, buyer):
    seen = list(ImprovementAction.objects.for_user(referent))
    assert sorted(a.pk for a in seen) == sorted(
        actions[k].pk for k in ("project", "usable", "bought", "owned")
    )
    assert ImprovementAction.objects.for_user(buyer).count() == 7


def test_the_counts_of_the_cockpit(actions, referent, buyer, django_assert_num_queries):
    today = timezone.localdate()
    late = [actions["bought"], actions["owned"], actions["other project"]]
    ImprovementAction.objects.filter(pk__in=[a.pk for a in late]).update(due_on=today - timedelta(days=1))
    ImprovementAction.objects.filter(pk=actions["usable"].pk).update(due_on=today)  # due today: not late
    improvement_transition(actor=buyer, action=actions["project"], name="cancel", comment="Sans objet.")
    improvement_transition(actor=buyer, action=actions["stage only"], name="start")
    # Referent: bought, owned, usable are open (project cancelled); bought and owned are late; owned is his.
    assert improvement_counts(referent) == {"open": 3, "late": 2, "mine": 1}
    # Buyer: 6 open of 7 (project cancelled), 3 late, 5 his own (owned is the referent's).
    assert improvement_counts(buyer) == {"open": 6, "late": 3, "mine": 5}
    fresh = type(referent).objects.get(pk=referent.pk)
    with django_assert_num_queries(2):  # the person's roles, then one count of the three figures
        improvement_counts(fresh)
