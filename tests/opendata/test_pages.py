"""DECP upload with its background job and progress, the import report, and the benchmark page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mutualis.opendata.decp_import.service import import_decp
from mutualis.opendata.models import ExternalContract, ImportRun, ImportStatus
from mutualis.organisations.roles import Role

from .test_decp_import import CROIX, DEMATIS

EDITORS = {Role.ADMIN, Role.BUYER, Role.LEGAL_OFFICER}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def upload(path):
    return SimpleUploadedFile(path.name, path.read_bytes(), content_type="application/json")


def test_upload_runs_the_import_in_the_background_and_reports(
    client, role_users, media, django_capture_on_commit_callbacks
):
    client.force_login(role_users[Role.BUYER])
    with django_capture_on_commit_callbacks(execute=True):  # the job is enqueued after commit
        response = client.post(
            reverse("opendata:import_create"), {"files": [upload(DEMATIS[0]), upload(CROIX)]}
        )
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "opendata:import_detail", args=[run.pk]
    )
    assert run.status == ImportStatus.DONE and run.user == role_users[Role.BUYER]
    assert run.counts["rejected"] == 33 and run.file_names == [DEMATIS[0].name, CROIX.name]
    assert ExternalContract.objects.count() == run.counts["created"]
    page = client.get(response["Location"]).content.decode()
    assert "Import terminé" in page and "identifiant du contrat absent" in page
    status = client.get(response["Location"], {"format": "json"}).json()
    assert (status["status"], status["percent"]) == ("done", 100)
    report = client.get(reverse("opendata:import_report", args=[run.pk]))
    assert report.status_code == 200 and b'"rejected": 33' in b"".join(report.streaming_content)


def test_upload_refuses_other_files(client, role_users, media):
    client.force_login(role_users[Role.BUYER])
    bad = SimpleUploadedFile("registre.xlsx", b"PK", content_type="application/octet-stream")
    response = client.post(reverse("opendata:import_create"), {"files": [bad]})
    assert response.status_code == 400 and "seuls les fichiers .json et .xml" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_a_run_whose_files_were_all_unreadable_failed(client, role_users, media, tmp_path):
    broken = tmp_path / "tronque.json"
    broken.write_bytes(DEMATIS[0].read_bytes()[:500])
    run = import_decp([broken], run=ImportRun.objects.create(status=ImportStatus.RUNNING, files=[])).run
    assert run.status == ImportStatus.FAILED
    assert run.message.startswith("Aucun fichier n'a pu être lu, rien n'a été importé : tronque.json")
    client.force_login(role_users[Role.BUYER])
    page = client.get(reverse("opendata:import_detail", args=[run.pk])).content.decode()
    assert "L'import a échoué" in page and "alert-success" not in page


def test_a_run_with_one_unreadable_file_says_so(client, role_users, media, tmp_path):
    broken = tmp_path / "tronque.json"
    broken.write_bytes(DEMATIS[0].read_bytes()[:500])
    run = import_decp([DEMATIS[1], broken]).run
    assert run.status == ImportStatus.PARTIAL and "tronque.json" in run.message
    assert ExternalContract.objects.exists()  # the readable file was imported
    client.force_login(role_users[Role.BUYER])
    page = client.get(reverse("opendata:import_detail", args=[run.pk])).content.decode()
    assert "sauf des fichiers illisibles" in page and "alert-warning" in page and "alert-success" not in page


def test_progress_is_read_from_the_cache_while_running(client, role_users):
    from django.core.cache import cache

    from mutualis.opendata.decp_import.service import progress_key

    run = ImportRun.objects.create(status=ImportStatus.RUNNING, files=["a.json"])
    cache.set(progress_key(run.pk), {"progress": 0.42, "records_read": 4200})
    client.force_login(role_users[Role.BUYER])
    status = client.get(reverse("opendata:import_detail", args=[run.pk]), {"format": "json"}).json()
    assert (status["percent"], status["records_read"]) == (42, 4200)
    page = client.get(reverse("opendata:import_detail", args=[run.pk])).content.decode()
    assert '<progress id="barre"' in page and "4200 enregistrements lus (42 %)" in page


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_import_pages_are_for_registry_managers(client, role_users, role):
    client.force_login(role_users[role])
    expected = 200 if role in EDITORS else 403
    assert client.get(reverse("opendata:import_create")).status_code == expected
    assert client.get(reverse("opendata:import_list")).status_code == expected
    assert client.get(reverse("opendata:benchmark")).status_code == 200


def test_benchmark_by_cpv_and_by_family(client, role_users, db):
    from mutualis.catalogue.models import PurchaseFamily
    from mutualis.opendata.decp_import.service import import_decp

    import_decp(DEMATIS)
    client.force_login(role_users[Role.REFERENT])
    result = client.get(reverse("opendata:benchmark"), {"cpv": "45000000"}).context["result"]
    works = ExternalContract.objects.filter(cpv__startswith="45")
    assert result.contracts == works.count() > 0
    assert result.buyers == works.values("buyer_siret").distinct().count()
    assert sum(b["count"] for b in result.top_buyers) <= result.contracts
    assert 0 <= result.social_share <= 1
    family = PurchaseFamily.objects.create(code="TRA", label="Travaux", nature="travaux")
    family.cpv_codes.set(["45000000"])
    by_family = client.get(reverse("opendata:benchmark"), {"family": family.pk}).context["result"]
    assert by_family.contracts == result.contracts
    empty = client.get(reverse("opendata:benchmark"), {}).context
    assert "result" not in empty


def _external(uid: str, cpv: str, amount) -> ExternalContract:
    return ExternalContract.objects.create(
        uid=uid, buyer_siret="21210231600010", reference=uid, cpv=cpv, amount=amount
    )


def test_benchmark_takes_the_cpv_sub_tree_and_the_exact_median(db):
    from decimal import Decimal

    from mutualis.opendata.benchmark import benchmark
    from mutualis.opendata.summary import benchmark_summary_refresh

    # Sub-tree of 33900000: 339…, and the boundary either side ("338…", "34…") stays out.
    for uid, cpv, amount in [
        ("A", "33900000", 10),
        ("B", "33910000", 40),
        ("C", "33999999", 20),
        ("D", "33990000", None),
        ("E", "33800000", 1000),
        ("F", "34000000", 1000),
        ("G", "3390000", 30),  # a shorter code published as is still falls under its prefix
    ]:
        _external(uid, cpv, amount)
        benchmark_summary_refresh([cpv])  # written directly, not by the import that keeps the sums
    result = benchmark(["33900000"])
    assert result.contracts == 5
    assert result.median_amount == Decimal("25")  # amounts 10, 20, 30, 40: the mean of 20 and 30
    _external("H", "33950000", 35)
    benchmark_summary_refresh(["33950000"])
    assert benchmark(["33900000"]).median_amount == Decimal("30")  # 10, 20, 30, 35, 40: the middle one
    assert benchmark(["33000000"]).contracts == 7 and benchmark(["35000000"]).median_amount is None
