"""The gains pages: list, export, detail, edit, validation workflow, scope, synthesis and its links."""

import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mutualis.gains.method import GainKind
from mutualis.gains.models import GainStage, GainStatus, GainTarget, Lever
from mutualis.notifications.models import Notification
from mutualis.organisations.models import Territory
from mutualis.organisations.roles import Role
from tests.catalogue.factories import PurchaseFamilyFactory
from tests.contracts.factories import make_contract
from tests.gains.factories import gain
from tests.procurements.factories import project_awarded

LIST = reverse("gains:gain_list")
SUMMARY = reverse("gains:summary")


def labels(response) -> set[str]:
    return {row.record.label for row in response.context["table"].paginated_rows}


@pytest.fixture
def families(db):
    return PurchaseFamilyFactory(code="F1"), PurchaseFamilyFactory(code="F2")


@pytest.fixture
def year_gains(role_users, hospital, other_hospital, families):
    """Worked by hand for 2026 (see test_synthesis_totals_worked_by_hand).

    A: recurring, 3 650 €/year, notified 2 July 2025: 183/365 in 2025 (1 830 €), 1 820 € in 2026; validated.
    B: recurring, 3 650 €/year, notified 1 October 2026: 92/365 in 2026 (920 €); declared.
    C: one-off, 5 000 € before, 6 000 € now: a surcharge of 1 000 € counted whole in 2026; declared.
    D: recurring 2026, only proposed: not counted.
    """
    buyer = role_users[Role.BUYER]
    f1, f2 = families
    common = {"buyer": buyer, "quantity": Decimal(1)}
    return {
        "A": gain(label="Linge", entity=hospital, family=f1, lever=Lever.PRICE, stage=GainStage.SECURED,
                  reference_unit_price=Decimal("13650"), new_unit_price=Decimal("10000"),
                  notification_date=date(2025, 7, 2), status=GainStatus.VALIDATED, **common),
        "B": gain(label="Repas", entity=hospital, family=f2, lever=Lever.POOLING, stage=GainStage.SECURED,
                  reference_unit_price=Decimal("13650"), new_unit_price=Decimal("10000"),
                  notification_date=date(2026, 10, 1), status=GainStatus.DECLARED, **common),
        "C": gain(label="Échographe", entity=other_hospital, family=f1, lever=Lever.OTHER,
                  stage=GainStage.REALISED, kind=GainKind.ONE_OFF, reference_unit_price=Decimal("5000"),
                  new_unit_price=Decimal("6000"), notification_date=date(2026, 3, 15),
                  status=GainStatus.DECLARED, **common),
        "D": gain(label="Gants", entity=hospital, family=f2, notification_date=date(2026, 1, 1), **common),
    }  # fmt: skip


# ---------------------------------------------------------------------------------------------------
# The list


def test_the_figures_of_the_fixture_are_those_worked_by_hand(year_gains):
    a, b, c = year_gains["A"], year_gains["B"], year_gains["C"]
    assert (a.annual_gain, a.gain_year_n, a.gain_year_n1) == (
        Decimal("3650"),
        Decimal("1830"),
        Decimal("1820"),
    )
    assert (b.gain_year_n, b.gain_year_n1) == (Decimal("920"), Decimal("2730"))
    assert (c.annual_gain, c.gain_year_n, c.gain_year_n1) == (Decimal("-1000"), Decimal("-1000"), Decimal(0))


def test_list_filters(login, role_users, year_gains, hospital, families):
    client = login(role_users[Role.BUYER])
    assert labels(client.get(LIST)) == {"Linge", "Repas", "Échographe", "Gants"}
    # A year shows the gains notified that year and the year before (their N+1 share).
    assert labels(client.get(LIST, {"year": 2026})) == {"Linge", "Repas", "Échographe", "Gants"}
    assert labels(client.get(LIST, {"year": 2027})) == {"Repas", "Échographe", "Gants"}
    assert labels(client.get(LIST, {"year": 2025})) == {"Linge"}
    assert labels(client.get(LIST, {"year_n": 2025})) == {"Linge"}
    assert labels(client.get(LIST, {"year": 2026, "counted": "true"})) == {"Linge", "Repas", "Échographe"}
    assert labels(client.get(LIST, {"counted": "false"})) == {"Gants"}
    assert labels(client.get(LIST, {"entity": hospital.pk})) == {"Linge", "Repas", "Gants"}
    assert labels(client.get(LIST, {"family": families[0].pk})) == {"Linge", "Échographe"}
    assert labels(client.get(LIST, {"buyer": role_users[Role.BUYER].pk})) == {
        "Linge",
        "Repas",
        "Échographe",
        "Gants",
    }
    no_buyer = client.get(LIST, {"buyer": "null"})
    assert not no_buyer.context["filter"].errors and labels(no_buyer) == set()
    gain(label="Sans famille", entity=hospital, buyer=None, notification_date=date(2026, 2, 1))
    assert labels(client.get(LIST, {"family": "null", "buyer": "null"})) == {"Sans famille"}
    assert labels(client.get(LIST, {"lever": Lever.POOLING})) == {"Repas"}
    assert labels(client.get(LIST, {"stage": GainStage.REALISED})) == {"Échographe"}
    assert labels(client.get(LIST, {"status": GainStatus.VALIDATED})) == {"Linge"}
    assert labels(client.get(LIST, {"kind": GainKind.ONE_OFF})) == {"Échographe"}
    assert labels(client.get(LIST, {"q": "repa"})) == {"Repas"}
    # A value that means nothing is refused, not read as « all ».
    refused = client.get(LIST, {"year": "20266"})
    assert refused.context["filter"].errors and not labels(refused)


def test_a_surcharge_is_written_with_its_sign_and_in_words(login, role_users, year_gains):
    html = login(role_users[Role.BUYER]).get(LIST, {"kind": GainKind.ONE_OFF}).content.decode()
    assert "−1\u202f000,00" in html
    assert "surcoût" in html


def test_export_csv_and_xlsx(login, role_users, year_gains, hospital):
    gain(label='=HYPERLINK("http://example.org")', entity=hospital, notification_date=date(2026, 2, 1))
    client = login(role_users[Role.BUYER])
    csv = client.get(LIST, {"export": "csv", "year": 2026, "counted": "true"})
    text = csv.getvalue().decode("utf-8-sig")
    header = text.splitlines()[0].split(";")
    assert header[:3] == ["Numéro", "Objet", "Établissement"] and "Gain annuel (€)" in header
    assert "Linge" in text and "Gants" not in text  # the page's filters apply
    xlsx = client.get(LIST, {"export": "xlsx", "q": "HYPERLINK"})
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.getvalue())).active
    assert sheet.cell(row=2, column=2).value.startswith("'=")  # a formula is never written as one


# ---------------------------------------------------------------------------------------------------
# The detail, the edit pages


def test_detail_shows_inputs_figures_negotiation_links_and_history(login, role_users, hospital, support):
    contract = make_contract(buyer=support, available_to=[hospital])
    record = gain(label="Linge", entity=hospital, contract=contract, price_before_negotiation=Decimal("9500"),
                  notification_date=date(2026, 1, 1))  # fmt: skip
    response = login(role_users[Role.GOVERNANCE]).get(record.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert record.explanation in html
    assert "Dont négociation" in html and "500,00\u00a0€" in html  # 9 500 → 9 000 € a year
    assert contract.get_absolute_url() in html
    assert 'href="#historique-titre"' in html
    assert "Déclarer le gain" not in html  # governance reads, it does not declare


def test_edit_shows_the_methods_error_on_its_field(login, role_users, hospital):
    record = gain(entity=hospital)
    client = login(role_users[Role.BUYER])
    url = reverse("gains:gain_update", args=[record.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(reference_unit_price="", offers="", version=record.version)
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["reference_unit_price"] == [
        "Indiquez le prix unitaire de référence (prix payé)."
    ]
    data.update(kind=GainKind.INVESTMENT, reference_unit_price="12000", amortisation_years="")
    response = client.post(url, data)
    assert response.context["form"].errors["amortisation_years"] == [
        "Indiquez la durée d'amortissement en années."
    ]
    data.update(kind=GainKind.RECURRING, reference_unit_price="12000", offers="11 000 ; 9000,50")
    response = client.post(url, data)
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.annual_gain == Decimal("3000") and record.offers == ["11000.0000", "9000.5000"]


def test_a_stale_form_is_refused_with_a_conflict(login, role_users, hospital):
    record = gain(entity=hospital)
    client = login(role_users[Role.BUYER])
    url = reverse("gains:gain_update", args=[record.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    record.comment = "changé entre-temps"
    record.save()
    assert client.post(url, data).status_code == 409


def test_a_declared_gain_is_no_longer_edited(login, role_users, hospital):
    record = gain(entity=hospital, status=GainStatus.DECLARED)
    response = login(role_users[Role.BUYER]).get(reverse("gains:gain_update", args=[record.pk]))
    assert response.status_code == 403


def test_create_a_gain_outside_the_pipeline(login, role_users, hospital, families):
    buyer = role_users[Role.BUYER]
    client = login(buyer)
    response = client.post(
        reverse("gains:gain_create"),
        {
            "origin": "renegotiation", "label": "Renégociation des gaz médicaux", "entity": hospital.pk,
            "family": families[0].pk, "contract": "", "kind": GainKind.RECURRING,
            "reference_source": "previous_contract", "reference_unit_price": "2.50", "offers": "",
            "new_unit_price": "2.30", "unit": "m³", "quantity": "10000", "amortisation_years": "",
            "notification_date": "2026-01-01", "lever": Lever.NEGOTIATION, "stage": GainStage.SECURED,
            "action": "", "comment": "",
        },
    )  # fmt: skip
    assert response.status_code == 302, response.context["form"].errors
    created = buyer.gains.get()
    assert (created.origin, created.annual_gain, created.gain_year_n) == (
        "renegotiation",
        Decimal("2000"),
        Decimal("2000"),
    )


# ---------------------------------------------------------------------------------------------------
# The validation workflow


def transition(client, record, action, comment=""):
    return client.post(
        reverse("gains:gain_transition", args=[record.pk]), {"action": action, "comment": comment}
    )


def test_buyer_declares_controller_validates_or_returns_with_comment(login, role_users, hospital, client):
    buyer, controller = role_users[Role.BUYER], role_users[Role.CONTROLLER]
    record = gain(entity=hospital, buyer=buyer)
    page = login(buyer).get(record.get_absolute_url()).content.decode()
    assert 'value="declare"' in page
    transition(client, record, "declare")
    record.refresh_from_db()
    assert record.status == GainStatus.DECLARED and record.declared_by == buyer
    told = Notification.objects.get(recipient=controller)
    assert told.url == record.get_absolute_url() and "Gain à valider" in told.subject

    login(controller)
    transition(client, record, "return")  # no comment: refused
    record.refresh_from_db()
    assert record.status == GainStatus.DECLARED
    transition(client, record, "return", "La quantité annuelle est celle de 2024.")
    record.refresh_from_db()
    assert record.status == GainStatus.RETURNED
    returned = Notification.objects.get(recipient=buyer)
    assert "La quantité annuelle est celle de 2024." in returned.body

    login(buyer)
    transition(client, record, "declare")
    login(controller)
    transition(client, record, "validate")
    record.refresh_from_db()
    assert record.status == GainStatus.VALIDATED and record.validated_by == controller
    log = client.get(record.get_absolute_url()).content.decode()
    assert "La quantité annuelle est celle de 2024." in log and "Journal de validation" in log


def test_the_declarer_does_not_validate_his_own_gain(login, role_users, hospital, client):
    admin = role_users[Role.ADMIN]  # declares and validates: never the same gain
    record = gain(entity=hospital)
    login(admin)
    transition(client, record, "declare")
    response = transition(client, record, "validate")
    record.refresh_from_db()
    assert record.status == GainStatus.DECLARED
    assert "un autre contrôleur" in client.get(response["Location"]).content.decode()


def test_a_buyer_cannot_validate(login, role_users, hospital):
    record = gain(entity=hospital, status=GainStatus.DECLARED)
    assert transition(login(role_users[Role.BUYER]), record, "validate").status_code == 403


# ---------------------------------------------------------------------------------------------------
# Scope


def test_a_referent_sees_his_establishment_only(login, role_users, year_gains, hospital):
    client = login(role_users[Role.REFERENT])
    assert labels(client.get(LIST)) == {"Linge", "Repas", "Gants"}
    assert client.get(year_gains["C"].get_absolute_url()).status_code == 404
    summary = client.get(SUMMARY, {"year": 2026}).context["summary"]
    assert summary.totals.total == Decimal("2740")  # C, the other hospital's, is not his
    assert summary.target is None  # the territory's target is not his establishment's


# ---------------------------------------------------------------------------------------------------
# The synthesis


def test_synthesis_totals_worked_by_hand(login, role_users, year_gains, hospital, other_hospital, families):
    GainTarget.objects.create(year=2026, amount=Decimal("3480"))
    response = login(role_users[Role.GOVERNANCE]).get(SUMMARY, {"year": 2026})
    summary = response.context["summary"]
    totals = summary.totals
    # 2026 = N share of 2026's gains (B 920 − C 1 000) + N+1 share of 2025's (A 1 820); D is only proposed.
    assert (totals.gain_n, totals.gain_n1, totals.total) == (Decimal("-80"), Decimal("1820"), Decimal("1740"))
    assert (totals.validated_total, totals.records, totals.validated_records) == (Decimal("1820"), 3, 1)

    def by(param):
        return {
            line.key: (line.figures.total, line.figures.validated_total)
            for line in summary.breakdown(param).lines
        }

    f1, f2 = families
    assert by("entity") == {str(hospital.pk): (Decimal("2740"), Decimal("1820")),
                            str(other_hospital.pk): (Decimal("-1000"), Decimal(0))}  # fmt: skip
    assert by("family") == {
        str(f1.pk): (Decimal("820"), Decimal("1820")),
        str(f2.pk): (Decimal("920"), Decimal(0)),
    }
    assert by("lever") == {
        "price": (Decimal("1820"), Decimal("1820")),
        "pooling": (Decimal("920"), Decimal(0)),
        "other": (Decimal("-1000"), Decimal(0)),
    }
    assert by("stage") == {
        "secured": (Decimal("2740"), Decimal("1820")),
        "realised": (Decimal("-1000"), Decimal(0)),
    }
    assert by("buyer") == {str(role_users[Role.BUYER].pk): (Decimal("1740"), Decimal("1820"))}
    html = response.content.decode()
    assert "50\u202f%" in html and 'aria-valuenow="50"' in html
    # 2027 counts B's N+1 share only (C is one-off: nothing left for 2027).
    assert login(role_users[Role.GOVERNANCE]).get(SUMMARY, {"year": 2027}).context["totals"].total == Decimal(
        "2730"
    )


def test_every_figure_links_to_the_gains_behind_it(login, role_users, year_gains, hospital, families):
    client = login(role_users[Role.GOVERNANCE])
    html = client.get(SUMMARY, {"year": 2026}).content.decode()
    links = {
        f"?year=2026&amp;counted=true&amp;entity={hospital.pk}": {"Linge", "Repas"},
        f"?year_n=2026&amp;counted=true&amp;entity={hospital.pk}": {"Repas"},
        f"?year_n=2025&amp;counted=true&amp;entity={hospital.pk}": {"Linge"},
        f"?year=2026&amp;status=validated&amp;family={families[0].pk}": {"Linge"},
        "?year=2026&amp;counted=true&amp;stage=realised": {"Échographe"},
        "?year=2026&amp;counted=true": {"Linge", "Repas", "Échographe"},
    }
    for query, expected in links.items():
        assert f'href="{LIST}{query}"' in html, query
        assert labels(client.get(LIST + query.replace("&amp;", "&"))) == expected, query


def test_an_unknown_year_is_refused_and_the_current_year_shown(login, role_users):
    response = login(role_users[Role.GOVERNANCE]).get(SUMMARY, {"year": "deux mille"})
    assert response.status_code == 400
    assert response.context["year"] == date.today().year
    assert "Année non reconnue" in response.content.decode()


def test_synthesis_export(login, role_users, year_gains):
    response = login(role_users[Role.CONTROLLER]).get(reverse("gains:summary_xlsx"), {"year": 2026})
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    total_row = [cell.value for cell in workbook["Synthèse 2026"][3]]
    assert total_row[:5] == ["Total", 3, -80, 1820, 1740]
    assert [sheet.title for sheet in workbook][1:] == [
        "Établissement",
        "Famille d'achat",
        "Acheteur",
        "Levier",
        "Stade",
    ]


def test_target_is_set_by_the_plan_managers_and_keeps_its_history(login, role_users):
    client = login(role_users[Role.ADMIN])
    url = reverse("gains:target_update") + "?year=2027"
    assert client.post(url, {"amount": "100000", "comment": "Feuille de route"}).status_code == 302
    assert client.post(url, {"amount": "120000", "comment": "Révisé"}).status_code == 302
    target = GainTarget.objects.get(year=2027)
    assert target.amount == Decimal("120000") and target.history.count() == 2
    assert login(role_users[Role.GOVERNANCE]).get(url).status_code == 403


def test_menu(login, role_users):
    html = login(role_users[Role.CONTROLLER]).get(SUMMARY).content.decode()
    assert f'href="{SUMMARY}"' in html and "Gains achats" in html
    other = login(role_users[Role.PRESCRIBER]).get(reverse("www:home")).content.decode()
    assert f'href="{SUMMARY}"' not in other


def test_the_project_page_shows_the_gain_of_an_awarded_lot(login, team, role_users, hospital, support):
    buyer, legal = team
    project = project_awarded(buyer=buyer, legal=legal, entities=[hospital], buyer_entity=support)
    proposed = project.lots.get().gain  # proposed at award (gains.receivers)
    html = login(buyer).get(project.get_absolute_url()).content.decode()
    assert f'href="{proposed.get_absolute_url()}"' in html and "Gain :" in html
    hidden = login(role_users[Role.PRESCRIBER]).get(project.get_absolute_url())
    assert hidden.status_code in (200, 404) and proposed.get_absolute_url() not in hidden.content.decode()


# ---------------------------------------------------------------------------------------------------
# Query counts


@pytest.mark.parametrize("url", [LIST, SUMMARY, reverse("gains:summary_xlsx")])
def test_queries_do_not_grow_with_the_number_of_gains(login, role_users, hospital, other_hospital, url):
    client = login(role_users[Role.CONTROLLER])
    statuses = [GainStatus.DECLARED, GainStatus.VALIDATED, GainStatus.PROPOSED]

    def add(count):
        for index in range(count):
            gain(
                entity=[hospital, other_hospital][index % 2],
                family=PurchaseFamilyFactory(),
                buyer=role_users[Role.BUYER],
                status=statuses[index % 3],
                notification_date=date(2025 + index % 2, 1 + index % 12, 1),
            )

    def visit():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"year": 2026})
        assert response.status_code == 200
        return len(queries)

    add(3)
    few = visit()
    add(27)
    assert visit() == few


def test_the_pages_keep_the_layout_s_territory(login, role_users):
    """`territory` is the layout's (name, colours): a page's own flag under that name blanked the banner."""
    territory = Territory.objects.create(name="GHT de test", short_name="GHT test")
    client = login(role_users[Role.CONTROLLER])
    for url in (SUMMARY, LIST):
        response = client.get(url)
        assert response.context["territory"] == territory
        assert "GHT test" in response.content.decode()
