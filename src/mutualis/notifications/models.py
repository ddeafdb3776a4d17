"""In-app notifications, each also sent by e-mail once."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class NotificationQuerySet(models.QuerySet):
    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)

    def for_user(self, user) -> "NotificationQuerySet":
        return self.filter(recipient=user)


class Notification(models.Model):
    """A message to one person; `key` makes a scheduled job safe to run twice."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name="destinataire",
    )
    key = models.CharField("clé", max_length=200)
    subject = models.CharField("objet", max_length=200)
    body = models.TextField("message")
    url = models.CharField("lien", max_length=300, blank=True)
    created_at = models.DateTimeField("créée le", default=timezone.now)
    emailed_at = models.DateTimeField("envoyée par courriel le", null=True, blank=True)
    read_at = models.DateTimeField("lue le", null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = "notification"
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_key")]

    def __str__(self) -> str:
        return self.subject
