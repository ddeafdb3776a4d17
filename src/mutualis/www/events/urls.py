"""Pages of the matinales, under /accompagnement/matinales/."""

from django.urls import path

from . import events, participation

app_name = "events"

urlpatterns = [
    path("", events.EventListView.as_view(), name="event_list"),
    path("nouvelle/", events.EventCreateView.as_view(), name="event_create"),
    path("<int:pk>/", events.EventDetailView.as_view(), name="event_detail"),
    path("<int:pk>/modifier/", events.EventUpdateView.as_view(), name="event_update"),
    path("<int:pk>/transition/", events.EventTransitionView.as_view(), name="event_transition"),
    path("<int:pk>/invitations/", events.InvitationsPrepareView.as_view(), name="invitations_prepare"),
    path("<int:pk>/inviter/", events.InvitationAddView.as_view(), name="invitation_add"),
    path("<int:pk>/inscription/", participation.RegisterView.as_view(), name="register"),
    path("<int:pk>/desinscription/", participation.UnregisterView.as_view(), name="unregister"),
    path("<int:pk>/presence/", participation.AttendanceView.as_view(), name="attendance"),
    path("questionnaires/<int:pk>/", participation.SurveyAnswerView.as_view(), name="survey_answer"),
]
