"""A contract's price schedule (BPU): the lines, their export and their import (which replaces them)."""

from functools import cached_property

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from mutualis.contracts.models import Contract
from mutualis.contracts.resources import PriceLineResource
from mutualis.organisations.roles import Perm

from ..exports import FORMATS, export_response
from ..imports import ImportView
from ..permissions import RequirePermMixin

REPLACE_NOTE = (
    "L'import remplace tout le bordereau : les lignes absentes du fichier sont supprimées. "
    "Partez du modèle, qui contient les lignes actuelles."
)


class PriceScheduleMixin:
    """What the contract and offer schedule pages share: the lines, their export, the page text."""

    template_name = "www/contracts/price_schedule.html"
    resource_class = PriceLineResource

    def owner(self):
        raise NotImplementedError

    def file_stem(self) -> str:
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        file_format = request.GET.get("format", "")
        if file_format:
            if file_format not in FORMATS:
                raise Http404("Format d'export inconnu.")
            return export_response(
                self.resource_class(owner=self.owner()),
                self.owner().price_lines.all(),
                file_stem=self.file_stem(),
                file_format=file_format,
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(lines=list(self.owner().price_lines.all()), **kwargs)


class PriceScheduleView(PriceScheduleMixin, RequirePermMixin, TemplateView):
    required_perm = Perm.VIEW_CONTRACTS

    @cached_property
    def contract(self) -> Contract:
        return get_object_or_404(Contract.objects.for_user(self.request.user), pk=self.kwargs["pk"])

    def owner(self):
        return self.contract

    def file_stem(self) -> str:
        return f"bpu_{self.contract.reference}"

    def get_context_data(self, **kwargs):
        contract = self.contract
        return super().get_context_data(
            title=f"Bordereau de prix — contrat {contract.reference}",
            caption=f"Bordereau de prix unitaires du contrat {contract.reference}",
            back_url=contract.get_absolute_url(),
            back_label=f"Contrat {contract.reference}",
            import_url=self.request.path + "import/" if self.access.has(Perm.MANAGE_CONTRACTS) else "",
            contract=contract,
            **kwargs,
        )


class PriceScheduleImportView(ImportView):
    required_perm = Perm.MANAGE_CONTRACTS
    resource_class = PriceLineResource
    natural_key = "aucune : le fichier remplace le bordereau"
    replace_note = REPLACE_NOTE

    @cached_property
    def contract(self) -> Contract:
        return get_object_or_404(Contract.objects.for_user(self.request.user), pk=self.kwargs["pk"])

    @property
    def title(self) -> str:
        return f"Importer le bordereau de prix — contrat {self.contract.reference}"

    @property
    def file_stem(self) -> str:
        return f"bpu_{self.contract.reference}"

    def import_params(self) -> dict:
        return {"contract": self.contract.pk}

    def get_cancel_url(self) -> str:
        return self.request.path.removesuffix("import/")

    def template_queryset(self):
        return self.contract.price_lines.all()

    def get_context_data(self, **kwargs):
        return super().get_context_data(replace_note=self.replace_note, **kwargs)
