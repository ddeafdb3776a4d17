from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.NotificationListView.as_view(), name="list"),
    path("lues/", views.NotificationReadView.as_view(), name="mark_read"),
    path("courriels/", views.EmailPreferencesView.as_view(), name="preferences"),
]
