"""A supplier's results in a campaign: its page, the PDF addressed to it (scores aggregated, never an
entity's name), and the record of its sending and of the supplier's observations."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from mutualis.evaluations.models import Incident, SupplierComment
from mutualis.evaluations.qcd.supplier_report import supplier_report
from mutualis.evaluations.services.supplier_comments import supplier_comment_save
from mutualis.organisations.models import Territory
from mutualis.organisations.roles import Role
from mutualis.www.evaluations.supplier_results import render_supplier_html
from tests.contracts.factories import make_contract
from tests.organisations.factories import MembershipFactory, UserFactory
from tests.spend.spendmap_rows import make_line
from tests.steering.pdf_text import pdf_text
from tests.suppliers.factories import SupplierFactory

from .qcd_factories import answer_all, launch

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def territory(db):
    """The layout names the territory: without one, its words render as missing values."""
    return Territory.objects.create(name="GHT du Var", short_name="GHT", kind="ght")


@pytest.fixture
def evaluated(role_users, support, hospital, other_hospital):
    """A contract used by both hospitals in the first half of 2026, marked 4 and 2 (3.5 weighted), with
    a late delivery in the period and one after it."""
    supplier = SupplierFactory(name="Lingerie Provençale")
    contract = make_contract(
        buyer=support, available_to=[hospital, other_hospital], holders=[supplier], reference="MAR-2026-01"
    )
    make_line(entity=hospital, year=2026, amount="30000.00", contract=contract, paid_on=date(2026, 2, 10))
    make_line(
        entity=other_hospital, year=2026, amount="10000.00", contract=contract, paid_on=date(2026, 5, 3)
    )
    other_referent = MembershipFactory(
        user=UserFactory(username="referent_autre"), entity=other_hospital, role=Role.REFERENT
    ).user
    buyer = role_users[Role.BUYER]
    campaign, _ = launch(buyer, contract=contract)
    answer_all(role_users[Role.REFERENT], campaign.evaluations.get(entity=hospital), lambda c: 4)
    answer_all(other_referent, campaign.evaluations.get(entity=other_hospital), lambda c: 2)
    for occurred_on in (date(2026, 3, 1), date(2026, 8, 1)):
        Incident.objects.create(
            contract=contract, entity=hospital, supplier=supplier, kind="late_delivery", severity="minor",
            occurred_on=occurred_on, description="Livraison en retard",
        )  # fmt: skip
    return {"campaign": campaign, "supplier": supplier, "contract": contract, "buyer": buyer}


def urls(evaluated, name):
    return reverse(f"evaluations:{name}", args=[evaluated["campaign"].pk, evaluated["supplier"].pk])


def test_the_report_aggregates_over_entities_and_counts_the_period_s_incidents(evaluated):
    report = supplier_report(evaluated["campaign"], evaluated["supplier"])
    (row,) = report.contracts
    assert row.result.shown() == Decimal("3.50") and row.result.answered == 2
    assert report.overall.shown() == Decimal("3.50") and not report.below_threshold
    assert report.incidents == [("Retard de livraison", 1)]
    assert supplier_report(evaluated["campaign"], SupplierFactory()) is None


def test_the_pdf_gives_the_scores_and_the_grid_but_no_entity(evaluated, login, hospital, other_hospital):
    html = render_supplier_html(supplier_report(evaluated["campaign"], evaluated["supplier"]))
    assert "!!MISSING" not in html
    for name in (hospital.name, other_hospital.name):
        assert name not in html
    import weasyprint

    assert len(weasyprint.HTML(string=html).render().pages) <= 2  # one to two pages, the grid included
    response = login(evaluated["buyer"]).get(urls(evaluated, "supplier_pdf"))

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]
    text = pdf_text(response.content).replace("\n", " ")
    assert "Lingerie Provençale" in text and "MAR-2026-01" in text
    assert "3,50" in text
    assert "Retard de livraison" in text and "observations" in text
    first = evaluated["campaign"].criteria.first()
    assert first.label in text
    for name in (hospital.name, other_hospital.name, "Centre hospitalier"):
        assert name not in text


def test_a_supplier_without_an_evaluated_contract_gets_no_pdf_nor_page(evaluated, login):
    client = login(evaluated["buyer"])
    stranger = SupplierFactory()
    for name in ("supplier_pdf", "supplier_result", "supplier_comment"):
        url = reverse(f"evaluations:{name}", args=[evaluated["campaign"].pk, stranger.pk])
        assert client.get(url).status_code == 404


def test_only_the_team_records_and_refusals_write_nothing(evaluated, role_users):
    campaign, supplier, buyer = evaluated["campaign"], evaluated["supplier"], evaluated["buyer"]
    today = timezone.localdate()
    with pytest.raises(PermissionDenied):
        supplier_comment_save(
            actor=role_users[Role.REFERENT], campaign=campaign, supplier=supplier, sent_on=today
        )
    refusals = [
        (
            {"sent_on": today, "received_on": today - timedelta(days=1)},
            "received_on",
            "précède la date d'envoi",
        ),
        ({"sent_on": today, "received_on": today + timedelta(days=1)}, "received_on", "dans le futur"),
        ({"sent_on": today + timedelta(days=1)}, "sent_on", "dans le futur"),
        ({"received_on": today}, "received_on", "date d'envoi"),
        ({"sent_on": today, "comment": "Nous contestons."}, "received_on", "date de réception"),
    ]
    for values, field, words in refusals:
        with pytest.raises(ValidationError) as refused:
            supplier_comment_save(actor=buyer, campaign=campaign, supplier=supplier, **values)
        assert words in refused.value.message_dict[field][0]
    with pytest.raises(ValidationError) as refused:
        supplier_comment_save(actor=buyer, campaign=campaign, supplier=SupplierFactory(), sent_on=today)
    assert "supplier" in refused.value.message_dict
    assert not SupplierComment.objects.exists()


def test_recording_then_correcting_keeps_one_record_and_its_history(evaluated):
    campaign, supplier, buyer = evaluated["campaign"], evaluated["supplier"], evaluated["buyer"]
    today = timezone.localdate()
    supplier_comment_save(
        actor=buyer, campaign=campaign, supplier=supplier, sent_on=today - timedelta(days=9)
    )
    record = supplier_comment_save(
        actor=buyer, campaign=campaign, supplier=supplier, sent_on=today - timedelta(days=9),
        received_on=today, comment="  Les retards viennent du transporteur.  ",
    )  # fmt: skip
    assert SupplierComment.objects.get() == record
    assert record.comment == "Les retards viennent du transporteur." and record.recorded_by == buyer
    assert record.history.count() == 2


def test_the_pages_show_the_results_and_record_the_observations(evaluated, login, role_users, hospital):
    client = login(evaluated["buyer"])
    page = client.get(urls(evaluated, "supplier_result"))
    html = page.content.decode()
    assert page.status_code == 200 and "Lingerie Provençale" in html and "3,50" in html
    assert urls(evaluated, "supplier_pdf") in html and urls(evaluated, "supplier_comment") in html
    assert "n'a pas encore été enregistrée comme envoyée" in html and "!!MISSING" not in html
    today = timezone.localdate()
    refused = client.post(
        urls(evaluated, "supplier_comment"),
        {"sent_on": today.isoformat(), "received_on": (today - timedelta(days=2)).isoformat(), "comment": ""},
    )
    assert refused.status_code == 200 and "précède la date d&#x27;envoi" in refused.content.decode()
    assert not SupplierComment.objects.exists()
    saved = client.post(
        urls(evaluated, "supplier_comment"),
        {"sent_on": today.isoformat(), "received_on": today.isoformat(), "comment": "Merci pour ce retour."},
    )
    assert saved.status_code == 302 and saved["Location"] == urls(evaluated, "supplier_result")
    html = client.get(urls(evaluated, "supplier_result")).content.decode()
    assert "Merci pour ce retour." in html
    form = client.get(urls(evaluated, "supplier_comment")).content.decode()
    assert "Merci pour ce retour." in form and "!!MISSING" not in form
    # A referent of an evaluating entity reads the page, without the PDF nor the form.
    referent = login(role_users[Role.REFERENT])
    html = referent.get(urls(evaluated, "supplier_result")).content.decode()
    assert "Merci pour ce retour." in html and urls(evaluated, "supplier_pdf") not in html
    assert "!!MISSING" not in html
    assert referent.get(urls(evaluated, "supplier_pdf")).status_code == 403
