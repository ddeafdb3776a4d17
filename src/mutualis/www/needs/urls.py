from django.urls import path

from . import opportunities, views

app_name = "needs"

urlpatterns = [
    path("", views.CampaignListView.as_view(), name="campaign_list"),
    path("fractionnement-mutualisation/", opportunities.OpportunitiesView.as_view(), name="opportunities"),
    path("campagnes/nouvelle/", views.CampaignCreateView.as_view(), name="campaign_create"),
    path("campagnes/<int:pk>/", views.CampaignDetailView.as_view(), name="campaign_detail"),
    path("campagnes/<int:pk>/modifier/", views.CampaignUpdateView.as_view(), name="campaign_update"),
    path("campagnes/<int:pk>/consolidation.xlsx", views.CampaignExportView.as_view(), name="campaign_export"),
    path("campagnes/<int:campaign>/besoins/nouveau/", views.NeedLineCreateView.as_view(), name="line_create"),
    path("campagnes/<int:campaign>/besoins/import/", views.NeedLineImportView.as_view(), name="line_import"),
    path("lignes/", views.NeedLineListView.as_view(), name="line_list"),
    path("lignes/<int:pk>/", views.NeedLineDetailView.as_view(), name="line_detail"),
    path("lignes/<int:pk>/modifier/", views.NeedLineUpdateView.as_view(), name="line_update"),
    path("lignes/<int:pk>/etat/", views.NeedLineTransitionView.as_view(), name="line_transition"),
]
