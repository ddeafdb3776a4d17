"""Pages of the budget accounts' mapping to purchase families: list, edit, import, shipped defaults, and the
reclassification of off-contract spend (asked for: changing the mapping alone rewrites no line)."""

import django_tables2 as tables
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.views import View
from django.views.generic import TemplateView

from mutualis.catalogue.models import PurchaseFamily
from mutualis.organisations.roles import Perm
from mutualis.spend.account_filters import AccountFamilyFilterSet
from mutualis.spend.accounts import (
    account_family_delete,
    account_family_save,
    account_mapping_load_defaults,
    clean_account,
)
from mutualis.spend.models import AccountFamily, Nomenclature
from mutualis.spend.resources import AccountFamilyResource
from mutualis.spend.services import spend_reclassify_off_contract

from ..edits import RecordCreateView, RecordUpdateView
from ..imports import ImportView
from ..lists import FilteredListView
from ..permissions import RequirePermMixin

LIST = "spend:account_list"


class AccountFamilyTable(tables.Table):
    nomenclature = tables.Column(verbose_name="Nomenclature")
    account = tables.Column(verbose_name="Compte")
    label = tables.Column(verbose_name="Intitulé")
    family = tables.Column(verbose_name="Famille d'achat", order_by=("family__code",))
    edit = tables.Column(
        verbose_name="Actions",
        empty_values=(),
        orderable=False,
        linkify=lambda record: reverse("spend:account_update", args=[record.pk]),
    )

    class Meta:
        model = AccountFamily
        fields = ["nomenclature", "account", "label", "family", "edit"]
        empty_text = "Aucun compte ne correspond à ces critères."

    def render_nomenclature(self, value, record):
        return record.nomenclature

    def render_edit(self, record):
        return f"Modifier le compte {record.nomenclature} {record.account}"


class AccountFamilyListView(FilteredListView):
    model = AccountFamily
    required_perm = Perm.VIEW_SPEND
    template_name = "www/spend/account_list.html"
    table_class = AccountFamilyTable
    filterset_class = AccountFamilyFilterSet
    resource_class = AccountFamilyResource
    export_name = "comptes_budgetaires"
    title = "Comptes budgétaires et familles d'achat"
    intro = (
        "Les dépenses hors marché sont classées dans une famille d'achat par leur compte budgétaire "
        "(M21 pour les établissements de santé, M57 pour les collectivités) : la racine de compte la plus "
        "longue l'emporte, 6021 avant 602."
    )
    create_perm = Perm.MANAGE_SPEND
    create_url_name = "spend:account_create"
    import_url_name = "spend:account_import"

    def optimise(self, queryset):
        return queryset.select_related("family")

    def get_table_kwargs(self):
        # Only those who keep the mapping see the edit links.
        return {} if self.access.has(Perm.MANAGE_SPEND) else {"exclude": ("edit",)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            can_manage=self.access.has(Perm.MANAGE_SPEND), nomenclatures=Nomenclature.choices, **kwargs
        )


class AccountFamilyForm(forms.ModelForm):
    class Meta:
        model = AccountFamily
        fields = ["nomenclature", "account", "label", "family"]
        help_texts = {
            "account": "Le numéro de compte ou sa racine, en chiffres (ex. 6021) : la racine la plus longue "
            "l'emporte.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["family"].queryset = PurchaseFamily.objects.active()

    def clean_account(self):
        try:
            return clean_account(self.cleaned_data["account"])
        except ValidationError as error:
            raise forms.ValidationError(error.message_dict["account"]) from None


class AccountFamilyEditMixin:
    model = AccountFamily
    form_class = AccountFamilyForm
    required_perm = Perm.MANAGE_SPEND
    service = account_family_save
    success_url = reverse_lazy(LIST)

    def service_arguments(self, form) -> dict:
        return {"account": form.save(commit=False)}

    def get_cancel_url(self) -> str:
        return reverse(LIST)


class AccountFamilyCreateView(AccountFamilyEditMixin, RecordCreateView):
    title = "Nouveau compte budgétaire"
    success_message = "Compte ajouté. Les dépenses déjà classées ne changent qu'avec « Reclasser »."


class AccountFamilyUpdateView(AccountFamilyEditMixin, RecordUpdateView):
    template_name = "www/spend/account_form.html"
    title = "Modifier le compte"
    success_message = "Compte enregistré. Les dépenses déjà classées ne changent qu'avec « Reclasser »."


class AccountFamilyDeleteView(RequirePermMixin, TemplateView):
    """Confirmation page, then the service's delete."""

    required_perm = Perm.MANAGE_SPEND
    template_name = "www/spend/account_confirm_delete.html"

    def account(self) -> AccountFamily:
        return get_object_or_404(AccountFamily.objects.select_related("family"), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        account = self.account()
        return super().get_context_data(
            title=f"Supprimer le compte {account.nomenclature} {account.account}",
            object=account,
            cancel_url=reverse("spend:account_update", args=[account.pk]),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        account = self.account()
        account_family_delete(actor=request.user, account=account)
        messages.success(request, f"Compte {account.nomenclature} {account.account} supprimé.")
        return redirect(LIST)


class AccountFamilyImportView(ImportView):
    required_perm = Perm.MANAGE_SPEND
    resource_class = AccountFamilyResource
    title = "Importer des comptes budgétaires"
    list_url_name = LIST
    natural_key = "nomenclature et compte"
    file_stem = "comptes_budgetaires"

    def template_queryset(self):
        return AccountFamily.objects.select_related("family")


class AccountLoadDefaultsView(RequirePermMixin, View):
    """« Charger les comptes par défaut »: the shipped M21 and M57 accounts, placed in the families."""

    required_perm = Perm.MANAGE_SPEND

    def post(self, request):
        chosen = request.POST.get("nomenclature")
        nomenclatures = [chosen] if chosen in Nomenclature.values else Nomenclature.values
        replace = request.POST.get("replace") == "on"
        for nomenclature in nomenclatures:
            report = account_mapping_load_defaults(nomenclature, user=request.user, replace=replace)
            text = (
                f"{nomenclature} : {report.created} compte(s) ajouté(s), {report.updated} mis à jour, "
                f"{report.kept} gardé(s) tel(s) quel(s)."
            )
            if report.skipped:
                text += f" {len(report.skipped)} ignoré(s) : " + " ; ".join(
                    f"{account} ({reason})" for account, reason in report.skipped
                )
            messages.success(request, text)
        return redirect(LIST)


class AccountReclassifyView(RequirePermMixin, View):
    """« Reclasser les dépenses hors marché »: the mapping applied again, lines corrected by hand kept."""

    required_perm = Perm.MANAGE_SPEND

    def post(self, request):
        changed = spend_reclassify_off_contract(actor=request.user)
        messages.success(
            request,
            f"{changed} ligne(s) hors marché reclassée(s) selon la correspondance actuelle ; "
            "les lignes corrigées par un acheteur n'ont pas changé.",
        )
        return redirect(LIST)
