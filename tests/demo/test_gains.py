"""The demo's gains and action plan: every awarded lot has its gain, at every step of its validation,
negotiation measured from recorded rounds, one gain against a replaced contract, and a plan with an
action at every status."""

import pytest
from django.utils import timezone

from mutualis.gains.models import (
    ActionStatus,
    Gain,
    GainStatus,
    GainTarget,
    PlanAction,
    PlanOrigin,
    ReferenceSource,
)
from mutualis.organisations.access import access_for
from mutualis.organisations.models import User
from mutualis.organisations.roles import Perm, Role
from mutualis.procurements.models import Lot, LotStatus, NegotiationRound

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_for_module")]


def test_every_awarded_lot_has_its_gain():
    awarded = Lot.objects.filter(status=LotStatus.AWARDED)
    assert awarded.exists()
    assert set(awarded.values_list("pk", flat=True)) == set(
        Gain.objects.filter(lot__isnull=False).values_list("lot", flat=True)
    )


def test_the_gains_show_every_step_and_a_negative_one():
    statuses = set(Gain.objects.values_list("status", flat=True))
    assert statuses == set(GainStatus.values)
    returned = Gain.objects.get(status=GainStatus.RETURNED)
    assert returned.transitions.filter(action="return").exclude(comment="").exists()
    assert Gain.objects.filter(annual_gain__lt=0).exclude(status=GainStatus.PROPOSED).exists()
    for gain in Gain.objects.filter(status=GainStatus.VALIDATED):
        assert gain.validated_by.username == "controleur" and gain.declared_by != gain.validated_by
    for gain in Gain.objects.all():  # the stored figures are the method's
        figures = gain.figures()
        assert (gain.annual_gain, gain.gain_year_n, gain.gain_year_n1) == (
            figures.annual_gain,
            figures.gain_year_n,
            figures.gain_year_n1,
        )


def test_negotiation_and_the_replaced_contract_feed_the_proposals():
    assert NegotiationRound.objects.exists()
    negotiated = Gain.objects.filter(price_before_negotiation__isnull=False)
    assert negotiated.exists()
    for gain in negotiated:
        assert gain.negotiation_figures().annual_gain > 0
    renewed = Gain.objects.get(lot__project__replaces__isnull=False)
    assert renewed.reference_source == ReferenceSource.PREVIOUS_CONTRACT and renewed.annual_gain > 0


def test_the_plan_has_an_action_at_every_status_and_the_controller_an_account():
    assert set(PlanAction.objects.values_list("status", flat=True)) == set(ActionStatus.values)
    assert set(PlanAction.objects.values_list("origin", flat=True)) == set(PlanOrigin.values)
    done = PlanAction.objects.get(status=ActionStatus.DONE)
    assert done.projects.exists() and done.gains.exists()
    assert GainTarget.objects.filter(year=timezone.localdate().year, amount__gt=0).exists()
    controller = User.objects.get(username="controleur")
    assert Role.CONTROLLER in access_for(controller).roles
    assert access_for(controller).has(Perm.VALIDATE_GAINS)
