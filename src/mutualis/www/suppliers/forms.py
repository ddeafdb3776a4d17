from django import forms

from mutualis.suppliers.models import Supplier


class SupplierForm(forms.ModelForm):
    class Meta:
        model = Supplier
        fields = [
            "identifier_kind", "identifier", "name", "size_category", "address", "postal_code",
            "insee_code", "city", "inclusion_kind", "is_siae", "is_ea_esat", "is_ess",
        ]  # fmt: skip
        help_texts = {
            "inclusion_kind": "Renseigné par les listes de l'inclusion importées ; un type choisi ici décide "
            "des cases SIAE et EA / ESAT.",
        }
