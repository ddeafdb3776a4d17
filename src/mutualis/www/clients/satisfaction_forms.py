"""The satisfaction questionnaire (one 1–5 radio group per active question, a comment), the results'
filters, and a question of the questionnaire (the offer's administrators)."""

from django import forms

from mutualis.clients.models import SatisfactionQuestion, ServiceModule
from mutualis.clients.satisfaction import GROUPINGS

from .forms import team_members

SCORE_CHOICES = [
    (1, "1 — pas du tout satisfait"),
    (2, "2 — peu satisfait"),
    (3, "3 — moyennement satisfait"),
    (4, "4 — satisfait"),
    (5, "5 — très satisfait"),
]


class SurveyForm(forms.Form):
    comment = forms.CharField(
        label="Commentaire (facultatif)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Il est lu par la cellule achats sans votre nom, avec au moins quatre autres réponses.",
    )

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        fields = {
            f"question_{q.pk}": forms.TypedChoiceField(
                label=q.text,
                choices=SCORE_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": f"« {q.text} » : choisissez une note de 1 à 5."},
            )
            for q in questions
        }
        self.fields = {**fields, "comment": self.fields["comment"]}

    def scores(self) -> dict[int, int]:
        return {
            int(name.split("_")[1]): value for name, value in self.cleaned_data.items() if name != "comment"
        }


class ResultsFilterForm(forms.Form):
    year = forms.IntegerField(label="Année", min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label="Trimestre",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Toute l'année"), (1, "T1"), (2, "T2"), (3, "T3"), (4, "T4")],
    )
    module = forms.ModelChoiceField(
        label="Module", required=False, queryset=ServiceModule.objects.all(), empty_label="Tous"
    )
    buyer = forms.ModelChoiceField(label="Acheteur", required=False, queryset=None, empty_label="Tous")
    by = forms.ChoiceField(label="Regrouper par", choices=list(GROUPINGS.items()), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["buyer"].queryset = team_members()
        for name, field in self.fields.items():
            field.widget.attrs["class"] = "form-control" if name == "year" else "form-select"


class QuestionForm(forms.ModelForm):
    class Meta:
        model = SatisfactionQuestion
        fields = ["text", "position", "is_active"]
