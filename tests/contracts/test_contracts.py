"""The registry: services, scoping, amendments, renewals, documents, import and alerts."""

from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from mutualis.contracts.alerts import send_contract_alerts
from mutualis.contracts.models import Contract
from mutualis.contracts.services import amendment_add, document_attach, renewal_decide
from mutualis.notifications.models import Notification
from mutualis.organisations.models import PurchasingGroup
from mutualis.organisations.roles import Role
from tests.contracts.factories import make_contract
from tests.helpers import read_xlsx, xlsx_upload
from tests.organisations.factories import make_siret
from tests.suppliers.factories import SupplierFactory


@pytest.fixture
def registry(support, hospital, other_hospital):
    """A pooled contract for the hospital, one of the other hospital's own, one of the support's own."""
    return {
        "pooled": make_contract(buyer=support, reference="POOL-1", available_to=[hospital]),
        "other": make_contract(buyer=other_hospital, reference="OTHER-1"),
        "support_only": make_contract(buyer=support, reference="SUPPORT-1"),
    }


def test_referent_sees_only_contracts_their_entity_may_use(client, role_users, registry):
    client.force_login(role_users[Role.REFERENT])
    rows = client.get(reverse("contracts:contract_list")).context["table"].paginated_rows
    assert [row.record.reference for row in rows] == ["POOL-1"]
    usable = client.get(reverse("contracts:usable_list")).context["table"].paginated_rows
    assert [row.record.reference for row in usable] == ["POOL-1"]
    for hidden in ("other", "support_only"):
        url = reverse("contracts:contract_detail", args=[registry[hidden].pk])
        assert client.get(url).status_code == 404
    exported = read_xlsx(client.get(reverse("contracts:contract_list"), {"export": "xlsx"}).getvalue())
    assert [row[0] for row in exported[1:]] == ["POOL-1"]


def test_team_sees_the_whole_registry(client, role_users, registry):
    client.force_login(role_users[Role.GOVERNANCE])
    rows = client.get(reverse("contracts:contract_list")).context["table"].paginated_rows
    assert {row.record.reference for row in rows} == {"POOL-1", "OTHER-1", "SUPPORT-1"}


def test_contract_validation_names_fields(db, support):
    contract = Contract(
        buyer=support,
        reference="TROP LONG ET ESPACE",
        object="x",
        techniques=["Accord-cadre", "Sans objet"],
        execution_modes=[],
        cpv_id="33141000",
        procedure="Procédure adaptée",
        price_types=["Inconnu"],
        price_form="Unitaire",
        amount=Decimal("1000"),
        minimum_amount=Decimal("2000"),
        firm_duration_months=12,
        renewal_count=2,
        social_considerations=["Pas de considération sociale"],
        environmental_considerations=["Pas de considération environnementale"],
    )
    with pytest.raises(ValidationError) as error:
        contract.full_clean()
    assert set(error.value.message_dict) >= {
        "reference",
        "techniques",
        "execution_modes",
        "price_types",
        "minimum_amount",
        "renewal_period_months",
    }


def test_reference_is_unique_per_buyer_only(db, support, hospital):
    make_contract(buyer=support, reference="2026-001")
    make_contract(buyer=hospital, reference="2026-001")
    with pytest.raises(ValidationError, match="existe déjà"):
        make_contract(buyer=support, reference="2026-001")


def test_group_contract_is_bought_by_the_coordinator_and_usable_by_members(
    db, support, hospital, other_hospital
):
    group = PurchasingGroup.objects.create(name="Groupement test", coordinator=support)
    group.members.set([hospital, other_hospital])
    contract = make_contract(buyer=hospital, purchasing_group=group)
    assert contract.buyer == support
    assert set(contract.available_to.all()) == {hospital, other_hospital}


def test_amendments_are_appended_in_notification_order(db, support):
    contract = make_contract(buyer=support, amount=Decimal("100000"))
    first = amendment_add(
        actor=None,
        contract=contract,
        notified_on=date(2026, 3, 1),
        kind="low_value",
        description="Quantités",
        amount_change=Decimal("6000"),
    )
    second = amendment_add(
        actor=None,
        contract=contract,
        notified_on=date(2026, 4, 1),
        kind="low_value",
        description="Quantités",
        amount_change=Decimal("5000"),
        duration_change_months=2,
    )
    assert (first.number, second.number) == (1, 2)
    contract.refresh_from_db()
    assert contract.amount == Decimal("100000")  # the initial amount is never overwritten
    assert contract.end_date == date(2027, 2, 28)  # 12 months + 2
    with pytest.raises(ValidationError, match="ordre de notification"):
        amendment_add(
            actor=None,
            contract=contract,
            notified_on=date(2026, 3, 15),
            kind="non_substantial",
            description="Antidaté",
        )


def test_contract_page_shows_cumulative_percentage_and_legal_warning(client, role_users, support):
    contract = make_contract(buyer=support, amount=Decimal("100000"))
    client.force_login(role_users[Role.BUYER])
    url = reverse("contracts:amendment_create", args=[contract.pk])
    for day, change in (("2026-03-01", "6000"), ("2026-04-01", "5000")):
        response = client.post(
            url,
            {"notified_on": day, "kind": "low_value", "description": "Quantités", "amount_change": change},
        )
        assert response.status_code == 302
    page = client.get(contract.get_absolute_url()).content.decode()
    assert "+11,0 % du montant initial" in page
    assert "au-delà de 10 %" in page and "R2194-8" in page


def test_only_registry_managers_write(db, role_users, support):
    contract = make_contract(buyer=support)
    for role in (Role.REFERENT, Role.GOVERNANCE, Role.PRESCRIBER):
        with pytest.raises(PermissionDenied):
            amendment_add(
                actor=role_users[role],
                contract=contract,
                notified_on=date(2026, 2, 1),
                kind="non_substantial",
                description="x",
            )


def test_renewal_decision_recomputes_the_end(db, support):
    contract = make_contract(
        buyer=support,
        renewal_count=2,
        renewal_period_months=12,
        renewal_notice_months=3,
        notification_date=date(2026, 1, 1),
    )
    assert contract.end_date == date(2028, 12, 31)
    renewal_decide(actor=None, contract=contract, period=1, kind="not_renew", decided_on=date(2026, 9, 1))
    contract.refresh_from_db()
    assert contract.end_date == date(2026, 12, 31)
    assert contract.decision_due_on is None


def test_documents_are_served_only_to_those_who_see_the_contract(
    client, role_users, registry, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    document = document_attach(
        actor=None,
        contract=registry["other"],
        kind="ccap",
        title="CCAP",
        file=SimpleUploadedFile("ccap.pdf", b"%PDF-1.4 test", content_type="application/pdf"),
    )
    url = reverse("contracts:document_download", args=[document.pk])
    client.force_login(role_users[Role.BUYER])
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 test"
    client.force_login(role_users[Role.REFERENT])
    assert client.get(url).status_code == 404


def test_document_type_and_size_are_limited(client, role_users, registry, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.MUTUALIS_DOCUMENT_MAX_BYTES = 10
    client.force_login(role_users[Role.BUYER])
    url = reverse("contracts:document_upload", args=[registry["pooled"].pk])
    exe = SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream")
    response = client.post(url, {"kind": "other", "title": "x", "file": exe})
    assert "extension" in str(response.context["form"].errors["file"])
    big = SimpleUploadedFile("gros.pdf", b"x" * 11, content_type="application/pdf")
    response = client.post(url, {"kind": "other", "title": "x", "file": big})
    assert "dépasse" in str(response.context["form"].errors["file"])


def test_contract_form_creates_a_framework_with_two_holders(client, role_users, support, hospital):
    client.force_login(role_users[Role.BUYER])
    known = SupplierFactory(name="Fournisseur connu")
    new_siret = make_siret()
    data = {
        "reference": "AC-2026-01",
        "buyer": support.pk,
        "object": "Consommables de laboratoire",
        "nature": "Marché",
        "cpv": "33696500-0",
        "procedure": "Appel d'offres ouvert",
        "techniques": ["Accord-cadre"],
        "execution_modes": ["Bons de commande"],
        "ccag": "Pas de CCAG",
        "price_types": ["Définitif révisable"],
        "price_form": "Unitaire",
        "amount": "800000",
        "minimum_amount": "100000",
        "notification_date": "2026-02-01",
        "firm_duration_months": "12",
        "renewal_count": "3",
        "renewal_period_months": "12",
        "renewal_notice_months": "3",
        "grouping_kind": "Conjoint",
        "social_considerations": ["Clause sociale"],
        "environmental_considerations": ["Critère environnemental"],
        "execution_place_type": "Code commune",
        "available_to": [hospital.pk],
        "holders-TOTAL_FORMS": "2",
        "holders-INITIAL_FORMS": "0",
        "holders-0-identifier_kind": "SIRET",
        "holders-0-identifier": known.identifier,
        "holders-0-role": "lead",
        "holders-0-contact_email": "commandes@connu.example",
        "holders-1-identifier_kind": "SIRET",
        "holders-1-identifier": new_siret,
        "holders-1-name": "Nouveau SARL",
        "holders-1-role": "member",
    }
    response = client.post(reverse("contracts:contract_create"), data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    contract = Contract.objects.get(reference="AC-2026-01")
    assert contract.is_framework and contract.duration_months == 48
    assert [link.supplier.name for link in contract.holder_links.all()] == [
        "Fournisseur connu",
        "Nouveau SARL",
    ]
    assert contract.end_date == date(2030, 1, 31)


def test_contract_form_reports_unknown_holder_without_name(client, role_users, support):
    client.force_login(role_users[Role.BUYER])
    data = {
        "reference": "X1",
        "buyer": support.pk,
        "object": "x",
        "nature": "Marché",
        "cpv": "33141000",
        "procedure": "Procédure adaptée",
        "techniques": ["Sans objet"],
        "execution_modes": ["Sans objet"],
        "ccag": "Pas de CCAG",
        "price_types": ["Définitif ferme"],
        "price_form": "Forfaitaire",
        "amount": "1000",
        "firm_duration_months": "12",
        "renewal_count": "0",
        "renewal_notice_months": "0",
        "grouping_kind": "Pas de groupement",
        "social_considerations": ["Pas de considération sociale"],
        "environmental_considerations": ["Pas de considération environnementale"],
        "execution_place_type": "Code commune",
        "holders-TOTAL_FORMS": "1",
        "holders-INITIAL_FORMS": "0",
        "holders-0-identifier_kind": "SIRET",
        "holders-0-identifier": make_siret(),
        "holders-0-role": "sole",
    }
    response = client.post(reverse("contracts:contract_create"), data)
    assert response.status_code == 400
    assert "indiquez sa raison sociale" in response.content.decode()
    assert not Contract.objects.filter(reference="X1").exists()


CONTRACT_HEADER = [
    "Référence",
    "SIRET acheteur",
    "Objet",
    "Techniques",
    "Modalités d'exécution",
    "Code CPV",
    "Procédure",
    "Types de prix",
    "Forme du prix",
    "Montant HT",
    "Date de notification",
    "Durée ferme (mois)",
    "Titulaires (identifiants)",
    "Titulaires (raisons sociales)",
    "Considérations sociales",
    "Considérations environnementales",
    "Entités utilisatrices (SIRET)",
]


def _row(reference, buyer_siret, holder, **overrides):
    values = {
        "Référence": reference,
        "SIRET acheteur": buyer_siret,
        "Objet": "Blanchisserie",
        "Techniques": "Sans objet",
        "Modalités d'exécution": "Sans objet",
        "Code CPV": "98310000",
        "Procédure": "Procédure adaptée",
        "Types de prix": "Définitif ferme",
        "Forme du prix": "Forfaitaire",
        "Montant HT": 120000,
        "Date de notification": "2026-01-15",
        "Durée ferme (mois)": 36,
        "Titulaires (identifiants)": holder,
        "Titulaires (raisons sociales)": "Blanchisserie du Val",
        "Considérations sociales": "Clause sociale",
        "Considérations environnementales": "Pas de considération environnementale",
        "Entités utilisatrices (SIRET)": "",
    }
    values.update(overrides)
    return [values[column] for column in CONTRACT_HEADER]


def test_registry_import_creates_contracts_and_suppliers_all_or_nothing(
    client, role_users, support, hospital
):
    client.force_login(role_users[Role.BUYER])
    holder = make_siret()
    good = _row("BL-2026", support.siret, holder, **{"Entités utilisatrices (SIRET)": hospital.siret})
    bad = _row("BL-2027", support.siret, make_siret(), **{"Code CPV": "99999999", "Procédure": "Gré à gré"})
    response = client.post(
        reverse("contracts:contract_import"), {"file": xlsx_upload([CONTRACT_HEADER, good, bad])}
    )
    errors = {(e.line, e.column) for e in response.context["report"].errors}
    assert errors == {(3, "Code CPV"), (3, "Procédure")}
    assert not Contract.objects.exists()
    assert not Contract.objects.model.holders.through.objects.exists()

    response = client.post(
        reverse("contracts:contract_import"), {"file": xlsx_upload([CONTRACT_HEADER, good])}
    )
    assert response.context["report"].created == 1
    contract = Contract.objects.get(reference="BL-2026")
    assert contract.holders.get().name == "Blanchisserie du Val"
    assert list(contract.available_to.all()) == [hospital]
    assert contract.end_date == date(2029, 1, 14)
    again = client.post(reverse("contracts:contract_import"), {"file": xlsx_upload([CONTRACT_HEADER, good])})
    assert again.context["report"].skipped == 1


def test_alerts_notify_once_the_right_people(
    db, role_users, support, hospital, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    buyer, referent = role_users[Role.BUYER], role_users[Role.REFERENT]
    ending = make_contract(
        buyer=support,
        reference="END-1",
        available_to=[hospital],
        manager=buyer,
        notification_date=date(2025, 12, 1),
        firm_duration_months=12,
    )
    make_contract(
        buyer=support, reference="LATER-1", notification_date=date(2026, 6, 1), firm_duration_months=48
    )
    with django_capture_on_commit_callbacks(execute=True):
        report = send_contract_alerts(today=date(2026, 10, 1), horizon_days=90)
    assert report.ending == 1
    recipients = set(
        Notification.objects.filter(key__startswith="contract-ending").values_list("recipient", flat=True)
    )
    assert recipients == {buyer.pk, referent.pk}
    ending_mails = [m for m in mail.outbox if m.subject == f"Contrat {ending.reference} : fin le 30/11/2026"]
    assert {m.to[0] for m in ending_mails} == {buyer.email, referent.email}
    # The retender decision was due 9 months before the end: it is overdue, the manager is told.
    assert report.overdue == 1
    overdue = Notification.objects.filter(key__startswith="decision-overdue")
    assert set(overdue.values_list("recipient", flat=True)) == {buyer.pk, role_users[Role.ADMIN].pk}
    with django_capture_on_commit_callbacks(execute=True):
        again = send_contract_alerts(today=date(2026, 10, 1), horizon_days=90)
    assert again.notifications == 0


def test_alert_command_prints_its_report(db, support, capsys):
    make_contract(buyer=support, notification_date=date(2025, 12, 1))
    call_command("send_contract_alerts", "--today", "2026-10-01", "--horizon-days", "90")
    assert "1 se terminent dans l'horizon" in capsys.readouterr().out


def test_notifications_page_lists_and_marks_read(client, role_users):
    user = role_users[Role.BUYER]
    Notification.objects.create(
        recipient=user, key="k", subject="Contrat X : fin", body="…", url="/contrats/"
    )
    client.force_login(user)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "Contrat X : fin" in page and "Non lue" in page
    client.post(reverse("notifications:mark_read"))
    assert not Notification.objects.unread().exists()


def test_group_member_referent_sees_the_group(client, role_users, support, hospital, other_hospital):
    group = PurchasingGroup.objects.create(name="G", coordinator=support)
    group.members.set([other_hospital])
    client.force_login(role_users[Role.REFERENT])
    assert client.get(reverse("organisations:group_detail", args=[group.pk])).status_code == 404
    group.members.add(hospital)
    assert client.get(reverse("organisations:group_detail", args=[group.pk])).status_code == 200


def test_search_and_cpv_filter_on_registry(client, role_users, support):
    blood = make_contract(buyer=support, object="Réactifs de biologie", cpv_id="33696500")
    make_contract(
        buyer=support, object="Blanchisserie", cpv_id="98310000", holders=[SupplierFactory(name="Lavage SA")]
    )
    client.force_login(role_users[Role.BUYER])
    url = reverse("contracts:contract_list")

    def references(params):
        return [row.record.reference for row in client.get(url, params).context["table"].paginated_rows]

    assert references({"q": "biologie"}) == [blood.reference]
    assert references({"q": "3369"}) == [blood.reference]
    assert references({"cpv": "3369"}) == [blood.reference]
    assert len(references({"q": "lavage"})) == 1
    usable = reverse("contracts:usable_list")
    client.force_login(role_users[Role.ADMIN])
    assert [
        r.record.reference for r in client.get(usable, {"q": "biologie"}).context["table"].paginated_rows
    ] == [blood.reference]
