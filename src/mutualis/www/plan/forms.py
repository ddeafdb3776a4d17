"""The form of an action of the plan: grouped in fieldsets, establishments as a checkbox group."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.text import format_lazy

from mutualis.gains.models import PlanAction
from mutualis.organisations.models import Entity, User
from mutualis.organisations.vocabulary import word
from mutualis.procurements.models import Project

from ..fieldsets import FieldsetsMixin

FIELDSETS = [
    ("L'action", ["year", "origin", "title", "description", "family", "lever"]),
    (
        format_lazy("{} et pilotage", word("many_cap")),
        ["entities", "owner", "planned_quarter", "status", "projects"],
    ),
    (
        "Gain attendu (méthode PHARE)",
        [
            "budget",
            "kind",
            "reference_unit_price",
            "new_unit_price",
            "quantity",
            "amortisation_years",
        ],
    ),
]


class ProjectChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, project) -> str:
        return f"{project.reference} — {project.object} ({project.stage})"


class OwnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user) -> str:
        return user.get_full_name() or user.username


class PlanActionForm(FieldsetsMixin, forms.ModelForm):
    fieldsets = FIELDSETS

    class Meta:
        model = PlanAction
        fields = [name for _, names in FIELDSETS for name in names]
        field_classes = {"projects": ProjectChoiceField, "owner": OwnerChoiceField}
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 3}),
            "entities": forms.CheckboxSelectMultiple,
            "projects": forms.SelectMultiple(attrs={"size": 6}),
        }
        help_texts = {
            "origin": format_lazy("PAAT : action du territoire ; PAA : action propre à {}.", word("a_one")),
            "kind": "Sans effet pour un budget d'investissement : le gain est alors amorti.",
            "amortisation_years": "Obligatoire pour un investissement : le gain annuel en est divisé.",
            "projects": "Les projets d'achat qui mettent l'action en œuvre (Ctrl ou Cmd pour en choisir "
            "plusieurs).",
            "planned_quarter": "Ex. 2027-T1. Le gain attendu est réparti entre N et N+1 comme si le marché "
            "était notifié le premier jour de ce trimestre.",
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.fields["year"].initial = timezone.localdate().year
        # An establishment since made inactive stays offered on the actions that name it.
        current = Q(plan_actions=self.instance.pk) if self.instance.pk else Q(pk__in=[])
        self.fields["entities"].queryset = (
            Entity.objects.for_user(user).filter(Q(is_active=True) | current).distinct().order_by("name")
        )
        self.fields["owner"].queryset = (
            User.objects.filter(is_active=True, memberships__isnull=False)
            .distinct()
            .order_by("last_name", "first_name")
        )
        self.fields["projects"].queryset = (
            Project.objects.for_user(user).select_related("stage").order_by("-created_at")
        )
        self.fields["projects"].required = False
        self.fields["family"].empty_label = "(aucune)"
        self.fields["owner"].empty_label = "(à désigner)"
