"""The buyer key in the needs: thresholds are assessed per buyer (R2121-1 and following), so the same need
lines give one formalised procedure when a GHT's support establishment buys for its members, and adapted
procedures when each commune buys for its own account; a groupement de commandes (L2113-6) adds up its
members' needs in its families only; splitting alerts and pooling opportunities never mix independent
buyers. Legal amounts are read from the shipped legal table, never written here."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from mutualis.legal.procedure import thresholds_in
from mutualis.legal.rules import in_force
from mutualis.legal.vocabulary import BuyerKind, Nature
from mutualis.needs.consolidation import consolidate, family_needs
from mutualis.needs.models import Campaign, NeedLine, NeedStatus
from mutualis.needs.opportunities import pooling_opportunities, splitting_alerts
from mutualis.organisations.models import EntityKind, PurchasingGroup, PurchasingMode
from mutualis.organisations.roles import Role
from tests.catalogue.factories import PurchaseFamilyFactory
from tests.contracts.factories import make_contract
from tests.helpers import read_xlsx
from tests.organisations.factories import EntityFactory

LAUNCH = date(2027, 2, 1)
FORMALISED, ADAPTED = "procedure_formalisee", "procedure_adaptee"


def supplies_thresholds(day=LAUNCH):
    """The supplies thresholds of the legal table on `day`, for the default kind of buyer (no territory
    configured: BuyerKind.OTHER, as territory_buyer_kind() says)."""
    return thresholds_in(in_force(day), nature=Nature.SUPPLIES, buyer_kind=BuyerKind.OTHER)


@pytest.fixture
def campaign(db):
    campaign = Campaign.objects.create(
        title="Besoins 2027",
        year=2027,
        deadline=date(2026, 12, 15),
        launch_date=LAUNCH,
        contract_duration_months=12,  # one year: a recurring need counts once, the sums stay readable
    )
    campaign.families.set(
        [
            PurchaseFamilyFactory(code="FOU-01", label="Fournitures de bureau", nature=Nature.SUPPLIES),
            PurchaseFamilyFactory(code="FOU-02", label="Produits d'entretien", nature=Nature.SUPPLIES),
        ]
    )
    return campaign


def commune(name, mode=PurchasingMode.OWN):
    return EntityFactory(name=name, kind=EntityKind.COMMUNE, purchasing_mode=mode)


def need(campaign, entity, amount, family_code="FOU-01"):
    line = NeedLine.objects.create(
        campaign=campaign,
        entity=entity,
        family=campaign.families.get(code=family_code),
        description="Besoin de test",
        estimated_amount=Decimal(amount),
        recurrence="recurring",
    )
    NeedLine.objects.filter(pk=line.pk).update(status=NeedStatus.VALIDATED)
    return line


def share_between_waiver_and_eu():
    """An amount each buyer alone stays under the EU supplies threshold with, and two of them reach it:
    60 % of it (with the 2026-2027 table, 0.6 × 216 000 = 129 600 € HT, well above the 40 000 € waiver,
    so a single buyer still needs an adapted procedure, not a waiver)."""
    found = supplies_thresholds()
    share = (found.eu.value * Decimal("0.6")).quantize(Decimal("1"))
    assert found.waiver.value <= share < found.eu.value <= 2 * share
    return share


def test_the_same_needs_are_one_tender_for_a_ght_and_adapted_procedures_for_communes(campaign):
    share = share_between_waiver_and_eu()
    support = EntityFactory(name="CHU support", kind=EntityKind.SUPPORT_ESTABLISHMENT)
    first, second = commune("Commune A", PurchasingMode.SUPPORT), commune("Commune B", PurchasingMode.SUPPORT)
    need(campaign, first, share)
    need(campaign, second, share)

    # GHT reading: the support establishment buys for both (R6132-16), 2 × share ≥ EU threshold.
    [supplies] = [row for row in consolidate(campaign) if row.family.code == "FOU-01"]
    assert (supplies.buyer, supplies.lines, supplies.entities) == (support, 2, 2)
    assert supplies.estimated_value == 2 * share  # recurring × 12 months / 12
    assert supplies.estimate.procedure == FORMALISED

    # Each commune buys for its own account: two buyers, each under the EU threshold (R2121-1).
    for entity in (first, second):
        entity.purchasing_mode = PurchasingMode.OWN
        entity.save()
    rows = [row for row in consolidate(campaign) if row.family.code == "FOU-01"]
    assert [(row.buyer, row.lines, row.estimated_value) for row in rows] == [
        (first, 1, share),
        (second, 1, share),
    ]
    assert {row.estimate.procedure for row in rows} == {ADAPTED}
    # A family without needs keeps its one row, under the support establishment.
    assert [row.buyer for row in consolidate(campaign) if row.family.code == "FOU-02"] == [support]


def test_an_agglomeration_without_support_establishment_counts_each_commune_apart(campaign):
    # The default mode (through the support establishment) has no one to buy through: each buys alone.
    share = share_between_waiver_and_eu()
    first, second = commune("Commune A", PurchasingMode.SUPPORT), commune("Commune B", PurchasingMode.SUPPORT)
    need(campaign, first, share)
    need(campaign, second, share)
    rows = [row for row in consolidate(campaign) if row.family.code == "FOU-01"]
    assert [(row.buyer, row.estimate.procedure) for row in rows] == [(first, ADAPTED), (second, ADAPTED)]
    # No one row stands for the family: the project is one buyer's, named.
    assert family_needs(campaign, campaign.families.get(code="FOU-01")) is None
    assert family_needs(campaign, campaign.families.get(code="FOU-01"), buyer=second).lines == 1


def test_a_mixed_territory_keeps_the_ght_members_together_and_the_communes_apart(campaign):
    share = share_between_waiver_and_eu()
    support = EntityFactory(name="CHU support", kind=EntityKind.SUPPORT_ESTABLISHMENT)
    hospital = EntityFactory(name="CH membre")  # buys through the support establishment (the default)
    town = commune("Commune C")
    need(campaign, support, share)
    need(campaign, hospital, "1000")
    need(campaign, town, share)
    rows = {row.buyer: row for row in consolidate(campaign) if row.family.code == "FOU-01"}
    assert set(rows) == {support, town}
    assert (rows[support].entities, rows[support].estimated_value) == (2, share + 1000)
    assert (rows[town].entities, rows[town].estimated_value) == (1, share)
    assert rows[town].estimate.procedure == ADAPTED


def test_a_groupement_adds_up_its_members_needs_in_its_families_only(campaign):
    share = share_between_waiver_and_eu()
    first, second, outsider = commune("Commune A"), commune("Commune B"), commune("Commune D")
    group = PurchasingGroup.objects.create(name="Groupement fournitures", coordinator=first)
    group.members.set([second], through_defaults={"signed_on": date(2026, 1, 5)})  # signed before the launch
    group.scope_families.set([campaign.families.get(code="FOU-01")])
    need(campaign, first, share)
    need(campaign, second, share)
    need(campaign, outsider, "5000")  # not a member: never in the group's total
    need(campaign, first, "3000", family_code="FOU-02")  # outside the convention's families
    # The coordinator buys for the members (L2113-7): share + share ≥ EU threshold, one formalised procedure.
    [row] = consolidate(campaign, group=group)
    assert (row.family.code, row.buyer, row.lines, row.entities) == ("FOU-01", first, 2, 2)
    assert row.estimated_value == 2 * share and row.estimate.procedure == FORMALISED
    # Outside the group, each commune is still its own buyer, under the EU threshold.
    alone = [row for row in consolidate(campaign) if row.family.code == "FOU-01"]
    assert [(row.buyer, row.estimated_value) for row in alone] == [
        (first, share),
        (second, share),
        (outsider, Decimal("5000.00")),
    ]


def test_splitting_alerts_never_add_two_independent_buyers_contracts(db):
    family = PurchaseFamilyFactory(code="FOU-03", nature=Nature.SUPPLIES)
    waiver = supplies_thresholds(date(2026, 12, 31)).waiver.value
    # Each contract is 60 % of the waiver: one stays under it, two together cross it.
    part = (waiver * Decimal("0.6")).quantize(Decimal("0.01"))
    first, second = commune("Commune A"), commune("Commune B")
    for buyer, day in ((first, date(2026, 3, 1)), (second, date(2026, 6, 1))):
        make_contract(buyer=buyer, family=family, notification_date=day, amount=part)
    assert splitting_alerts(today=date(2026, 11, 24)) == []  # two buyers, each under the waiver
    make_contract(buyer=first, family=family, notification_date=date(2026, 9, 1), amount=part)
    [alert] = splitting_alerts(today=date(2026, 11, 24))
    assert (alert.buyer, alert.purchases, alert.total, alert.threshold) == (first, 2, 2 * part, waiver)


def test_pooling_counts_independent_buyers_and_gives_the_groupement_s_procedure(db):
    found = supplies_thresholds(date(2026, 6, 1))
    family = PurchaseFamilyFactory(code="FOU-04", nature=Nature.SUPPLIES)
    part = (found.eu.value * Decimal("0.6")).quantize(Decimal("1"))  # two reach the EU threshold
    first, second = commune("Commune A"), commune("Commune B")
    ends = [
        make_contract(
            buyer=buyer,
            family=family,
            amount=part,
            notification_date=date(2026, 1, 1),
            firm_duration_months=m,
        ).end_date
        for buyer, m in ((first, 12), (second, 24))
    ]
    [opportunity] = pooling_opportunities(today=date(2026, 6, 1))
    assert (opportunity.entities, opportunity.buyers, opportunity.needs_groupement) == (2, 2, True)
    assert opportunity.combined_amount == 2 * part
    assert opportunity.estimate.procedure == FORMALISED
    assert (opportunity.first_end, opportunity.align_by) == (min(ends), max(ends))


def test_pooling_under_one_buyer_key_needs_no_groupement(db, support, hospital, other_hospital):
    family = PurchaseFamilyFactory(code="FOU-05", nature=Nature.SUPPLIES)
    for entity in (hospital, other_hospital):  # contracts the members signed before the GHT bought for them
        make_contract(buyer=entity, family=family, notification_date=date(2026, 1, 1))
    [opportunity] = pooling_opportunities(today=date(2026, 6, 1))
    assert (opportunity.entities, opportunity.buyers, opportunity.needs_groupement) == (2, 1, False)


def test_the_campaign_page_and_export_name_the_buyers(client, campaign, role_users):
    share = share_between_waiver_and_eu()
    first, second = commune("Commune A"), commune("Commune B")
    need(campaign, first, share)
    need(campaign, second, share)
    client.force_login(role_users[Role.BUYER])
    page = client.get(reverse("needs:campaign_detail", args=[campaign.pk]))
    html = page.content.decode()
    assert page.context["several_buyers"] and '<th scope="col">Acheteur</th>' in html
    assert "Plusieurs acheteurs : une consultation chacun, ou un groupement de commandes" in html
    # Each row's lines link leads to that buyer's lines only.
    family = campaign.families.get(code="FOU-01")
    listed = client.get(
        reverse("needs:line_list"), {"campaign": campaign.pk, "family": family.pk, "buyer": second.pk}
    )
    assert [line.entity for line in listed.context["filter"].qs] == [second]
    rows = read_xlsx(client.get(reverse("needs:campaign_export", args=[campaign.pk])).getvalue())
    assert rows[1][-2:] == ["Acheteur", "SIRET de l'acheteur"]
    assert [(row[0], row[-1]) for row in rows[2:] if row[0] == "FOU-01"] == [
        ("FOU-01", first.siret),
        ("FOU-01", second.siret),
    ]


def test_the_ght_campaign_page_has_no_buyer_column(client, campaign, role_users, support, hospital):
    need(campaign, hospital, "1000")
    client.force_login(role_users[Role.BUYER])
    page = client.get(reverse("needs:campaign_detail", args=[campaign.pk]))
    assert not page.context["several_buyers"]
    assert '<th scope="col">Acheteur</th>' not in page.content.decode()
    assert {row.buyer for row in page.context["rows"]} == {support}


def test_a_family_shared_by_independent_buyers_becomes_no_single_project(client, campaign, role_users):
    from mutualis.procurements.models import Project

    first, second = commune("Commune A"), commune("Commune B")
    need(campaign, first, "50000")
    need(campaign, second, "50000")
    family = campaign.families.get(code="FOU-01")
    client.force_login(role_users[Role.BUYER])
    client.post(reverse("procurements:project_from_needs", args=[campaign.pk, family.pk]))
    assert not Project.objects.exists()


def test_a_buyer_with_only_running_contracts_or_pending_needs_keeps_its_row(campaign):
    first, second = commune("Commune A"), commune("Commune B")
    family = campaign.families.get(code="FOU-01")
    need(campaign, first, "1000")
    make_contract(buyer=second, family=family, notification_date=date.today(), amount=Decimal("80000"))
    pending = need(campaign, second, "2000")
    NeedLine.objects.filter(pk=pending.pk).update(status=NeedStatus.SUBMITTED)
    rows = {row.buyer: row for row in consolidate(campaign) if row.family == family}
    assert (rows[first].lines, rows[first].running_contracts, rows[first].pending) == (1, 0, 0)
    assert (rows[second].lines, rows[second].running_contracts, rows[second].pending) == (0, 1, 1)
    assert rows[second].running_amount == Decimal("80000.00")


def test_a_groupement_counts_only_the_members_signed_by_the_campaigns_launch(campaign):
    """Worked by hand: Commune A coordinates, B has signed, C has only deliberated. The group's FOU-01
    total is A's 10 000 + B's 20 000 = 30 000 € (one-year contracts): C's 40 000 € are not counted until
    it signs, and B's would stop counting from the day it leaves."""
    from mutualis.organisations.models import GroupMembership

    first, second, third = commune("Commune A"), commune("Commune B"), commune("Commune C")
    group = PurchasingGroup.objects.create(name="Groupement fournitures", coordinator=first)
    group.scope_families.set([campaign.families.get(code="FOU-01")])
    signed = GroupMembership.objects.create(
        group=group, entity=second, decision_date=date(2026, 9, 1), signed_on=date(2026, 10, 1)
    )
    GroupMembership.objects.create(group=group, entity=third, decision_date=date(2026, 11, 1))
    need(campaign, first, "10000")
    need(campaign, second, "20000")
    need(campaign, third, "40000")
    [row] = consolidate(campaign, group=group)
    assert (row.lines, row.entities, row.estimated_value) == (2, 2, Decimal("30000.00"))
    # B leaves before the planned launch (1 February 2027): only the coordinator's line is left.
    signed.left_on = date(2027, 1, 31)
    signed.save()
    [row] = consolidate(campaign, group=group)
    assert (row.lines, row.entities, row.estimated_value) == (1, 1, Decimal("10000.00"))


def test_the_coordinator_s_project_consolidates_its_signed_members_needs(client, campaign, role_users):
    """The family refused as one project across independent buyers becomes the groupement's project: the
    coordinator's procedure for the members signed at the launch, never the outsider's need."""
    from mutualis.organisations.models import GroupMembership
    from mutualis.procurements.models import Project

    first, second, outsider = commune("Commune A"), commune("Commune B"), commune("Commune D")
    family = campaign.families.get(code="FOU-01")
    group = PurchasingGroup.objects.create(name="Groupement fournitures", coordinator=first)
    group.scope_families.set([family])
    GroupMembership.objects.create(
        group=group, entity=second, decision_date=date(2026, 9, 1), signed_on=date(2026, 10, 1)
    )
    need(campaign, first, "10000")
    need(campaign, second, "20000")
    need(campaign, outsider, "40000")
    client.force_login(role_users[Role.BUYER])
    url = reverse("procurements:project_from_needs", args=[campaign.pk, family.pk])
    response = client.post(url, {"groupement": group.pk})
    project = Project.objects.get()
    assert response.url == project.get_absolute_url()
    assert (project.purchasing_group, project.buyer_entity) == (group, first)
    assert project.estimated_value == Decimal("30000.00")
    assert set(project.entities.all()) == {first, second}
    # The campaign page of the group links the project instead of offering a second one.
    page = client.get(campaign.get_absolute_url(), {"groupement": group.pk}).content.decode()
    assert project.get_absolute_url() in page and "Créer le projet du groupement" not in page
    response = client.post(url, {"groupement": group.pk})
    assert Project.objects.count() == 1
    assert response.url == f"{campaign.get_absolute_url()}?groupement={group.pk}"


def test_a_group_project_from_needs_without_signed_members_needs_is_refused(client, campaign, role_users):
    from mutualis.procurements.models import Project

    first, second = commune("Commune A"), commune("Commune B")
    family = campaign.families.get(code="FOU-01")
    group = PurchasingGroup.objects.create(name="Groupement fournitures", coordinator=first)
    group.scope_families.set([family])
    need(campaign, second, "20000")  # B never joined: nothing of the group's to consolidate
    client.force_login(role_users[Role.BUYER])
    url = reverse("procurements:project_from_needs", args=[campaign.pk, family.pk])
    response = client.post(url, {"groupement": group.pk}, follow=True)
    assert not Project.objects.exists()
    assert "Aucun besoin validé dans cette famille parmi les membres signataires du groupement" in (
        response.content.decode()
    )
