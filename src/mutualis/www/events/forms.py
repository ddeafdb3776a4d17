"""The forms of the matinales: the event, a person the organiser invites, the questionnaire."""

from django import forms
from django.contrib.auth import get_user_model

from mutualis.clients.models import ServiceModule
from mutualis.events.models import Event
from mutualis.organisations.models import Entity

from ..clients.satisfaction_forms import SurveyForm

MINUTE = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class EventForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = ["title", "theme", "starts_at", "ends_at", "place", "capacity", "description",
                  "organiser_entity", "open_to_members", "targeted_count", "invitation_days"]  # fmt: skip
        widgets = {"starts_at": MINUTE, "ends_at": MINUTE, "description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = ServiceModule.objects.filter(is_active=True)
        self.fields["organiser_entity"].queryset = Entity.objects.active().order_by("name")
        for name in ("starts_at", "ends_at"):
            self.fields[name].help_text = "Date et heure, par exemple 12/03/2027 à 08:30."


class InvitationForm(forms.Form):
    person = forms.ModelChoiceField(
        label="Personne à inviter", queryset=None, empty_label="Choisissez une personne"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = (
            get_user_model().objects.filter(is_active=True).order_by("last_name", "first_name", "username")
        )
        self.fields["person"].widget.attrs["class"] = "form-select"


class EventSurveyForm(SurveyForm):
    """The service requests' questionnaire form (1–5 radio groups, a comment), on the matinale's questions."""
