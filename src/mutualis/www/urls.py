from django.urls import path

from . import views

app_name = "www"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("accessibilite/", views.AccessibilityView.as_view(), name="accessibility"),
]
