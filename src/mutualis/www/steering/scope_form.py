"""The scope form every steering page shares: year, quarter, entity, family."""

from django import forms
from django.utils import timezone

from mutualis.catalogue.models import PurchaseFamily
from mutualis.organisations.models import Entity
from mutualis.steering.scope import FIRST_YEAR, LAST_YEAR, Scope


class ScopeForm(forms.Form):
    year = forms.IntegerField(label="Année", min_value=FIRST_YEAR, max_value=LAST_YEAR, required=False)
    quarter = forms.TypedChoiceField(
        label="Trimestre",
        choices=[("", "Toute l'année"), *((q, f"{q}ᵉ trimestre") for q in range(1, 5))],
        coerce=int,
        empty_value=None,
        required=False,
    )
    entity = forms.ModelChoiceField(
        label="Entité acheteuse",
        queryset=Entity.objects.none(),
        required=False,
        empty_label="Tout le territoire",
    )
    family = forms.ModelChoiceField(
        label="Famille d'achat", queryset=PurchaseFamily.objects.none(), required=False, empty_label="Toutes"
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entity"].queryset = Entity.objects.for_user(user).order_by("name")
        self.fields["family"].queryset = PurchaseFamily.objects.order_by("code")
        self.fields["year"].initial = timezone.localdate().year
        for name, field in self.fields.items():
            field.widget.attrs["class"] = "form-control" if name == "year" else "form-select"
            if self.is_bound and name in self.errors:
                field.widget.attrs.update({"aria-invalid": "true", "aria-describedby": f"id_{name}_erreur"})

    def scope(self) -> Scope:
        """The scope asked for; where a value means nothing, the form keeps its error and the default."""
        data = self.cleaned_data if self.is_valid() else {}
        return Scope(
            year=data.get("year") or timezone.localdate().year,
            quarter=data.get("quarter"),
            entity=data.get("entity"),
            family=data.get("family"),
        )


def scope_from(request) -> tuple[Scope, ScopeForm]:
    """The scope of the query string (an unbound form when there is none: the current year)."""
    form = ScopeForm(request.GET or None, user=request.user)
    return form.scope(), form
