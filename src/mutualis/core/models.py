"""Abstract bases shared by the domain apps, and the background spreadsheet imports."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class TimeStampedModel(models.Model):
    """Creation and last-change timestamps (the who is kept by the history tables)."""

    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        abstract = True


class TransitionLog(models.Model):
    """One move of a record along its workflow (core/workflow.py), append-only: who, when, and why. A concrete
    log adds the foreign key to its record (named by `record_field`), the move's name and the two states."""

    record_field = ""
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="par", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField("le", default=timezone.now)
    comment = models.TextField("commentaire", blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        record = getattr(self, self.record_field)
        return f"{record} : {self.get_from_status_display()} → {self.get_to_status_display()}"


class ImportRecord(models.Model):
    """What an import of files run by the background worker reports: counts, a line-level report, the
    message of a refusal, who started it and when (the spend and the SIRENE/inclusion imports)."""

    counts = models.JSONField("décomptes", default=dict)
    report = models.JSONField("rapport", default=list)
    message = models.TextField("message", blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="par", null=True, blank=True, on_delete=models.SET_NULL
    )
    started_at = models.DateTimeField("commencé le", auto_now_add=True)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-started_at"]


class ImportState(models.TextChoices):
    QUEUED = "queued", "En attente"
    RUNNING = "running", "En cours"
    DONE = "done", "Terminé"
    REFUSED = "refused", "Refusé, rien n'a été enregistré"
    FAILED = "failed", "Échec, rien n'a été enregistré"


class SpreadsheetImport(models.Model):
    """A spreadsheet import too long for a request (core/import_runs.py), run by the background worker.

    The resource is rebuilt in the worker from `resource_path` (a resource class whose `for_import`
    takes the user and `params`), so that it sees the same scope as the page that started it.
    """

    resource_path = models.CharField(max_length=200, editable=False)
    params = models.JSONField(default=dict, editable=False)
    title = models.CharField("import", max_length=200)
    back_url = models.CharField(max_length=300, blank=True)
    file_name = models.CharField("fichier", max_length=200)
    stored_file = models.CharField(max_length=400, editable=False)
    dry_run = models.BooleanField("vérification seulement", default=False)
    state = models.CharField("état", max_length=10, choices=ImportState.choices, default=ImportState.QUEUED)
    rows = models.PositiveIntegerField("lignes", default=0)
    created = models.PositiveIntegerField("créées", default=0)
    updated = models.PositiveIntegerField("mises à jour", default=0)
    skipped = models.PositiveIntegerField("inchangées", default=0)
    errors = models.JSONField("erreurs", default=list)  # [line, column, message]
    message = models.TextField("message", blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    started_at = models.DateTimeField("déposé le", auto_now_add=True)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)

    class Meta:
        verbose_name = "import de tableur"
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.title} — {self.file_name}"

    @property
    def finished(self) -> bool:
        return self.state not in {ImportState.QUEUED, ImportState.RUNNING}


class WorkerHeartbeat(models.Model):
    """The last sign of life of one background worker (`mutualis worker`), rewritten every few seconds by
    a thread of the worker: django_tasks_db keeps no trace of a worker that waits for work, so the health
    page (core/health.py) reads this to tell a running worker from a stopped one."""

    worker_id = models.CharField("identifiant", max_length=64, unique=True)
    hostname = models.CharField("machine", max_length=255)
    pid = models.PositiveIntegerField("processus")
    started_at = models.DateTimeField("démarré le")
    beat_at = models.DateTimeField("dernier signal", db_index=True)

    class Meta:
        verbose_name = "signal d'un travailleur"
        verbose_name_plural = "signaux des travailleurs"

    def __str__(self) -> str:
        return f"{self.hostname}:{self.pid}"
