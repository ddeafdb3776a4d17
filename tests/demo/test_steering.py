"""The demo's steering: the year's objectives set by management control, and a cockpit with figures."""

import pytest
from django.urls import reverse
from django.utils import timezone

from mutualis.organisations.models import User
from mutualis.steering.indicators import Scope, compute
from mutualis.steering.models import Objective

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_for_module")]


def test_the_objectives_of_the_year():
    year = timezone.localdate().year
    objectives = Objective.objects.filter(year=year)
    territory = objectives.filter(entity=None, family=None)
    assert territory.get(indicator="environmental_share").target == 50
    assert objectives.filter(indicator="environmental_share", family__isnull=False).count() == 10
    assert all(o.history.first().history_user.username == "controleur" for o in objectives)


def test_the_cockpit_has_figures_and_targets(client):
    user = User.objects.get(username="gouvernance")
    values = compute(Scope(timezone.localdate().year), user)
    assert values["contracts_notified"].value > 0
    assert values["environmental_share"].target == 50 and values["environmental_share"].gap is not None
    assert values["gains"].target is not None  # the gains target of the gains module
    client.force_login(user)
    assert client.get(reverse("steering:cockpit")).status_code == 200
