"""Starting a DECP import is a service: the run is recorded, the files stored, the job queued on commit."""

from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mutualis.opendata import services
from mutualis.opendata.models import ImportRun, ImportStatus

pytestmark = pytest.mark.django_db


def test_decp_import_start_stores_the_files_and_queues_the_run(
    role_users, settings, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    queued = []
    monkeypatch.setattr(services, "run_decp_import", SimpleNamespace(enqueue=queued.append))
    files = [
        SimpleUploadedFile("decp.json", b'{"marches": []}'),
        SimpleUploadedFile("../autre/decp.xml", b"<marches/>"),
    ]
    user = next(iter(role_users.values()))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        run = services.decp_import_start(actor=user, files=files, dry_run=True)
        assert queued == []  # nothing runs before the run and its files are committed
    run = ImportRun.objects.get(pk=run.pk)
    assert (run.status, run.dry_run, run.user) == (ImportStatus.QUEUED, True, user)
    stored = [Path(name) for name in run.files]
    assert [p.read_bytes() for p in stored] == [b'{"marches": []}', b"<marches/>"]
    assert all(p.parent == tmp_path / "decp_imports" / str(run.pk) for p in stored)
    assert len(callbacks) == 1 and queued == [run.pk]
