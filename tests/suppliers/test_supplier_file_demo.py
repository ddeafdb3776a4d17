"""The supplier's file on the demo, as a new user would open it: a holder of several contracts shows
them, what the hospitals paid it and its offers."""

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from mutualis.organisations.models import User
from mutualis.procurements.models import Offer
from mutualis.suppliers.models import Supplier

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_for_module")]


def visit(client, username, supplier):
    client.force_login(User.objects.get(username=username))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(supplier.get_absolute_url())
    assert response.status_code == 200
    return response, len(queries)


def test_a_demo_holder_shows_its_contracts_spend_and_offers(client):
    supplier = Supplier.objects.annotate(n=Count("contracts")).order_by("-n", "pk").first()
    response, queries = visit(client, "admin", supplier)
    # A fixed number whatever its rows (test_supplier_file.py checks it against them): identity, contracts,
    # spend, bids, incidents, QCD scores and this year's risk flags (each kind's finder reads its rows).
    assert queries < 45
    file = response.context["file"]
    assert len(file.contracts) == supplier.n > 1
    assert file.all.count == supplier.n and file.all.amount > 0
    assert file.spend, "the demo imports a year of mandates per establishment"
    html = response.content.decode()
    for row in file.contracts:
        assert row.contract.get_absolute_url() in html


def test_a_demo_bidder_shows_its_offers_to_the_team_only(client):
    offer = Offer.objects.select_related("supplier").order_by("pk").first()
    bids = visit(client, "acheteur", offer.supplier)[0].context["file"].bids
    assert offer.pk in {bid.offer.pk for bid in bids}
    assert visit(client, "prescripteur", offer.supplier)[0].context["file"].bids is None


def test_demo_suppliers_come_with_the_shipped_sirene_extract_and_inclusion_list(client):
    """load_demo reads the illustrative extract through the real import: commune, category, legal form,
    dates of data, a few in the Côte-d'Or and four inclusive structures."""
    assert not Supplier.objects.filter(sirene_date__isnull=True).exists()
    assert Supplier.objects.filter(insee_code__startswith="21").count() >= 10
    assert set(Supplier.objects.exclude(inclusion_kind="").values_list("inclusion_kind", flat=True)) == {
        "EI", "ACI", "EA", "ESAT"
    }  # fmt: skip
    esat = Supplier.objects.get(inclusion_kind="ESAT")
    assert esat.is_ea_esat and not esat.is_siae
    partial = Supplier.objects.get(identifier="79403450400017")  # an individual, partially diffusible
    assert partial.address == "" and partial.legal_form == "1000" and partial.insee_code
    html = visit(client, "acheteur", esat)[0].content.decode()
    assert "Établissement et service d&#x27;aide par le travail (ESAT)" in html
    assert "données du 31/10/2026" in html and "liste de l'inclusion du 15/11/2026" in html
