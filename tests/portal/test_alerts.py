"""Issue 19, part 3: e-mail alerts without an account. Double opt-in (nothing is sent before the signed
link is followed, an unconfirmed request is purged after 7 days), the daily command sends each project
once, every alert carries a one-click unsubscribe (RFC 8058) that deletes the address; bad links are
refused without telling whether an address is subscribed; the alerts show public fields only."""

import html
import re
import time
from datetime import timedelta

import pytest
from django.core import mail, signing
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mutualis.organisations.models import User
from mutualis.portal import alerts
from mutualis.portal.models import AlertSubscription
from mutualis.procurements.models import Lot, Project
from tests.catalogue.factories import PurchaseFamilyFactory
from tests.procurements.factories import new_project

from .conftest import PLANNED, publish
from .test_nothing_internal_leaks import EXACT, LONG, PUBLISHED_SHOWN, SHORT, _exact_spellings, plant

EMAIL = "veille@entreprise-test.fr"
NEW = "Achat de sièges ergonomiques pour les accueils"
URL = re.compile(r"https?://\S+?(/portail/alertes/\S+/)")


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # the rate limit counts in the cache
    yield
    cache.clear()


def _subscribe(client, capture, **data):
    with capture(execute=True):
        return client.post(reverse("portal:alerts"), {"email": EMAIL, **data})


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _link(message) -> str:
    return URL.search(message.body).group(1)


def _confirmed(client, capture, world) -> AlertSubscription:
    _subscribe(client, capture, famille=world.planned.family.pk)
    client.post(_link(mail.outbox[-1]))
    mail.outbox.clear()
    return AlertSubscription.objects.get(email=EMAIL)


def _new_furniture_project(world, team, support, hospital) -> Project:
    buyer, legal = team
    project = new_project(
        buyer, entities=[hospital], value="60000", object=NEW, family=world.planned.family,
        planned_launch_quarter="2027-T3", buyer=buyer, legal_officer=legal, buyer_entity=support,
    )  # fmt: skip
    return publish(project, buyer)


def test_subscribe_confirm_by_the_signed_link(client, world, django_capture_on_commit_callbacks):
    page = _text(client.get(reverse("portal:alerts")))
    assert "ne sert qu'à vous envoyer ces alertes" in page  # the privacy note
    response = _subscribe(client, django_capture_on_commit_callbacks, famille=world.planned.family.pk)
    assert response.status_code == 200 and "e-mail de confirmation" in _text(response)
    [message] = mail.outbox
    assert message.to == [EMAIL] and "Mobilier" in message.body
    subscription = AlertSubscription.objects.get()
    assert subscription.confirmed_at is None and subscription.email == EMAIL
    link = _link(message)
    shown = client.get(link)
    assert shown.status_code == 200 and "Confirmer mon abonnement" in _text(shown)
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None  # a link checker's GET confirms nothing
    assert client.post(link).status_code == 200
    subscription.refresh_from_db()
    assert subscription.confirmed_at is not None
    assert subscription.sent_projects == [world.planned.pk]  # already published: not sent as new


def test_bad_input_names_the_field_and_writes_nothing(client, world, django_capture_on_commit_callbacks):
    family, entity = world.planned.family.pk, world.planned.entities.get().pk
    for data, words in (
        ({}, "Famille d'achat</a> : Choisissez une famille d'achat ou une entité"),
        ({"famille": family, "entite": entity}, "l'une des deux, pas les deux"),
        ({"famille": family, "email": "pas-une-adresse"}, "Votre adresse e-mail</a>"),
        ({"famille": "999999"}, "Famille d'achat</a>"),
    ):
        response = _subscribe(client, django_capture_on_commit_callbacks, **data)
        assert response.status_code == 400
        assert words in _text(response), data
    assert not AlertSubscription.objects.exists() and not mail.outbox


def test_pending_requests_and_requests_per_address_are_limited(
    client, world, django_capture_on_commit_callbacks
):
    families = [PurchaseFamilyFactory(code=f"LIM-{n}", label=f"Famille {n}") for n in range(4)]
    for family in families[:3]:
        assert _subscribe(client, django_capture_on_commit_callbacks, famille=family.pk).status_code == 200
    refused = _subscribe(client, django_capture_on_commit_callbacks, famille=families[3].pk)
    assert refused.status_code == 400 and "demandes d'abonnement en attente" in _text(refused)
    assert AlertSubscription.objects.count() == 3
    for n in range(alerts.REQUESTS_PER_ADDRESS - 4):  # the 10 requests of this address, 4 made
        _subscribe(client, django_capture_on_commit_callbacks, famille=families[0].pk, email=f"a{n}@x.fr")
    too_many = _subscribe(client, django_capture_on_commit_callbacks, famille=families[0].pk, email="z@x.fr")
    assert too_many.status_code == 400 and "Trop de demandes" in _text(too_many)
    assert not AlertSubscription.objects.filter(email="z@x.fr").exists()


def test_an_address_already_subscribed_is_not_told_apart(client, world, django_capture_on_commit_callbacks):
    _confirmed(client, django_capture_on_commit_callbacks, world)
    again = _subscribe(client, django_capture_on_commit_callbacks, famille=world.planned.family.pk)
    other = _subscribe(
        client, django_capture_on_commit_callbacks, famille=world.later.family.pk, email="autre@x.fr"
    )
    assert again.status_code == other.status_code == 200
    assert _text(again).replace(EMAIL, "@") == _text(other).replace("autre@x.fr", "@")
    assert [m.to for m in mail.outbox] == [["autre@x.fr"]]  # nothing more to the subscribed address


def test_bad_or_expired_links_are_refused(client, world, django_capture_on_commit_callbacks, monkeypatch):
    _subscribe(client, django_capture_on_commit_callbacks, famille=world.planned.family.pk)
    subscription = AlertSubscription.objects.get()
    forged = signing.dumps(subscription.token, salt="autre chose")
    with monkeypatch.context() as m:  # signed 8 days ago
        m.setattr(time, "time", lambda: timezone.now().timestamp() - 8 * 86400)
        expired = signing.dumps(subscription.token, salt=alerts.CONFIRM_SALT)
    unknown = reverse("portal:alert_unsubscribe", args=["inconnu"])
    for link in (reverse("portal:alert_confirm", args=[token]) for token in ("x", forged, expired)):
        for method in (client.get, client.post):
            response = method(link)
            assert response.status_code == 404 and "Ce lien n'est pas valable" in _text(response)
    assert client.get(unknown).status_code == 404
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None
    # An unknown unsubscribe token answers as a real one: nothing tells whether an address was behind.
    assert "Vous êtes désabonné" in _text(client.post(unknown))
    assert AlertSubscription.objects.count() == 1


def test_the_daily_command_sends_new_projects_once_to_confirmed_subscribers(
    client, world, team, support, hospital, django_capture_on_commit_callbacks
):
    subscription = _confirmed(client, django_capture_on_commit_callbacks, world)
    pending = AlertSubscription.objects.create(email="attente@x.fr", family=world.planned.family, token="t")
    project = _new_furniture_project(world, team, support, hospital)

    call_command("send_portal_alerts")

    [message] = mail.outbox
    assert message.to == [EMAIL]  # not the unconfirmed request
    assert NEW in message.body and PLANNED not in message.body
    assert f"/portail/achats/{project.pk}/" in message.body
    unsubscribe = alerts.unsubscribe_url(subscription)
    assert unsubscribe in message.body
    assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    mail.outbox.clear()
    call_command("send_portal_alerts")
    assert not mail.outbox  # never twice the same project
    # A request unconfirmed for 7 days is purged, with its address.
    AlertSubscription.objects.filter(pk=pending.pk).update(created_at=timezone.now() - timedelta(days=8))
    call_command("send_portal_alerts")
    assert not AlertSubscription.objects.filter(pk=pending.pk).exists()
    assert AlertSubscription.objects.filter(pk=subscription.pk).exists()


def test_unsubscribe_shows_a_button_and_one_click_post_deletes(
    client, world, django_capture_on_commit_callbacks
):
    subscription = _confirmed(client, django_capture_on_commit_callbacks, world)
    link = reverse("portal:alert_unsubscribe", args=[subscription.token])
    page = client.get(link)
    assert page.status_code == 200 and "Me désabonner" in _text(page)
    assert AlertSubscription.objects.filter(pk=subscription.pk).exists()
    # A mail client's one-click POST (RFC 8058) carries no CSRF token.
    response = Client(enforce_csrf_checks=True).post(link, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and "Vous êtes désabonné" in _text(response)
    assert not AlertSubscription.objects.filter(email=EMAIL).exists()


def test_alerts_show_public_fields_only(
    client, world, team, support, hospital, django_capture_on_commit_callbacks
):
    _confirmed(client, django_capture_on_commit_callbacks, world)
    project = _new_furniture_project(world, team, support, hospital)
    assert project.lots.exists()
    assert plant(Project.objects.all(), keep=PUBLISHED_SHOWN | {"status"}) > 10
    plant(Lot.objects.all(), keep={"title"})
    plant(User.objects.all())
    Project.objects.update(estimated_value=EXACT)
    Lot.objects.update(estimated_value=EXACT)

    call_command("send_portal_alerts")

    [message] = mail.outbox
    text = f"{message.subject}\n{message.body}"
    assert NEW in text
    leaked = LONG.search(text) or SHORT.search(text)
    assert leaked is None, leaked.group()
    assert not [spelling for spelling in _exact_spellings(EXACT) if spelling in text]
    assert "Valeur estimée : " in text  # the bracket, not the amount
