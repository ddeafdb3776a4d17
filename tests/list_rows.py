"""Rows for every listed model, with the relations their lists show, and the enumeration of the lists:
shared by the query-count guards of the pages and of the API, and by the scoping test."""

import tempfile
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from itertools import count

from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from django.views.generic import ListView

from mutualis.api.urls import router
from mutualis.catalogue.models import CpvCode, PurchaseFamily
from mutualis.clients.models import ServiceModule, ServiceRequest
from mutualis.clients.services.requests import request_transition
from mutualis.contracts.models import Contract
from mutualis.evaluations.models import Evaluation, EvaluationCampaign, Incident
from mutualis.events.models import Event
from mutualis.events.services.invitations import invitation_add
from mutualis.events.services.registrations import register
from mutualis.gains.models import Gain, PlanAction
from mutualis.gains.services import plan_action_save
from mutualis.library.models import Audience, Document
from mutualis.library.services import version_add
from mutualis.needs.models import Campaign, NeedLine
from mutualis.needs.services import campaign_save
from mutualis.notifications.services import Message, notify
from mutualis.opendata.models import ExternalContract, ImportRun
from mutualis.organisations.models import Entity, PurchasingGroup, User
from mutualis.organisations.roles import Role
from mutualis.procurements.models import Project
from mutualis.spend.models import AccountFamily, SpendImport, SpendLine
from mutualis.steering.models import GovernanceReport, ImprovementAction, Objective
from mutualis.suppliers.models import Supplier, SupplierCandidate
from mutualis.www.lists import FilteredListView
from tests.catalogue.factories import PurchaseFamilyFactory
from tests.clients.factories import make_request
from tests.contracts.factories import make_contract
from tests.evaluations.factories import make_incident
from tests.evaluations.qcd_factories import answer_all, launch
from tests.events.factories import make_event
from tests.gains.factories import gain
from tests.library.factories import make_document, pdf
from tests.organisations.factories import EntityFactory, MembershipFactory, make_siret
from tests.procurements.factories import declare_grid, new_project
from tests.spend.spendmap_rows import make_line
from tests.steering.improvement_factories import make_action
from tests.suppliers.factories import SupplierFactory

_serial = count(1)


@dataclass
class Territory:
    """Who and where the rows belong: the support establishment, a member hospital, the team."""

    support: Entity
    hospital: Entity
    users: dict


def _entities(n, t):
    for _ in range(n):
        EntityFactory()


def _people(n, t):
    for _ in range(n):
        MembershipFactory(entity=t.hospital, role=Role.PRESCRIBER)


def _group(t):
    group = PurchasingGroup.objects.create(name=f"Groupement {next(_serial)}", coordinator=t.support)
    group.members.set([t.hospital])
    group.scope_families.set([PurchaseFamilyFactory()])
    return group


def _groups(n, t):
    for _ in range(n):
        _group(t)


def _families(n, t):
    for _ in range(n):
        family = PurchaseFamilyFactory(responsible_buyer=t.users[Role.BUYER])
        family.cpv_codes.set(["33141000", "33140000"])


def _cpv_codes(n, t):
    # Division 99 does not exist in the CPV: the list is filtered on it (CPV_PARAMS) to see only these rows.
    root, _ = CpvCode.objects.get_or_create(
        code="99000000", defaults={"check_digit": "0", "label": "Division de test", "level": 2}
    )
    for _ in range(n):
        CpvCode.objects.create(
            code=f"99{next(_serial):06d}", check_digit="0", label="Code de test", level=8, parent=root
        )


def _contracts(n, t):
    for _ in range(n):
        make_contract(
            buyer=t.support,
            available_to=[t.hospital],
            holders=[SupplierFactory(), SupplierFactory()],
            purchasing_group=_group(t),
            family=PurchaseFamilyFactory(),
            # In force whatever the day, for the list of usable contracts.
            notification_date=timezone.localdate() - timedelta(days=30),
            firm_duration_months=24,
        )


def _suppliers(n, t):
    for _ in range(n):
        SupplierFactory()


def _need_lines(n, t):
    campaign, _ = Campaign.objects.get_or_create(
        year=2027,
        defaults={
            "title": "Besoins 2027",
            "deadline": date(2026, 12, 15),
            "launch_date": date(2027, 2, 1),
            "contract_duration_months": 48,
        },
    )
    for _ in range(n):
        family = PurchaseFamilyFactory()
        campaign.families.add(family)
        NeedLine.objects.create(
            campaign=campaign,
            entity=t.hospital,
            family=family,
            description="Location-entretien du linge",
            estimated_amount=Decimal("12000"),
            recurrence="recurring",
        )


def _projects(n, t):
    buyer, legal = t.users[Role.BUYER], t.users[Role.LEGAL_OFFICER]
    for _ in range(n):
        project = new_project(
            buyer, entities=[t.hospital], buyer=buyer, legal_officer=legal, buyer_entity=t.support
        )
        declare_grid(buyer, project)


def _gains(n, t):
    for _ in range(n):
        gain(entity=t.hospital, family=PurchaseFamilyFactory(), buyer=t.users[Role.BUYER])


def _plan_actions(n, t):
    for _ in range(n):
        action = PlanAction(
            year=2027,
            title=f"Action {next(_serial)}",
            family=PurchaseFamilyFactory(),
            owner=t.users[Role.BUYER],
            planned_quarter="2027-T2",
            reference_unit_price=Decimal("10"),
            new_unit_price=Decimal("8"),
            quantity=Decimal("100"),
        )
        plan_action_save(actor=None, action=action, entities=[t.hospital, t.support])


def _account_families(n, t):
    family = PurchaseFamilyFactory()
    for _ in range(n):
        AccountFamily.objects.create(nomenclature="M57", account=f"6{next(_serial):05d}", family=family)


def _spend_lines(n, t):
    contract = make_contract(buyer=t.support, available_to=[t.hospital], family=PurchaseFamilyFactory())
    for index in range(n):
        make_line(
            entity=t.hospital,
            family=PurchaseFamilyFactory(),
            contract=contract if index % 2 else None,
            siren=f"{next(_serial):09d}",
        )


def _objectives(n, t):
    # Each with its own family and entity, so that the list's names are joined, not read one by one.
    for index in range(n):
        Objective.objects.create(
            indicator="social_share",
            year=2030 + index % 5,
            family=PurchaseFamilyFactory(),
            entity=t.hospital if index % 2 else None,
            target=50,
        )


def _improvement_actions(n, t):
    buyer = t.users[Role.BUYER]
    for index in range(n):
        contract = make_contract(buyer=t.support, available_to=[t.hospital])
        project = new_project(buyer, entities=[t.hospital], buyer=buyer) if index % 2 else None
        make_action(buyer, owner=t.users[Role.REFERENT], contract=contract, project=project, stage_code="dce")


def _incidents(n, t):
    buyer = t.users[Role.BUYER]
    for _ in range(n):
        contract = make_contract(buyer=t.support, available_to=[t.hospital], family=PurchaseFamilyFactory())
        make_incident(buyer, contract=contract, entity=t.hospital, penalty_amount=Decimal("10"))


def _qcd_campaigns(n, t):
    """Each on its own contract, used by the member hospital, answered by its referent."""
    buyer = t.users[Role.BUYER]
    for _ in range(n):
        contract = make_contract(buyer=t.support, available_to=[t.hospital], family=PurchaseFamilyFactory())
        make_line(entity=t.hospital, year=2026, contract=contract, paid_on=date(2026, 3, 1))
        campaign, _ = launch(buyer, contract=contract)
        answer_all(t.users[Role.REFERENT], campaign.evaluations.get(), lambda criterion: 3)


def _service_requests(n, t):
    """Each for its own family, two modules, taken in charge by the buyer (a target date, some late)."""
    buyer = t.users[Role.BUYER]
    for index in range(n):
        request = make_request(t.users[Role.PRESCRIBER], entity=t.hospital, codes=("sourcing", "dce"))
        if index % 2:
            request_transition(actor=buyer, request=request, name="take", today=date(2026, 1, 5))


def _events(n, t):
    """Each with its theme, the hospital's prescriber and referent invited, the prescriber registered."""
    buyer, prescriber = t.users[Role.BUYER], t.users[Role.PRESCRIBER]
    for _ in range(n):
        event = make_event(buyer, entity=t.hospital)
        for person in (prescriber, t.users[Role.REFERENT]):
            invitation_add(actor=buyer, event=event, person=person)
        register(actor=prescriber, event=event)


def _library_documents(n, t):
    """Filed under a module and a family, for everyone or for the member hospital (its entities listed),
    every other one with a second version; their files written in a folder thrown away (lists never read
    them)."""
    buyer = t.users[Role.BUYER]
    module = ServiceModule.objects.get(code="sourcing")
    with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
        _documents(n, buyer, module, t.hospital)


def _documents(n, buyer, module, hospital):
    for index in range(n):
        chosen = index % 2
        document = make_document(
            buyer, title=f"Guide {next(_serial)}", module=module, family=PurchaseFamilyFactory(),
            audience=Audience.ENTITIES if chosen else Audience.EVERYONE,
            entities=[hospital] if chosen else [],
        )  # fmt: skip
        if chosen:
            version_add(actor=buyer, document=document, file=pdf())


def _external_contracts(n, t):
    for _ in range(n):
        serial = next(_serial)
        ExternalContract.objects.create(
            uid=f"21210231600010EXT{serial}", buyer_siret="21210231600010", buyer_name="Commune de Test",
            reference=f"EXT{serial}", object=f"Marché publié n° {serial}", cpv="45000000",
            amount=Decimal("1000"), notification_date=date(2025, 1, 1),
        )  # fmt: skip


def _candidates(n, t):
    """Companies that showed interest on the portal, every other one already added to the directory."""
    for index in range(n):
        siret = make_siret()
        candidate = SupplierCandidate.objects.create(siret=siret, name=f"Candidate {next(_serial)}")
        if index % 2:
            candidate.supplier = SupplierFactory(identifier=siret)
            candidate.save()


ROW_MAKERS = {
    ExternalContract: _external_contracts,
    Objective: _objectives,
    Entity: _entities,
    User: _people,
    PurchasingGroup: _groups,
    PurchaseFamily: _families,
    CpvCode: _cpv_codes,
    Supplier: _suppliers,
    Contract: _contracts,
    NeedLine: _need_lines,
    Project: _projects,
    Gain: _gains,
    PlanAction: _plan_actions,
    AccountFamily: _account_families,
    SpendLine: _spend_lines,
    ImprovementAction: _improvement_actions,
    Incident: _incidents,
    EvaluationCampaign: _qcd_campaigns,
    # Each campaign above has one evaluation, answered: its marks and scores are read for every row.
    Evaluation: _qcd_campaigns,
    ServiceRequest: _service_requests,
    Event: _events,
    Document: _library_documents,
    SupplierCandidate: _candidates,
}

# The lists that show the rows of one user only, and who that is; the others are read by the administrator.
LIST_READERS = {"procurements:my_tasks": Role.BUYER}
LIST_PARAMS = {"catalogue:cpv_list": {"division": "99"}}


def _walk(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern.callback


def list_pages() -> dict[str, type]:
    """Every URL name served by a FilteredListView, with its view class."""
    return {
        name: callback.view_class
        for name, callback in _walk(get_resolver().url_patterns)
        if issubclass(getattr(callback, "view_class", object), FilteredListView)
    }


def plain_list_pages() -> dict[str, type]:
    """Every URL name served by a plain ListView (a page of the user's own rows, without filters)."""
    return {
        name: callback.view_class
        for name, callback in _walk(get_resolver().url_patterns)
        if issubclass(getattr(callback, "view_class", object), ListView)
        and not issubclass(callback.view_class, FilteredListView)
    }


def _notifications(n, t):
    admin = t.users[Role.ADMIN]
    for _ in range(n):
        key = f"test-{next(_serial)}"
        notify(recipients=[admin], message=Message(key=key, subject=key, body="Échéance", url="/"))


def _import_runs(n, t):
    for _ in range(n):
        ImportRun.objects.create(user=t.users[Role.ADMIN], files=[f"decp-{next(_serial)}.json"])


def _spend_imports(n, t):
    for _ in range(n):
        entity = t.hospital if next(_serial) % 2 else t.support
        SpendImport.objects.create(entity=entity, user=t.users[Role.ADMIN], status="done", files=["m.csv"])


def _campaigns(n, t):
    families = [PurchaseFamilyFactory()]
    for _ in range(n):
        year = 2030 + next(_serial)
        campaign = Campaign(
            title=f"Besoins {year}", year=year, deadline=date(year - 1, 12, 15), launch_date=date(year, 2, 1)
        )
        campaign_save(actor=None, campaign=campaign, families=families)


def _reports(n, t):
    for index in range(n):
        GovernanceReport.objects.create(
            year=2030 + index % 5, entity=t.hospital if index % 2 else None, requested_by=t.users[Role.ADMIN]
        )


PLAIN_ROW_MAKERS = {
    "steering:report_list": _reports,
    "notifications:list": _notifications,
    "opendata:import_list": _import_runs,
    "needs:campaign_list": _campaigns,
    "spend:import_list": _spend_imports,
}


def api_lists() -> dict[str, type]:
    """Every list route of the API router (`api:<basename>-list`), with its viewset."""
    return {f"api:{basename}-list": viewset for _, viewset, basename in router.registry}
