"""Sending notifications: in the application, and by e-mail to those who have an address."""

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator
from simple_history.utils import bulk_create_with_history

from .emails import send_email
from .models import EmailOptOut, Kind, Notification

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
    kind: str = Kind.OTHER  # a Kind: whether it is e-mailed follows each recipient's preference


def shorten(text: str, words: int = 12) -> str:
    """A title cut on a word boundary, with an ellipsis when something was left out."""
    return Truncator(" ".join(str(text).split())).words(words, truncate="…")


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
        opted_out = set(
            EmailOptOut.objects.filter(user_id__in=recipients, kind=message.kind).values_list(
                "user_id", flat=True
            )
        )
        to_email = [recipients[n.recipient_id] for n in created if n.recipient_id not in opted_out]
        if to_email:
            transaction.on_commit(lambda: _email(message, to_email))
    return created


def _email(message: Message, users) -> None:
    body = message.body
    if message.url:
        body += f"\n\n{settings.MUTUALIS_BASE_URL.rstrip('/')}{message.url}"
    sent = []
    for user in users:
        if user.email:
            send_email(to=[user.email], subject=message.subject, body=body)
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


def email_kinds(user) -> set[str]:
    """The kinds of notification this person receives by e-mail."""
    opted_out = set(EmailOptOut.objects.filter(user=user).values_list("kind", flat=True))
    return {kind for kind in Kind.values if kind not in opted_out}


def email_preferences_save(*, user, kinds) -> None:
    """Keep e-mail for the given kinds only; the others stay in the application."""
    wanted = set(kinds)
    with transaction.atomic():
        EmailOptOut.objects.filter(user=user, kind__in=wanted).delete()
        existing = set(EmailOptOut.objects.filter(user=user).values_list("kind", flat=True))
        # bulk_create sends no signal: the history's helper writes the history rows alongside.
        bulk_create_with_history(
            [
                EmailOptOut(user=user, kind=kind)
                for kind in Kind.values
                if kind not in wanted and kind not in existing
            ],
            EmailOptOut,
            default_user=user,
        )
