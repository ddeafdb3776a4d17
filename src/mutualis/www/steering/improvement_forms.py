"""The form of an improvement action: what it is about (a stage, a project, a contract), its owner and
due date. Its state, closing date and outcome are the workflow's."""

from django import forms

from mutualis.contracts.models import Contract
from mutualis.organisations.models import User
from mutualis.organisations.roles import ROLE_PERMISSIONS, Perm
from mutualis.procurements.models import Project, StageCode
from mutualis.steering.models import ImprovementAction

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
STEERING_ROLES = [role for role, perms in ROLE_PERMISSIONS.items() if Perm.VIEW_STEERING in perms]


def possible_owners():
    """Active people who can follow the action on the steering pages."""
    return (
        User.objects.filter(is_active=True, memberships__role__in=STEERING_ROLES)
        .distinct()
        .order_by("last_name", "first_name")
    )


class ImprovementForm(forms.ModelForm):
    stage_code = forms.ChoiceField(
        label="Étape de la cartographie",
        choices=[("", "—"), *StageCode.choices],
        required=False,
        help_text="L'étape du processus achats concernée.",
    )

    class Meta:
        model = ImprovementAction
        fields = ["kind", "title", "description", "stage_code", "project", "contract", "owner", "due_on"]
        widgets = {"due_on": DATE}
        help_texts = {
            "project": "Au moins l'un de ces trois champs : étape, projet ou contrat.",
            "owner": "La personne qui mène l'action : elle en est avertie.",
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = Project.objects.for_user(user).order_by("-created_at")
        self.fields["contract"].queryset = Contract.objects.for_user(user).order_by(
            "-notification_date", "pk"
        )
        self.fields["owner"].queryset = possible_owners()
