from django.urls import path

from . import accessibility, alerts, feeds, interest, views

app_name = "portal"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("achats-prevus/", views.PlannedListView.as_view(), name="planned"),
    path("achats-prevus.atom", feeds.PlannedAtomFeed(), name="planned_atom"),
    path("achats-prevus.ics", feeds.PlannedCalendarView.as_view(), name="planned_ics"),
    path("alertes/", alerts.AlertSubscribeView.as_view(), name="alerts"),
    path("alertes/confirmer/<str:token>/", alerts.AlertConfirmView.as_view(), name="alert_confirm"),
    path("alertes/desabonner/<str:token>/", alerts.AlertUnsubscribeView.as_view(), name="alert_unsubscribe"),
    path("consultations/", views.ConsultationListView.as_view(), name="consultations"),
    path("achats/<int:pk>/", views.ProjectDetailView.as_view(), name="project"),
    path("achats/<int:pk>/interet/", interest.InterestView.as_view(), name="interest"),
    path("achats/<int:pk>/interet/merci/", interest.InterestThanksView.as_view(), name="interest_thanks"),
    path("marches/", views.ContractListView.as_view(), name="contracts"),
    path("membres/", views.EntityListView.as_view(), name="entities"),
    path("membres/<int:pk>/", views.EntityDetailView.as_view(), name="entity"),
    path("guide/", views.GuideView.as_view(), name="guide"),
    path("donnees-essentielles/", views.OpenDataView.as_view(), name="open_data"),
    path("accessibilite/", accessibility.AccessibilityView.as_view(), name="accessibility"),
    path("donnees-essentielles/decp.json", views.DecpDownloadView.as_view(), name="decp"),
]
