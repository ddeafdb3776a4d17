"""Gain forms: the method's inputs (its figures are computed by gain_save, never typed), the target."""

import re
from decimal import Decimal, InvalidOperation

from django import forms

from mutualis.catalogue.models import PurchaseFamily
from mutualis.gains.method import GainKind
from mutualis.gains.models import Gain, GainOrigin, GainTarget, PlanAction

from ..fieldsets import FieldsetsMixin

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_SEPARATORS = re.compile(r"[;\n]+")


def _french(value) -> str:
    """« 1200.5000 » → « 1200,5 »: what the buyer typed, without the stored zeros."""
    text = format(Decimal(str(value)).normalize(), "f")
    return text.replace(".", ",")


class OffersField(forms.CharField):
    """The unit prices of the offers received, typed as a list (semicolons or one per line)."""

    widget = forms.Textarea(attrs={"rows": 2})

    def prepare_value(self, value):
        if isinstance(value, list):
            return " ; ".join(_french(price) for price in value)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        prices = []
        parts = [part.strip() for part in _SEPARATORS.split(text or "") if part.strip()]
        for position, part in enumerate(parts, start=1):
            cleaned = part.replace("\u202f", "").replace("\u00a0", "").replace(" ", "").replace("€", "")
            try:
                price = Decimal(cleaned.replace(",", "."))
            except InvalidOperation:
                price = None
            if price is None or not price.is_finite():
                raise forms.ValidationError(f"Offre n° {position} : « {part} » n'est pas un montant.")
            if price < 0:
                raise forms.ValidationError(f"Offre n° {position} : un prix ne peut pas être négatif.")
            prices.append(f"{price:.4f}")
        return prices


INPUTS = [
    "kind",
    "reference_source",
    "reference_unit_price",
    "offers",
    "new_unit_price",
    "unit",
    "quantity",
    "amortisation_years",
    "notification_date",
]
QUALIFICATION = ["lever", "stage", "action", "comment"]
IDENTITY = ["origin", "label", "entity", "family", "contract"]


class GainForm(FieldsetsMixin, forms.ModelForm):
    """The inputs of an existing gain (proposed at award or typed), while it is proposed or returned."""

    fieldsets = [
        ("Calcul du gain (méthode PHARE)", INPUTS),
        ("Qualification", QUALIFICATION),
    ]

    offers = OffersField(
        label="Offres reçues (prix unitaires HT, €)",
        required=False,
        help_text=(
            "Séparées par des points-virgules ou une par ligne, par exemple « 1200 ; 1350,50 ». "
            "Leur moyenne tient lieu de prix de référence quand celui-ci est vide, pour un achat ponctuel, "
            "un investissement, ou un besoin nouveau (source « Moyenne des offres reçues »)."
        ),
    )

    class Meta:
        model = Gain
        fields = [*INPUTS, *QUALIFICATION]
        widgets = {"notification_date": DATE, "comment": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "kind": (
                "Récurrent : situations annuelles ; ponctuel : sur la quantité achetée, compté en entier "
                "l'année de notification ; investissement : divisé par la durée d'amortissement."
            ),
            "amortisation_years": "Pour un investissement seulement (ignorée pour les autres natures).",
            "notification_date": "Le gain annuel est réparti sur les douze mois qui suivent cette date.",
            "action": "Facultatif : l'action du plan d'actions achats que ce gain réalise.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].queryset = PlanAction.objects.order_by("-year", "title")

    def clean(self):
        cleaned = super().clean()
        # The method's message, on the field, before the model's constraint would speak of it on top.
        investment = cleaned.get("kind") == GainKind.INVESTMENT
        if investment and not cleaned.get("amortisation_years") and "amortisation_years" not in self.errors:
            self.add_error("amortisation_years", "Indiquez la durée d'amortissement en années.")
        return cleaned


class GainCreateForm(GainForm):
    """A gain outside the consultation pipeline: a contract, a renewal or a renegotiation."""

    fieldsets = [("Achat concerné", IDENTITY), *GainForm.fieldsets]

    class Meta(GainForm.Meta):
        fields = [*IDENTITY, *INPUTS, *QUALIFICATION]
        help_texts = {
            **GainForm.Meta.help_texts,
            "contract": "Facultatif : le contrat du registre concerné (reconduit, renégocié…).",
        }

    def __init__(self, *args, entities, contracts, **kwargs):
        super().__init__(*args, **kwargs)
        # An award's gain is proposed by Mutualis when the lot is awarded, never typed here.
        self.fields["origin"].choices = [c for c in GainOrigin.choices if c[0] != GainOrigin.AWARD]
        self.fields["origin"].initial = GainOrigin.CONTRACT
        self.fields["entity"].queryset = entities
        self.fields["family"].queryset = PurchaseFamily.objects.active().order_by("code")
        self.fields["contract"].queryset = contracts


class GainTargetForm(forms.ModelForm):
    class Meta:
        model = GainTarget
        fields = ["amount", "comment"]
        widgets = {"comment": forms.Textarea(attrs={"rows": 3})}
