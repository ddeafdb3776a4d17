"""E-mail alerts of the portal: subscribe (double opt-in), confirm, unsubscribe in one click, and the
daily sending of the projects newly published in a subscriber's family or entity.

Answers never tell whether an address is already subscribed: the same page follows every request."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from mutualis.notifications.emails import send_email

from . import public
from .feeds import description
from .models import UNCONFIRMED_DAYS, AlertSubscription

CONFIRM_SALT = "mutualis.portal.alert-confirm"
PENDING_PER_EMAIL = 3  # unconfirmed requests an address may have at once
REQUESTS_PER_ADDRESS = 10  # subscription requests per client address and hour
WINDOW_SECONDS = 3600


def _url(name: str, token: str) -> str:
    return f"{settings.MUTUALIS_BASE_URL.rstrip('/')}{reverse(name, args=[token])}"


def confirm_url(subscription: AlertSubscription) -> str:
    return _url("portal:alert_confirm", signing.dumps(subscription.token, salt=CONFIRM_SALT))


def unsubscribe_url(subscription: AlertSubscription) -> str:
    return _url("portal:alert_unsubscribe", subscription.token)


def _followed(subscription: AlertSubscription) -> str:
    if subscription.family_id:
        return f"la famille d'achat « {subscription.family.label} »"
    return f"l'entité « {subscription.entity.short_name or subscription.entity.name} »"


def _address_key(address: str) -> str:
    return "portal-alerts:address:" + hashlib.sha256(address.encode()).hexdigest()[:32]


def _count_request(address: str | None) -> None:
    """At most REQUESTS_PER_ADDRESS requests per hour from one client address (the login guard's way)."""
    if not address:
        return
    key = _address_key(address)
    cache.add(key, 0, timeout=WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=WINDOW_SECONDS)
        count = 1
    if count > REQUESTS_PER_ADDRESS:
        raise ValidationError(
            "Trop de demandes d'abonnement depuis votre adresse : réessayez dans une heure."
        )


@transaction.atomic
def alert_subscribe(*, email: str, family=None, entity=None, address: str | None = None) -> None:
    """Ask for an alert: a confirmation e-mail goes to the address, nothing is sent before it is followed.
    An address already subscribed to the same thing gets nothing more (and the visitor is not told)."""
    _count_request(address)
    email = email.strip().lower()
    mine = AlertSubscription.objects.filter(email=email)
    same = mine.filter(family=family, entity=entity).first()
    if same and same.confirmed_at:
        return
    if same is None:
        if mine.pending().count() >= PENDING_PER_EMAIL:
            raise ValidationError(
                "Cette adresse a déjà des demandes d'abonnement en attente : confirmez-les d'abord "
                "(lien reçu par e-mail, valable 7 jours)."
            )
        same = AlertSubscription.objects.create(
            email=email, family=family, entity=entity, token=secrets.token_urlsafe(32)
        )
    subscription = same
    transaction.on_commit(lambda: _send_confirmation(subscription))


def _send_confirmation(subscription: AlertSubscription) -> None:
    send_email(
        to=[subscription.email],
        subject="Confirmez votre abonnement aux alertes du portail des achats",
        body=(
            "Bonjour,\n\n"
            f"Une demande d'alerte sur les achats prévus pour {_followed(subscription)} a été faite "
            "avec cette adresse sur le portail des achats.\n\n"
            f"Pour la confirmer, ouvrez ce lien (valable {UNCONFIRMED_DAYS} jours) :\n"
            f"{confirm_url(subscription)}\n\n"
            "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : sans confirmation, "
            "l'adresse est effacée sous "
            f"{UNCONFIRMED_DAYS} jours. Elle ne sert qu'à ces alertes."
        ),
    )


def pending_by_link(signed: str) -> AlertSubscription | None:
    """The subscription a confirmation link names, if the link is genuine and not expired."""
    try:
        token = signing.loads(signed, salt=CONFIRM_SALT, max_age=timedelta(days=UNCONFIRMED_DAYS))
    except signing.BadSignature:
        return None
    return AlertSubscription.objects.filter(token=token).first()


@transaction.atomic
def alert_confirm(subscription: AlertSubscription) -> AlertSubscription:
    """Confirmed: from now on, the projects published later are sent (those already published are not)."""
    if subscription.confirmed_at is None:
        subscription.confirmed_at = timezone.now()
        subscription.sent_projects = sorted(_matching(subscription).values_list("pk", flat=True))
        subscription.save(update_fields=["confirmed_at", "sent_projects"])
    return subscription


def by_unsubscribe_token(token: str) -> AlertSubscription | None:
    return AlertSubscription.objects.filter(token=token).first() if token else None


def alert_unsubscribe(token: str) -> None:
    """Deleted, the address with it. An unknown token changes nothing and is not told apart."""
    AlertSubscription.objects.filter(token=token).delete()


def _matching(subscription: AlertSubscription):
    rows = public.planned_projects()
    if subscription.family_id:
        return rows.filter(family_id=subscription.family_id)
    return rows.concerning([subscription.entity_id])


@dataclass(frozen=True)
class AlertReport:
    purged: int
    emails: int
    projects: int


def purge_unconfirmed(now=None) -> int:
    limit = (now or timezone.now()) - timedelta(days=UNCONFIRMED_DAYS)
    deleted, _ = AlertSubscription.objects.pending().filter(created_at__lt=limit).delete()
    return deleted


def send_portal_alerts(now=None) -> AlertReport:
    """Daily: purge the expired requests, then send each confirmed subscriber the projects published in
    their family or entity that they have not received yet."""
    now = now or timezone.now()
    purged = purge_unconfirmed(now)
    emails = projects = 0
    for subscription in AlertSubscription.objects.confirmed().select_related("family", "entity"):
        new = sorted(
            set(_matching(subscription).values_list("pk", flat=True)) - set(subscription.sent_projects)
        )
        if not new:
            continue
        _send_alert(subscription, public.project_records(new))
        subscription.sent_projects = sorted({*subscription.sent_projects, *new})
        subscription.last_sent_at = now
        subscription.save(update_fields=["sent_projects", "last_sent_at"])
        emails, projects = emails + 1, projects + len(new)
    return AlertReport(purged=purged, emails=emails, projects=projects)


def _send_alert(subscription: AlertSubscription, records) -> None:
    base = settings.MUTUALIS_BASE_URL.rstrip("/")
    blocks = [
        f"• {record.object}\n{description(record)}\n{base}{reverse('portal:project', args=[record.pk])}"
        for record in records
    ]
    unsubscribe = unsubscribe_url(subscription)
    count = len(records)
    send_email(
        to=[subscription.email],
        subject=f"{count} nouvel achat prévu" if count == 1 else f"{count} nouveaux achats prévus",
        body=(
            f"Bonjour,\n\nNouveaux achats prévus publiés sur le portail pour {_followed(subscription)} :\n\n"
            + "\n\n".join(blocks)
            + f"\n\nPour ne plus recevoir ces alertes (votre adresse sera effacée) :\n{unsubscribe}"
        ),
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
