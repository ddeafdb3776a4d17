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


class ExportState(models.TextChoices):
    QUEUED = "queued", "En attente"
    RUNNING = "running", "En cours"
    DONE = "done", "Prêt"
    FAILED = "failed", "Échec"


class ExportJob(models.Model):
    """A list export too long for a request (core/export_jobs.py), written by the background worker.

    The worker rebuilds the rows from the list's path and query string, with the rights of `user`, so the
    file holds what the page would have exported; the file is private, downloaded by `user` only.
    """

    title = models.CharField("liste", max_length=200)
    path = models.CharField("adresse de la liste", max_length=300)
    query_string = models.TextField("filtres", blank=True)
    file_format = models.CharField("format", max_length=4)
    file_stem = models.CharField(max_length=100)
    state = models.CharField("état", max_length=10, choices=ExportState.choices, default=ExportState.QUEUED)
    progress = models.PositiveIntegerField("lignes écrites", default=0)
    rows = models.PositiveIntegerField("lignes", default=0)
    file = models.CharField(max_length=300, blank=True, editable=False)  # name in the private storage
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField("demandé le", auto_now_add=True)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = "export en arrière-plan"
        verbose_name_plural = "exports en arrière-plan"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.title} ({self.file_format})"

    @property
    def finished(self) -> bool:
        return self.state in {ExportState.DONE, ExportState.FAILED}

    @property
    def percent(self) -> int:
        if self.state == ExportState.DONE:
            return 100
        return min(99, self.progress * 100 // self.rows) if self.rows else 0
