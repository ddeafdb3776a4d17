"""A background list export, seen by the person who asked for it: progress, then the download.

Anyone else gets a 404 (the job is looked up among the user's own), and the file is served by
private_file_response from the job's record, never from a name in the request.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, JsonResponse
from django.utils import timezone
from django.views.generic import DetailView, View

from mutualis.core.models import ExportJob, ExportState

from .exports import export_file_name
from .files import private_file_response


def own_job(request, pk: int) -> ExportJob:
    try:
        return ExportJob.objects.get(pk=pk, user=request.user)
    except ExportJob.DoesNotExist:
        raise Http404 from None


def job_text(job: ExportJob) -> str:
    if job.state == ExportState.QUEUED:
        return f"En attente du travailleur de fond — {job.rows} lignes à écrire."
    return f"{job.get_state_display()} — {job.progress} lignes écrites sur {job.rows} ({job.percent} %)."


class ExportJobView(LoginRequiredMixin, DetailView):
    template_name = "www/export_job.html"
    context_object_name = "job"

    def get_object(self, queryset=None):
        return own_job(self.request, self.kwargs["pk"])

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "json":  # polled by import-progress.js
            job = self.get_object()
            return JsonResponse({"status": job.state, "percent": job.percent, "text": job_text(job)})
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(text=job_text(self.object), **kwargs)


class ExportJobDownloadView(LoginRequiredMixin, View):
    def get(self, request, pk):
        job = own_job(request, pk)
        if job.state != ExportState.DONE or not job.file:
            raise Http404
        filename = export_file_name(job.file_stem, job.file_format, day=timezone.localdate(job.finished_at))
        return private_file_response(job.file, filename=filename)
