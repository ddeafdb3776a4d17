"""List exports stream their rows (CSV row by row, XLSX in write-only mode) with the same content as the
resource's dataset; past MUTUALIS_EXPORT_INLINE_MAX_ROWS they are written by the background worker and
downloaded by the person who asked only."""

import io
import re
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mutualis.core import export_stream
from mutualis.core.export_jobs import run_export_job
from mutualis.core.models import ExportJob, ExportState
from mutualis.core.spreadsheets import escaped_dataset
from mutualis.organisations.roles import Role
from mutualis.suppliers.models import Supplier
from mutualis.suppliers.resources import SupplierResource
from tests.helpers import read_xlsx
from tests.suppliers.factories import SupplierFactory

LIST = reverse("suppliers:supplier_list")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def suppliers(db):
    SupplierFactory(name='=HYPERLINK("http://example.com")', city="Dijon")
    SupplierFactory(name="Blanchisserie du Val", city="Beaune")
    SupplierFactory(name="Blanchisserie de Saône", city="Beaune", is_siae=True)


def old_dataset():
    """What the export was before it streamed: the resource's whole dataset, escaped."""
    return escaped_dataset(SupplierResource().export(queryset=Supplier.objects.order_by("name")))


def test_csv_streams_the_resource_rows_with_bom_semicolons_and_escapes(login, role_users, suppliers):
    response = login(role_users[Role.BUYER]).get(LIST, {"export": "csv", "sort": "name"})
    assert isinstance(response, StreamingHttpResponse) and response["Content-Type"].startswith("text/csv")
    body = response.getvalue().decode("utf-8")
    assert body == "\ufeff" + old_dataset().export("csv", delimiter=";")
    assert body.startswith("\ufeffType d'identifiant;Identifiant;Raison sociale;") and "'=HYPERLINK" in body


def test_xlsx_is_written_row_by_row_with_the_same_cells(login, role_users, suppliers):
    response = login(role_users[Role.BUYER]).get(LIST, {"export": "xlsx", "sort": "name"})
    assert response["Content-Disposition"].startswith('attachment; filename="fournisseurs_')
    assert read_xlsx(response.getvalue()) == read_xlsx(old_dataset().export("xlsx"))


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_long_export_runs_in_the_background_and_is_the_owners_only(
    login,
    role_users,
    suppliers,
    media,
    settings,
    django_capture_on_commit_callbacks,
    monkeypatch,
    file_format,
):
    monkeypatch.setattr(export_stream, "CHUNK_SIZE", 1)  # progress written between two fetches
    client = login(role_users[Role.BUYER])
    params = {"q": "Blanchisserie", "sort": "name", "export": file_format}
    inline = client.get(LIST, params).getvalue()
    settings.MUTUALIS_EXPORT_INLINE_MAX_ROWS = 1  # two rows match: the background path
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(LIST, params)
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("www:export_job", args=[job.pk])
    assert job.state == ExportState.DONE and job.rows == job.progress == 2
    assert job.query_string == "q=Blanchisserie&sort=name"
    page = client.get(response.url).content.decode()
    file_url = reverse("www:export_job_file", args=[job.pk])
    assert "Fichier prêt" in page and file_url in page
    assert client.get(response.url, {"format": "json"}).json()["percent"] == 100
    download = client.get(file_url)
    assert download["X-Content-Type-Options"] == "nosniff"
    if file_format == "csv":
        assert download.getvalue() == inline
    else:
        assert read_xlsx(download.getvalue()) == read_xlsx(inline)
        assert len(read_xlsx(inline)) == 3
    other = login(role_users[Role.LEGAL_OFFICER])
    assert other.get(response.url).status_code == 404 and other.get(file_url).status_code == 404


def test_a_background_export_records_its_progress_chunk_by_chunk(role_users, suppliers, media, monkeypatch):
    monkeypatch.setattr(export_stream, "CHUNK_SIZE", 1)
    job = ExportJob.objects.create(
        user=role_users[Role.BUYER], title="Fournisseurs", path=LIST, query_string="sort=name",
        file_format="xlsx", rows=0, file_stem="fournisseurs",
    )  # fmt: skip
    with CaptureQueriesContext(connection) as queries:
        run_export_job.enqueue(job.pk)
    # Each chunk's progress is stored once its rows are written, then the final count with the file.
    written = [int(n) for q in queries for n in re.findall(r'"progress" = (\d+)', q["sql"])]
    assert written == [1, 2, 3, 3]
    job.refresh_from_db()
    assert job.state == ExportState.DONE and job.rows == 3 and job.percent == 100


def test_a_queued_export_shows_an_accessible_progress_bar(login, role_users):
    job = ExportJob.objects.create(
        user=role_users[Role.BUYER], title="Fournisseurs", path=LIST, file_format="csv", rows=10_000,
        state=ExportState.RUNNING, progress=4_000, file_stem="fournisseurs",
    )  # fmt: skip
    client = login(role_users[Role.BUYER])
    page = client.get(reverse("www:export_job", args=[job.pk])).content.decode()
    assert '<progress id="barre" class="w-100" max="100" value="40">40 %</progress>' in page
    assert 'role="status"' in page and "4000 lignes écrites sur 10000" in page
    assert client.get(reverse("www:export_job_file", args=[job.pk])).status_code == 404


def test_old_exports_are_purged_with_their_files(role_users, media):
    user = role_users[Role.BUYER]
    old = default_storage.save("exports/1.csv", io.BytesIO(b"x"))
    fresh = default_storage.save("exports/2.csv", io.BytesIO(b"y"))
    now = timezone.now()
    for name, age in ((old, 3), (fresh, 1)):
        ExportJob.objects.create(
            user=user, title="t", path=LIST, file_format="csv", file_stem="t", state=ExportState.DONE,
            file=name, finished_at=now - timedelta(days=age),
        )  # fmt: skip
    call_command("purge_exports", stdout=io.StringIO())
    assert list(ExportJob.objects.values_list("file", flat=True)) == [fresh]
    assert not default_storage.exists(old) and default_storage.exists(fresh)
