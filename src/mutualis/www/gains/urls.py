from django.urls import path

from . import views

app_name = "gains"

urlpatterns = [
    path("", views.GainSummaryView.as_view(), name="summary"),
    path("synthese.xlsx", views.GainSummaryExportView.as_view(), name="summary_xlsx"),
    path("objectif/", views.GainTargetUpdateView.as_view(), name="target_update"),
    path("liste/", views.GainListView.as_view(), name="gain_list"),
    path("nouveau/", views.GainCreateView.as_view(), name="gain_create"),
    path("<int:pk>/", views.GainDetailView.as_view(), name="gain_detail"),
    path("<int:pk>/modifier/", views.GainUpdateView.as_view(), name="gain_update"),
    path("<int:pk>/etat/", views.GainTransitionView.as_view(), name="gain_transition"),
]
