"""The QCD evaluation in Chromium: a buyer launches the evaluation of a contract from its page, the referents
of two establishments that used it answer on the grid, and the result, weighted by what each consumed,
appears on the contract's page beside the renewal decision and on the supplier's file."""

import re
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count
from django.utils import timezone
from playwright.sync_api import expect

from mutualis.evaluations.models import EvaluationCampaign
from mutualis.spend.models import SpendLine

from .conftest import assert_accessible, log_in, log_out

BEAUNE, SEMUR = "20004782700015", "26210018300017"  # the demo's two referents' establishments
TITLE = "Évaluation des réactifs : derniers mois"


def _contract_used_by_both(start, end):
    """A demo contract both establishments paid for over the period, not evaluated yet."""
    row = (
        SpendLine.objects.filter(
            contract__family__code="MED-01",
            contract__framework__isnull=True,
            entity__siret__in=[BEAUNE, SEMUR],
            paid_on__gte=start,
            paid_on__lte=end,
        )
        .exclude(contract__evaluation_campaigns__isnull=False)
        .values("contract_id")
        .annotate(payers=Count("entity", distinct=True))
        .filter(payers=2)
        .order_by("contract_id")
        .first()
    )
    return SpendLine.objects.filter(contract_id=row["contract_id"]).first().contract


def _answer(page, username: str, mark: str) -> None:
    log_out(page)
    log_in(page, username)
    home = page.get_by_role("region", name="Évaluations fournisseurs à remplir")
    home.get_by_role("link", name=re.compile(TITLE)).click()
    page.get_by_role("link", name=re.compile(r"^Évaluer :")).click()
    expect(page.get_by_role("heading", name="Incidents de la période")).to_be_visible()
    for radio in page.locator(f"input[type=radio][value='{mark}']").all():
        radio.check()
    assert_accessible(page)
    page.get_by_role("button", name="Enregistrer l'évaluation").click()
    expect(page.locator(".alert-success")).to_contain_text("Merci")


def test_a_buyer_launches_two_referents_answer_and_the_scores_show_on_contract_and_supplier(page):
    today = timezone.localdate()
    start, end = today - timedelta(days=150), today - timedelta(days=1)
    contract = _contract_used_by_both(start, end)

    log_in(page, "acheteur")
    page.goto(contract.get_absolute_url())
    expect(page.get_by_text("Ce contrat n'a pas encore été évalué")).to_be_visible()
    page.get_by_role("link", name=re.compile("Lancer une évaluation")).click()
    page.get_by_label("Intitulé").fill(TITLE)
    page.get_by_label("Début de la période évaluée").fill(start.isoformat())
    page.get_by_label("Fin de la période évaluée").fill(end.isoformat())
    page.get_by_label("Réponses attendues pour le").fill((today + timedelta(days=15)).isoformat())
    assert_accessible(page)
    page.get_by_role("button", name="Lancer la campagne").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator(".alert-success")).to_contain_text("Campagne lancée")
    assert_accessible(page)
    campaign = EvaluationCampaign.objects.get(title=TITLE)
    consumption = {e.entity.siret: e.consumption for e in campaign.evaluations.select_related("entity")}
    assert {BEAUNE, SEMUR} <= set(consumption)

    _answer(page, "referent", "4")
    _answer(page, "referente", "2")

    # Weighted by what each consumed over the period; the establishments without a referent are pending.
    expected = (4 * consumption[BEAUNE] + 2 * consumption[SEMUR]) / (consumption[BEAUNE] + consumption[SEMUR])
    shown = str(expected.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)).replace(".", ",")
    page.goto(contract.get_absolute_url())
    scores = page.get_by_role("table", name=re.compile("Notes données par les entités utilisatrices"))
    row = scores.get_by_role("row").filter(has_text=TITLE)
    expect(row).to_contain_text(shown)
    expect(row).to_contain_text("pondérée par la consommation")
    assert_accessible(page)

    page.goto(contract.holders.first().get_absolute_url())
    scores = page.get_by_role("table", name=re.compile("Notes du fournisseur par période évaluée"))
    expect(scores.get_by_role("row").filter(has_text=TITLE)).to_contain_text(shown)
    assert_accessible(page)
