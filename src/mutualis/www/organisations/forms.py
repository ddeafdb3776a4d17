from django import forms

from mutualis.catalogue.models import PurchaseFamily
from mutualis.organisations.models import Entity, GroupMembership, PurchasingGroup, Territory, User
from mutualis.organisations.roles import Role

from ..fieldsets import FieldsetsMixin


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
        fields = ["name", "short_name", "kind", "logo", "logo_alt", "primary_colour", "contact_email"]
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


DATE = {"type": "date"}


class PurchasingGroupForm(FieldsetsMixin, forms.ModelForm):
    fieldsets = [
        ("Groupement", ["name", "coordinator", "members", "is_active"]),
        (
            "Convention constitutive",
            [
                "convention_date",
                "coordinator_decision_date",
                "coordinator_decision_reference",
                "duration",
                "starts_on",
                "ends_on",
                "scope",
                "scope_families",
            ],
        ),
        ("Rôles et frais", ["signature_by", "execution_by", "cost_sharing", "cost_sharing_details"]),
    ]

    class Meta:
        model = PurchasingGroup
        fields = [
            "name", "coordinator", "members", "convention_date", "scope", "scope_families", "is_active",
            "coordinator_decision_date", "coordinator_decision_reference", "duration", "starts_on", "ends_on",
            "signature_by", "execution_by", "cost_sharing", "cost_sharing_details",
        ]  # fmt: skip
        widgets = {
            "members": forms.CheckboxSelectMultiple,
            "scope_families": forms.CheckboxSelectMultiple,
            "convention_date": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "coordinator_decision_date": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "starts_on": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "scope": forms.Textarea(attrs={"rows": 2}),
            "cost_sharing_details": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "members": "Un membre ajouté ici attend sa décision et sa signature, à enregistrer sur la page "
            "du groupement."
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coordinator"].queryset = Entity.objects.active()
        self.fields["members"].queryset = Entity.objects.active()
        self.fields["scope_families"].queryset = PurchaseFamily.objects.active()
        # The convention's choices have their usual value by default: a submission without them (an older
        # client, a script) keeps it rather than failing.
        for name in ("duration", "signature_by", "execution_by", "cost_sharing"):
            self.fields[name].required = False


class AdhesionDecisionForm(forms.ModelForm):
    """A member's decision to join (its deliberation or décision)."""

    class Meta:
        model = GroupMembership
        fields = ["entity", "decision_date", "decision_reference", "joined_on"]
        widgets = {
            "decision_date": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "joined_on": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
        }
        help_texts = {"joined_on": "Par défaut, la date de la décision."}

    def __init__(self, *args, group=None, **kwargs):
        super().__init__(*args, **kwargs)
        entities = Entity.objects.active()
        if group is not None:
            entities = entities.exclude(pk=group.coordinator_id)
        self.fields["entity"].queryset = entities
        self.fields["decision_date"].required = True
        self.fields["decision_reference"].required = True


class AdhesionSignForm(forms.Form):
    signed_on = forms.DateField(
        label="Date de signature de la convention", widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d")
    )


class AdhesionLeaveForm(forms.Form):
    left_on = forms.DateField(label="Date de sortie", widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))
