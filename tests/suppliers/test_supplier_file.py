"""The supplier's file: identity, contracts, spend and bids, each for the reader, with exports, in a fixed
number of queries."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal
from itertools import count

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mutualis.contracts.models import Contract
from mutualis.contracts.services import HolderInput, amendment_add, contract_save
from mutualis.organisations.roles import Role
from mutualis.spend.cube import spend_cube_refresh
from mutualis.spend.models import MatchMethod, SpendLine
from mutualis.suppliers.models import SizeCategory
from tests.contracts.factories import make_contract
from tests.evaluations.factories import make_incident
from tests.evaluations.qcd_factories import answer_all, launch
from tests.procurements.factories import project_awarded
from tests.suppliers.factories import SupplierFactory

_mandate = count(1)


def today():
    return timezone.localdate()


def held(supplier, *, buyer, role="sole", others=(), available_to=(), **fields):
    """A contract held by `supplier` in `role`, with `others` as fellow holders of a joint contractor."""
    fields.setdefault("notification_date", today() - timedelta(days=30))
    contract = Contract(
        buyer=buyer,
        reference=fields.pop("reference"),
        object=fields.pop("object", "Fourniture de consommables médicaux"),
        techniques=["Sans objet"],
        execution_modes=["Sans objet"],
        cpv_id="33141000",
        procedure="Procédure adaptée",
        price_types=["Définitif ferme"],
        price_form="Forfaitaire",
        firm_duration_months=12,
        social_considerations=["Pas de considération sociale"],
        environmental_considerations=["Pas de considération environnementale"],
        grouping_kind="Conjoint" if others else "Pas de groupement",
        **fields,
    )
    holders = [HolderInput(supplier=supplier, role=role, contact_name="Jeanne Martin",
                           contact_email="jeanne.martin@example.fr")]  # fmt: skip
    holders += [HolderInput(supplier=other, role="member") for other in others]
    return contract_save(actor=None, contract=contract, holders=holders, available_to=list(available_to))


@pytest.fixture
def supplier(db):
    return SupplierFactory(name="Blanchisserie du Val", insee_code="21231", size_category=SizeCategory.PME)


@pytest.fixture
def registry(supplier, support, hospital, other_hospital):
    """Three contracts of the supplier: one running for the territory (with an amendment), one past of
    the member hospital (as lead of a joint contractor), one running of another hospital (as member)."""
    running = held(supplier, buyer=support, reference="R-COURANT", amount=Decimal("100000.00"),
                   available_to=[hospital])  # fmt: skip
    amendment_add(
        actor=None, contract=running, notified_on=running.notification_date + timedelta(days=5),
        kind="non_substantial", description="Avenant n° 1", amount_change=Decimal("5000.00"),
    )  # fmt: skip
    past = held(supplier, buyer=hospital, reference="R-PASSE", role="lead", others=[SupplierFactory()],
                amount=Decimal("50000.00"), notification_date=date(2020, 1, 1))  # fmt: skip
    elsewhere = held(supplier, buyer=other_hospital, reference="R-AILLEURS", role="member",
                     others=[SupplierFactory()], amount=Decimal("30000.00"))  # fmt: skip
    return running, past, elsewhere


def page(client, user, supplier, **params):
    client.force_login(user)
    response = client.get(supplier.get_absolute_url(), params)
    assert response.status_code == 200
    return response


def test_identity_with_siren_territory_and_unknowns(client, role_users, supplier, hospital):
    hospital.insee_code = "21054"  # Beaune: the territory has a member in the Côte-d'Or
    hospital.save()
    response = page(client, role_users[Role.BUYER], supplier)
    html = response.content.decode()
    identity = html[html.index('id="identite-titre"') : html.index('id="contrats-titre"')]
    assert supplier.identifier[:9] in identity and "SIREN" in identity
    assert "Dijon (code INSEE 21231)" in identity
    assert "Situé sur le territoire</dt><dd" in identity
    assert response.context["file"].located is True
    # No address, legal form nor activity known: said so, with what will fill them, never blank.
    assert identity.count("non renseigné") == 3
    assert "jamais rapprochée de SIRENE" in identity


def test_located_outside_or_unknown(client, role_users, hospital, db):
    hospital.insee_code = "21054"
    hospital.save()
    outside = SupplierFactory(insee_code="75056")
    unknown = SupplierFactory()
    assert page(client, role_users[Role.BUYER], outside).context["file"].located is False
    assert page(client, role_users[Role.BUYER], unknown).context["file"].located is None


def test_contracts_running_and_past_with_totals(client, role_users, supplier, registry):
    file = page(client, role_users[Role.BUYER], supplier).context["file"]
    # Running first (both notified 30 days ago), then the past one.
    assert [row.contract.reference for row in file.contracts][-1] == "R-PASSE"
    assert {row.contract.reference for row in file.contracts[:2]} == {"R-COURANT", "R-AILLEURS"}
    roles = {row.contract.reference: row.holder.role for row in file.contracts}
    assert roles == {"R-COURANT": "sole", "R-PASSE": "lead", "R-AILLEURS": "member"}
    statuses = {row.contract.reference: row.status for row in file.contracts}
    assert statuses == {"R-COURANT": "En cours", "R-PASSE": "Terminé", "R-AILLEURS": "En cours"}
    # Worked by hand: running 100 000 + 5 000 (amendment) + 30 000; all adds the past 50 000.
    assert (file.running.count, file.running.amount) == (2, Decimal("135000.00"))
    assert (file.all.count, file.all.amount) == (3, Decimal("185000.00"))
    assert [c["name"] for c in file.contacts] == ["Jeanne Martin"]
    assert len(file.contacts[0]["contracts"]) == 3


def test_an_entity_role_sees_its_entities_contracts_only(client, role_users, supplier, registry):
    file = page(client, role_users[Role.REFERENT], supplier).context["file"]
    assert {row.contract.reference for row in file.contracts} == {"R-COURANT", "R-PASSE"}
    assert (file.running.count, file.running.amount) == (1, Decimal("105000.00"))
    assert (file.all.count, file.all.amount) == (2, Decimal("155000.00"))


def line(entity, amount, year, *, siren="", contract=None):
    return SpendLine(
        entity=entity, fiscal_year=year, mandate_number=f"M{next(_mandate)}", paid_on=date(year, 6, 1),
        supplier_siren=siren, amount_ht=Decimal(amount), account="6022", contract=contract,
        match_method=MatchMethod.REFERENCE if contract else MatchMethod.OFF_CONTRACT,
    )  # fmt: skip


@pytest.fixture
def spend(supplier, registry, support, hospital):
    running = registry[0]
    siren = supplier.siren
    SpendLine.objects.bulk_create([
        line(support, "999.00", 2022, siren=siren),  # older than the last three years: not shown
        line(support, "1000.00", 2023, siren=siren, contract=running),
        line(support, "3000.00", 2023, siren="123456789"),
        line(support, "2000.00", 2025, siren="123456789"),  # 2025: nothing paid to the supplier
        line(support, "1200.00", 2026, siren=siren, contract=running),
        line(hospital, "300.00", 2026, siren=siren),  # off contract, the member hospital
        line(hospital, "1500.00", 2026, siren="123456789"),
        line(support, "3000.00", 2026, siren="123456789"),
    ])  # fmt: skip
    spend_cube_refresh()


def test_spend_per_year_and_share(client, role_users, supplier, spend):
    years = page(client, role_users[Role.BUYER], supplier).context["file"].spend
    assert [y.year for y in years] == [2026, 2025, 2023]
    y2026, y2025, y2023 = years
    # 2026: 1 200 + 300 paid to the supplier out of 1 200 + 300 + 1 500 + 3 000 = 6 000, i.e. 25 %.
    assert (y2026.amount, y2026.on_contract, y2026.off_contract) == (Decimal("1500.00"), Decimal("1200.00"),
                                                                     Decimal("300.00"))  # fmt: skip
    assert (y2026.lines, y2026.scope_total, y2026.share_text) == (2, Decimal("6000.00"), "25\u202f%")
    assert (y2025.amount, y2025.scope_total, y2025.share) == (Decimal("0.00"), Decimal("2000.00"), 0)
    assert (y2023.amount, y2023.scope_total, y2023.share_text) == (Decimal("1000.00"), Decimal("4000.00"),
                                                                   "25\u202f%")  # fmt: skip


def test_an_entity_role_sees_its_entities_spend_only(client, role_users, supplier, spend):
    years = page(client, role_users[Role.REFERENT], supplier).context["file"].spend
    # The member hospital paid only in 2026: 300 of its 1 800, i.e. 16,7 %.
    assert [(y.year, y.amount, y.scope_total, y.share_text) for y in years] == [
        (2026, Decimal("300.00"), Decimal("1800.00"), "16,7\u202f%")
    ]


def test_readers_without_spend_rights_get_no_spend_section(client, role_users, supplier, spend):
    response = page(client, role_users[Role.PRESCRIBER], supplier)
    assert response.context["file"].spend is None
    assert 'id="depense-titre"' not in response.content.decode()


def test_bids_and_what_was_won(client, role_users, team, support, hospital):
    buyer, legal = team
    project = project_awarded(buyer=buyer, legal=legal, entities=[hospital], buyer_entity=support)
    lot = project.lots.get()
    winner = lot.awarded_offer.supplier
    loser = lot.offers.exclude(pk=lot.awarded_offer_id).first().supplier
    won = page(client, buyer, winner).context["file"]
    assert [(bid.offer.lot_id, bid.result) for bid in won.bids] == [(lot.pk, "Retenue")]
    assert won.won_bids == 1
    assert [row.status for row in won.contracts] == ["Non notifié"]  # the award's contract, to notify
    lost = page(client, buyer, loser)
    assert [bid.result for bid in lost.context["file"].bids] == ["Non retenue"]
    assert project.get_absolute_url() in lost.content.decode()
    # Offers are business secrets: a referent of the hospital sees the project, not the offers.
    hidden = page(client, role_users[Role.REFERENT], loser)
    assert hidden.context["file"].bids is None
    assert "secret des affaires" in hidden.content.decode()


def test_exports_give_the_rows_shown(client, role_users, supplier, registry, spend):
    client.force_login(role_users[Role.REFERENT])
    response = client.get(supplier.get_absolute_url(), {"export": "csv", "table": "contrats"})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Statut", "Référence", "Objet"]
    assert sorted(row[1] for row in rows[1:]) == ["R-COURANT", "R-PASSE"]
    spend_csv = client.get(supplier.get_absolute_url(), {"export": "csv", "table": "depense"})
    spend_rows = list(csv.reader(io.StringIO(spend_csv.getvalue().decode("utf-8-sig")), delimiter=";"))
    assert [row[:2] for row in spend_rows[1:]] == [["2026", "300.00"]]
    xlsx = client.get(supplier.get_absolute_url(), {"export": "xlsx", "table": "offres"})
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxml")


def test_exported_cells_never_start_a_formula(client, role_users, supplier, support):
    held(supplier, buyer=support, reference="R-FORMULE", object="=HYPERLINK(\"http://x\")",
         amount=Decimal("1000.00"))  # fmt: skip
    client.force_login(role_users[Role.BUYER])
    response = client.get(supplier.get_absolute_url(), {"export": "csv", "table": "contrats"})
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig")), delimiter=";"))
    assert not rows[1][2].startswith("=")


def test_the_page_holds_its_queries_whatever_the_rows(client, role_users, team, support, hospital):
    """1 contract (with a fellow holder) and spend line, then 20 of each: the same number of queries."""
    buyer = team[0]

    def supplier_with(n):
        supplier = SupplierFactory()
        for i in range(n):
            contract = held(supplier, buyer=support, reference=f"Q{n}-{i}", others=[SupplierFactory()],
                            available_to=[hospital], amount=Decimal("1000.00"))  # fmt: skip
            SpendLine.objects.bulk_create([line(hospital, "10.00", 2020 + i % 4, siren=supplier.siren,
                                                contract=contract)])  # fmt: skip
            # Each contract evaluated by the hospital that used it, and an incident on it.
            campaign, _ = launch(buyer, contract=contract, period=(date(2020, 1, 1), date(2023, 12, 31)))
            answer_all(role_users[Role.REFERENT], campaign.evaluations.get(), lambda criterion: 3)
            make_incident(
                buyer,
                contract=contract,
                entity=hospital,
                supplier=supplier,
                occurred_on=today() - timedelta(days=2),
            )
        return supplier

    def queries(user, supplier, **params):
        client.force_login(user)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(supplier.get_absolute_url(), params).status_code == 200
        return len(captured)

    one, twenty = supplier_with(1), supplier_with(20)
    spend_cube_refresh()
    for user in (buyer, role_users[Role.REFERENT]):
        assert queries(user, twenty) == queries(user, one)
        assert queries(user, twenty, export="xlsx", table="contrats") == queries(
            user, one, export="xlsx", table="contrats"
        )
    response = page(client, buyer, twenty)
    assert len(response.context["file"].contracts) == 20 and len(response.context["file"].spend) == 3
    assert len(response.context["qcd_history"]) == 1 and len(response.context["incidents"]) == 20


def test_the_page_holds_its_queries_whatever_the_bids(client, team, support, hospital):
    buyer, legal = team
    first = project_awarded(buyer=buyer, legal=legal, entities=[hospital], buyer_entity=support)
    bidder = first.lots.get().awarded_offer.supplier
    client.force_login(buyer)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(bidder.get_absolute_url())
        return len(captured), len(response.context["file"].bids)

    few = queries()
    second = project_awarded(buyer=buyer, legal=legal, entities=[hospital], buyer_entity=support)
    offer = second.lots.get().offers.first()
    offer.supplier = bidder  # the same bidder on a second project
    offer.save()
    many = queries()
    assert many[1] == few[1] + 1 and many[0] == few[0]


def test_the_supplier_list_holds_its_queries_whatever_the_contracts(client, role_users, support, hospital):
    suppliers = [SupplierFactory() for _ in range(3)]
    client.force_login(role_users[Role.REFERENT])

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/fournisseurs/").status_code == 200
        return len(captured)

    make_contract(buyer=hospital, holders=suppliers[:1])
    few = queries()
    for _ in range(10):
        make_contract(buyer=hospital, holders=suppliers, available_to=[support])
    assert queries() == few


def test_a_supplier_without_siren_says_why_it_has_no_spend(client, role_users, spend):
    foreign = SupplierFactory(identifier_kind="HORS-UE", identifier="US123456789")
    response = page(client, role_users[Role.BUYER], foreign)
    assert all(year.amount == 0 for year in response.context["file"].spend)
    html = response.content.decode()
    assert "SIREN</dt><dd" in html and "sans objet" in html
    assert "rattachés aux fournisseurs par leur SIRET ou leur SIREN" in html
