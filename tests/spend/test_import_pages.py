"""The spend import pages: the form (entities limited to the user's), the background run and its page,
the runs' list, the full report; a referent imports for their own entity only."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mutualis.organisations.roles import Role
from mutualis.spend.models import SpendImport, SpendImportStatus, SpendLine
from tests.spend.import_files import new_siret, rows, write_csv


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def upload(tmp_path, lines, name="mandats.csv"):
    path = write_csv(tmp_path, lines, name=name)
    return SimpleUploadedFile(name, path.read_bytes(), content_type="text/csv")


def test_a_buyer_imports_in_the_background_and_sees_the_report(
    role_users, hospital, login, tmp_path, media, django_capture_on_commit_callbacks
):
    client = login(role_users[Role.BUYER])
    lines = rows(new_siret(), 3)
    lines[1][2] = "31/02/2025"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("spend:import"), {"entity": hospital.pk, "files": [upload(tmp_path, lines)]}
        )
    run = SpendImport.objects.get()
    assert response.status_code == 302 and response.url == reverse("spend:import_run", args=[run.pk])
    assert run.status == SpendImportStatus.DONE and run.user == role_users[Role.BUYER]
    assert SpendLine.objects.filter(entity=hospital, spend_import=run).count() == 2
    page = client.get(response.url).content.decode()
    assert "3 mandats lus : 2 créés" in page and "la date « 31/02/2025 » n&#x27;existe pas" in page
    assert f'href="/depenses/lignes/?spend_import={run.pk}"' in page
    status = client.get(response.url + "?format=json").json()
    assert status["percent"] == 100 and status["status"] == "done"
    report = client.get(reverse("spend:import_report", args=[run.pk]))
    assert b"31/02/2025" in b"".join(report.streaming_content)
    listing = client.get(reverse("spend:import_list")).content.decode()
    assert reverse("spend:import_run", args=[run.pk]) in listing


def test_a_running_import_shows_a_progress_bar_polled_by_a_script(role_users, hospital, login):
    run = SpendImport.objects.create(entity=hospital, status=SpendImportStatus.RUNNING)
    page = login(role_users[Role.BUYER]).get(reverse("spend:import_run", args=[run.pk])).content.decode()
    assert '<progress id="barre"' in page and "import-progress.js" in page and "<script>" not in page


def test_a_referent_imports_for_their_own_entity_only(
    role_users, hospital, other_hospital, login, tmp_path, media
):
    client = login(role_users[Role.REFERENT])
    form = client.get(reverse("spend:import")).context["form"]
    assert list(form.fields["entity"].queryset) == [hospital]
    response = client.post(
        reverse("spend:import"), {"entity": other_hospital.pk, "files": [upload(tmp_path, rows(new_siret()))]}
    )
    assert response.status_code == 400 and not SpendImport.objects.exists()


def test_a_run_of_another_entity_is_hidden_from_a_referent(role_users, other_hospital, login):
    run = SpendImport.objects.create(entity=other_hospital, status=SpendImportStatus.DONE)
    client = login(role_users[Role.REFERENT])
    assert client.get(reverse("spend:import_run", args=[run.pk])).status_code == 404
    assert run.pk not in [r.pk for r in client.get(reverse("spend:import_list")).context["object_list"]]


def test_a_prescriber_may_not_import(role_users, login):
    assert login(role_users[Role.PRESCRIBER]).get(reverse("spend:import")).status_code == 403


def test_only_csv_and_xlsx_files(role_users, hospital, login):
    client = login(role_users[Role.BUYER])
    bad = SimpleUploadedFile("mandats.pdf", b"%PDF")
    response = client.post(reverse("spend:import"), {"entity": hospital.pk, "files": [bad]})
    assert response.status_code == 400 and "seuls les fichiers .csv et .xlsx" in response.content.decode()


def test_the_start_service_checks_the_entity_itself(role_users, other_hospital, hospital, tmp_path, media):
    from django.core.exceptions import PermissionDenied

    from mutualis.spend.services import spend_import_start

    files = [upload(tmp_path, rows(new_siret()))]
    with pytest.raises(PermissionDenied):
        spend_import_start(actor=role_users[Role.REFERENT], entity=other_hospital, files=files)
    run = spend_import_start(actor=role_users[Role.REFERENT], entity=hospital, files=files)
    assert (
        run.status == SpendImportStatus.QUEUED and (media / f"spend_imports/{run.pk}/mandats.csv").is_file()
    )


def test_the_worker_progress_is_read_from_the_cache_while_running(
    role_users, hospital, login, tmp_path, monkeypatch
):
    from django.core.cache import cache

    from mutualis.spend import importer

    run = SpendImport.objects.create(entity=hospital, status=SpendImportStatus.RUNNING)
    url = reverse("spend:import_run", args=[run.pk]) + "?format=json"
    client = login(role_users[Role.BUYER])
    cache.set(importer.progress_key(run.pk), {"progress": 0.42, "records_read": 4200})
    status = client.get(url).json()
    assert status["percent"] == 42 and status["records_read"] == 4200
    # The import itself writes it batch after batch, and clears it at the end.
    written = []
    original = cache.set
    monkeypatch.setattr(
        cache, "set", lambda key, value, **kw: written.append(value) or original(key, value, **kw)
    )
    lines = rows(new_siret(), 7)
    importer.spend_import(hospital, [write_csv(tmp_path, lines)], run=run, batch_size=2, progress=True)
    assert [value["records_read"] for value in written] == [2, 4, 6]
    assert cache.get(importer.progress_key(run.pk)) is None and client.get(url).json()["percent"] == 100
