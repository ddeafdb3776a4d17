from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "mutualis.notifications"
    verbose_name = "Notifications"
