"""A spend line's page (its fields, how it was linked, its history) and a buyer's correction of its link."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import FormView

from mutualis.catalogue.models import PurchaseFamily
from mutualis.contracts.models import Contract, ContractHolder
from mutualis.organisations.roles import Perm
from mutualis.spend.models import SpendLine
from mutualis.spend.services import spend_line_relink

from ..edits import RecordDetailView, add_service_errors
from ..permissions import RequirePermMixin


def line_url(line: SpendLine) -> str:
    return reverse("spend:line_detail", args=[line.pk])


class SpendLineDetailView(RecordDetailView):
    required_perm = Perm.VIEW_SPEND
    edit_perm = Perm.MANAGE_SPEND
    template_name = "www/spend/line_detail.html"
    context_object_name = "line"

    def get_queryset(self):
        return SpendLine.objects.for_user(self.request.user).select_related(
            "entity", "supplier", "contract", "family", "spend_import"
        )


def contracts_for_line(line: SpendLine):
    """The contracts the line's entity may use, those of the line's supplier first."""
    holders = ContractHolder.objects.filter(contract_id=OuterRef("pk"))
    if line.supplier_id:
        holders = holders.filter(supplier_id=line.supplier_id)
    elif line.supplier_siren:
        holders = holders.filter(supplier__siren=line.supplier_siren)
    else:
        holders = holders.none()
    return (
        Contract.objects.usable_by_entities([line.entity_id])
        .annotate(of_supplier=Exists(holders))
        .order_by("-of_supplier", "-notification_date", "reference")
    )


class ContractChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, contract) -> str:
        mark = " (fournisseur du mandat)" if getattr(contract, "of_supplier", False) else ""
        return f"{contract.reference} — {contract.object[:80]}{mark}"


class RelinkForm(forms.Form):
    contract = ContractChoiceField(
        label="Contrat",
        queryset=Contract.objects.none(),
        required=False,
        empty_label="Aucun : dépense hors marché",
        help_text="Les contrats que l'entité peut utiliser ; ceux du fournisseur du mandat d'abord.",
    )
    family = forms.ModelChoiceField(
        label="Famille d'achat",
        queryset=PurchaseFamily.objects.active(),
        required=False,
        empty_label="Selon le contrat, sinon le compte budgétaire",
        help_text="Sans contrat : la famille de la dépense. Avec un contrat, celle du contrat l'emporte.",
    )

    def __init__(self, *args, line: SpendLine, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contract"].queryset = contracts_for_line(line)


class SpendLineRelinkView(RequirePermMixin, FormView):
    required_perm = Perm.MANAGE_SPEND
    template_name = "www/form.html"
    form_class = RelinkForm

    @cached_property
    def line(self) -> SpendLine:
        # Read after the permission check: a role without it gets 403, not a 404 that hints at scope.
        return get_object_or_404(
            SpendLine.objects.for_user(self.request.user).select_related("entity", "contract", "family"),
            pk=self.kwargs["pk"],
        )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "line": self.line}

    def get_initial(self):
        return {"contract": self.line.contract_id, "family": self.line.family_id}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=f"Corriger le rattachement du {self.line}", cancel_url=line_url(self.line), **kwargs
        )

    def form_valid(self, form):
        try:
            spend_line_relink(
                self.line,
                contract=form.cleaned_data["contract"],
                family=form.cleaned_data["family"],
                user=self.request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "Rattachement corrigé.")
        return redirect(line_url(self.line))
