"""URLs of the cockpit, the indicators and the objectives."""

from django.urls import path

from . import indicators, objectives

urlpatterns = [
    path("", indicators.CockpitView.as_view(), name="cockpit"),
    path("indicateurs/<slug:code>/", indicators.IndicatorDetailView.as_view(), name="indicator_detail"),
    path("objectifs/", objectives.ObjectiveListView.as_view(), name="objective_list"),
    path("objectifs/nouveau/", objectives.ObjectiveCreateView.as_view(), name="objective_create"),
    path("objectifs/<int:pk>/", objectives.ObjectiveUpdateView.as_view(), name="objective_update"),
    path("objectifs/<int:pk>/supprimer/", objectives.ObjectiveDeleteView.as_view(), name="objective_delete"),
]
