"""Pooling from a campaign's needs (needs.pooling): in one family, validated needs of two or more
independent buyers (distinct buyer keys) are an opportunity for a groupement de commandes, with each
buyer's own value and procedure, the combined value and the procedure of one consultation for it, the
end date to align, and the active groupement that already covers them. Legal amounts are read from the
shipped legal table (through tests.needs.test_buyers), never written here."""

from datetime import date
from decimal import Decimal
from urllib.parse import parse_qs

import pytest

from mutualis.legal.vocabulary import Nature
from mutualis.needs.models import Campaign, NeedLine, NeedStatus
from mutualis.needs.opportunities import pooling_opportunities
from mutualis.needs.pooling import needs_pooling
from mutualis.organisations.models import EntityKind, GroupMembership, PurchasingGroup, PurchasingMode
from tests.catalogue.factories import PurchaseFamilyFactory
from tests.contracts.factories import make_contract
from tests.needs.test_buyers import ADAPTED, FORMALISED, LAUNCH, commune, need, share_between_waiver_and_eu
from tests.organisations.factories import EntityFactory


@pytest.fixture
def campaign(db):
    """A campaign of one-year contracts: a recurring need counts once."""
    campaign = Campaign.objects.create(
        title="Besoins 2027",
        year=2027,
        deadline=date(2026, 12, 15),
        launch_date=LAUNCH,
        contract_duration_months=12,
    )
    campaign.families.set(
        [
            PurchaseFamilyFactory(code="FOU-01", label="Fournitures de bureau", nature=Nature.SUPPLIES),
            PurchaseFamilyFactory(code="FOU-02", label="Produits d'entretien", nature=Nature.SUPPLIES),
        ]
    )
    return campaign


def test_two_communes_buying_for_themselves_are_one_opportunity(campaign):
    share = share_between_waiver_and_eu()
    first, second, third = commune("Commune A"), commune("Commune B"), commune("Commune C")
    family = campaign.families.get(code="FOU-01")
    running = make_contract(buyer=second, family=family, notification_date=date(2026, 1, 1))
    need(campaign, first, share)
    replacing = need(campaign, second, share + 1000)
    NeedLine.objects.filter(pk=replacing.pk).update(replaced_contract=running)
    # FOU-02: one validated buyer; the other's line awaits validation and does not count yet.
    need(campaign, third, "5000", family_code="FOU-02")
    waiting = need(campaign, first, "5000", family_code="FOU-02")
    NeedLine.objects.filter(pk=waiting.pk).update(status=NeedStatus.SUBMITTED)

    [pooling] = needs_pooling(campaign)
    assert pooling.family == family
    # The largest value first: the coordinator the creation link proposes.
    assert [(s.buyer, s.estimated_value, s.estimate.procedure) for s in pooling.shares] == [
        (second, share + 1000, ADAPTED),
        (first, share, ADAPTED),
    ]
    assert pooling.combined_value == 2 * share + 1000
    assert pooling.estimate.procedure == FORMALISED  # together, they cross the EU threshold
    assert pooling.align_by == running.end_date
    assert not pooling.pooled and pooling.groups == []
    query = parse_qs(pooling.group_create_query)
    assert query == {
        "name": ["Groupement Fournitures de bureau"],
        "coordinator": [str(second.pk)],
        "members": [str(second.pk), str(first.pk)],
        "scope_families": [str(family.pk)],
    }


def test_ght_members_bought_for_by_the_support_establishment_are_no_opportunity(campaign):
    share = share_between_waiver_and_eu()
    support = EntityFactory(name="CHU support", kind=EntityKind.SUPPORT_ESTABLISHMENT)
    need(campaign, support, share)
    need(campaign, EntityFactory(name="CH membre"), share)
    need(campaign, commune("Commune rattachée", PurchasingMode.SUPPORT), share)
    assert needs_pooling(campaign) == []
    # A commune buying for itself next to them: two buyer keys, one opportunity.
    town = commune("Commune D")
    need(campaign, town, "1000")
    [pooling] = needs_pooling(campaign)
    assert [(s.buyer, s.entities) for s in pooling.shares] == [(support, 3), (town, 1)]
    assert pooling.combined_value == 3 * share + 1000


def test_a_groupement_with_both_signed_members_and_the_family_shows_as_already_pooled(campaign):
    first, second = commune("Commune A"), commune("Commune B")
    need(campaign, first, "30000")
    need(campaign, second, "20000")
    family = campaign.families.get(code="FOU-01")
    group = PurchasingGroup.objects.create(name="Groupement fournitures", coordinator=first)
    group.scope_families.set([family])
    adhesion = GroupMembership.objects.create(group=group, entity=second, decision_date=date(2026, 9, 1))
    # Decided, not signed: the groupement does not cover B yet.
    [pooling] = needs_pooling(campaign)
    assert not pooling.pooled
    adhesion.signed_on = date(2026, 10, 1)
    adhesion.save()
    [pooling] = needs_pooling(campaign)
    assert pooling.pooled and pooling.groups == [group]
    # Another family only, or an inactive group: not this family's groupement.
    group.scope_families.set([campaign.families.get(code="FOU-02")])
    assert not needs_pooling(campaign)[0].pooled
    group.scope_families.set([family])
    PurchasingGroup.objects.filter(pk=group.pk).update(is_active=False)
    assert not needs_pooling(campaign)[0].pooled


def test_a_member_signed_only_after_the_launch_is_not_covered_yet(campaign):
    first, second = commune("Commune A"), commune("Commune B")
    need(campaign, first, "30000")
    need(campaign, second, "20000")
    group = PurchasingGroup.objects.create(name="Groupement fournitures", coordinator=first)
    group.scope_families.set([campaign.families.get(code="FOU-01")])
    GroupMembership.objects.create(
        group=group, entity=second, decision_date=date(2027, 3, 1), signed_on=date(2027, 3, 15)
    )
    assert not needs_pooling(campaign)[0].pooled  # the launch is 1 February 2027 (L2113-6, DAJ 2019)


def test_contract_opportunities_name_their_members_largest_first(db):
    family = PurchaseFamilyFactory(code="FOU-06", label="Papier", nature=Nature.SUPPLIES)
    first, second = commune("Commune A"), commune("Commune B")
    make_contract(buyer=first, family=family, amount=Decimal("20000"), notification_date=date(2026, 1, 1))
    make_contract(buyer=second, family=family, amount=Decimal("50000"), notification_date=date(2026, 1, 1))
    [opportunity] = pooling_opportunities(today=date(2026, 6, 1))
    assert opportunity.needs_groupement and opportunity.member_ids == [second.pk, first.pk]
    query = parse_qs(opportunity.group_create_query)
    assert query["coordinator"] == [str(second.pk)] and query["scope_families"] == [str(family.pk)]
    assert query["name"] == ["Groupement Papier"]
