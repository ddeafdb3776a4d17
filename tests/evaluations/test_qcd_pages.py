"""The QCD pages: launching from the form, answering with the grid, results, exports and grid editing."""

from datetime import date, timedelta
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from mutualis.evaluations.models import EvaluationCampaign, EvaluationGrid, EvaluationStatus
from mutualis.evaluations.qcd.default_grid import DEFAULT_CRITERIA, default_grid
from mutualis.organisations.roles import Role
from tests.contracts.factories import make_contract
from tests.evaluations.factories import make_incident
from tests.spend.spendmap_rows import make_line

from .qcd_factories import answer_all, launch

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract(support, hospital):
    contract = make_contract(buyer=support, available_to=[hospital], reference="QCD2026-01")
    make_line(entity=hospital, year=2026, amount="1200.00", contract=contract, paid_on=date(2026, 2, 1))
    return contract


def _form(contract, **values):
    today = timezone.localdate()
    data = {
        "title": "Évaluation semestrielle",
        "contract": contract.pk,
        "period_start": "2026-01-01",
        "period_end": "2026-06-30",
        "answer_by": (today + timedelta(days=20)).isoformat(),
    }
    data.update(values)
    return data


def test_the_buyer_launches_from_the_form_and_is_told_what_was_opened(role_users, login, contract):
    client = login(role_users[Role.BUYER])
    page = client.get(reverse("evaluations:campaign_create") + f"?contract={contract.pk}")
    assert page.context["form"].initial["contract"] == contract.pk
    response = client.post(reverse("evaluations:campaign_create"), _form(contract), follow=True)
    campaign = EvaluationCampaign.objects.get()
    assert response.redirect_chain[-1][0] == campaign.get_absolute_url()
    assert "1 évaluation(s) demandée(s)" in response.content.decode()


def test_a_refused_launch_names_the_field_and_writes_nothing(role_users, login, contract):
    client = login(role_users[Role.BUYER])
    response = client.post(
        reverse("evaluations:campaign_create"),
        _form(contract, period_start="2025-01-01", period_end="2025-03-31"),
    )
    assert response.status_code == 200
    assert "aucun contrat avec titulaire n'a eu d'activité" in unescape(response.content.decode())
    assert not EvaluationCampaign.objects.exists()


def test_the_referent_answers_with_the_anchors_beside_the_period_s_incidents(
    role_users, login, contract, hospital
):
    campaign, _ = launch(role_users[Role.BUYER], contract=contract)
    evaluation = campaign.evaluations.get()
    make_incident(role_users[Role.REFERENT], contract=contract, entity=hospital, occurred_on=date(2026, 3, 2))
    make_incident(role_users[Role.REFERENT], contract=contract, entity=hospital, occurred_on=date(2026, 8, 2))
    client = login(role_users[Role.REFERENT])
    url = reverse("evaluations:evaluation_answer", args=[evaluation.pk])
    page = client.get(url)
    html = page.content.decode()
    assert DEFAULT_CRITERIA[0][3] in html  # the first criterion's description of a 1
    assert len(page.context["incidents"]) == 1  # the August one is outside the period
    # Incomplete: the error names the criteria left out, nothing is saved.
    first = campaign.criteria.first()
    response = client.post(url, {f"criterion_{first.pk}": "4", "answer": "answered"})
    assert response.status_code == 200 and "Notez le critère" in response.content.decode()
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.PENDING
    marks = {f"criterion_{c.pk}": "3" for c in campaign.criteria.all()}
    response = client.post(url, {**marks, "answer": "answered", "comment": "RAS"})
    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert (
        evaluation.status == EvaluationStatus.ANSWERED and evaluation.answered_by == role_users[Role.REFERENT]
    )


def test_not_concerned_needs_a_reason(role_users, login, contract):
    campaign, _ = launch(role_users[Role.BUYER], contract=contract)
    evaluation = campaign.evaluations.get()
    client = login(role_users[Role.REFERENT])
    url = reverse("evaluations:evaluation_answer", args=[evaluation.pk])
    response = client.post(url, {"answer": "not_concerned"})
    assert "Dites pourquoi votre entité n'est pas concernée" in unescape(response.content.decode())
    client.post(url, {"answer": "not_concerned", "comment": "Service fermé au premier semestre"})
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.NOT_CONCERNED


def test_results_on_the_campaign_contract_and_supplier_pages_and_their_export(role_users, login, contract):
    campaign, _ = launch(role_users[Role.BUYER], contract=contract)
    answer_all(
        role_users[Role.REFERENT], campaign.evaluations.get(), lambda c: 4 if c.axis == "quality" else 2
    )
    client = login(role_users[Role.GOVERNANCE])
    results = client.get(campaign.get_absolute_url()).context["results"]
    # Weights of the default grid: quality 3 + 2 at 4, cost 2 + 1 and delay 3 + 1 at 2: (20 + 14) / 12.
    expected = (Decimal(4) * 5 + Decimal(2) * 7) / 12
    assert results.overall.overall == expected and results.contracts[0].result.shown() == Decimal("2.83")
    contract_page = client.get(contract.get_absolute_url())
    assert contract_page.context["qcd_history"][0].result.overall == expected
    supplier = contract.holders.get()
    supplier_page = client.get(supplier.get_absolute_url())
    assert supplier_page.context["qcd_history"][0].campaign == campaign
    export = client.get(campaign.get_absolute_url() + "?export=csv")
    text = export.getvalue().decode()
    assert text.startswith("\ufeff") and ";2.83;" in text.replace(",", ".")


def test_the_referent_s_home_lists_the_evaluation_to_fill_in(role_users, login, contract):
    campaign, _ = launch(role_users[Role.BUYER], contract=contract)
    page = login(role_users[Role.REFERENT]).get(reverse("www:home"))
    (item,) = next(s for s in page.context["sections"] if s.key == "evaluations").items
    assert item.count == 1 and item.url == campaign.get_absolute_url()


def test_a_family_gets_its_grid_and_the_team_edits_it(role_users, login, contract):
    from tests.catalogue.factories import PurchaseFamilyFactory

    family = PurchaseFamilyFactory()
    client = login(role_users[Role.BUYER])
    response = client.post(reverse("evaluations:grid_family_create"), {"family": family.pk})
    grid = EvaluationGrid.objects.get(family=family)
    assert response.url == reverse("evaluations:grid_update", args=[grid.pk])
    assert grid.criteria.count() == default_grid().criteria.count()
    update = reverse("evaluations:grid_update", args=[grid.pk])
    data = _grid_data(client.get(update).context["criteria"], alert_below="3.00", delete=lambda i: i > 0)
    data["criteria-0-weight"] = "7"
    assert client.post(update, data).status_code == 302
    grid.refresh_from_db()
    assert grid.alert_below == Decimal("3.00")
    assert list(grid.criteria.values_list("weight", flat=True)) == [7]
    # Every criterion deleted: refused, nothing changes.
    data = _grid_data(client.get(update).context["criteria"], alert_below="2.00", delete=lambda i: True)
    assert "Une grille garde au moins un critère" in client.post(update, data).content.decode()
    grid.refresh_from_db()
    assert grid.alert_below == Decimal("3.00") and grid.criteria.count() == 1


def _grid_data(formset, *, alert_below, delete) -> dict:
    """The grid form as shown, posted back with the criteria `delete(index)` ticked for deletion."""
    management = formset.management_form
    data = {f"{management.prefix}-{name}": management[name].value() for name in management.fields}
    data["alert_below"] = alert_below
    for index, criterion_form in enumerate(formset.forms):
        for name, field in criterion_form.fields.items():
            value = criterion_form.initial.get(name, field.initial)
            data[f"{criterion_form.prefix}-{name}"] = "" if value is None else value
        data[f"{criterion_form.prefix}-DELETE"] = "on" if delete(index) else ""
    return data
