"""Issue 19, part 3: the planned purchases as an Atom feed (read by feedparser, a real feed library) and
as an iCalendar file (read by icalendar), both narrowed by `famille` and `entite`, a bad value refused
with a 400 naming the parameter; the planned purchases page links to both."""

import html
from datetime import date

import feedparser
import icalendar
from django.urls import reverse

from mutualis.procurements.services.projects import quarter_start

from .conftest import CONSULTATION, LATER, PLANNED

ATOM, ICS = "/portail/achats-prevus.atom", "/portail/achats-prevus.ics"


def _atom(client, **params):
    response = client.get(ATOM, params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert feed.version == "atom10"
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def _events(client, **params) -> dict[str, icalendar.Event]:
    response = client.get(ICS, params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(event["summary"]): event for event in calendar.walk("VEVENT")}


def _page(pk: int) -> str:
    return f"http://testserver/portail/achats/{pk}/"


def test_the_atom_feed_lists_the_planned_purchases_with_their_public_page(client, world):
    feed = _atom(client)
    assert feed.feed.title.startswith("Achats prévus")
    entries = {entry.title: entry for entry in feed.entries}
    assert set(entries) == {PLANNED, LATER}  # neither the consultation nor the unpublished project
    assert entries[PLANNED].link == _page(world.planned.pk)
    assert entries[LATER].link == _page(world.later.pk)
    assert entries[PLANNED].id and entries[PLANNED].updated_parsed
    assert "Lancement prévu : 2027-T2" in entries[PLANNED].summary
    assert "Mobilier" in entries[PLANNED].summary


def test_the_calendar_has_a_day_per_planned_purchase_and_per_deadline(client, world):
    events = _events(client)
    assert set(events) == {
        f"Lancement prévu : {PLANNED}",
        f"Lancement prévu : {LATER}",
        f"Date limite des offres : {CONSULTATION}",
    }
    planned = events[f"Lancement prévu : {PLANNED}"]
    assert planned.decoded("dtstart") == date(2027, 4, 1) == quarter_start("2027-T2")
    assert not isinstance(planned.decoded("dtstart"), type(planned.decoded("dtstamp")))  # all-day
    assert events[f"Lancement prévu : {LATER}"].decoded("dtstart") == date(2027, 10, 1)
    deadline = events[f"Date limite des offres : {CONSULTATION}"]
    world.consultation.refresh_from_db()
    assert deadline.decoded("dtstart") == world.consultation.tender_deadline
    assert str(planned["url"]) == _page(world.planned.pk)
    uids = {str(event["uid"]) for event in events.values()}
    assert len(uids) == 3
    assert uids == {str(event["uid"]) for event in _events(client).values()}  # stable
    assert f"achat-prevu-{world.planned.pk}@" in " ".join(uids)


def test_the_filters_narrow_both_feeds(client, world):
    green, furniture = world.later.family.code, world.planned.family.code
    hospital = world.planned.entities.get().pk
    assert [e.title for e in _atom(client, famille=furniture).entries] == [PLANNED]
    assert [e.title for e in _atom(client, famille=green).entries] == [LATER]
    assert [e.title for e in _atom(client, entite=hospital).entries] == [PLANNED]
    assert _atom(client, famille=green, entite=hospital).entries == []
    assert set(_events(client, famille=green)) == {
        f"Lancement prévu : {LATER}",
        f"Date limite des offres : {CONSULTATION}",
    }
    assert set(_events(client, entite=hospital)) == {
        f"Lancement prévu : {PLANNED}",
        f"Date limite des offres : {CONSULTATION}",
    }


def test_a_bad_filter_is_refused_naming_the_parameter(client, world):
    for url in (ATOM, ICS):
        for params, name in (
            ({"famille": "NEXISTEPAS"}, "famille"),
            ({"entite": "abc"}, "entite"),
            ({"entite": "999999"}, "entite"),
        ):
            response = client.get(url, params)
            assert response.status_code == 400, (url, params)
            assert f"Paramètre « {name} »" in response.content.decode()


def test_the_planned_page_links_to_the_feeds_with_its_filters(client, world):
    page = html.unescape(client.get(reverse("portal:planned")).content.decode())
    assert (
        f'rel="alternate" type="application/atom+xml" title="Achats prévus (flux Atom)" href="{ATOM}"' in page
    )
    assert f'href="{ICS}"' in page and "Alertes par e-mail" in page
    code, hospital = world.planned.family.code, world.planned.entities.get().pk
    filtered = html.unescape(
        client.get(reverse("portal:planned"), {"family": code, "entity": hospital}).content.decode()
    )
    assert f'href="{ATOM}?famille={code}&entite={hospital}"' in filtered
    assert f'href="{ICS}?famille={code}&entite={hospital}"' in filtered
    consultations = client.get(reverse("portal:consultations")).content.decode()
    assert ATOM not in consultations
