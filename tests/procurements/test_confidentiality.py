"""Bidders' offers are business secrets: the purchasing team and the project's evaluation committee see
them (project page, analysis report, award form); the entities concerned and governance see the result
only (which bidder won each lot, at what amount), as DECP publishes it."""

import pytest
from django.urls import reverse

from mutualis.organisations.roles import Role
from mutualis.procurements.models import Offer, Project
from mutualis.procurements.services import project_save
from tests.organisations.factories import MembershipFactory, UserFactory
from tests.procurements.factories import project_awarded

SEE_OFFERS = {Role.ADMIN, Role.BUYER, Role.LEGAL_OFFICER, Role.CONTROLLER}  # management control checks gains
RESULT_ONLY = {Role.REFERENT, Role.FAMILY_CORRESPONDENT, Role.PRESCRIBER, Role.GOVERNANCE}


@pytest.fixture
def awarded(team, support, hospital):
    buyer, legal = team
    project = project_awarded(buyer=buyer, legal=legal, entities=[hospital], buyer_entity=support)
    lot = project.lots.select_related("awarded_offer__supplier").get()
    losers = list(Offer.objects.filter(lot=lot).exclude(pk=lot.awarded_offer_id).select_related("supplier"))
    return project, lot.awarded_offer, losers


def _sees_offers(client, project, winner, losers) -> bool:
    """What the person reads on the project page and the reports: the whole analysis, or the result only."""
    page = client.get(project.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert winner.supplier.name in html  # the result is not a secret
    shown = [offer.supplier.name in html for offer in losers] + ["Total /100" in html]
    report_links = reverse("procurements:analysis_pdf", args=[project.pk]) in html
    xlsx = client.get(reverse("procurements:analysis_xlsx", args=[project.pk])).status_code
    pdf_denied = client.get(reverse("procurements:analysis_pdf", args=[project.pk])).status_code == 403
    api = client.get(reverse("api:project-detail", args=[project.pk]))
    assert api.status_code == 200
    assert not any(offer.supplier.name in api.content.decode() for offer in losers)  # the API shows no offer
    if all(shown) and report_links and xlsx == 200:
        return True
    assert not any(shown) and not report_links and xlsx == 403 and pdf_denied
    assert "Les offres sont confidentielles" in html
    return False


@pytest.mark.parametrize("role", sorted(SEE_OFFERS | RESULT_ONLY), ids=lambda r: r.value)
def test_only_the_team_sees_the_offers(client, role_users, awarded, role):
    project, winner, losers = awarded
    client.force_login(role_users[role])
    assert _sees_offers(client, project, winner, losers) == (role in SEE_OFFERS)


def test_the_result_shows_the_amount_of_the_awarded_offer(client, role_users, awarded):
    project, winner, _ = awarded
    client.force_login(role_users[Role.REFERENT])
    html = client.get(project.get_absolute_url()).content.decode()
    assert f"à {winner.supplier.name} pour 100" in html and "€ HT" in html


def test_a_referent_named_on_the_committee_sees_the_offers(client, role_users, team, awarded):
    project, winner, losers = awarded
    referent = role_users[Role.REFERENT]
    project_save(actor=team[0], project=project, committee=[referent])
    client.force_login(referent)
    assert _sees_offers(client, project, winner, losers)
    assert Project.objects.offers_visible_to(referent).get() == project
    assert not Project.objects.offers_visible_to(role_users[Role.PRESCRIBER]).exists()


def test_a_committee_member_outside_the_entities_reaches_the_project(client, team, other_hospital, awarded):
    project, winner, losers = awarded
    expert = MembershipFactory(user=UserFactory(), entity=other_hospital, role=Role.PRESCRIBER).user
    client.force_login(expert)
    assert client.get(project.get_absolute_url()).status_code == 404
    project_save(actor=team[0], project=project, committee=[expert])
    assert _sees_offers(client, project, winner, losers)


def test_editors_name_the_committee_on_the_project_form(client, team, awarded, role_users, hospital):
    project, _, _ = awarded
    inactive = UserFactory(username="parti", is_active=False)
    referent = role_users[Role.REFERENT]
    client.force_login(team[0])
    url = reverse("procurements:project_update", args=[project.pk])
    form = client.get(url).context["form"]
    choices = form.fields["evaluation_committee"].queryset
    assert referent in choices and inactive not in choices
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name in form.fields and name != "cpv"
    }
    data.update(
        cpv=project.cpv_id,
        entities=[hospital.pk],
        evaluation_committee=[referent.pk],
        version=project.version,
        price_types=project.price_types,
        launched_on=project.launched_on.isoformat() if project.launched_on else "",
        published_on=project.published_on.isoformat() if project.published_on else "",
        tender_deadline=project.tender_deadline.isoformat() if project.tender_deadline else "",
    )
    data = {k: ("on" if v is True else v) for k, v in data.items() if v is not False}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    assert list(project.evaluation_committee.all()) == [referent]
    assert list(project.history.latest().evaluation_committee.values_list("user", flat=True)) == [referent.pk]
    data.update(evaluation_committee=[inactive.pk], version=project.version + 1)
    assert "evaluation_committee" in client.post(url, data).context["form"].errors
