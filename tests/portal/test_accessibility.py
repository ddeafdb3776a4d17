"""The portal's accessibility statement (RGAA): public, linked from every portal page, honest about its
state (no audit: non-conforming), with every section the statement must have, and the territory's
contact address when one is set."""

import html
import re

from django.urls import reverse

from mutualis.organisations.models import Territory
from mutualis.www.portal.accessibility import CHECKED_PAGES

SECTIONS = (
    "État de conformité",
    "Résultats des tests",
    "Contenus non accessibles",
    "Établissement de cette déclaration",
    "Technologies utilisées",
    "Environnement de test",
    "Outils pour évaluer l'accessibilité",
    "Pages du portail vérifiées",
    "Retour d'information et contact",
    "Voies de recours",
)


def _page(client) -> str:
    response = client.get(reverse("portal:accessibility"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_statement_says_non_conforming_and_has_every_section(client, db):
    Territory.objects.create(
        name="GHT de test", short_name="GHT", kind="ght", contact_email="achats@ght-test.fr"
    )
    page = _page(client)
    for title in SECTIONS:
        assert f">{title}</h" in page, title
    text = html.unescape(re.sub(r"<[^>]+>", "", page))
    assert "n'a pas encore fait l'objet d'un audit de conformité" in text
    assert "il est donc non conforme" in text
    assert "partiellement conforme" not in text and "totalement conforme" not in text
    assert "établie le 1 décembre 2026" in text  # the statement's date, in words
    assert "axe-core" in text and "Playwright" in text and "390 pixels" in text
    for label, _ in CHECKED_PAGES:
        assert label in text
    assert 'href="mailto:achats@ght-test.fr"' in page
    assert "Défenseur des droits" in text and "Libre réponse 71120" in text
    assert "GHT de test s'engage" in text


def test_without_a_contact_address_it_sends_to_the_published_contacts(client, db):
    Territory.objects.create(name="GHT de test", short_name="GHT", kind="ght")
    page = _page(client)
    assert "mailto:" not in page
    assert f'href="{reverse("portal:entities")}"' in page


def test_every_portal_page_links_to_it_with_its_state(client, db):
    link = f'<a href="{reverse("portal:accessibility")}">Accessibilité : non conforme'
    for name in ("portal:home", "portal:planned", "portal:alerts", "portal:accessibility"):
        assert link in client.get(reverse(name)).content.decode(), name


def test_the_staff_statement_is_as_honest_as_the_portals(client, db):
    # Without an audit, the RGAA allows no other state than « non conforme », in the footer too.
    page = client.get(reverse("www:accessibility")).content.decode()
    assert "<strong>non conforme</strong>" in page and "partiellement conforme" not in page
    assert "Défenseur des droits" in page
    assert "Accessibilité : non conforme" in page
