"""The benchmark page: who else bought this, from whom, for how much, with how many offers."""

from django import forms
from django.views.generic import TemplateView

from mutualis.catalogue.models import PurchaseFamily
from mutualis.opendata.benchmark import benchmark, published_count
from mutualis.organisations.roles import Perm

from ..catalogue.forms import CpvCodeField
from ..permissions import RequirePermMixin


class BenchmarkForm(forms.Form):
    family = forms.ModelChoiceField(
        label="Famille d'achat", queryset=PurchaseFamily.objects.active(), required=False, empty_label="—"
    )
    cpv = CpvCodeField(label="ou code CPV", required=False)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("family") and not cleaned.get("cpv"):
            raise forms.ValidationError("Choisissez une famille d'achat ou indiquez un code CPV.")
        return cleaned

    def codes(self) -> list[str]:
        if self.cleaned_data.get("cpv"):
            return [self.cleaned_data["cpv"].code]
        return list(self.cleaned_data["family"].cpv_codes.values_list("code", flat=True))


class BenchmarkView(RequirePermMixin, TemplateView):
    required_perm = Perm.VIEW_CONTRACTS
    template_name = "www/opendata/benchmark.html"

    def get_context_data(self, **kwargs):
        form = BenchmarkForm(self.request.GET or None)
        context = super().get_context_data(**kwargs)
        context.update(page_title="Parangonnage", form=form, external_count=published_count())
        if form.is_bound and form.is_valid():
            codes = form.codes()
            context.update(codes=codes, result=benchmark(codes))
        return context
