"""The internal clients' satisfaction in the governance report: per module for the report's year, in its
workbook's sheet and its PDF, a module under five answers masked (tests/clients/test_satisfaction.py works
the threshold by hand)."""

import pytest
from django.utils import timezone

from mutualis.clients.satisfaction import MASKED
from mutualis.organisations.roles import Role
from mutualis.steering.models import GovernanceReport
from tests.clients.test_satisfaction import answer, deliver
from tests.steering.pdf_text import pdf_text

from .test_report import ask, download, media, sheet_rows  # noqa: F401 (ask, media: fixtures)

pytestmark = pytest.mark.django_db


def test_the_report_carries_the_satisfaction_per_module(ask, role_users, hospital, media):  # noqa: F811
    prescriber, buyer = role_users[Role.PRESCRIBER], role_users[Role.BUYER]
    for score in (5, 4, 4, 3, 4):  # sourcing: (5+4+4+3+4)/5 = 4.00
        answer(deliver(prescriber, buyer, hospital).survey, prescriber, score, comment="Nom caché")
    answer(deliver(prescriber, buyer, hospital, codes=("dce",)).survey, prescriber, 1)
    year = timezone.localdate().year
    client, _ = ask(role_users[Role.GOVERNANCE], year=year)
    report = GovernanceReport.objects.get()
    title, header, *rows = sheet_rows(download(client, "report_xlsx", report), "Satisfaction")
    assert title[0] == "Satisfaction des clients internes (notes de 1 à 5)"
    assert header[:4] == ("Module", "Demandes livrées", "Questionnaires répondus", "Taux de réponse (%)")
    by_label = {row[0]: row for row in rows}
    assert by_label["Sourcing et benchmark"][1:4] == (5, 5, 100)
    assert by_label["Sourcing et benchmark"][-1] == 4
    assert by_label["Co-construction du DCE"][1:3] == (1, 1)
    assert by_label["Co-construction du DCE"][-1] == MASKED
    assert by_label["Ensemble"][-1] == pytest.approx(3.5)  # (4 questions × 20 + 4 × 1) / 24 scores
    text = pdf_text(download(client, "report_pdf", report)).replace("\n", " ")
    assert "Satisfaction des clients internes" in text and "Sourcing et benchmark 5 5 100,0 % 4,00" in text
    assert (
        f"construction du DCE 1 1 100,0 % {MASKED}" in text
    )  # « Co- » cut at its hyphen and "Nom caché" not in text
