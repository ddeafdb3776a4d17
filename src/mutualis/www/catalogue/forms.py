from django import forms

from mutualis.catalogue.models import CpvCode, PurchaseFamily
from mutualis.organisations.models import User
from mutualis.organisations.roles import Role


class CpvCodesField(forms.CharField):
    """CPV codes typed as text (comma-separated, check digit optional), validated by lookup."""

    def to_python(self, value):
        return CpvCode.objects.resolve(super().to_python(value))


class CpvCodeField(forms.CharField):
    """One CPV code typed as text (check digit optional), validated by lookup."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 10)
        kwargs.setdefault("help_text", "8 chiffres, avec ou sans chiffre de contrôle (ex. 33141000).")
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
