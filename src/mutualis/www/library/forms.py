"""The library's forms: a document's description and who may see it (with its first file on creation),
and a new version's file."""

from django import forms

from mutualis.catalogue.models import PurchaseFamily
from mutualis.library.models import EXTENSIONS, Document
from mutualis.organisations.models import Entity

ACCEPT = ",".join(f".{extension}" for extension in EXTENSIONS)
KINDS = "PDF ou bureautique (" + ", ".join(EXTENSIONS) + ")"


def _file_field(label: str) -> forms.FileField:
    return forms.FileField(
        label=label,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text=f"{KINDS}. Le nom du fichier est celui que les clients téléchargent.",
        error_messages={"required": "Choisissez le fichier à déposer."},
    )


class DocumentForm(forms.ModelForm):
    class Meta:
        model = Document
        fields = ["title", "summary", "kind", "module", "family", "audience", "entities"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "entities": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["family"].queryset = PurchaseFamily.objects.order_by("label")
        self.fields["entities"].queryset = Entity.objects.filter(is_active=True).order_by("name")
        self.fields["module"].empty_label = "Aucun en particulier"
        self.fields["family"].empty_label = "Aucune en particulier"


class DocumentCreateForm(DocumentForm):
    file = _file_field("Fichier (version 1)")
    note = forms.CharField(label="Note sur cette version", required=False, max_length=300)


class VersionForm(forms.Form):
    file = _file_field("Fichier de la nouvelle version")
    note = forms.CharField(
        label="Ce qui change",
        required=False,
        max_length=300,
        help_text="Par exemple : mise à jour des seuils, nouvelle rubrique.",
    )
