"""Pages of the supplier evaluation, under /execution/: the incidents (later the QCD campaigns)."""

from django.urls import path

from . import incidents

app_name = "evaluations"

urlpatterns = [
    path("incidents/", incidents.IncidentListView.as_view(), name="incident_list"),
    path("incidents/nouveau/", incidents.IncidentCreateView.as_view(), name="incident_create"),
    path("incidents/<int:pk>/", incidents.IncidentDetailView.as_view(), name="incident_detail"),
    path("incidents/<int:pk>/modifier/", incidents.IncidentUpdateView.as_view(), name="incident_update"),
    path(
        "incidents/<int:pk>/transition/",
        incidents.IncidentTransitionView.as_view(),
        name="incident_transition",
    ),
]
