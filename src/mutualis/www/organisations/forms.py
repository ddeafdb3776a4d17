from django import forms

from mutualis.organisations.models import Entity, Territory, User
from mutualis.organisations.roles import Role


class EntityForm(forms.ModelForm):
    class Meta:
        model = Entity
        fields = [
            "name",
            "short_name",
            "siret",
            "kind",
            "finess",
            "insee_code",
            "postal_code",
            "city",
            "is_active",
        ]
        widgets = {"siret": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})}


class TerritoryForm(forms.ModelForm):
    class Meta:
        model = Territory
        fields = ["name", "short_name", "kind", "logo", "logo_alt", "primary_colour"]
        widgets = {"primary_colour": forms.TextInput(attrs={"type": "color"})}


class MembershipForm(forms.Form):
    user = forms.ModelChoiceField(label="Utilisateur", queryset=User.objects.filter(is_active=True))
    role = forms.ChoiceField(label="Rôle", choices=Role.choices)
