"""Every e-mail the application sends: French, plain text, the territory in the sender's name, the subject
and the closing lines (notifications/emails.py). One test per kind of e-mail: each notification kind, the
daily contract alerts, the account invitation and the password reset."""

from datetime import date
from email import message_from_bytes
from email.header import decode_header, make_header
from email.utils import parseaddr

import pytest
from django.core import mail
from django.urls import reverse

from mutualis.contracts.alerts import send_contract_alerts
from mutualis.notifications.models import Kind
from mutualis.notifications.services import Message, notify
from mutualis.organisations.models import Territory
from mutualis.organisations.roles import Role
from mutualis.organisations.services import user_invite
from tests.contracts.factories import make_contract
from tests.organisations.factories import UserFactory

pytestmark = pytest.mark.django_db

FROM = "ne-pas-repondre@achats.ght-cote-dor.example"


@pytest.fixture(autouse=True)
def territory(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.DEFAULT_FROM_EMAIL = f"Mutualis <{FROM}>"
    settings.MUTUALIS_BASE_URL = "https://achats.ght-cote-dor.example"
    return Territory.objects.create(
        name="Groupement hospitalier de territoire Côte-d'Or", short_name="GHT Côte-d'Or", kind="ght"
    )


def assert_territory_email(message, *, to: str, subject: str, body_parts=()):
    """What every e-mail has, read from the message as it leaves (headers decoded)."""
    assert message.to == [to]
    assert message.subject == f"[GHT Côte-d'Or] {subject}"
    sent = message_from_bytes(message.message().as_bytes())
    name, address = parseaddr(str(make_header(decode_header(sent["From"]))))
    assert (name, address) == ("Mutualis — GHT Côte-d'Or", FROM)
    assert str(make_header(decode_header(sent["Subject"]))) == message.subject
    assert sent["Content-Language"] == "fr"
    assert sent.get_content_type() == "text/plain"  # no HTML alternative: plain text only
    assert message.alternatives == []
    for part in body_parts:
        assert part in message.body
    assert message.body.endswith(
        "-- \nMutualis, Groupement hospitalier de territoire Côte-d'Or\n"
        "Ce message est envoyé automatiquement : merci de ne pas y répondre.\n"
    )


@pytest.mark.parametrize("kind", Kind.values)
def test_each_notification_kind_is_emailed_in_the_territorys_name(kind, django_capture_on_commit_callbacks):
    person = UserFactory(email="acheteuse@ght-cote-dor.example")
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            recipients=[person],
            message=Message(
                key=f"test-{kind}",
                subject=f"{Kind(kind).label} : à lire",
                body="Bonjour,\nvoici ce qui vous concerne.",
                url="/contrats/1/",
                kind=kind,
            ),
        )
    [message] = mail.outbox
    assert_territory_email(
        message,
        to=person.email,
        subject=f"{Kind(kind).label} : à lire",
        body_parts=[
            "Bonjour,\nvoici ce qui vous concerne.",
            "https://achats.ght-cote-dor.example/contrats/1/",
        ],
    )


def test_the_daily_contract_alert(role_users, support, hospital, django_capture_on_commit_callbacks):
    buyer = role_users[Role.BUYER]
    ending = make_contract(
        buyer=support,
        reference="END-1",
        available_to=[hospital],
        manager=buyer,
        notification_date=date(2025, 12, 1),
        firm_duration_months=12,
    )
    with django_capture_on_commit_callbacks(execute=True):
        send_contract_alerts(today=date(2026, 10, 1), horizon_days=90)
    [message] = [m for m in mail.outbox if m.to == [buyer.email] and "fin le" in m.subject]
    assert_territory_email(
        message,
        to=buyer.email,
        subject=f"Contrat {ending.reference} : fin le 30/11/2026",
        body_parts=[f"https://achats.ght-cote-dor.example/contrats/{ending.pk}/"],
    )


def test_the_account_invitation(role_users, hospital, rf, django_capture_on_commit_callbacks):
    person = UserFactory.build(username="j.durand", first_name="Jeanne", email="jeanne.durand@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        user_invite(
            actor=role_users[Role.ADMIN],
            user=person,
            entity=hospital,
            role=Role.REFERENT,
            request=rf.get("/"),
        )
    [message] = mail.outbox
    assert_territory_email(
        message,
        to="jeanne.durand@example.org",
        subject="Votre compte Mutualis",
        body_parts=[
            "Bonjour Jeanne,",
            "Votre identifiant : j.durand",
            "http://testserver/compte/mot-de-passe/",
        ],
    )


def test_the_password_reset(client, role_users):
    buyer = role_users[Role.BUYER]
    buyer.email = "l'acheteur@example.org"  # written as is: a plain-text body is not escaped for HTML
    buyer.username = "o'brien"
    buyer.save()
    client.post(reverse("password_reset"), {"email": buyer.email})
    [message] = mail.outbox
    assert_territory_email(
        message,
        to=buyer.email,
        subject="Choisir un nouveau mot de passe",
        body_parts=["le compte « o'brien »", "http://testserver/compte/mot-de-passe/nouveau/"],
    )


def test_without_a_territory_the_application_alone_signs(territory, django_capture_on_commit_callbacks):
    territory.delete()
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            recipients=[UserFactory(email="a@example.org")],
            message=Message(key="k", subject="Objet", body="Texte"),
        )
    [message] = mail.outbox
    assert message.subject == "Objet"
    assert parseaddr(message.from_email) == ("Mutualis", FROM)
    assert message.body.endswith(
        "-- \nMutualis\nCe message est envoyé automatiquement : merci de ne pas y répondre.\n"
    )
