from django import forms

from mutualis.suppliers.models import Supplier


class SupplierForm(forms.ModelForm):
    class Meta:
        model = Supplier
        fields = [
            "identifier_kind", "identifier", "name", "size_category", "postal_code",
            "insee_code", "city", "is_siae", "is_ea_esat", "is_ess",
        ]  # fmt: skip
