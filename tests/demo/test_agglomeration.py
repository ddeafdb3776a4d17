"""The agglomeration demo (`load_demo --territoire agglomeration`): real communes buying for their own
account, the agglomeration buying for its services, two groupements whose members deliberated and
signed, and the same walk-through of registry, needs and projects as the hospital demo."""

import csv
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from mutualis.contracts.models import Contract
from mutualis.demo import agglomeration_data as data
from mutualis.demo.agglomeration import MEMBERS_FILE, commune_name
from mutualis.demo.services import load_demo
from mutualis.needs.consolidation import consolidate
from mutualis.needs.models import Campaign, NeedLine
from mutualis.organisations.models import (
    Entity,
    EntityKind,
    PurchasingGroup,
    PurchasingMode,
    Territory,
    TerritoryKind,
    User,
)
from mutualis.organisations.vocabulary import current_words
from mutualis.procurements.models import Project, ProjectStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def agglomeration(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        summary = load_demo(territory="agglomeration")
        yield summary
        transaction.set_rollback(True)


def test_the_territory_is_the_agglomeration_and_its_real_communes(agglomeration):
    territory = Territory.current()
    assert territory.kind == TerritoryKind.AGGLOMERATION
    with MEMBERS_FILE.open(encoding="utf-8") as handle:
        shipped = {row["siret"]: row for row in csv.DictReader(handle)}
    entities = {e.siret: e for e in Entity.objects.all()}
    assert entities.keys() == shipped.keys() and len(entities) == 24
    assert Counter(e.kind for e in entities.values()) == {EntityKind.COMMUNE: 23, EntityKind.EPCI: 1}
    # Every member buys for its own account: thresholds per buyer (R2121-1).
    assert {e.purchasing_mode for e in entities.values()} == {PurchasingMode.OWN}
    assert entities["21830050700017"].name == "Commune de Draguignan"
    assert entities["21830086100018"].city == "Le Muy"
    assert current_words().many == "membres"


def test_commune_names_take_the_article_as_people_write_them():
    assert commune_name("Le Muy") == "Commune du Muy"
    assert commune_name("Les Arcs") == "Commune des Arcs"
    assert commune_name("La Motte") == "Commune de La Motte"
    assert commune_name("Draguignan") == "Commune de Draguignan"


def test_each_groupement_has_signed_members_and_one_decided_only(agglomeration):
    for name, coordinator, codes, signed, decided, _scope in data.GROUPS:
        group = PurchasingGroup.objects.get(name=name)
        assert group.coordinator.short_name == coordinator
        assert sorted(group.scope_families.values_list("code", flat=True)) == sorted(codes)
        signed_names = {e.short_name for e in Entity.objects.filter(pk__in=group.signed_member_ids())}
        assert signed_names == {coordinator, *signed}
        pending = group.adhesions.filter(signed_on__isnull=True).select_related("entity")
        assert [a.entity.short_name for a in pending] == decided
        assert all(a.decision_reference.startswith("Délibération") for a in group.adhesions.all())


def test_the_registry_has_each_buyer_s_own_contracts_and_the_groupements(agglomeration):
    buyers = Counter(Contract.objects.values_list("buyer__kind", flat=True))
    assert buyers[EntityKind.COMMUNE] >= 20 and buyers[EntityKind.EPCI] >= 20
    for group in PurchasingGroup.objects.all():
        contracts = Contract.objects.filter(purchasing_group=group)
        assert contracts.exists()
        assert set(contracts.values_list("buyer", flat=True)) == {group.coordinator_id}
    # The agglomeration's own contracts serve its services, not the communes.
    own = Contract.objects.filter(buyer__kind=EntityKind.EPCI, purchasing_group__isnull=True)
    assert own.exists() and not own.filter(available_to__isnull=False).exists()


def test_the_communes_needs_stay_per_buyer_and_the_groupement_project_adds_its_members(agglomeration):
    campaign = Campaign.objects.get()
    assert set(NeedLine.objects.values_list("entity__kind", flat=True)) == {EntityKind.COMMUNE}
    assert not NeedLine.objects.filter(family__code__in=data.QUIET).exists()
    assert campaign.families.filter(code__in=data.QUIET).exists()
    rows = [row for row in consolidate(campaign) if row.lines]
    assert all(row.entities == 1 for row in rows)  # one commune per buyer row, never added up
    group = PurchasingGroup.objects.get(name=data.CAMPAIGN_GROUP)
    project = Project.objects.get(source_campaign=campaign)
    assert (project.purchasing_group, project.buyer_entity) == (group, group.coordinator)
    [row] = consolidate(campaign, group=group, only=project.family)
    assert project.estimated_value == row.estimated_value
    signed = group.signed_member_ids(on=campaign.launch_date)
    assert set(project.entities.values_list("pk", flat=True)) <= signed


def test_projects_stand_at_several_stages_and_the_demo_accounts_exist(agglomeration):
    statuses = Counter(Project.objects.values_list("status", flat=True))
    assert statuses[ProjectStatus.IN_PROGRESS] >= 4 and statuses[ProjectStatus.ABANDONED] == 1
    assert Project.objects.filter(stage__code="analyse", lots__offers__isnull=False).exists()
    assert set(User.objects.values_list("username", flat=True)) == {spec[0] for spec in data.USERS}
    assert agglomeration.entities == 24 and agglomeration.groups == 2


def test_the_command_names_the_territory_and_refuses_an_unknown_one(agglomeration, capsys):
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("load_demo", "--territoire", "region")
    # A rerun finds every record by its natural key: nothing is added.
    before = (Contract.objects.count(), Project.objects.count(), NeedLine.objects.count())
    call_command("load_demo", territoire="agglomeration")
    assert (Contract.objects.count(), Project.objects.count(), NeedLine.objects.count()) == before
    out = capsys.readouterr().out
    assert "agglomération et communes" in out and "referente" in out
