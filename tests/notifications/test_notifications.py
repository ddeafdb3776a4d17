import pytest
from django.core import mail
from django.urls import reverse

from mutualis.notifications.models import EmailOptOut, Kind, Notification
from mutualis.notifications.services import Message, email_kinds, email_preferences_save, notify, shorten
from tests.organisations.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_shorten_cuts_on_a_word_boundary_with_an_ellipsis():
    text = (
        "Fourniture de dispositifs médicaux stériles à usage unique pour les blocs opératoires du groupement"
    )
    short = shorten(text, 6)
    assert short == "Fourniture de dispositifs médicaux stériles à…"
    assert shorten("Deux mots", 6) == "Deux mots"


def test_notify_respects_the_email_preference_of_each_kind(django_capture_on_commit_callbacks):
    keeps, declines = UserFactory(email="a@example.org"), UserFactory(email="b@example.org")
    email_preferences_save(user=declines, kinds=[Kind.CONTRACT_ENDING])
    assert Kind.STAGE_ASSIGNED not in email_kinds(declines)
    with django_capture_on_commit_callbacks(execute=True):
        created = notify(
            recipients=[keeps, declines],
            message=Message(key="k1", subject="S", body="B", kind=Kind.STAGE_ASSIGNED),
        )
    assert len(created) == 2  # both see it in the application
    assert [m.to for m in mail.outbox] == [["a@example.org"]]
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            recipients=[declines], message=Message(key="k2", subject="S", body="B", kind=Kind.CONTRACT_ENDING)
        )
    assert mail.outbox[-1].to == ["b@example.org"]


def test_preferences_page_saves_the_choice(client):
    user = UserFactory()
    client.force_login(user)
    page = client.get(reverse("notifications:preferences"))
    assert page.status_code == 200 and "Recevoir aussi par courriel" in page.content.decode()
    response = client.post(reverse("notifications:preferences"), {"kinds": [Kind.CONTRACT_ENDING]})
    assert response.status_code == 302
    assert set(EmailOptOut.objects.filter(user=user).values_list("kind", flat=True)) == set(Kind.values) - {
        Kind.CONTRACT_ENDING
    }
    assert reverse("notifications:preferences") in client.get(reverse("account")).content.decode()
    # Who chose what is kept: one history row per choice, by that person, deletions included.
    client.post(reverse("notifications:preferences"), {"kinds": [Kind.CONTRACT_ENDING, Kind.OTHER]})
    history = EmailOptOut.history.filter(user=user)
    assert history.filter(history_type="+").count() == len(Kind.values) - 1
    assert history.filter(history_type="-", kind=Kind.OTHER).count() == 1
    assert set(history.values_list("history_user", flat=True)) == {user.pk}


def test_notification_list_uses_the_lists_pager(client):
    user = UserFactory()
    long_subject = "Contrat MAR-1 : " + " ".join(["fournitures"] * 15)  # 195 characters, 18 words
    Notification.objects.bulk_create(
        [Notification(recipient=user, key=f"k{i}", subject=long_subject, body="Corps") for i in range(65)]
    )
    client.force_login(user)
    first = client.get(reverse("notifications:list")).content.decode()
    assert "?=1" not in first
    assert 'class="pagination' in first and "?page=2" in first
    assert "fournitures…" in first  # cut on a word, with an ellipsis
    second = client.get(reverse("notifications:list"), {"page": 2})
    assert second.status_code == 200 and "?page=3" in second.content.decode()
    assert client.get(reverse("notifications:list"), {"page": 3}).status_code == 200
