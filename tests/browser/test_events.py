"""The matinales in Chromium, on a phone: the prescriber finds the coming demo matinale from his home page,
registers from its page (it is full: he waits), and the buyer sees him on the waiting list; the past ones
show their results. Every new page: no sideways scrolling, axe clean."""

from playwright.sync_api import expect

from mutualis.events.models import Event, EventStatus

from .conftest import log_in, log_out
from .test_clients import PHONE, _fits


def test_the_prescriber_registers_and_the_buyer_sees_it(page):
    page.set_viewport_size(PHONE)
    coming = Event.objects.get(status=EventStatus.INVITED)
    past = Event.objects.filter(status=EventStatus.CLOSED).first()

    log_in(page, "prescripteur")
    expect(page.get_by_role("heading", name="Matinales : vous êtes invité")).to_be_visible()
    page.get_by_role("link", name=coming.title).click()
    expect(page.get_by_text("Vous êtes invité à cette matinale.")).to_be_visible()
    _fits(page)
    page.get_by_role("button", name="M'inscrire à la matinale").click()
    expect(page.get_by_text("La matinale est complète : vous êtes en liste d'attente")).to_be_visible()
    expect(page.get_by_role("button", name="Me désinscrire")).to_be_visible()
    _fits(page)
    page.goto("/accompagnement/matinales/")
    expect(page.get_by_role("link", name=coming.title)).to_be_visible()
    _fits(page)

    log_out(page)
    log_in(page, "acheteur")
    page.goto(coming.get_absolute_url())
    waiting = page.get_by_role("heading", name="Liste d'attente (2)")
    expect(waiting).to_be_visible()
    expect(page.get_by_text("Thomas Lambert, inscrit le")).to_be_visible()
    _fits(page)
    page.goto(past.get_absolute_url())
    expect(page.get_by_role("heading", name="Résultats du questionnaire")).to_be_visible()
    expect(page.get_by_role("table", name="Note moyenne par question, de 1 à 5")).to_be_visible()
    _fits(page)
    page.goto(f"/accompagnement/matinales/{past.pk}/presence/")
    _fits(page)
    page.goto("/accompagnement/matinales/nouvelle/")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Ce champ est obligatoire.").first).to_be_visible()
    _fits(page)

    log_out(page)
    log_in(page, "technique.istille")  # came to the first past matinale, has not answered yet
    first = Event.objects.filter(status=EventStatus.CLOSED).order_by("starts_at").first()
    page.goto(first.get_absolute_url())
    page.get_by_role("link", name=f"Donner votre avis sur la matinale « {first.title} »").click()
    _fits(page)
    page.get_by_role("button", name="Envoyer mon avis").click()
    expect(page.get_by_text("Votre avis n'a pas été enregistré")).to_be_visible()
    _fits(page)
