from django import forms
from django.urls import reverse

from mutualis.catalogue.models import CpvCode, PurchaseFamily
from mutualis.organisations.models import User
from mutualis.organisations.roles import Role


class CpvInput(forms.TextInput):
    """A text input with a list of codes proposed as one types (cpv-suggest.js fills it)."""

    template_name = "www/widgets/cpv_input.html"

    def __init__(self, attrs=None):
        super().__init__({"autocomplete": "off", **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        suggestions = f"{widget['attrs'].get('id', name)}-propositions"
        widget["attrs"].update({"list": suggestions, "data-cpv-suggest": reverse("catalogue:cpv_suggest")})
        widget["suggestions_id"] = suggestions
        return context


class CpvCodesField(forms.CharField):
    """CPV codes typed as text (comma-separated, check digit optional), validated by lookup."""

    widget = CpvInput

    def to_python(self, value):
        return CpvCode.objects.resolve(super().to_python(value))


class CpvCodeField(forms.CharField):
    """One CPV code typed as text (check digit optional), validated by lookup."""

    widget = CpvInput

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 10)
        kwargs.setdefault(
            "help_text",
            "8 chiffres, avec ou sans chiffre de contrôle (ex. 33141000), ou des mots du libellé : "
            "des codes sont proposés.",
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return value.code if isinstance(value, CpvCode) else value

    def clean(self, value):
        text = super().clean(value)  # length and required checks apply to the typed text
        if not text:
            return None
        codes = CpvCode.objects.resolve(text)
        if len(codes) != 1:
            raise forms.ValidationError("Indiquez un seul code CPV.")
        return codes[0]


class PurchaseFamilyForm(forms.ModelForm):
    cpv_codes = CpvCodesField(
        label="Codes CPV",
        required=False,
        help_text="Séparés par des virgules, avec ou sans chiffre de contrôle (ex. 33141000, 33140000-3).",
    )

    class Meta:
        model = PurchaseFamily
        fields = ["code", "label", "nature", "description", "cpv_codes", "responsible_buyer", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_buyer"].queryset = User.objects.filter(
            is_active=True, memberships__role=Role.BUYER
        ).distinct()
        if self.instance.pk:
            self.initial["cpv_codes"] = ", ".join(c.code for c in self.instance.cpv_codes.all())
