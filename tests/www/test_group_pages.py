"""The group page: its convention, its adhesions table with the forms that record a decision, a
signature and a departure (for those who manage groups), the export of the table; the list's count of
signed members."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse

from mutualis.organisations.models import GroupMembership, PurchasingGroup
from mutualis.organisations.roles import Role
from tests.helpers import read_xlsx


@pytest.fixture
def group(support):
    return PurchasingGroup.objects.create(
        name="Groupement linge",
        coordinator=support,
        coordinator_decision_reference="Décision n° 2026-04",
        cost_sharing="pro_rata",
    )


def test_a_decision_then_a_signature_then_a_departure_from_the_page(client, role_users, group, hospital):
    client.force_login(role_users[Role.BUYER])
    page = client.get(group.get_absolute_url()).content.decode()
    assert "Au prorata des montants de chaque membre" in page and "Décision n° 2026-04" in page
    assert "Enregistrer la décision d'un membre" in page and "<legend" in page
    decide = reverse("organisations:adhesion_decide", args=[group.pk])
    response = client.post(
        decide, {"entity": hospital.pk, "decision_date": "2026-03-10", "decision_reference": "Délib. 12"}
    )
    assert response.status_code == 302
    adhesion = GroupMembership.objects.get(group=group, entity=hospital)
    page = client.get(group.get_absolute_url()).content.decode()
    assert "« en attente de signature »" in page
    assert f'for="id_signature-{adhesion.pk}-signed_on">Date de signature de la convention' in page
    # A signature before the decision comes back on the page, on its row, naming the field.
    sign = reverse("organisations:adhesion_sign", args=[adhesion.pk])
    response = client.post(sign, {f"signature-{adhesion.pk}-signed_on": "2026-03-01"})
    assert response.status_code == 400
    assert (
        "Date de signature de la convention : La date de signature ne peut précéder la décision du membre"
        in response.content.decode()
    )
    client.post(sign, {f"signature-{adhesion.pk}-signed_on": "2026-03-20"})
    assert "« signée »" in client.get(group.get_absolute_url()).content.decode()
    leave = reverse("organisations:adhesion_leave", args=[adhesion.pk])
    client.post(leave, {f"sortie-{adhesion.pk}-left_on": "2026-11-30"})
    adhesion.refresh_from_db()
    assert (adhesion.signed_on, adhesion.left_on) == (date(2026, 3, 20), date(2026, 11, 30))
    assert "« sortie »" in client.get(group.get_absolute_url()).content.decode()


def test_a_decision_without_its_reference_is_refused_on_its_field(client, role_users, group, hospital):
    client.force_login(role_users[Role.BUYER])
    decide = reverse("organisations:adhesion_decide", args=[group.pk])
    response = client.post(decide, {"entity": hospital.pk, "decision_date": "2026-03-10"})
    assert response.status_code == 400
    assert set(response.context["decision_form"].errors) == {"decision_reference"}
    assert 'href="#id_decision_reference"' in response.content.decode()
    assert not GroupMembership.objects.exists()


def test_readers_see_the_adhesions_without_the_forms_and_export_them(client, role_users, group, hospital):
    GroupMembership.objects.create(
        group=group, entity=hospital, decision_date=date(2026, 1, 5), signed_on=date(2026, 2, 1)
    )
    client.force_login(role_users[Role.GOVERNANCE])
    page = client.get(group.get_absolute_url()).content.decode()
    assert "« signée »" in page and "Enregistrer la décision" not in page and "Signature<span" not in page
    response = client.get(group.get_absolute_url(), {"export": "xlsx"})
    rows = read_xlsx(response.getvalue())
    assert rows[0][:2] == ["Membre", "SIRET"] and rows[1][0] == hospital.name and rows[1][-1] == "signée"
    csv = client.get(group.get_absolute_url(), {"export": "csv"}).getvalue().decode("utf-8-sig")
    assert "Centre hospitalier membre" in csv


def test_the_list_counts_the_signed_members(client, role_users, group, hospital, other_hospital):
    GroupMembership.objects.create(group=group, entity=hospital, signed_on=date(2026, 2, 1))
    GroupMembership.objects.create(group=group, entity=other_hospital)
    client.force_login(role_users[Role.BUYER])
    response = client.get(reverse("organisations:group_list"))
    [row] = response.context["table"].rows
    assert (row.get_cell("member_count"), row.get_cell("signed_count")) == (2, 1)
    rows = read_xlsx(client.get(reverse("organisations:group_list"), {"export": "xlsx"}).getvalue())
    assert str(rows[1][rows[0].index("Membres signataires")]) == "1"


def test_the_group_form_shows_the_convention_in_fieldsets(client, role_users, support):
    client.force_login(role_users[Role.BUYER])
    page = client.get(reverse("organisations:group_create")).content.decode()
    assert "Convention constitutive</legend>" in page and "Rôles et frais</legend>" in page
    data = {
        "name": "Groupement voirie",
        "coordinator": support.pk,
        "is_active": "on",
        "duration": "fixed",
        "signature_by": "each_member",
        "execution_by": "each_member",
        "cost_sharing": "none",
    }
    response = client.post(reverse("organisations:group_create"), data)
    assert response.status_code == 200
    assert "Le début de la convention est obligatoire" in response.content.decode()
    data.update(starts_on="2026-01-01", ends_on="2029-12-31")
    assert client.post(reverse("organisations:group_create"), data).status_code == 302
    group = PurchasingGroup.objects.get(name="Groupement voirie")
    assert (group.duration, group.ends_on, group.signature_by) == ("fixed", date(2029, 12, 31), "each_member")


def test_each_member_s_needs_and_execution_on_the_group_s_contracts(
    client, role_users, group, support, hospital, other_hospital
):
    """Worked by hand: the hospital declared 12 000 + 8 000 € in the group's family (a third line, outside
    it, does not count) and paid 2 500 € on the group's framework and 1 000 € on its subsequent
    contract; a payment on a contract outside the group does not count. The referent of the hospital
    sees its own figures only."""
    from decimal import Decimal

    from mutualis.needs.models import Campaign, NeedLine, NeedStatus
    from tests.catalogue.factories import PurchaseFamilyFactory
    from tests.contracts.factories import make_contract
    from tests.spend.test_consumption import spend

    family, other = PurchaseFamilyFactory(code="LIN-01"), PurchaseFamilyFactory(code="LIN-02")
    group.scope_families.set([family])
    GroupMembership.objects.create(group=group, entity=hospital, decision_date=date(2026, 1, 5))
    GroupMembership.objects.create(
        group=group, entity=other_hospital, decision_date=date(2026, 1, 5), signed_on=date(2026, 2, 1)
    )
    campaign = Campaign.objects.create(
        title="Besoins 2027", year=2027, deadline=date(2026, 12, 15), launch_date=date(2027, 2, 1)
    )
    for amount, line_family in (("12000", family), ("8000", family), ("5000", other)):
        NeedLine.objects.create(
            campaign=campaign, entity=hospital, family=line_family, description="Linge",
            estimated_amount=Decimal(amount), status=NeedStatus.VALIDATED,
        )  # fmt: skip
    framework = make_contract(
        buyer=support, purchasing_group=group, amount=Decimal("90000"), techniques=["Accord-cadre"]
    )
    subsequent = make_contract(buyer=support, framework=framework, amount=Decimal("9000"))
    outside = make_contract(buyer=hospital, amount=Decimal("9000"))
    spend(hospital, framework, "2500", date(2026, 3, 1))
    spend(hospital, subsequent, "1000", date(2026, 4, 1))
    spend(hospital, outside, "700", date(2026, 4, 1))

    client.force_login(role_users[Role.BUYER])
    page = client.get(group.get_absolute_url()).content.decode()
    assert "Besoins et exécution par membre" in page and "Besoins 2027" in page
    rows = read_xlsx(
        client.get(group.get_absolute_url(), {"export": "xlsx", "table": "execution"}).getvalue()
    )
    figures = {row[0]: row[2:] for row in rows[1:]}
    assert rows[0][0] == "Établissement" and len(rows) == 4
    assert figures[str(support)] == ["coordonnateur", 0, 0, 0, 0]
    assert figures[str(hospital)] == ["en attente de signature", 2, 20000, 2, 3500]
    assert figures[str(other_hospital)] == ["signée", 0, 0, 0, 0]

    client.force_login(role_users[Role.REFERENT])  # in the hospital: the others' figures are not its own
    response = client.get(group.get_absolute_url(), {"export": "csv", "table": "execution"})
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig")), delimiter=";"))
    figures = {row[0]: row[2:] for row in rows[1:]}
    assert figures[str(hospital)][1:] == ["2", "20000.00", "2", "3500.00"]
    assert figures[str(support)][1:] == ["", "", "", ""]
