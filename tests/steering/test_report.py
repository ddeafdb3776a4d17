"""The governance report on the hand-built territory of tests/steering/dataset.py: asked on its page, built
by the worker (the immediate backend in tests), its PDF read back (text, tags, the charts' alternatives)
and its workbook read back (figures, escaped texts); who may ask for and open which report; a quarter; a
failure said on the run's page."""

import io
import re
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from mutualis.gains.models import PlanAction
from mutualis.gains.services import plan_action_save
from mutualis.organisations.roles import Role
from mutualis.steering.flags import flags_for
from mutualis.steering.indicators import Scope, compute
from mutualis.steering.models import GovernanceReport, ImprovementAction, Objective, ReportStatus
from mutualis.steering.services.reports import report_request
from mutualis.steering.tasks import progress_key
from tests.steering import dataset
from tests.steering.pdf_text import objects, pdf_text


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def data(support, hospital, other_hospital, role_users, media):
    return dataset.build(
        support=support, hospital=hospital, other_hospital=other_hospital, buyer=role_users[Role.BUYER]
    )


@pytest.fixture
def ask(login, django_capture_on_commit_callbacks):
    """Ask for a report on its page as `user`; the worker runs it when the request commits."""

    def _ask(user, **fields):
        client = login(user)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("steering:report_create"), fields)
        return client, response

    return _ask


def download(client, name: str, report) -> bytes:
    response = client.get(reverse(f"steering:{name}", args=[report.pk]))
    assert response.status_code == 200, name
    return b"".join(response.streaming_content)


def sheet_rows(data: bytes, sheet: str) -> list[tuple]:
    return list(openpyxl.load_workbook(io.BytesIO(data))[sheet].iter_rows(values_only=True))


def indicators_of(workbook: bytes) -> dict[str, dict]:
    header, *rows = sheet_rows(workbook, "Indicateurs")
    return {row[0]: dict(zip(header, row, strict=True)) for row in rows}


def test_the_year_s_report_is_built_in_the_background_and_its_pdf_says_every_figure(
    data, ask, role_users, support
):
    """Environmental share 2025: C2 and C3 of the four contracts, 50 %, against an objective of 60 %.
    Action plan 2025: one action, 100 units from 10 € to 8 €: 200,00 € a year expected."""
    governance = role_users[Role.GOVERNANCE]
    Objective.objects.create(
        indicator="environmental_share", year=2025, target=Decimal(60), source="=SOMME(A1)"
    )
    plan_action_save(
        actor=role_users[Role.BUYER],
        action=PlanAction(
            year=2025, title="Linge : allotissement", planned_quarter="2025-T1",
            reference_unit_price=Decimal(10), new_unit_price=Decimal(8), quantity=Decimal(100),
        ),
        entities=[support],
    )  # fmt: skip
    ImprovementAction.objects.create(
        kind="corrective", title="Relancer les DECP", owner=governance, due_on=date(2025, 1, 31)
    )
    client, response = ask(governance, year=2025)
    report = GovernanceReport.objects.get()
    assert response.status_code == 302 and response.url == reverse("steering:report_detail", args=[report.pk])
    assert report.status == ReportStatus.DONE and report.finished_at and report.requested_by == governance
    page = client.get(response.url).content.decode()
    assert reverse("steering:report_pdf", args=[report.pk]) in page
    assert reverse("steering:report_xlsx", args=[report.pk]) in page
    assert client.get(response.url, {"format": "json"}).json()["percent"] == 100

    pdf = download(client, "report_pdf", report)
    assert pdf.startswith(b"%PDF")
    heads = b"\n".join(head for head, _ in objects(pdf).values())
    # Tagged (PDF/UA): marked content, a structure tree, the language and the title shown.
    assert b"/MarkInfo <</Marked true>>" in heads and b"/StructTreeRoot" in heads
    assert b"/Lang (fr)" in heads and b"/DisplayDocTitle true" in heads
    text = pdf_text(pdf).replace("\n", " ")
    shown = compute(Scope(2025), governance)  # the indicators this role reads, as on the cockpit
    for item in shown.values():
        assert item.indicator.label in text, item.indicator.label
    assert "500\u202f000,00\u202f€" in text  # the amount notified, written as the cockpit writes it
    assert "Non atteint −10\u202fpoints" in text and "=SOMME(A1)" in text
    charts = client.get(reverse("steering:cockpit"), {"year": 2025}).context["charts"]
    for chart in charts:
        assert f"Données du graphique « {chart.title} »" in text
    assert "Contrats notifiés 2021 0 2022 0 2023 0 2024 1 2025 4" in text  # the first chart's table
    # Each chart is a figure whose alternative says what it shows and that its table follows.
    alternatives = [
        bytes.fromhex(value.decode()).decode("utf-16")
        for value in re.findall(rb"/Alt <([0-9a-fA-F]+)>", heads)
    ] + [value.decode() for value in re.findall(rb"/Alt \(([^)]*)\)", heads)]
    assert [chart.alt for chart in charts] == alternatives
    assert "Plan d'actions achats 2025" in text and "Prévue 1 200,00\u202f€" in text
    assert "Actions d'amélioration ouvertes : 1, dont 1 en retard" in text
    # The risk flags: C1, an open tender with one offer; C3, whose essential data are still unpublished.
    flags = flags_for(Scope(2025), governance)
    assert {"single_offer", "decp_late"} <= {flag.kind for flag in flags}
    assert "Offre unique en procédure formalisée 1" in text
    for flag in flags:
        assert f"{flag.title} {flag.severity_label} {flag.explanation} Non examiné" in text, flag.title


def test_the_workbook_has_the_indicators_the_charts_tables_and_the_plan(data, ask, role_users, support):
    Objective.objects.create(
        indicator="environmental_share", year=2025, target=Decimal(60), source="=SOMME(A1)"
    )
    client, _ = ask(role_users[Role.BUYER], year=2025)
    workbook = download(client, "report_xlsx", GovernanceReport.objects.get())
    book = openpyxl.load_workbook(io.BytesIO(workbook))
    assert book.sheetnames[:2] == ["Rapport", "Indicateurs"] and book.sheetnames[-3:] == [
        "Signaux",
        "Plan d'actions",
        "Satisfaction",
    ]
    assert len(book.sheetnames) == 2 + 5 + 3  # one sheet per chart
    figures = indicators_of(workbook)
    assert list(figures) == list(compute(Scope(2025), role_users[Role.BUYER]))
    amount = figures["amount_notified"]
    assert (amount["Valeur"], amount["Un an avant"], amount["Évolution"]) == (500000, 100000, 400000)
    assert amount["Unité"] == "€ HT" and amount["Définition"].startswith("Somme des montants initiaux")
    environmental = figures["environmental_share"]
    assert (environmental["Valeur"], environmental["Objectif"], environmental["Écart à l'objectif"]) == (
        50,
        60,
        -10,
    )
    assert environmental["Objectif atteint"] == "Non"
    # A text typed by someone that a spreadsheet would run is written behind an apostrophe.
    assert environmental["Origine de l'objectif"] == "'=SOMME(A1)"
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert figures["insertion_hours"]["Valeur"] is None  # « non disponible » is no made-up zero
    by_year = book.worksheets[2]
    assert by_year.title == "1. Contrats notifiés par année"
    rows = list(by_year.iter_rows(values_only=True))
    assert rows[1] == ("Libellé", "Contrats notifiés") and rows[-2:] == [("2024", 1), ("2025", 4)]
    assert len(by_year._charts) == 1  # the same chart, drawn by the spreadsheet from its table
    header, *flags = sheet_rows(workbook, "Signaux")
    assert header[:3] == ("Signal", "Nature", "Gravité")
    assert [row[0] for row in flags] == [
        flag.title for flag in flags_for(Scope(2025), role_users[Role.BUYER])
    ]
    assert ("Offre unique en procédure formalisée", "élevée") in [row[1:3] for row in flags]
    plan = sheet_rows(workbook, "Plan d'actions")
    assert plan[0] == ("Plan d'actions achats 2025", None, None, None, None, None)
    assert ("Total", 0, 0, 0, 0, 0) in plan


def test_a_referent_asks_for_their_entities_only_and_opens_no_other_report(
    data, ask, role_users, hospital, other_hospital, login
):
    referent, buyer = role_users[Role.REFERENT], role_users[Role.BUYER]
    client, response = ask(referent, year=2025, entity=other_hospital.pk)
    assert response.status_code == 400 and "entity" in response.context["form"].errors
    assert not GovernanceReport.objects.exists()
    with pytest.raises(PermissionDenied):
        report_request(actor=referent, year=2025, entity=other_hospital)
    with pytest.raises(PermissionDenied):
        report_request(actor=role_users[Role.PRESCRIBER], year=2025)

    _, response = ask(buyer, year=2025, entity=other_hospital.pk)
    others = GovernanceReport.objects.get(entity=other_hospital)
    _, response = ask(buyer, year=2025)
    territory = GovernanceReport.objects.get(entity=None)
    client, response = ask(referent, year=2025)
    own = GovernanceReport.objects.get(requested_by=referent)
    client = login(referent)
    for report in (others, territory):
        for name in ("report_detail", "report_pdf", "report_xlsx"):
            assert client.get(reverse(f"steering:{name}", args=[report.pk])).status_code == 404, name
    listed = client.get(reverse("steering:report_list")).context["object_list"]
    assert list(listed) == [own]
    # Without an entity, the referent's report counts their entities' rows only, as the cockpit does.
    figures = indicators_of(download(client, "report_xlsx", own))
    expected = compute(Scope(2025), referent)
    assert figures["amount_notified"]["Valeur"] == expected["amount_notified"].value
    assert expected["amount_notified"].value != Decimal("500000.00")
    # The team's report of the other hospital is theirs to open.
    assert download(login(buyer), "report_pdf", others).startswith(b"%PDF")


def test_a_quarter_s_report(data, ask, role_users):
    """T1 2025: C4 (31 Jan), C1 (10 Mar) and C2 (31 Mar) notified; C3 in June is not."""
    client, response = ask(role_users[Role.BUYER], year=2025, quarter=1)
    report = GovernanceReport.objects.get()
    assert report.quarter == 1 and report.status == ReportStatus.DONE
    figures = indicators_of(download(client, "report_xlsx", report))
    assert figures["contracts_notified"]["Valeur"] == 3
    assert figures["amount_notified"]["Valeur"] == 450000
    text = pdf_text(download(client, "report_pdf", report))
    assert "T1 2025, tout le territoire" in text
    response = client.get(reverse("steering:report_pdf", args=[report.pk]))
    assert f'filename="rapport-gouvernance-2025-T1-{report.pk}.pdf"' in response["Content-Disposition"]


def test_a_failure_is_recorded_and_said_on_the_run_s_page(data, ask, role_users, monkeypatch):
    def broken(content):
        raise RuntimeError("Police de caractères introuvable")

    monkeypatch.setattr("mutualis.steering.report.pdf.render_pdf", broken)
    client, response = ask(role_users[Role.BUYER], year=2025)
    report = GovernanceReport.objects.get()
    assert report.status == ReportStatus.FAILED and report.finished_at
    assert report.message == "Police de caractères introuvable"
    page = client.get(response.url).content.decode()
    assert "Le rapport n'a pas pu être préparé." in page and "Police de caractères introuvable" in page
    assert client.get(response.url, {"format": "json"}).json()["status"] == "failed"
    assert client.get(reverse("steering:report_pdf", args=[report.pk])).status_code == 404


def test_a_running_report_shows_its_progress_polled_by_a_script(db, login, role_users):
    buyer = role_users[Role.BUYER]
    report = GovernanceReport.objects.create(year=2025, requested_by=buyer, status=ReportStatus.RUNNING)
    cache.set(progress_key(report.pk), {"progress": 0.45})
    client = login(buyer)
    url = reverse("steering:report_detail", args=[report.pk])
    page = client.get(url).content.decode()
    assert '<progress id="barre" class="w-100" max="100" value="45">' in page
    assert "import-progress.js" in page and "<script>" not in page
    assert client.get(url, {"format": "json"}).json() == {
        "status": "running", "label": "En cours", "progress": 0.45, "percent": 45, "text": "En cours — 45 %.",
    }  # fmt: skip
    assert reverse("steering:report_list") in client.get(reverse("steering:cockpit")).content.decode()
