from django import forms

from mutualis.catalogue.models import PurchaseFamily
from mutualis.organisations.models import Entity, PurchasingGroup, Territory, User
from mutualis.organisations.roles import Role


class EntityForm(forms.ModelForm):
    class Meta:
        model = Entity
        fields = [
            "name",
            "short_name",
            "siret",
            "kind",
            "purchasing_mode",
            "finess",
            "insee_code",
            "postal_code",
            "city",
            "is_active",
        ]
        widgets = {"siret": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Left out of a post, the entity keeps its mode (the model's default for a new one).
        self.fields["purchasing_mode"].required = False


class TerritoryForm(forms.ModelForm):
    class Meta:
        model = Territory
        fields = ["name", "short_name", "kind", "logo", "logo_alt", "primary_colour"]
        widgets = {"primary_colour": forms.TextInput(attrs={"type": "color"})}


class MembershipForm(forms.Form):
    user = forms.ModelChoiceField(label="Utilisateur", queryset=User.objects.filter(is_active=True))
    role = forms.ChoiceField(label="Rôle", choices=Role.choices)


class UserForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "job_title", "phone", "is_active"]
        help_texts = {"username": "Utilisé pour se connecter : lettres, chiffres et . @ + - _"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["first_name"].required = True
        self.fields["last_name"].required = True


class UserCreateForm(UserForm):
    entity = forms.ModelChoiceField(label="Entité", queryset=Entity.objects.active())
    role = forms.ChoiceField(label="Premier rôle", choices=Role.choices)

    class Meta(UserForm.Meta):
        fields = ["username", "first_name", "last_name", "email", "job_title", "phone"]


class PurchasingGroupForm(forms.ModelForm):
    class Meta:
        model = PurchasingGroup
        fields = ["name", "coordinator", "members", "convention_date", "scope", "scope_families", "is_active"]
        widgets = {
            "members": forms.CheckboxSelectMultiple,
            "scope_families": forms.CheckboxSelectMultiple,
            "convention_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "scope": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coordinator"].queryset = Entity.objects.active()
        self.fields["members"].queryset = Entity.objects.active()
        self.fields["scope_families"].queryset = PurchaseFamily.objects.active()
