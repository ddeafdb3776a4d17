"""Businesses' interest in a project (sent from the portal): its export for the project's managers, the
only ones who see the contacts."""

import tablib
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views import View

from mutualis.organisations.roles import Perm
from mutualis.procurements.models import Interest, Project

from ..exports import FORMATS, dataset_response
from ..permissions import RequirePermMixin

HEADERS = ("Reçu le", "SIRET", "Raison sociale", "Contact", "Adresse électronique", "Téléphone", "Message",
           "Au répertoire")  # fmt: skip


def interests_of(project: Project):
    return Interest.objects.filter(project=project).select_related("supplier", "candidate")


class InterestExportView(RequirePermMixin, View):
    required_perm = Perm.MANAGE_PROJECTS

    def get(self, request, pk):
        file_format = request.GET.get("export", "csv")
        if file_format not in FORMATS:
            raise Http404
        project = get_object_or_404(Project.objects.for_user(request.user), pk=pk)
        data = tablib.Dataset(headers=HEADERS)
        for interest in interests_of(project):
            data.append(
                (
                    timezone.localtime(interest.created_at).strftime("%d/%m/%Y %H:%M"),
                    interest.siret,
                    interest.company_name,
                    interest.contact_name,
                    interest.email,
                    interest.phone,
                    interest.message,
                    str(interest.supplier) if interest.supplier else "candidat",
                )
            )
        return dataset_response(data, file_stem=f"interets_projet_{project.pk}", file_format=file_format)
