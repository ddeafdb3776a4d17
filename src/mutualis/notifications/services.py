"""Sending notifications: in the application, and by e-mail to those who have an address."""

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from .models import Notification

_EMAIL = ContextVar("notifications_by_email", default=True)


@contextmanager
def in_app_only():
    """Notifications created inside stay in the application, without e-mail (the demo's made-up people)."""
    token = _EMAIL.set(False)
    try:
        yield
    finally:
        _EMAIL.reset(token)


@dataclass(frozen=True)
class Message:
    key: str  # same key, same recipient: sent once only
    subject: str
    body: str
    url: str = ""


def notify(*, recipients, message: Message) -> list[Notification]:
    """Create the notifications not sent yet and e-mail them after commit; returns the new ones."""
    recipients = {user.pk: user for user in recipients if user is not None and user.is_active}
    already = set(
        Notification.objects.filter(recipient_id__in=recipients, key=message.key).values_list(
            "recipient_id", flat=True
        )
    )
    created = Notification.objects.bulk_create(
        [
            Notification(
                recipient=user, key=message.key, subject=message.subject, body=message.body, url=message.url
            )
            for pk, user in recipients.items()
            if pk not in already
        ]
    )
    if created and _EMAIL.get():
        transaction.on_commit(lambda: _email(message, [recipients[n.recipient_id] for n in created]))
    return created


def _email(message: Message, users) -> None:
    body = message.body
    if message.url:
        body += f"\n\n{settings.MUTUALIS_BASE_URL.rstrip('/')}{message.url}"
    sent = []
    for user in users:
        if user.email:
            send_mail(message.subject, body, None, [user.email], fail_silently=False)
            sent.append(user.pk)
    Notification.objects.filter(key=message.key, recipient_id__in=sent, emailed_at__isnull=True).update(
        emailed_at=timezone.now()
    )


def mark_read(*, user, notification_ids) -> int:
    return (
        Notification.objects.for_user(user)
        .unread()
        .filter(pk__in=notification_ids)
        .update(read_at=timezone.now())
    )
