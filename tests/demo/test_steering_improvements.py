"""The demo's improvement log: an action at every state, about real stages, a project and a contract the
referent's establishment sees, each step logged by the person who took it."""

import pytest
from django.utils import timezone

from mutualis.demo.steering_improvements import SPECS, load_improvement_actions
from mutualis.notifications.models import Notification
from mutualis.organisations.models import User
from mutualis.procurements.models import StageCode
from mutualis.steering.improvements import improvement_counts
from mutualis.steering.models import ImprovementAction, ImprovementStatus

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_for_module")]


def test_every_state_is_shown_on_real_stages_a_project_and_a_contract():
    actions = _log()
    assert actions.count() == 5
    assert set(actions.values_list("status", flat=True)) == set(ImprovementStatus.values)
    stages = set(actions.exclude(stage_code="").values_list("stage_code", flat=True))
    assert stages and stages <= set(StageCode.values)
    assert actions.filter(project__isnull=False).count() == 1
    assert actions.filter(contract__isnull=False).count() == 1
    closed = actions.get(status=ImprovementStatus.CLOSED)
    assert closed.closed_on == timezone.localdate() and closed.outcome.startswith("Fiche du contrat")
    cancelled = actions.get(status=ImprovementStatus.CANCELLED)
    assert cancelled.transitions.get(name="cancel").by.username == "admin"


def test_the_referent_owns_and_sees_his_establishments_actions():
    referent = User.objects.get(username="referent")
    started = ImprovementAction.objects.get(status=ImprovementStatus.IN_PROGRESS)
    assert started.owner == referent and started.transitions.get(name="start").by == referent
    seen = set(ImprovementAction.objects.for_user(referent))
    assert started in seen
    assert _log().get(contract__isnull=False) in seen
    # The referent was told of the action entrusted to him; the buyer who owns his own was not.
    assert Notification.objects.filter(recipient=referent, subject__contains="vous est confiée").count() == 1
    # Open: the stage one (due in 20 days), the referent's (late), the controller's (late), and the one the
    # QCD campaign's closing opened (due in 60 days).
    assert improvement_counts(User.objects.get(username="admin")) == {"open": 4, "late": 2, "mine": 0}


def test_the_history_names_the_people_who_acted():
    for action in ImprovementAction.objects.select_related("created_by"):
        first = action.history.earliest("history_date")
        assert first.history_user == action.created_by


def test_a_second_load_adds_nothing():
    before = ImprovementAction.objects.count()
    assert load_improvement_actions() == before
    assert _log().count() == 5 and ImprovementAction.objects.count() == before


def _log():
    """The log's own actions (a QCD campaign's closing opens one more, see test_evaluations.py)."""
    return ImprovementAction.objects.filter(title__in=[spec.title for spec in SPECS])
