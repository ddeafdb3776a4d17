"""The pages show the buttons the workflow makes available, and posting one moves the record."""

from datetime import timedelta

from django.urls import reverse

from mutualis.needs.models import Campaign, NeedLine, NeedStatus
from mutualis.organisations.roles import Role
from tests.catalogue.factories import PurchaseFamilyFactory
from tests.procurements.factories import LAUNCH


def _line(hospital):
    family = PurchaseFamilyFactory()
    campaign = Campaign.objects.create(
        title="Besoins 2027", year=2027, deadline=LAUNCH + timedelta(days=90), launch_date=LAUNCH
    )
    campaign.families.add(family)
    return NeedLine.objects.create(
        campaign=campaign, entity=hospital, family=family, description="Linge", estimated_amount=1000
    )


def _buttons(client, line) -> list[str]:
    page = client.get(reverse("needs:line_detail", args=[line.pk])).content.decode()
    return [
        label
        for label in ("Transmettre à la cellule achats", "Valider", "Renvoyer pour correction")
        if label in page
    ]


def test_need_line_buttons_follow_the_workflow(client, role_users, hospital):
    line = _line(hospital)
    client.force_login(role_users[Role.GOVERNANCE])
    assert _buttons(client, line) == []
    client.force_login(role_users[Role.REFERENT])
    assert _buttons(client, line) == ["Transmettre à la cellule achats"]
    client.post(reverse("needs:line_transition", args=[line.pk]), {"to": NeedStatus.SUBMITTED})
    line.refresh_from_db()
    assert line.status == NeedStatus.SUBMITTED and line.transitions.count() == 1
    assert _buttons(client, line) == []  # the referent waits for the purchasing team
    client.force_login(role_users[Role.BUYER])
    assert _buttons(client, line) == ["Valider", "Renvoyer pour correction"]
