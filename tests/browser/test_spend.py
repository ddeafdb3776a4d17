"""Spend in Chromium, on the demo: the referent of Beaune imports his accountant's export from the page;
the run waits for the worker, its progress bar follows it to the end; the contract he ordered on shows the
new consumption, and the off-contract order is in the spend map, one click from its line."""

import csv
import re

from django.utils import timezone
from django.utils.formats import number_format
from playwright.sync_api import expect

import mutualis.spend.services
from mutualis.contracts.models import Contract
from mutualis.organisations.models import Entity
from mutualis.spend.consumption import contract_consumption
from mutualis.spend.models import SpendImport
from mutualis.spend.tasks import run_spend_import
from tests.organisations.factories import make_siret

from .conftest import assert_accessible, log_in

BEAUNE = "20004782700015"
SHOP = "Papeterie du Beffroi"
HEADER = "exercice numero_mandat date siret_fournisseur fournisseur montant_ht compte numero_marche libelle"
HEADER = HEADER.split()


class _Queue:
    """Stands for the worker's queue: the run waits, as in production, until the test plays the worker."""

    def __init__(self):
        self.run_ids = []

    def enqueue(self, run_id):
        self.run_ids.append(run_id)


def _export(folder, contract: Contract) -> str:
    """Two mandates as a finance export writes them: one on the contract, one off contract."""
    year, day = timezone.localdate().year, timezone.localdate().strftime("%d/%m/%Y")
    holder = contract.holders.first()
    path = folder / "mandats_beaune.csv"
    with path.open("w", encoding="cp1252", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(HEADER)
        writer.writerow([year, "99T0001", day, holder.identifier, holder.name, "12 345,67", "6064",
                         contract.reference, "Commande"])  # fmt: skip
        writer.writerow([year, "99T0002", day, make_siret(), SHOP, "777,77", "6064", "", "Ramettes"])
    return str(path)


def test_referent_imports_his_mandates_and_finds_them_on_the_contract_and_in_the_map(
    page, tmp_path, monkeypatch
):
    beaune = Entity.objects.get(siret=BEAUNE)
    contract = (
        Contract.objects.usable_by_entities([beaune.pk])
        .in_force()
        .filter(holders__identifier_kind="SIRET", family__isnull=False)
        .order_by("pk")
        .first()
    )
    queue = _Queue()
    monkeypatch.setattr(mutualis.spend.services, "run_spend_import", queue)

    log_in(page, "referent")
    page.get_by_role("link", name="Dépenses", exact=True).click()
    page.get_by_role("link", name="Importer des mandats").click()
    page.get_by_label("Entité qui a payé ces mandats").select_option(label=str(beaune))
    page.get_by_label("Fichiers de mandats").set_input_files(_export(tmp_path, contract))
    page.get_by_role("button", name="Lancer l'import").click()

    bar = page.get_by_role("progressbar")
    expect(bar).to_be_visible()
    assert bar.get_attribute("value") == "0"
    assert_accessible(page)
    # The worker takes the queued run while the page polls; the page then shows the result by itself.
    (run_id,) = queue.run_ids
    run_spend_import.call(run_id)
    expect(page.get_by_role("heading", name="Import terminé")).to_be_visible(timeout=15_000)
    run = SpendImport.objects.get(pk=run_id)
    assert (run.counts["created"], run.counts["rejected"]) == (2, 0)

    page.goto(contract.get_absolute_url())
    section = page.locator("section", has=page.get_by_role("heading", name="Consommation"))
    mine = next(
        r for r in contract_consumption(contract, entity_ids=[beaune.pk]).by_entity if r.name == beaune.name
    )
    expect(section.get_by_role("row", name=re.compile(re.escape(beaune.name)))).to_contain_text(
        number_format(mine.amount, decimal_pos=2, use_l10n=True, force_grouping=True)
    )

    page.goto("/depenses/")
    off_contract = page.locator(
        "section", has=page.get_by_role("heading", name=re.compile("hors marché par famille"))
    )
    off_contract.get_by_role("link", name=re.compile("total hors marché$")).last.click()
    expect(page.get_by_role("cell", name=SHOP)).to_be_visible()
    assert_accessible(page)
