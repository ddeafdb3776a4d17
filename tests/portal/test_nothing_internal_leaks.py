"""Issue 19, part 2: the portal shows what buyers published and nothing else. A distinct marker is
planted in every text field of what must stay internal (unpublished projects and their lots, the
internal fields of published ones, criteria, offers, negotiation rounds, bidders who won nothing, need
lines, campaigns, gains, incidents, logs, the people, contract notes and holders' contacts, the interest
businesses sent from the portal and the candidates they made); exact
estimates are set to recognisable numbers. An anonymous visitor then walks the whole portal, filters,
pages, the DECP download, the Atom and iCalendar feeds and the portal's API included, and none of it may
show; the published facts must."""

import html
import itertools
import re
from decimal import Decimal

from django.db import models
from django.utils import timezone

from mutualis.api.portal import PortalPagination, PortalThrottle
from mutualis.contracts.models import Contract, ContractHolder
from mutualis.evaluations.models import Incident
from mutualis.evaluations.services.incidents import incident_save
from mutualis.gains.models import Gain, GainTransition
from mutualis.needs.models import Campaign, NeedLine
from mutualis.organisations.models import User
from mutualis.portal.interests import interest_submit
from mutualis.procurements.models import (
    Criterion,
    Interest,
    Lot,
    LotTransition,
    NegotiationRound,
    Offer,
    Project,
    StageTransition,
)
from mutualis.suppliers.models import Supplier, SupplierCandidate
from mutualis.www.portal import views

from .conftest import CONSULTATION, CONTACT, PLANNED, PROFILE, store_decp
from .crawl import crawl

# What a published project shows (or needs to be listed); everything else of it is internal.
PUBLISHED_SHOWN = {
    "object",
    "planned_launch_quarter",
    "contract_procedure",
    "portal_contact",
    "consultation_url",
}
LONG, SHORT = re.compile(r"SECRET-[\w-]+"), re.compile(r"ZQ\d{5}")
EXACT = Decimal("123457.89")
LOT_EXACT = Decimal("98765.43")
_numbers = itertools.count(1)


def _marker(model, field, pk) -> str | None:
    text = f"SECRET-{model.__name__}-{field.name}-{pk}"
    if field.max_length is None or len(text) <= field.max_length:
        return text
    return f"ZQ{next(_numbers):05d}" if field.max_length >= 7 else None  # a postal code: too short


def plant(queryset, *, keep=(), only=None) -> int:
    """A marker in every text field of every row (but `keep`), written past validation. Returns how
    many values were planted."""
    model, planted = queryset.model, 0
    fields = [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField)
        and not f.primary_key
        and f.name not in {"password", *keep}
        and (only is None or f.name in only)
    ]
    for pk in list(queryset.values_list("pk", flat=True)):
        values = {f.attname: _marker(model, f, pk) for f in fields}
        values = {name: value for name, value in values.items() if value}
        model._base_manager.filter(pk=pk).update(**values)
        planted += len(values)
    return planted


def _plant_everything(world) -> int:
    published = [world.planned.pk, world.later.pk, world.consultation.pk]
    holders = ContractHolder.objects.values("supplier_id")
    planted = sum(
        [
            plant(Project.objects.exclude(pk__in=published)),
            plant(Project.objects.filter(pk__in=published), keep=PUBLISHED_SHOWN | {"status"}),
            plant(Lot.objects.exclude(project__in=published)),
            plant(Lot.objects.filter(project__in=published), keep={"title"}),
            plant(Criterion.objects.all()),
            plant(Offer.objects.all()),
            plant(NegotiationRound.objects.all()),
            plant(StageTransition.objects.all()),
            plant(LotTransition.objects.all()),
            plant(Supplier.objects.exclude(pk__in=holders)),  # bidders who won nothing
            plant(NeedLine.objects.all()),
            plant(Campaign.objects.all()),
            plant(Gain.objects.all()),
            plant(GainTransition.objects.all()),
            plant(Incident.objects.all()),
            plant(User.objects.all()),
            plant(Contract.objects.all(), only={"notes"}),
            plant(ContractHolder.objects.all(), only={"contact_name", "contact_email", "contact_phone"}),
            plant(Interest.objects.all()),
            plant(SupplierCandidate.objects.all()),
        ]
    )
    Project.objects.update(estimated_value=EXACT)
    Lot.objects.update(estimated_value=LOT_EXACT)
    return planted


def _exact_spellings(amount: Decimal) -> set[str]:
    whole, cents = f"{amount:.2f}".split(".")
    thousands = whole[:-3]
    rest = whole[-3:]
    return {
        whole,
        f"{whole}.{cents}",
        f"{whole},{cents}",
        f"{thousands} {rest}",
        f"{thousands}\u202f{rest}",
        f"{thousands}\u00a0{rest}",
        f"{thousands}.{rest}",
    }


def test_an_anonymous_walk_of_the_portal_finds_nothing_internal(client, world, team, monkeypatch):
    buyer, _ = team
    contract = world.awarded.lots.get().contract
    incident_save(
        actor=buyer,
        incident=Incident(
            contract=contract, entity=contract.buyer, kind="late_delivery", severity="minor",
            occurred_on=timezone.localdate(), description="Livraison en retard",
        ),
    )  # fmt: skip
    for project in (world.planned, world.later):
        interest_submit(
            project=project,
            interest=Interest(
                siret="73282932000074", company_name="Entreprise", contact_name="Contact",
                email="contact@example.fr", phone="0102030405", message="Message",
            ),
        )  # fmt: skip
    planted = _plant_everything(world)
    assert planted > 150  # the planting reached the rows (a model renamed would show here)
    assert Gain.objects.exists() and Offer.objects.exists() and NeedLine.objects.exists()
    assert Interest.objects.filter(message__startswith="SECRET-").count() == 2
    export = store_decp()  # built after the planting, from the same export code as the team's page
    assert export.is_valid and export.contract_count == 1
    # One record per page, so that the walk follows every page of every list.
    for view in (views.PlannedListView, views.ConsultationListView, views.ContractListView):
        monkeypatch.setattr(view, "paginate_by", 1)
    monkeypatch.setattr(PortalPagination, "page_size", 1)  # the API's lists alike
    # One visitor asking a lot: the rate is not what this test is about.
    monkeypatch.setattr(PortalThrottle, "THROTTLE_RATES", {"portal": "100000/minute"})

    pages = crawl(client)

    visited = set(pages)
    assert "/portail/donnees-essentielles/decp.json" in visited
    assert f"/portail/achats/{world.planned.pk}/interet/" in visited  # the form's page was walked too
    assert any("page=2" in url for url in visited)
    assert any("family=" in url for url in visited) and any("entity=" in url for url in visited)
    assert f"/portail/achats/{world.planned.pk}/" in visited
    assert f"/portail/achats/{world.unpublished.pk}/" not in visited
    # The feeds, linked from the planned purchases page, with and without its filters.
    for feed in ("/portail/achats-prevus.atom", "/portail/achats-prevus.ics"):
        assert feed in visited
        assert any(url.startswith(f"{feed}?famille=") for url in visited), feed
        assert any(url.startswith(f"{feed}?entite=") for url in visited), feed
    assert "/portail/alertes/" in visited
    # The API: each list, paged and filtered as its page, and each record's own address.
    api = "/api/v1/portail/"
    for path in ("achats-prevus/", "consultations/", "marches/", "membres/"):
        assert f"{api}{path}" in visited, path
    assert any(url.startswith(f"{api}achats-prevus/?") and "page=2" in url for url in visited)
    assert any(url.startswith(f"{api}achats-prevus/?family=") for url in visited)
    assert any(url.startswith(f"{api}marches/?entity=") for url in visited)
    assert f"{api}achats-prevus/{world.planned.pk}/" in visited
    assert f"{api}consultations/{world.consultation.pk}/" in visited
    assert f"{api}marches/{contract.pk}/" in visited
    spellings = _exact_spellings(EXACT) | _exact_spellings(LOT_EXACT)
    for url, text in pages.items():
        leaked = LONG.search(text) or SHORT.search(text)
        assert leaked is None, f"{url}: {leaked.group()}"
        shown = [spelling for spelling in spellings if spelling in text]
        assert not shown, f"{url}: exact estimate {shown}"
    # What was published is there: the test would fail on a portal that showed nothing.
    everything = html.unescape("\n".join(pages.values()))
    for public in (
        PLANNED,
        CONSULTATION,
        CONTACT,
        PROFILE,
        "de 90\u202f000\u00a0€\u00a0HT à 216\u202f000\u00a0€\u00a0HT",
        contract.object,
    ):
        assert public in everything, public
    assert f'"id": "{contract.reference}"' in pages["/portail/donnees-essentielles/decp.json"]
