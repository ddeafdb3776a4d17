"""The forms of the QCD evaluation: launching a campaign, answering an evaluation."""

from django import forms

from mutualis.catalogue.models import PurchaseFamily
from mutualis.contracts.models import Contract
from mutualis.evaluations.models import SCALE, EvaluationCampaign

from ..fieldsets import FieldsetsMixin

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CampaignForm(FieldsetsMixin, forms.ModelForm):
    fieldsets = [
        ("Ce qui est évalué", ["title", "contract", "family"]),
        ("La période et les réponses", ["period_start", "period_end", "answer_by"]),
    ]

    class Meta:
        model = EvaluationCampaign
        fields = ["title", "contract", "family", "period_start", "period_end", "answer_by"]
        widgets = {"period_start": DATE, "period_end": DATE, "answer_by": DATE}
        help_texts = {
            "contract": "Un contrat précis… (ses bons de commande et marchés subséquents sont inclus)",
            "family": "… ou tous les contrats d'une famille en vigueur pendant la période.",
            "period_start": "Seules les entités ayant eu une activité sur la période (dépense ou commande) "
            "évaluent ; leurs référents achats sont prévenus.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contract"].queryset = (
            Contract.objects.notified()
            .filter(framework__isnull=True)
            .order_by("-notification_date", "reference")
        )
        self.fields["family"].queryset = PurchaseFamily.objects.active().order_by("code")


class AnswerForm(forms.Form):
    """One radio group per criterion of the campaign's grid, its four anchors as the choices' labels."""

    comment = forms.CharField(
        label="Commentaire (facultatif pour une évaluation, obligatoire pour « non concerné »)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"criterion_{criterion.pk}"] = forms.TypedChoiceField(
                label=f"{criterion.label} ({criterion.get_axis_display().lower()}, pondération "
                f"{criterion.weight})",
                choices=[(mark, f"{mark} — {text}") for mark, text in criterion.anchors],
                coerce=int,
                widget=forms.RadioSelect,
                required=False,  # « non concerné » needs none; the service requires them for an answer
            )

    def marks(self) -> dict[int, int]:
        return {
            c.pk: self.cleaned_data[f"criterion_{c.pk}"]
            for c in self.criteria
            if self.cleaned_data.get(f"criterion_{c.pk}") in SCALE
        }
