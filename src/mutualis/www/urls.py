from django.urls import path

from . import imports, views

app_name = "www"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("accessibilite/", views.AccessibilityView.as_view(), name="accessibility"),
    path("imports/<int:pk>/", imports.ImportRunView.as_view(), name="import_run"),
]
