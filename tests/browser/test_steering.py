"""Steering in Chromium, on the demo: every role's home page passes axe; the governance committee opens
the cockpit, asks for the year's governance report and downloads its PDF and its workbook."""

import io

import openpyxl
from django.utils import timezone
from playwright.sync_api import expect

from mutualis.demo.services import DEMO_USERS

from .conftest import assert_accessible, log_in, log_out


def test_every_role_s_home_page_is_accessible(page):
    for username, *_ in DEMO_USERS:
        log_in(page, username)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(page)
        log_out(page)


def test_the_governance_committee_downloads_the_year_s_report(page):
    year = timezone.localdate().year
    log_in(page, "gouvernance")
    page.goto("/pilotage/")
    expect(page.get_by_role("heading", name="Pilotage des achats")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Rapport de gouvernance").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rapports de gouvernance")
    expect(page.get_by_label("Année")).to_have_value(str(year))
    assert_accessible(page)
    # The worker runs at once in tests (the request returns when the files are written); on a server
    # the page polls until they are ready.
    page.set_default_timeout(300_000)
    page.get_by_role("button", name="Préparer le rapport").click()
    expect(page.get_by_role("heading", name="Le rapport est prêt")).to_be_visible()
    page.set_default_timeout(30_000)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Rapport de gouvernance {year}")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le PDF").click()
    pdf = download.value.path().read_bytes()
    assert download.value.suggested_filename.endswith(".pdf") and pdf.startswith(b"%PDF")
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le classeur Excel").click()
    workbook = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes()))
    assert "Indicateurs" in workbook.sheetnames and workbook["Indicateurs"].max_row > 1
