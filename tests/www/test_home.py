"""The home page per role: what needs the person today, each item linked to the list that handles it.

Every link is followed: the rows behind it are the ones counted."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mutualis.clients.services.requests import request_transition
from mutualis.contracts.models import Contract
from mutualis.demo.authorship import acting_as
from mutualis.gains.models import GainStatus
from mutualis.needs.models import Campaign, NeedLine, NeedStatus
from mutualis.notifications.models import Notification
from mutualis.organisations.models import Territory
from mutualis.organisations.roles import Role
from mutualis.procurements.models import Project
from mutualis.spend.models import SpendImport, SpendImportStatus
from mutualis.steering.cockpit import HEADLINE
from mutualis.steering.models import Objective
from mutualis.steering.today import alert_horizon
from tests.catalogue.factories import PurchaseFamilyFactory
from tests.clients.factories import make_request
from tests.contracts.factories import make_contract
from tests.gains.factories import gain
from tests.organisations.factories import MembershipFactory, UserFactory
from tests.procurements.factories import new_project
from tests.steering.improvement_factories import make_action

pytestmark = pytest.mark.django_db

HOME = reverse("www:home")


def today():
    return timezone.localdate()


def sections_of(response) -> dict:
    return {section.key: section for section in response.context["sections"]}


def items_of(section) -> dict:
    """label → (count, url)"""
    return {item.label: (item.count, item.url) for item in section.items}


def rows_of(client, url) -> set:
    response = client.get(url)
    assert response.status_code == 200
    return {row.record for row in response.context["table"].paginated_rows}


def contract(buyer, *, ends_in=None, decision_due_in=None, notified_days_ago=200, **fields):
    """A notified contract whose end and decision dates are set by hand, counted from today."""
    made = make_contract(buyer=buyer, notification_date=today() - timedelta(days=notified_days_ago), **fields)
    Contract.objects.filter(pk=made.pk).update(
        end_date=today() + timedelta(days=ends_in if ends_in is not None else 700),
        decision_due_on=today() + timedelta(days=decision_due_in) if decision_due_in is not None else None,
    )
    return made


def late(project, days=-1):
    Project.objects.filter(pk=project.pk).update(stage_due_on=today() + timedelta(days=days))


@pytest.fixture
def colleague(support):
    return MembershipFactory(
        user=UserFactory(username="autre_acheteur"), entity=support, role=Role.BUYER
    ).user


@pytest.fixture
def campaign(db):
    family = PurchaseFamilyFactory()
    campaign = Campaign.objects.create(
        title="Besoins 2027", year=2027, deadline=today() + timedelta(days=20), launch_date=today()
    )
    campaign.families.set([family])
    return campaign


def need(campaign, entity, status, author=None):
    with acting_as(author):
        return NeedLine.objects.create(
            campaign=campaign,
            entity=entity,
            family=campaign.families.get(),
            description="Gants d'examen",
            estimated_amount=Decimal("1000"),
            status=status,
        )


# --- Buyer and legal officer ---------------------------------------------------------------------------


def test_buyer_sees_his_tasks_contracts_and_gains(login, team, role_users, project, colleague, hospital):
    buyer, legal = team
    Territory.objects.create(name="GHT de test", short_name="GHT", kind="ght", contract_alert_days=180)
    late(project)
    on_time = new_project(buyer, entities=[hospital], buyer=buyer, legal_officer=legal, object="À l'heure")
    late(on_time, days=5)
    late(new_project(buyer, entities=[hospital], buyer=colleague, object="Pas le mien"))
    ending = contract(hospital, ends_in=60, decision_due_in=10)
    overdue = contract(hospital, ends_in=400, decision_due_in=-3)
    contract(hospital, ends_in=400)  # neither
    contract(hospital, ends_in=-5, decision_due_in=-40)  # ended: no longer watched
    proposed = [gain(buyer=buyer), gain(buyer=buyer)]
    returned = gain(buyer=buyer, status=GainStatus.RETURNED)
    gain(buyer=buyer, status=GainStatus.DECLARED)
    gain(buyer=colleague)

    client = login(buyer)
    response = client.get(HOME)
    sections = sections_of(response)
    assert list(sections) == ["taches", "contrats", "demandes-clients", "gains-a-declarer"]

    tasks = items_of(sections["taches"])
    count, url = tasks["Projets qui attendent une action de votre part"]
    assert count == 2 and rows_of(client, url) == {project, on_time}
    count, url = tasks["Projets en retard sur l'échéance de leur étape"]
    assert count == 1 and url == "/projets/mes-taches/?late=true" and rows_of(client, url) == {project}

    contracts = items_of(sections["contrats"])
    count, url = contracts["Contrats en cours qui se terminent bientôt"]
    assert count == 1 and url == "/contrats/?ending_within=180" and rows_of(client, url) == {ending}
    count, url = contracts["Contrats dont la décision de reconduction ou de relance est en retard"]
    assert count == 1 and rows_of(client, url) == {overdue}

    gains = items_of(sections["gains-a-declarer"])
    count, url = gains["Gains proposés, à compléter et déclarer"]
    assert count == 2 and url == f"/gains/liste/?buyer={buyer.pk}&status=proposed"
    assert rows_of(client, url) == set(proposed)
    count, url = gains["Gains renvoyés pour correction par le contrôle de gestion"]
    assert count == 1 and rows_of(client, url) == {returned}

    page = response.content.decode()
    assert 'href="/projets/mes-taches/?late=true">' in page
    assert f'href="/gains/liste/?buyer={buyer.pk}&amp;status=proposed">' in page
    assert "À traiter" in page  # the urgent items say so in words, not by colour alone
    assert "Le territoire en chiffres" in page


def test_legal_officer_sees_tasks_and_contracts_but_declares_no_gain(login, team, project, hospital):
    _, legal = team
    contract(hospital, ends_in=30)
    response = login(legal).get(HOME)
    sections = sections_of(response)
    assert list(sections) == ["taches", "contrats", "demandes-clients"]
    # The project's first stage (need analysis) is run by the buyer: nothing waits for the legal officer.
    assert items_of(sections["taches"])["Projets qui attendent une action de votre part"][0] == 0
    assert items_of(sections["contrats"])["Contrats en cours qui se terminent bientôt"][0] == 1


def test_the_alert_horizon_is_raised_to_a_horizon_the_registry_filters_on(db):
    assert alert_horizon() == (180, "6 mois")  # no territory: the alert job's default
    Territory.objects.create(name="GHT", short_name="GHT", kind="ght", contract_alert_days=100)
    assert alert_horizon() == (180, "6 mois")
    Territory.objects.update(contract_alert_days=365)
    assert alert_horizon() == (365, "12 mois")
    Territory.objects.update(contract_alert_days=2000)
    assert alert_horizon() == (730, "24 mois")


# --- Referent ------------------------------------------------------------------------------------------


def test_referent_sees_his_entity_needs_new_contracts_and_consumption_alerts(
    login, role_users, hospital, other_hospital, support, campaign
):
    referent = role_users[Role.REFERENT]
    proposed = {need(campaign, hospital, NeedStatus.PROPOSED), need(campaign, hospital, NeedStatus.PROPOSED)}
    draft = need(campaign, hospital, NeedStatus.DRAFT)
    returned = need(campaign, hospital, NeedStatus.RETURNED)
    need(campaign, hospital, NeedStatus.SUBMITTED)  # with the purchasing team now
    need(campaign, other_hospital, NeedStatus.PROPOSED)  # another entity's
    closed = Campaign.objects.create(
        title="Besoins 2026", year=2026, deadline=today(), launch_date=today(), is_open=False
    )
    closed.families.set([campaign.families.get()])
    need(closed, hospital, NeedStatus.DRAFT)  # a closed campaign's

    own = contract(hospital, notified_days_ago=10)
    made_available = contract(support, notified_days_ago=5, available_to=[hospital])
    contract(hospital, notified_days_ago=60)  # not new
    contract(other_hospital, notified_days_ago=3)  # not for this entity
    alert = Notification.objects.create(
        recipient=referent,
        key="contract-consumption:1:80:100.00",
        subject="Contrat A : consommé à 80 %",
        url=own.get_absolute_url(),
    )
    Notification.objects.create(
        recipient=referent, key="contract-consumption:2:80:100.00", subject="Lue", read_at=timezone.now()
    )
    Notification.objects.create(recipient=referent, key="contract-ending:3", subject="Autre sorte")
    Notification.objects.create(
        recipient=role_users[Role.BUYER], key="contract-consumption:1:80:100.00", subject="Pas à lui"
    )

    client = login(referent)
    sections = sections_of(client.get(HOME))
    assert list(sections) == [
        "besoins-etablissement", "nouveaux-contrats", "evaluations", "consommation", "mes-demandes",
    ]  # fmt: skip

    needs = sections["besoins-etablissement"].items
    assert [(item.count, item.urgent) for item in needs] == [(1, False), (2, False), (1, True)]  # by status
    base = f"/besoins/lignes/?campaign={campaign.pk}&entity={hospital.pk}&status="
    assert [item.url for item in needs] == [base + "draft", base + "proposed", base + "returned"]
    assert [rows_of(client, item.url) for item in needs] == [{draft}, proposed, {returned}]
    assert all(item.detail.startswith("Centre hospitalier membre, Besoins 2027") for item in needs)

    (new,) = sections["nouveaux-contrats"].items
    since = today() - timedelta(days=30)
    assert new.count == 2 and new.url == f"/contrats/utilisables/?notified_from={since.isoformat()}"
    assert rows_of(client, new.url) == {own, made_available}

    alerts = sections["consommation"].records
    assert alerts.total == 1 and [(row.label, row.url) for row in alerts.rows] == [(alert.subject, alert.url)]


# --- Internal client -----------------------------------------------------------------------------------


def test_prescriber_sees_the_need_lines_he_wrote_by_status(login, role_users, hospital, campaign):
    prescriber, referent = role_users[Role.PRESCRIBER], role_users[Role.REFERENT]
    drafts = {need(campaign, hospital, NeedStatus.DRAFT, prescriber) for _ in range(2)}
    proposed = need(campaign, hospital, NeedStatus.PROPOSED, prescriber)
    returned = need(campaign, hospital, NeedStatus.RETURNED, prescriber)
    need(campaign, hospital, NeedStatus.DRAFT, referent)  # the referent's own

    client = login(prescriber)
    response = client.get(HOME)
    section = sections_of(response)["mes-besoins"]
    assert list(sections_of(response)) == ["mes-besoins", "mes-demandes"]
    assert [(item.label, item.count, item.urgent) for item in section.items] == [
        ("Brouillons, à proposer au référent de votre établissement", 2, False),
        ("Proposés au référent de votre établissement", 1, False),
        ("Renvoyés pour correction", 1, True),
    ]
    assert [rows_of(client, item.url) for item in section.items] == [drafts, {proposed}, {returned}]
    assert section.more_url == "/besoins/lignes/?mine=true"
    assert rows_of(client, section.more_url) == {*drafts, proposed, returned}
    assert "Vous n&#x27;avez fait aucune demande d&#x27;accompagnement." in response.content.decode()


def test_prescriber_without_lines_is_told_so(login, role_users):
    page = login(role_users[Role.PRESCRIBER]).get(HOME).content.decode()
    assert "Vous n&#x27;avez saisi aucun besoin." in page


# --- Internal clients' requests -----------------------------------------------------------------------


def test_buyer_sees_his_queue_of_requests_and_the_late_ones(login, team, role_users, hospital, colleague):
    buyer, _ = team
    prescriber = role_users[Role.PRESCRIBER]
    late_one = request_transition(
        actor=buyer, request=make_request(prescriber, entity=hospital), name="take", today=date(2026, 1, 5)
    )
    on_time = request_transition(actor=buyer, request=make_request(prescriber, entity=hospital), name="take")
    request_transition(actor=colleague, request=make_request(prescriber, entity=hospital), name="take")
    waiting = make_request(prescriber, entity=hospital)
    request_transition(
        actor=buyer, request=make_request(prescriber, entity=hospital), name="decline", comment="Non"
    )

    client = login(buyer)
    queue = sections_of(client.get(HOME))["demandes-clients"].items
    assert [(item.count, item.urgent) for item in queue] == [(2, False), (1, True), (1, False)]
    assert [rows_of(client, item.url) for item in queue] == [{late_one, on_time}, {late_one}, {waiting}]


def test_client_sees_his_requests_and_their_progress(login, role_users, hospital):
    prescriber, buyer = role_users[Role.PRESCRIBER], role_users[Role.BUYER]
    delivered = make_request(prescriber, entity=hospital, object="Livrée")
    for name in ("take", "start", "deliver"):
        delivered = request_transition(actor=buyer, request=delivered, name=name)
    taken = request_transition(
        actor=buyer, request=make_request(prescriber, entity=hospital, object="Prise"), name="take",
        today=date(2026, 1, 5),
    )  # fmt: skip
    make_request(role_users[Role.REFERENT], entity=hospital, object="Du référent")

    client = login(prescriber)
    records = sections_of(client.get(HOME))["mes-demandes"].records
    assert records.total == 2 and [row.url for row in records.rows] == [
        taken.get_absolute_url(), delivered.get_absolute_url(),
    ]  # fmt: skip
    assert (
        records.rows[0].detail == f"Prise en charge, date cible le {taken.target_date:%d/%m/%Y} (en retard)"
    )
    assert records.rows[1].detail == "Livrée — Questionnaire à remplir"  # until the client answers it
    assert rows_of(client, records.url) == {taken, delivered}


# --- Management control --------------------------------------------------------------------------------


def test_controller_sees_gains_to_validate_and_failed_imports(login, role_users, hospital):
    controller = role_users[Role.CONTROLLER]
    declared = {gain(status=GainStatus.DECLARED), gain(status=GainStatus.DECLARED)}
    gain(status=GainStatus.VALIDATED)
    gain(status=GainStatus.PROPOSED)
    failed = SpendImport.objects.create(entity=hospital, status=SpendImportStatus.FAILED, message="Colonne")
    old = SpendImport.objects.create(entity=hospital, status=SpendImportStatus.FAILED)
    SpendImport.objects.filter(pk=old.pk).update(started_at=timezone.now() - timedelta(days=31))
    SpendImport.objects.create(entity=hospital, status=SpendImportStatus.DONE)

    client = login(controller)
    sections = sections_of(client.get(HOME))
    assert list(sections) == ["gains-a-valider", "imports-en-echec"]
    (to_validate,) = sections["gains-a-valider"].items
    assert to_validate.count == 2 and to_validate.url == "/gains/liste/?status=declared"
    assert rows_of(client, to_validate.url) == declared
    imports = sections["imports-en-echec"].records
    assert imports.total == 1 and [row.url for row in imports.rows] == [f"/depenses/imports/{failed.pk}/"]
    assert client.get(imports.rows[0].url).status_code == 200


# --- Director and governance; several roles ------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.ADMIN, Role.GOVERNANCE])
def test_director_and_governance_have_no_task_sections(login, role_users, role):
    response = login(role_users[role]).get(HOME)
    assert response.status_code == 200 and response.context["sections"] == []
    assert "Vos rôles" in response.content.decode()


@pytest.mark.parametrize("role", [Role.ADMIN, Role.GOVERNANCE])
def test_director_and_governance_see_the_years_indicators(login, role_users, support, role):
    """Two contracts notified this year (100 000 € each): the headline counts them, with the target."""
    year = timezone.localdate().year
    for day in (1, 2):
        make_contract(buyer=support, notification_date=date(year, 1, day))
    Objective.objects.create(indicator="environmental_share", year=year, target=50)
    response = login(role_users[role]).get(HOME)
    lines = {line.indicator.code: line for line in response.context["headline"]}
    assert set(lines) == set(HEADLINE)
    assert lines["contracts_notified"].current.value == 2
    assert lines["environmental_share"].current.target == 50
    html = response.content.decode()
    assert f"Indicateurs {year}" in html and "200\u202f000,00\u202f€" in html


def test_other_roles_have_no_headline(login, role_users):
    for role in (Role.BUYER, Role.REFERENT, Role.CONTROLLER):
        assert "headline" not in login(role_users[role]).get(HOME).context


def test_several_roles_show_each_section_once(login, role_users, hospital, support):
    buyer = role_users[Role.BUYER]
    MembershipFactory(user=buyer, entity=support, role=Role.LEGAL_OFFICER)
    MembershipFactory(user=buyer, entity=hospital, role=Role.REFERENT)
    response = login(buyer).get(HOME)
    keys = [section.key for section in response.context["sections"]]
    assert keys == [
        "taches",
        "contrats",
        "demandes-clients",
        "gains-a-declarer",
        "besoins-etablissement",
        "nouveaux-contrats",
        "evaluations",
        "consommation",
        "mes-demandes",
    ]
    page = response.content.decode()
    assert page.count("<h1") == 1 and page.count('id="taches-titre"') == 1


# --- Queries -------------------------------------------------------------------------------------------


def build(n, *, team, role_users, hospital, campaign):
    """n records of every kind the home pages count."""
    buyer, legal = team
    for _ in range(n):
        late(new_project(buyer, entities=[hospital], buyer=buyer, legal_officer=legal))
        contract(hospital, ends_in=30, decision_due_in=-1, notified_days_ago=5)
        gain(buyer=buyer)
        gain(buyer=buyer, status=GainStatus.RETURNED)
        gain(status=GainStatus.DECLARED)
        for status in (NeedStatus.DRAFT, NeedStatus.PROPOSED, NeedStatus.RETURNED):
            need(campaign, hospital, status, role_users[Role.PRESCRIBER])
        number = Notification.objects.count()
        Notification.objects.create(
            recipient=role_users[Role.REFERENT], key=f"contract-consumption:{number}", subject="Consommé"
        )
        SpendImport.objects.create(entity=hospital, status=SpendImportStatus.FAILED)
        late_request = make_request(role_users[Role.PRESCRIBER], entity=hospital)
        request_transition(actor=buyer, request=late_request, name="take", today=date(2026, 1, 5))
        make_request(role_users[Role.PRESCRIBER], entity=hospital)


@pytest.mark.parametrize(
    "role",
    [
        Role.BUYER,
        Role.LEGAL_OFFICER,
        Role.REFERENT,
        Role.PRESCRIBER,
        Role.CONTROLLER,
        Role.GOVERNANCE,
        Role.ADMIN,
    ],
    ids=lambda role: role.value,
)
def test_each_home_holds_its_number_of_queries(client, team, role_users, hospital, campaign, role):
    client.force_login(role_users[role])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(HOME).status_code == 200
        return len(captured)

    build(1, team=team, role_users=role_users, hospital=hospital, campaign=campaign)
    few = queries()
    build(2, team=team, role_users=role_users, hospital=hospital, campaign=campaign)
    assert queries() == few


def test_the_improvement_card_for_the_team_and_for_an_owner(login, role_users):
    """Two open actions, one past its due date, one piloted by the referent: the buyer sees 2 and 1 late;
    the referent (who sees the territory's process actions and his own) is told he pilots one; the
    internal client, who does not steer, sees no card."""
    buyer, referent = role_users[Role.BUYER], role_users[Role.REFERENT]
    make_action(buyer, owner=buyer, due_on=timezone.localdate() - timedelta(days=1))
    make_action(buyer, owner=referent)
    assert login(buyer).get(HOME).context["improvements"] == {"open": 2, "late": 1, "mine": 1}
    referent_home = login(referent).get(HOME)
    assert referent_home.context["improvements"]["mine"] == 1
    assert "Vous en pilotez 1." in referent_home.content.decode()
    assert "improvements" not in login(role_users[Role.PRESCRIBER]).get(HOME).context
