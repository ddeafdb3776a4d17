"""Long spreadsheet imports run in the background worker, with the same check and all-or-nothing write."""

from datetime import date
from pathlib import Path

import pytest
from django.urls import reverse

from mutualis.core.models import ImportState, SpreadsheetImport
from mutualis.needs.models import Campaign, NeedLine
from mutualis.organisations.models import Entity
from mutualis.organisations.roles import Role
from tests.catalogue.factories import PurchaseFamilyFactory
from tests.helpers import xlsx_upload
from tests.organisations.factories import make_siret

from .bombs import HEADER


@pytest.fixture(autouse=True)
def _small_threshold(settings, tmp_path):
    settings.MUTUALIS_IMPORT_BACKGROUND_ROWS = 2  # three rows are "long"
    settings.MEDIA_ROOT = tmp_path


def entity_rows(*sirets):
    return [HEADER] + [[siret, f"Commune {siret}", "Commune", "21054", "Oui"] for siret in sirets]


def post_in_background(client, url, rows, capture, **data):
    with capture(execute=True):
        response = client.post(url, {"file": xlsx_upload(rows), **data})
    assert response.status_code == 302
    return SpreadsheetImport.objects.get(pk=response.url.rstrip("/").split("/")[-1]), response.url


def test_a_long_file_is_imported_by_the_worker(client, role_users, django_capture_on_commit_callbacks):
    client.force_login(role_users[Role.ADMIN])
    sirets = [make_siret() for _ in range(3)]
    run, url = post_in_background(
        client,
        reverse("organisations:entity_import"),
        entity_rows(*sirets),
        django_capture_on_commit_callbacks,
    )
    assert (run.state, run.rows, run.created, run.errors) == (ImportState.DONE, 3, 3, [])
    assert Entity.objects.filter(siret__in=sirets).count() == 3
    assert not Path(run.stored_file).exists()  # the uploaded file is not kept
    page = client.get(url).content.decode()
    assert "Import terminé" in page and "3 créées" in page


def test_a_long_file_with_a_bad_row_writes_nothing(client, role_users, django_capture_on_commit_callbacks):
    client.force_login(role_users[Role.ADMIN])
    rows = entity_rows(make_siret(), "26210007600014", make_siret())
    run, url = post_in_background(
        client, reverse("organisations:entity_import"), rows, django_capture_on_commit_callbacks
    )
    assert run.state == ImportState.REFUSED and run.created == 0
    assert [error[:2] for error in run.errors] == [[3, "SIRET"]]
    assert not Entity.objects.filter(name__startswith="Commune ").exists()
    page = client.get(url).content.decode()
    assert "aucune donnée enregistrée" in page and "SIRET" in page
    # Only its author sees the run.
    client.force_login(role_users[Role.BUYER])
    assert client.get(url).status_code == 404


def test_need_lines_in_the_background_keep_the_campaign_and_the_scope(
    client, role_users, hospital, other_hospital, django_capture_on_commit_callbacks
):
    campaign = Campaign.objects.create(
        title="Besoins 2031", year=2031, deadline=date(2030, 12, 15), launch_date=date(2031, 2, 1)
    )
    campaign.families.set([PurchaseFamilyFactory(code="HOT-02", nature="services")])
    client.force_login(role_users[Role.REFERENT])
    header = ["SIRET de l'établissement", "Famille (code)", "Besoin", "Montant estimé HT (€)", "Récurrence"]
    url = reverse("needs:line_import", args=[campaign.pk])
    rows = [header] + [[hospital.siret, "HOT-02", f"Linge {n}", 1000, "Ponctuel"] for n in range(3)]
    outside = [other_hospital.siret, "HOT-02", "Hors périmètre", 5, "Ponctuel"]
    run, _ = post_in_background(client, url, [*rows, outside], django_capture_on_commit_callbacks)
    assert run.state == ImportState.REFUSED and [e[:2] for e in run.errors] == [
        [5, "SIRET de l'établissement"]
    ]
    run, _ = post_in_background(client, url, rows, django_capture_on_commit_callbacks)
    assert run.state == ImportState.DONE
    assert set(NeedLine.objects.values_list("campaign", "entity")) == {(campaign.pk, hospital.pk)}
    assert NeedLine.objects.count() == 3


def test_a_file_over_the_cap_is_refused_in_the_request_not_queued(client, role_users):
    client.force_login(role_users[Role.ADMIN])
    content = "\r\n".join([";".join(HEADER)] + ["x;y;Commune;21054;Oui"] * 5001).encode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("organisations:entity_import"), {"file": SimpleUploadedFile("entites.csv", content)}
    )
    assert response.status_code == 400
    assert "cet import en accepte 5\u202f000 au plus" in response.context["file_error"]
    assert not SpreadsheetImport.objects.exists()
