"""`mutualis backup` and `mutualis restore`: the demo survives a round trip, rows, history and files alike."""

import hashlib
import json

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from mutualis.contracts.models import Contract
from mutualis.contracts.services import document_attach
from mutualis.core.backup import backup, files_digest
from mutualis.suppliers.models import Supplier
from tests import demo_snapshot
from tests.reference_lists import load_reference_lists

# Real commits: pg_dump reads from its own session. Transactional tests run after the others and their
# flush empties the reference lists, as the browser journeys do (their demo fixture reloads them).
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def committed(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path


@pytest.fixture
def reference_lists(transactional_db):
    """The lists data migrations load, back if an earlier transactional test flushed them."""
    load_reference_lists()


def snapshot() -> dict[str, tuple[int, str]]:
    """Every table of every installed model (history and many-to-many tables included): count and digest."""
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        fields = [field.attname for field in model._meta.concrete_fields]
        rows = list(model._base_manager.order_by("pk").values_list(*fields))
        tables[model._meta.label] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
    return tables


def test_backup_then_restore_gives_back_the_demo_rows_history_and_files(committed, reference_lists):
    media = committed / "media"
    demo_snapshot.load()  # the demo, built or put back from its copy
    # Building the demo stores its library's files; putting its copy back does not: count what is there.
    demo_files = files_digest(media)[0] if media.exists() else 0
    contract = Contract.objects.order_by("pk").first()
    document_attach(
        actor=None,
        contract=contract,
        kind="ccap",
        title="CCAP",
        file=SimpleUploadedFile("ccap.pdf", b"%PDF 1"),
    )
    document_attach(
        actor=None,
        contract=contract,
        kind="other",
        title="Note",
        file=SimpleUploadedFile("note.pdf", b"%PDF 2"),
    )
    (media / "public" / "territory").mkdir(parents=True)
    (media / "public" / "territory" / "logo.png").write_bytes(b"\x89PNG logo")
    before, files_before = snapshot(), files_digest(media)
    assert before["contracts.HistoricalContract"][0] > 0 and files_before[0] == demo_files + 3

    call_command("backup", str(committed / "sauvegarde"), stdout=open("/dev/null", "w"))  # noqa: SIM115
    manifest = json.loads((committed / "sauvegarde" / "manifest.json").read_text())
    assert manifest["engine"] == connection.vendor and manifest["files"]["count"] == demo_files + 3
    assert manifest["migrations"] == dict(MigrationLoader(connection).graph.leaf_nodes())

    # Damage: rows deleted and changed (each leaving history rows), a file lost, another added.
    Contract.objects.filter(pk__in=Contract.objects.order_by("-pk").values("pk")[:3]).delete()
    supplier = Supplier.objects.order_by("pk").first()
    supplier.name = "Nom modifié"
    supplier.save()
    next(media.glob("contracts/*/ccap.pdf")).unlink()
    (media / "intrus.txt").write_text("x")
    assert snapshot() != before

    with pytest.raises(CommandError, match=r"n.est pas vide .*--force"):
        call_command("restore", str(committed / "sauvegarde"))
    assert Supplier.objects.filter(name="Nom modifié").exists()  # refused: nothing changed

    call_command("restore", str(committed / "sauvegarde"), "--force", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert snapshot() == before  # every row, history tables included: no history row added by the restore
    assert files_digest(media) == files_before


def test_restore_refuses_a_folder_without_manifest_or_from_another_engine(committed):
    with pytest.raises(CommandError, match=r"manifest\.json est absent"):
        call_command("restore", str(committed), "--force")
    other = committed / "autre"
    other.mkdir()
    engine = "sqlite" if connection.vendor == "postgresql" else "postgresql"
    (other / "manifest.json").write_text(json.dumps({"engine": engine}))
    with pytest.raises(
        CommandError, match=f"vient d'une base {engine}, la base configurée est {connection.vendor}"
    ):
        call_command("restore", str(other), "--force")


def test_restore_refuses_an_altered_backup(committed):
    backup(committed / "sauvegarde")
    (committed / "sauvegarde" / "files" / "ajout.txt").write_text("x")
    with pytest.raises(CommandError, match="ne sont plus ceux de la sauvegarde"):
        call_command("restore", str(committed / "sauvegarde"), "--force")
