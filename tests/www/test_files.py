"""Stored files: private ones only through the views that check rights, in every profile; the logo public."""

import importlib
import io

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import clear_url_caches, reverse
from PIL import Image

from mutualis.contracts.services import document_attach
from mutualis.opendata.models import ImportRun
from mutualis.opendata.services import decp_import_start
from mutualis.organisations.models import Territory
from mutualis.organisations.roles import Role
from tests.contracts.factories import make_contract
from tests.opendata.test_decp_import import CROIX

PDF = b"%PDF-1.4 confidentiel"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def development_urls():
    """The URLs as `make run` builds them (MUTUALIS_ENV unset: DEBUG on), rebuilt afterwards."""
    import mutualis.urls

    with override_settings(DEBUG=True):
        importlib.reload(mutualis.urls)
        clear_url_caches()
        yield
    importlib.reload(mutualis.urls)
    clear_url_caches()


@pytest.fixture
def document(media, support, other_hospital):
    contract = make_contract(buyer=other_hospital, reference="OTHER-1")
    return document_attach(
        actor=None,
        contract=contract,
        kind="ccap",
        title="CCAP",
        file=SimpleUploadedFile("ccap-été.pdf", PDF, content_type="application/pdf"),
    )


@pytest.fixture
def run(media, role_users, django_capture_on_commit_callbacks):
    upload = SimpleUploadedFile(CROIX.name, CROIX.read_bytes(), content_type="application/json")
    with django_capture_on_commit_callbacks(execute=True):  # the import job runs after commit
        return decp_import_start(actor=role_users[Role.BUYER], files=[upload])


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_contract_document_is_served_to_those_who_see_the_contract_only(client, role_users, document):
    url = reverse("contracts:document_download", args=[document.pk])
    assert client.get(url)["Location"].startswith(reverse("login"))
    client.force_login(role_users[Role.REFERENT])  # another entity's user
    assert client.get(url).status_code == 404
    client.force_login(role_users[Role.BUYER])
    response = client.get(url)
    assert response.status_code == 200 and _body(response) == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]


def test_private_storage_gives_no_url(document):
    with pytest.raises(ValueError, match="fichier privé"):
        document.file.url  # noqa: B018


def test_media_url_serves_no_private_file_in_the_development_profile(
    client, role_users, document, run, development_urls
):
    client.force_login(role_users[Role.ADMIN])  # even someone allowed to see them gets nothing there
    for name in (
        document.file.name,
        f"decp_imports/{run.pk}/rapport.json",
        f"decp_imports/{run.pk}/{CROIX.name}",
    ):
        assert client.get(f"/media/{name}").status_code == 404
        assert client.get(f"/media/public/../{name}").status_code in {400, 404}


def test_import_files_are_served_to_those_who_see_the_run_only(client, role_users, run):
    report = reverse("opendata:import_report", args=[run.pk])
    upload = reverse("opendata:import_file", args=[run.pk, 0])
    for url in (report, upload):
        assert client.get(url)["Location"].startswith(reverse("login"))
    client.force_login(role_users[Role.REFERENT])
    assert {client.get(report).status_code, client.get(upload).status_code} == {403}
    client.force_login(role_users[Role.BUYER])
    page = client.get(reverse("opendata:import_detail", args=[run.pk])).content.decode()
    assert f'href="{upload}"' in page
    response = client.get(upload)
    assert _body(response) == CROIX.read_bytes()
    assert response["Content-Disposition"] == f'attachment; filename="{CROIX.name}"'
    assert b'"files"' in _body(client.get(report))
    assert client.get(reverse("opendata:import_file", args=[run.pk, 1])).status_code == 404


def test_behind_nginx_the_view_hands_the_file_over_with_x_accel_redirect(
    client, role_users, document, settings
):
    settings.MUTUALIS_PRIVATE_FILES_ACCEL = "/fichiers-prives/"
    client.force_login(role_users[Role.BUYER])
    response = client.get(reverse("contracts:document_download", args=[document.pk]))
    assert response["X-Accel-Redirect"] == (
        f"/fichiers-prives/contracts/{document.contract_id}/ccap-%C3%A9t%C3%A9.pdf"
    )
    assert response.content == b"" and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''ccap-%C3%A9t%C3%A9.pdf"
    assert response["X-Content-Type-Options"] == "nosniff"


def _png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "#1d4f91").save(buffer, "PNG")
    return SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")


def test_the_logo_stays_public(client, db, media, development_urls):
    territory = Territory.objects.create(name="GHT", short_name="GHT", kind="ght", logo=_png())
    assert territory.logo.url == "/media/public/territory/logo.png"
    assert (media / "public" / "territory" / "logo.png").is_file()
    login_page = client.get(reverse("login")).content.decode()
    assert 'src="/media/public/territory/logo.png"' in login_page
    response = client.get(territory.logo.url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert _body(response) == territory.logo.open("rb").read()


def test_migration_moves_an_existing_logo_to_the_public_folder(media, db):
    migration = importlib.import_module(
        "mutualis.organisations.migrations.0007_territory_logo_public_storage"
    )
    Territory.objects.create(name="GHT", short_name="GHT", kind="ght", logo="territory/ancien.png")
    (media / "territory").mkdir()
    (media / "territory" / "ancien.png").write_bytes(b"png")
    migration.to_public(apps, None)
    assert not (media / "territory" / "ancien.png").exists()
    assert (media / "public" / "territory" / "ancien.png").read_bytes() == b"png"


def test_a_recorded_path_never_leads_outside_the_runs_folder(client, role_users, media):
    (media / "decp_imports").mkdir()
    (media / "secret.txt").write_text("x")
    run = ImportRun.objects.create(files=["/etc/passwd", "..", "../../secret.txt"], report_file="/etc/passwd")
    client.force_login(role_users[Role.BUYER])
    for index in range(3):
        assert client.get(reverse("opendata:import_file", args=[run.pk, index])).status_code == 404
    assert client.get(reverse("opendata:import_report", args=[run.pk])).status_code == 404
