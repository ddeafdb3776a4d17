"""Gains in Chromium, on the demo: the lot just awarded has its gain proposed; the buyer links it to the
action of the plan it realises and declares it; management control validates it; it then counts in the
year's synthesis and as the action's realised gain in the PAAT workbook."""

import io
import re

import openpyxl
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.html import strip_tags
from playwright.sync_api import expect

from mutualis.gains.models import Gain, GainStatus, PlanAction
from mutualis.organisations.models import User
from mutualis.procurements.analysis import project_analysis
from mutualis.procurements.models import Project
from mutualis.procurements.services import lot_award
from mutualis.www.templatetags.gains import gain_amount

from .conftest import assert_accessible, log_in, log_out

ACTION = "Mise en accessibilité de Beaune : allotissement et négociation des travaux"


def _award_first_lot(project: Project) -> Gain:
    """The legal officer awards lot 1 to its best offer today (the award page has its own journey)."""
    legal, today = User.objects.get(username="juriste"), timezone.localdate()
    analysis = next(a for a in project_analysis(project)[1] if a.lot.number == 1)
    lot_award(
        actor=legal,
        lot=analysis.lot,
        offer=analysis.best.offer,
        awarded_on=today,
        rejections_sent_on=today,
        execution_place_code=project.buyer_entity.insee_code,
    )
    return Gain.objects.get(lot=analysis.lot)


def _choose(select, starting: str) -> None:
    """Select the option whose label starts with the action's title (the label may add its year)."""
    labels = select.locator("option").all_inner_texts()
    select.select_option(label=next(label for label in labels if label.startswith(starting)))


def _validated_total(year: int):
    """The synthesis' « validé » figure, from the stored N and N+1 shares."""
    validated = Gain.objects.filter(status=GainStatus.VALIDATED)
    share_n = validated.filter(year_n=year).aggregate(total=Sum("gain_year_n"))["total"] or 0
    share_n1 = validated.filter(Q(year_n=year - 1)).aggregate(total=Sum("gain_year_n1"))["total"] or 0
    return share_n + share_n1


def test_buyer_declares_the_awarded_lot_s_gain_and_the_controller_validates_it(page):
    project = Project.objects.get(object__startswith="Travaux de mise en accessibilité")
    gain = _award_first_lot(project)
    assert gain.status == GainStatus.PROPOSED
    year = gain.year_n

    log_in(page, "acheteuse")
    page.goto(project.get_absolute_url())
    page.get_by_role("link", name=re.compile(r"an pour le lot 1$")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(gain.label[:40])
    expect(page.get_by_text("Proposé, à compléter").first).to_be_visible()
    page.get_by_role("link", name=re.compile("^Modifier le gain")).click()
    _choose(page.get_by_label("Action du plan d'actions"), ACTION)
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("link", name=ACTION)).to_be_visible()
    page.get_by_role("button", name="Déclarer le gain").click()
    expect(page.get_by_text("Déclaré, à valider").first).to_be_visible()
    assert_accessible(page)
    log_out(page)

    log_in(page, "controleur")
    page.goto(gain.get_absolute_url())
    page.get_by_role("button", name="Valider", exact=True).click()
    expect(page.get_by_text("Validé par le contrôle de gestion").first).to_be_visible()
    gain.refresh_from_db()
    assert gain.status == GainStatus.VALIDATED and gain.validated_by.username == "controleur"

    # The year's synthesis counts it, and its figure leads to the gains behind it.
    page.get_by_role("link", name=re.compile(f"^Gains achats {year}")).click()
    validated = page.get_by_role("link", name=re.compile(f"gains validés {year}"))
    expect(validated).to_contain_text(strip_tags(gain_amount(_validated_total(year))))
    assert_accessible(page)
    validated.click()
    expect(page.get_by_role("link", name=gain.label)).to_be_visible()

    # The PAAT workbook: the action, on Beaune's sheet, has this gain as realised.
    action = PlanAction.objects.get(title=ACTION)
    page.goto(f"/plan-actions/actions/?year={action.year}")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(f"^Classeur PAAT {action.year}")).click()
    workbook = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes()), data_only=True)
    sheet = next(ws for ws in workbook.worksheets if ws.title.startswith("Hospices civils de Beaune"))
    header = next(row for row in sheet.iter_rows(values_only=True) if row and "Objet de l'action" in row)
    row = next(row for row in sheet.iter_rows(values_only=True) if row and ACTION in row)
    realised = row[header.index("Gain réalisé (€)")]
    assert round(float(realised), 2) == float(gain.annual_gain)
