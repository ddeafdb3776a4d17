"""The budget accounts' pages: list and export, create/update/delete with history, the import (all or nothing,
upsert by nomenclature and account), the shipped defaults, the reclassification; the contract page's
consumption section, shown only to those who read spend."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mutualis.organisations.roles import Role
from mutualis.spend.models import AccountFamily, MatchMethod, SpendLine
from tests.catalogue.factories import PurchaseFamilyFactory
from tests.contracts.factories import make_contract


@pytest.fixture
def families(db):
    first = PurchaseFamilyFactory(code="MED-01")
    first.cpv_codes.set(["33600000"])
    return first, PurchaseFamilyFactory(code="HOT-01")


@pytest.fixture
def buyer(role_users):
    return role_users[Role.BUYER]


HEADER = "Nomenclature;Compte;Intitulé;Famille (code)\n"


def upload(text: str):
    return SimpleUploadedFile("comptes.csv", ("\ufeff" + text).encode(), content_type="text/csv")


def test_list_filters_and_exports_in_french_columns(login, buyer, families):
    med, hot = families
    AccountFamily.objects.create(
        nomenclature="M21", account="6021", label="Produits pharmaceutiques", family=med
    )
    AccountFamily.objects.create(nomenclature="M57", account="60623", label="=Alimentation", family=hot)
    client = login(buyer)
    page = client.get(reverse("spend:account_list"), {"nomenclature": "M21"})
    assert [row.record.account for row in page.context["table"].paginated_rows] == ["6021"]
    assert reverse("spend:account_update", args=[AccountFamily.objects.get(account="6021").pk]) in page.text
    assert [r.record.account for r in client.get(reverse("spend:account_list"), {"q": "alim"}).context[
        "table"].paginated_rows] == ["60623"]  # fmt: skip
    export = client.get(reverse("spend:account_list"), {"export": "csv"})
    lines = export.getvalue().decode("utf-8-sig").splitlines()
    assert lines[0] == "Nomenclature;Compte;Intitulé;Famille (code)"
    assert "M21;6021;Produits pharmaceutiques;MED-01" in lines
    assert "M57;60623;'=Alimentation;HOT-01" in lines  # a formula cell is escaped


def test_readers_see_the_list_without_edit_links(login, role_users, families):
    AccountFamily.objects.create(nomenclature="M21", account="6021", family=families[0])
    page = login(role_users[Role.GOVERNANCE]).get(reverse("spend:account_list"))
    assert page.status_code == 200
    assert "/modifier/" not in page.text
    assert "Charger les comptes par défaut" not in page.text


def test_create_update_delete_with_history(login, buyer, families):
    med, hot = families
    client = login(buyer)
    response = client.post(
        reverse("spend:account_create"),
        {"nomenclature": "M21", "account": " 6022 ", "label": "DM", "family": med.pk},
    )
    assert response.status_code == 302
    account = AccountFamily.objects.get(nomenclature="M21", account="6022")
    refused = client.post(
        reverse("spend:account_update", args=[account.pk]),
        {"nomenclature": "M21", "account": "60A2", "label": "DM", "family": hot.pk},
    )
    assert refused.status_code == 200
    assert refused.context["form"].errors["account"] == [
        "Le compte s'écrit en chiffres seulement, 20 au plus (ex. 6021 ou 60611)."
    ]
    client.post(
        reverse("spend:account_update", args=[account.pk]),
        {"nomenclature": "M21", "account": "6022", "label": "DM", "family": hot.pk},
    )
    account.refresh_from_db()
    assert account.family == hot
    assert [h.history_user for h in account.history.all()] == [buyer, buyer]
    assert client.post(reverse("spend:account_delete", args=[account.pk])).status_code == 302
    assert not AccountFamily.objects.filter(pk=account.pk).exists()
    assert account.history.first().history_type == "-"


def test_import_upserts_all_or_nothing(login, buyer, families):
    med, hot = families
    kept = AccountFamily.objects.create(nomenclature="M21", account="6021", label="ancien", family=hot)
    client = login(buyer)
    bad = HEADER + "M21;6021;Pharmacie;MED-01\nM57;6064;Fournitures;NOPE-9\n"
    response = client.post(reverse("spend:account_import"), {"file": upload(bad)})
    assert response.status_code == 400
    errors = response.context["report"].errors
    assert [(e.line, e.column) for e in errors] == [(3, "Famille (code)")]
    assert "Famille « NOPE-9 » introuvable." in errors[0].message
    kept.refresh_from_db()
    assert (kept.family, AccountFamily.objects.count()) == (hot, 1)  # nothing written

    good = HEADER + "M21;6021;Pharmacie;MED-01\nM57;6064;Fournitures;HOT-01\n"
    assert client.post(reverse("spend:account_import"), {"file": upload(good)}).status_code == 200
    kept.refresh_from_db()
    assert (kept.family, kept.label) == (med, "Pharmacie")
    assert AccountFamily.objects.get(nomenclature="M57", account="6064").family == hot


def test_load_defaults_and_reclassify_buttons(login, buyer, families, support):
    med, _ = families
    client = login(buyer)
    response = client.post(reverse("spend:account_load_defaults"), {"nomenclature": "M21"}, follow=True)
    text = [str(m) for m in response.context["messages"]]
    assert text[0].startswith("M21 : 2 compte(s) ajouté(s)")  # 6021 and 6062 are pharmaceutical products
    assert set(AccountFamily.objects.values_list("account", flat=True)) == {"6021", "6062"}
    line = SpendLine.objects.create(
        entity=support, fiscal_year=2026, mandate_number="1", paid_on=date(2026, 2, 1),
        amount_ht=Decimal("5.00"), account="60211", match_method=MatchMethod.OFF_CONTRACT,
    )  # fmt: skip
    response = client.post(reverse("spend:account_reclassify"), follow=True)
    (message,) = response.context["messages"]
    assert str(message).startswith("1 ligne(s) hors marché reclassée(s)")
    line.refresh_from_db()
    assert line.family == med


def test_contract_page_shows_consumption_only_to_spend_readers(login, role_users, support, hospital):
    contract = make_contract(buyer=support, available_to=[hospital], amount=Decimal("10000.00"))
    for number, (entity, amount) in enumerate([(support, "6000.00"), (hospital, "2500.00")]):
        SpendLine.objects.create(
            entity=entity, fiscal_year=2026, mandate_number=str(number), paid_on=date(2026, 3, number + 1),
            amount_ht=Decimal(amount), account="6022", contract=contract, match_method=MatchMethod.REFERENCE,
        )  # fmt: skip
    url = reverse("contracts:contract_detail", args=[contract.pk])
    page = login(role_users[Role.BUYER]).get(url)
    assert "Consommation" in page.text
    text = page.text.replace("\xa0", " ").replace("\u202f", " ")
    assert "8 500,00 € HT consommés</strong> sur un plafond de 10 000,00 € HT" in text
    assert "soit <strong>85,0 %</strong>" in page.text
    assert "Plus de 80 % consommés" in page.text
    assert "<caption>Consommation HT par entité, part du plafond</caption>" in page.text
    assert f"/depenses/lignes/?contract={contract.pk}" in page.text
    referent = login(role_users[Role.REFERENT]).get(
        url
    )  # the hospital's referent: its own row, the rest summed
    assert [row.name for row in referent.context["consumption"].by_entity] == [
        hospital.name,
        "Autres entités",
    ]
    prescriber = login(role_users[Role.PRESCRIBER]).get(url)
    assert prescriber.status_code == 200
    assert prescriber.context["consumption"] is None
    assert "consommation-titre" not in prescriber.text


def test_contract_page_queries_do_not_grow_with_spend(client, role_users, support, hospital, other_hospital):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    contract = make_contract(buyer=support, available_to=[hospital], amount=Decimal("10000.00"))
    client.force_login(role_users[Role.BUYER])
    url = reverse("contracts:contract_detail", args=[contract.pk])

    def visit(entities):
        for entity in entities:
            SpendLine.objects.create(
                entity=entity, fiscal_year=2026, mandate_number=f"Q{SpendLine.objects.count()}",
                paid_on=date(2026, 3, 1), amount_ht=Decimal("10.00"), account="6022", contract=contract,
            )  # fmt: skip
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        return len(queries), len(response.context["consumption"].by_entity)

    few, shown_few = visit([support])
    many, shown_many = visit([hospital, other_hospital, support])
    assert (shown_few, shown_many) == (1, 3)
    assert many == few
