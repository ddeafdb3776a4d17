"""The pages that load a SIRENE extract or an inclusion list: upload, background run, result, and the
supplier's file showing what came from them with the dates of data."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mutualis.organisations.roles import Role
from mutualis.suppliers.models import DataImportStatus, SupplierDataImport
from mutualis.suppliers.sirene.layout import ESTABLISHMENT_HEADER, row_of
from tests.suppliers.factories import SupplierFactory
from tests.suppliers.sirene_files import establishment

pytestmark = pytest.mark.django_db
SIRET = "55210055400013"
URL = reverse("suppliers:data_import")


def upload(rows, name="StockEtablissement_utf8.csv"):
    lines = [",".join(ESTABLISHMENT_HEADER)] + [",".join(row_of(ESTABLISHMENT_HEADER, r)) for r in rows]
    return SimpleUploadedFile(name, ("\n".join(lines) + "\n").encode(), content_type="text/csv")


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    """Upload as `user`; the queued import runs when the request's transaction commits."""

    def _post(user, file, kind="sirene_etab", when="2026-10-31"):
        client.force_login(user)
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(URL, {"kind": kind, "data_date": when, "file": file})

    return _post


def test_a_buyer_loads_an_extract_and_reads_its_result(client, post, role_users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    supplier = SupplierFactory(identifier=SIRET)
    rows = [establishment(SIRET), establishment(SIRET, codeCommuneEtablissement="99999")]
    response = post(role_users[Role.BUYER], upload(rows))
    run = SupplierDataImport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "suppliers:data_import_run", args=[run.pk]
    )
    assert run.status == DataImportStatus.DONE and run.user == role_users[Role.BUYER]
    assert run.path and not (tmp_path / "supplier_imports" / str(run.pk)).exists()  # the upload is not kept
    page = client.get(response["Location"]).content.decode()
    assert "2 ligne(s) lue(s) ; 1 fournisseur(s) reconnu(s) : 1 mis à jour" in page
    assert "<td>3</td><td>codeCommuneEtablissement</td>" in page  # the rejected line, by number
    # The file shows the identity with the date of its data.
    identity = client.get(supplier.get_absolute_url()).content.decode()
    assert "12 bis RUE DE LA LIBERTE, BATIMENT C" in identity
    assert 'Activité principale (NAF)</dt><dd class="col-sm-9">46.46Z' in identity
    assert "répertoire SIRENE de l'INSEE, données du 31/10/2026" in identity


def test_an_inclusion_list_shows_its_kind_and_date_on_the_file(client, post, role_users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    supplier = SupplierFactory(identifier=SIRET)
    file = SimpleUploadedFile("structures.csv", f"siret,kind,name\n{SIRET},ESAT,Atelier\n".encode())
    post(role_users[Role.ADMIN], file, kind="inclusion", when="2026-09-30")
    identity = client.get(supplier.get_absolute_url()).content.decode()
    assert "Établissement et service d&#x27;aide par le travail (ESAT)" in identity
    assert "liste de l'inclusion du 30/09/2026" in identity


def test_a_file_without_a_required_column_is_shown_as_refused(client, post, role_users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    file = SimpleUploadedFile("etab.csv", b"siren,siret\n552100554,55210055400013\n")
    response = post(role_users[Role.BUYER], file)
    page = client.get(response["Location"]).content.decode()
    assert "rien n'a été enregistré" in page and "codeCommuneEtablissement" in page


def test_the_form_refuses_another_format_and_a_future_date(post, role_users):
    response = post(role_users[Role.BUYER], SimpleUploadedFile("etab.xlsx", b"x"), when="2999-01-01")
    assert response.status_code == 400
    assert not SupplierDataImport.objects.exists()
    html = response.content.decode()
    assert "seuls les fichiers .csv et .zip" in html and "dans le futur" in html


@pytest.mark.parametrize("role", [Role.REFERENT, Role.GOVERNANCE, Role.CONTROLLER, Role.PRESCRIBER])
def test_roles_without_the_supplier_permission_are_refused(client, role_users, role):
    client.force_login(role_users[role])
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"kind": "inclusion", "data_date": "2026-01-01"}).status_code == 403


def test_the_supplier_list_links_to_the_page_for_editors_only(client, role_users):
    client.force_login(role_users[Role.BUYER])
    assert URL in client.get(reverse("suppliers:supplier_list")).content.decode()
    client.force_login(role_users[Role.REFERENT])
    assert URL not in client.get(reverse("suppliers:supplier_list")).content.decode()


def test_previous_runs_are_listed(client, role_users):
    run = SupplierDataImport.objects.create(kind="inclusion", data_date=date(2026, 1, 31), file_name="l.csv")
    client.force_login(role_users[Role.LEGAL_OFFICER])
    assert reverse("suppliers:data_import_run", args=[run.pk]) in client.get(URL).content.decode()
