"""The forms of the service offer: a module (administrators), a client's request, a message, a file, the
buyer to whom the team gives a request."""

from django import forms
from django.contrib.auth import get_user_model

from mutualis.catalogue.models import PurchaseFamily
from mutualis.clients.models import ServiceModule, ServiceRequest
from mutualis.clients.scopes import requestable_entities
from mutualis.contracts.models.parts import DOCUMENT_EXTENSIONS
from mutualis.organisations.roles import ROLE_PERMISSIONS, Perm

from ..fieldsets import FieldsetsMixin

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ACCEPT = ",".join(f".{extension}" for extension in DOCUMENT_EXTENSIONS)


class ModuleForm(FieldsetsMixin, forms.ModelForm):
    fieldsets = [
        ("Le module", ["title", "description", "deliverables"]),
        ("Sa réalisation", ["delay_days", "team", "position", "is_active"]),
    ]

    class Meta:
        model = ServiceModule
        fields = ["title", "description", "deliverables", "delay_days", "team", "position", "is_active"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "deliverables": forms.Textarea(attrs={"rows": 3}),
        }


class ServiceRequestForm(FieldsetsMixin, forms.ModelForm):
    attachment = forms.FileField(
        label="Pièce jointe",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text="Facultatif : une expression de besoin, un cahier des charges… "
        "(PDF, bureautique, image, ZIP).",
    )
    fieldsets = [
        ("Ce que vous demandez", ["modules"]),
        ("L'achat concerné", ["entity", "object", "family", "estimated_amount", "wished_date", "attachment"]),
    ]

    class Meta:
        model = ServiceRequest
        fields = ["modules", "entity", "object", "family", "estimated_amount", "wished_date"]
        widgets = {"modules": forms.CheckboxSelectMultiple, "wished_date": DATE}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["modules"].queryset = ServiceModule.objects.filter(is_active=True)
        self.fields["entity"].queryset = requestable_entities(user)
        self.fields["family"].queryset = PurchaseFamily.objects.order_by("label")
        self.fields["estimated_amount"].widget.attrs.update(min="0.01", step="0.01")
        self.fields[
            "estimated_amount"
        ].help_text = "Si vous le connaissez : il est repris sur le besoin ou le projet."


class AmendForm(FieldsetsMixin, forms.ModelForm):
    """What the client may still correct while the request waits for the team."""

    fieldsets = [("L'achat concerné", ["object", "estimated_amount", "wished_date"])]

    class Meta:
        model = ServiceRequest
        fields = ["object", "estimated_amount", "wished_date"]
        widgets = {"wished_date": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["estimated_amount"].widget.attrs.update(min="0.01", step="0.01")


class MessageForm(forms.Form):
    body = forms.CharField(
        label="Votre message",
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        max_length=5000,
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label="Fichier à joindre",
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT, "class": "form-control"}),
    )


def team_members():
    """Active people holding a role that handles requests (the buyers to whom one may be given)."""
    roles = [role for role, perms in ROLE_PERMISSIONS.items() if Perm.MANAGE_SERVICE_REQUESTS in perms]
    return (
        get_user_model()
        .objects.filter(is_active=True, memberships__role__in=roles)
        .distinct()
        .order_by("last_name", "username")
    )


class AssignForm(forms.Form):
    buyer = forms.ModelChoiceField(
        label="Acheteur en charge",
        queryset=team_members(),
        empty_label=None,
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"required": "Choisissez une personne de la cellule achats.",
                        "invalid_choice": "Choisissez une personne de la cellule achats."},
    )  # fmt: skip
    target_date = forms.DateField(
        label="Date cible convenue (facultatif)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Date cible : saisissez une date valide."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["buyer"].queryset = team_members()
