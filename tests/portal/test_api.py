"""The portal's public API (issue 19): anonymous, read-only, throttled per address, paginated, filtered
like the pages, whitelisted fields only (a project's value as its bracket), and a fixed number of
queries whatever the number of rows. The marker walk (test_nothing_internal_leaks.py) covers it too."""

from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.settings import api_settings
from rest_framework.test import APIClient

from mutualis.api.portal import PortalThrottle
from mutualis.organisations.roles import Role
from mutualis.procurements.models import Project, Stage, StageCode
from tests.contracts.factories import make_contract
from tests.organisations.factories import EntityFactory
from tests.procurements.factories import new_project
from tests.tokens.factories import api_token

from .conftest import CONSULTATION, CONTACT, LATER, PLANNED, PROFILE, publish

PROJECT_KEYS = {
    "id", "url", "page", "object", "is_consultation", "family", "family_code", "cpv", "buyer",
    "entities", "lots", "quarter", "procedure", "value_bracket", "contact", "consultation_url",
    "tender_deadline", "updated",
}  # fmt: skip
CONTRACT_KEYS = {
    "id", "url", "reference", "object", "nature", "buyer", "family", "cpv", "procedure",
    "notification_date", "amount", "duration_months", "holders",
}  # fmt: skip


@pytest.fixture
def api():
    return APIClient()


def _get(api, name, params=None, **headers):
    response = api.get(reverse(name), params or {}, **headers)
    assert response.status_code == 200, response.content
    return response.json()


def test_planned_purchases_whitelisted_with_the_bracket_never_the_estimate(api, world):
    body = _get(api, "api:portal-planned-list")
    assert body["count"] == 2 and {r["object"] for r in body["results"]} == {PLANNED, LATER}
    record = next(r for r in body["results"] if r["object"] == PLANNED)
    assert set(record) == PROJECT_KEYS
    assert record["value_bracket"] == "de 60\u202f000\u00a0€\u00a0HT à 90\u202f000\u00a0€\u00a0HT"  # 75 000 €
    assert "75000" not in str(body) and "75 000" not in str(body)
    assert record["contact"] == CONTACT and record["family_code"] == "MOB-01"
    assert record["page"] == f"http://testserver/portail/achats/{world.planned.pk}/"
    assert api.get(record["url"]).json() == record  # the detail says the same


def test_consultations_and_contracts(api, world):
    [consultation] = _get(api, "api:portal-consultation-list")["results"]
    assert consultation["object"] == CONSULTATION and consultation["consultation_url"] == PROFILE
    assert consultation["is_consultation"] and consultation["tender_deadline"]
    [contract] = _get(api, "api:portal-contract-list")["results"]
    assert set(contract) == CONTRACT_KEYS and contract["holders"]
    assert _get(api, "api:portal-member-list")["count"] == 2


def test_filters_are_the_pages_and_a_bad_value_is_a_400_naming_it(api, world):
    planned = "api:portal-planned-list"
    cases = {
        "family": (world.later.family.code, LATER),
        "cpv": ("3913", PLANNED),
        "quarter": ("2027-T4", LATER),
        "entity": (world.later.entities.get().pk, LATER),
        "q": ("mobilier", PLANNED),
    }
    for name, (value, found) in cases.items():
        assert [r["object"] for r in _get(api, planned, {name: value})["results"]] == [found], name
    response = api.get(reverse(planned), {"quarter": "T2-2027"})
    assert response.status_code == 400
    assert response.json() == {"quarter": ["Écrivez le trimestre sous la forme 2027-T1."]}
    year = world.awarded.lots.get().contract.notification_date.year
    assert _get(api, "api:portal-contract-list", {"year": year})["count"] == 1
    assert _get(api, "api:portal-contract-list", {"year": year - 1})["count"] == 0


def test_only_what_the_portal_shows_and_only_reads(api, world, role_users):
    for project in (world.unpublished, world.awarded, world.consultation):
        url = reverse("api:portal-planned-detail", args=[project.pk])
        assert api.get(url).status_code == 404, project.object
    assert api.get(reverse("api:portal-consultation-detail", args=[world.consultation.pk])).status_code == 200
    url = reverse("api:portal-planned-list")
    assert api.post(url, {}).status_code == 405
    # A token changes nothing: the portal's API knows no one (and a bad token is not a 401).
    token = {"HTTP_AUTHORIZATION": f"Token {api_token(role_users[Role.ADMIN])}"}
    assert _get(api, "api:portal-planned-list", **token)["count"] == 2
    assert _get(api, "api:portal-planned-list", HTTP_AUTHORIZATION="Token inconnu")["count"] == 2


def test_paginated(api, world, monkeypatch):
    monkeypatch.setattr("mutualis.api.portal.PortalPagination.page_size", 1)
    first = _get(api, "api:portal-planned-list")
    assert first["count"] == 2 and len(first["results"]) == 1 and first["next"]
    second = api.get(first["next"]).json()
    assert {first["results"][0]["object"], second["results"][0]["object"]} == {PLANNED, LATER}
    assert api.get(reverse("api:portal-planned-list"), {"page": 3}).status_code == 404


def test_throttled_per_address(api, db, monkeypatch):
    cache.clear()
    monkeypatch.setattr(
        PortalThrottle, "THROTTLE_RATES", {**api_settings.DEFAULT_THROTTLE_RATES, "portal": "3/minute"}
    )
    urls = [reverse(f"api:portal-{name}-list") for name in ("planned", "consultation", "contract", "member")]
    assert [api.get(url).status_code for url in urls] == [200, 200, 200, 429]  # one count for all
    assert "Retry-After" in api.get(urls[0])


# ---------------------------------------------------------------------------------------------------
# Queries do not grow with the rows


def _planned(n, team, support, hospital):
    buyer, legal = team
    for _ in range(n):
        project = new_project(
            buyer, entities=[hospital, support], buyer=buyer, legal_officer=legal, buyer_entity=support,
            planned_launch_quarter="2027-T2",
        )  # fmt: skip
        project.lots.create(number=2, title="Second lot", estimated_value=1000)  # beside lot 1
        publish(project, buyer)


def _consultations(n, team, support, hospital):
    before = set(Project.objects.values_list("pk", flat=True))
    _planned(n, team, support, hospital)
    new = Project.objects.exclude(pk__in=before)
    # Straight to the publication stage: walking every stage would test the workflow, not the list.
    stage = Stage.objects.get(process_map=new.first().stage.process_map, code=StageCode.PUBLICATION)
    new.update(stage=stage, tender_deadline=timezone.localdate() + timedelta(days=10))


def _contracts(n, team, support, hospital):
    for _ in range(n):
        make_contract(buyer=support, notification_date=date(2026, 3, 1))


def _members(n, team, support, hospital):
    for _ in range(n):
        EntityFactory()


MAKERS = {
    "api:portal-planned-list": _planned,
    "api:portal-consultation-list": _consultations,
    "api:portal-contract-list": _contracts,
    "api:portal-member-list": _members,
}


@pytest.mark.parametrize("url_name", sorted(MAKERS))
def test_queries_do_not_grow_with_rows(api, team, support, hospital, url_name):
    def visit():
        with CaptureQueriesContext(connection) as queries:
            body = _get(api, url_name)
        return len(queries), body["count"]

    MAKERS[url_name](2, team, support, hospital)
    few, few_shown = visit()
    MAKERS[url_name](4, team, support, hospital)
    many, many_shown = visit()
    assert many_shown > few_shown
    assert many == few
