"""Needs campaigns: declaration, the validation workflow for every role, and the consolidation."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from mutualis.needs.consolidation import consolidate, family_needs
from mutualis.needs.models import Campaign, NeedLine, NeedStatus
from mutualis.needs.services import campaign_save, need_line_save, need_line_transition
from mutualis.organisations.roles import TERRITORY_WIDE_ROLES, Role
from tests.catalogue.factories import PurchaseFamilyFactory
from tests.contracts.factories import make_contract
from tests.helpers import read_xlsx


@pytest.fixture
def campaign(db):
    campaign = Campaign.objects.create(
        title="Besoins 2027",
        year=2027,
        deadline=date(2026, 12, 15),
        launch_date=date(2027, 2, 1),
        contract_duration_months=48,
    )
    campaign.families.set(
        [
            PurchaseFamilyFactory(code="HOT-02", label="Blanchisserie", nature="services"),
            PurchaseFamilyFactory(code="TRA-01", label="Travaux", nature="travaux"),
        ]
    )
    return campaign


def line(campaign, entity, amount, family_code="HOT-02", recurrence="recurring", status=NeedStatus.VALIDATED):
    created = NeedLine.objects.create(
        campaign=campaign,
        entity=entity,
        family=campaign.families.get(code=family_code),
        description="Location-entretien du linge",
        estimated_amount=Decimal(amount),
        recurrence=recurrence,
    )
    NeedLine.objects.filter(pk=created.pk).update(status=status)
    return created


def test_consolidation_adds_every_entity_over_the_contract_duration(
    campaign, support, hospital, other_hospital
):
    # Three entities each stay under the waiver threshold per year; together, over 4 years, they do not.
    line(campaign, hospital, "30000")
    line(campaign, other_hospital, "25000")
    line(campaign, support, "20000", recurrence="one_off")
    line(campaign, support, "99999", status=NeedStatus.DRAFT)  # drafts do not count
    line(campaign, support, "88888", status=NeedStatus.SUBMITTED)  # nor lines awaiting validation
    rows = {row.family.code: row for row in consolidate(campaign)}
    laundry = rows["HOT-02"]
    assert (laundry.lines, laundry.entities, laundry.pending) == (3, 3, 1)
    assert laundry.estimated_value == Decimal("55000") * 4 + Decimal("20000")  # 240 000 € HT
    # 240 000 € of services for a hospital group: above the 2026-2027 EU threshold of 216 000 €.
    assert laundry.estimate.procedure == "procedure_formalisee"
    assert rows["TRA-01"].estimated_value == 0
    assert rows["TRA-01"].estimate.procedure == "sans_publicite_ni_mise_en_concurrence"


def test_one_buyers_entities_fold_into_its_row(campaign, support, hospital, other_hospital):
    # Both hospitals buy through the support establishment: one row whose entities are those with a
    # validated line (a hospital with only a line awaiting validation adds to `pending`, not to them),
    # and whose alignment date is the latest end among the contracts its validated lines replace.
    family = campaign.families.get(code="HOT-02")
    ends = [
        make_contract(
            buyer=support, family=family, notification_date=date(2026, 1, 1), firm_duration_months=n
        )
        for n in (12, 36, 60)
    ]
    for entity, contract, status in (
        (support, ends[0], NeedStatus.VALIDATED),
        (hospital, ends[1], NeedStatus.VALIDATED),
        (other_hospital, ends[2], NeedStatus.SUBMITTED),  # not counted: its end does not align the row
    ):
        need = line(campaign, entity, "10000", status=status)
        NeedLine.objects.filter(pk=need.pk).update(replaced_contract=contract)
    [laundry] = [row for row in consolidate(campaign) if row.family == family]
    assert (laundry.buyer, laundry.lines, laundry.entities, laundry.pending) == (support, 2, 2, 1)
    assert laundry.align_by == ends[1].end_date
    assert (laundry.running_contracts, laundry.running_amount) == (3, Decimal("300000.00"))


def test_one_family_consolidation_is_its_row_of_the_campaign(campaign, support, hospital):
    line(campaign, hospital, "30000")
    line(campaign, support, "12000", family_code="TRA-01", recurrence="one_off")
    laundry = campaign.families.get(code="HOT-02")
    whole = {row.family.code: row for row in consolidate(campaign)}
    one = family_needs(campaign, laundry)
    assert one.family == laundry
    assert (one.lines, one.entities, one.estimated_value) == (1, 1, Decimal("120000.00"))
    assert one.estimate.as_dict() == whole["HOT-02"].estimate.as_dict()
    outsider = PurchaseFamilyFactory(code="INF-09", nature="fournitures")
    assert family_needs(campaign, outsider) is None


def test_consolidation_shows_running_contracts_of_the_family(campaign, support):
    family = campaign.families.get(code="HOT-02")
    make_contract(buyer=support, family=family, notification_date=date.today(), amount=Decimal("80000"))
    row = next(r for r in consolidate(campaign) if r.family == family)
    assert (row.running_contracts, row.running_amount) == (1, Decimal("80000.00"))


def test_workflow_by_role(campaign, role_users, hospital, other_hospital):
    draft = line(campaign, hospital, "1000", status=NeedStatus.DRAFT)
    with pytest.raises(PermissionDenied):
        need_line_transition(actor=role_users[Role.PRESCRIBER], line=draft, to_status=NeedStatus.SUBMITTED)
    need_line_transition(actor=role_users[Role.REFERENT], line=draft, to_status=NeedStatus.SUBMITTED)
    with pytest.raises(PermissionDenied):  # the referent cannot validate their own needs
        need_line_transition(actor=role_users[Role.REFERENT], line=draft, to_status=NeedStatus.VALIDATED)
    with pytest.raises(ValidationError, match="corriger"):  # returning needs a comment
        need_line_transition(actor=role_users[Role.BUYER], line=draft, to_status=NeedStatus.RETURNED)
    need_line_transition(
        actor=role_users[Role.BUYER], line=draft, to_status=NeedStatus.RETURNED, comment="Quantité ?"
    )
    need_line_transition(actor=role_users[Role.REFERENT], line=draft, to_status=NeedStatus.SUBMITTED)
    need_line_transition(actor=role_users[Role.BUYER], line=draft, to_status=NeedStatus.VALIDATED)
    draft.refresh_from_db()
    assert draft.status == NeedStatus.VALIDATED
    assert [(t.from_status, t.to_status) for t in draft.transitions.all()] == [
        ("draft", "submitted"),
        ("submitted", "returned"),
        ("returned", "submitted"),
        ("submitted", "validated"),
    ]
    assert draft.transitions.get(to_status="returned").comment == "Quantité ?"
    other = line(campaign, other_hospital, "1000", status=NeedStatus.DRAFT)
    with pytest.raises(PermissionDenied):  # another entity's line
        need_line_transition(actor=role_users[Role.REFERENT], line=other, to_status=NeedStatus.SUBMITTED)
    with pytest.raises(ValidationError):  # a validated line cannot be "validated" again
        need_line_transition(actor=role_users[Role.BUYER], line=draft, to_status=NeedStatus.VALIDATED)


def test_lines_only_in_the_campaign_families_and_while_open(campaign, role_users, hospital):
    outside = PurchaseFamilyFactory(code="NUM-01")
    new = NeedLine(
        campaign=campaign, entity=hospital, family=outside, description="PC", estimated_amount=Decimal(1)
    )
    with pytest.raises(ValidationError, match="ne fait pas partie"):
        need_line_save(actor=role_users[Role.REFERENT], line=new)
    campaign.is_open = False
    campaign.save()
    new.family = campaign.families.first()
    with pytest.raises(ValidationError, match="close"):
        need_line_save(actor=role_users[Role.REFERENT], line=new)


def test_referent_declares_and_submits_through_the_pages(
    client, campaign, role_users, hospital, other_hospital
):
    client.force_login(role_users[Role.REFERENT])
    family = campaign.families.get(code="HOT-02")
    response = client.post(
        reverse("needs:line_create", args=[campaign.pk]),
        {
            "entity": hospital.pk,
            "family": family.pk,
            "description": "Linge des services de soins",
            "estimated_amount": "45000",
            "recurrence": "recurring",
        },
    )
    created = NeedLine.objects.get()
    assert response.status_code == 302 and created.status == NeedStatus.DRAFT
    refused = client.post(
        reverse("needs:line_create", args=[campaign.pk]),
        {
            "entity": other_hospital.pk,
            "family": family.pk,
            "description": "x",
            "estimated_amount": "1",
            "recurrence": "recurring",
        },
    )
    assert refused.status_code == 400 and "entity" in refused.context["form"].errors
    client.post(reverse("needs:line_transition", args=[created.pk]), {"to": "submitted"})
    created.refresh_from_db()
    assert created.status == NeedStatus.SUBMITTED
    page = client.get(reverse("needs:campaign_detail", args=[campaign.pk])).content.decode()
    assert "Consolidation par famille homogène" in page and "+ 1 à valider" in page
    assert "<strong>Procédure adaptée</strong>" not in page  # not counted before validation
    client.force_login(role_users[Role.BUYER])
    client.post(reverse("needs:line_transition", args=[created.pk]), {"to": "validated"})
    page = client.get(reverse("needs:campaign_detail", args=[campaign.pk])).content.decode()
    # 45 000 € a year over 48 months: 180 000 € HT, an adapted procedure with a national notice.
    assert "<strong>Procédure adaptée</strong>" in page
    assert "Avis au BOAMP ou dans un journal d&#x27;annonces légales" in page


def test_consolidation_export(client, campaign, role_users, hospital):
    line(campaign, hospital, "30000")
    client.force_login(role_users[Role.GOVERNANCE])
    rows = read_xlsx(client.get(reverse("needs:campaign_export", args=[campaign.pk])).getvalue())
    assert rows[1][:8] == [
        "Famille",
        "Libellé",
        "Nature",
        "Lignes",
        "Établissements",
        "Récurrent par an (€ HT)",
        "Ponctuel (€ HT)",
        "Valeur estimée (€ HT)",
    ]
    laundry = next(r for r in rows[2:] if r[0] == "HOT-02")
    assert laundry[7] == 120000 and laundry[8] == "procedure_adaptee" and laundry[9] == "boamp_ou_jal"


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_needs_pages_by_role(client, campaign, role_users, hospital, other_hospital, role):
    own = line(campaign, hospital, "1000", status=NeedStatus.DRAFT)
    other = line(campaign, other_hospital, "1000", status=NeedStatus.DRAFT)
    client.force_login(role_users[role])
    team = role in TERRITORY_WIDE_ROLES
    declares = role in {Role.ADMIN, Role.BUYER, Role.REFERENT, Role.FAMILY_CORRESPONDENT, Role.PRESCRIBER}
    assert client.get(reverse("needs:campaign_list")).status_code == 200
    campaign_page = client.get(reverse("needs:campaign_detail", args=[campaign.pk]))
    assert campaign_page.status_code == 200
    # The invitation to declare is shown only to those who may.
    assert ("Déclarer un besoin" in campaign_page.content.decode()) == declares
    assert client.get(reverse("needs:line_list")).status_code == 200
    assert client.get(reverse("needs:line_detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("needs:line_detail", args=[other.pk])).status_code == (200 if team else 404)
    assert client.get(reverse("needs:line_create", args=[campaign.pk])).status_code == (
        200 if declares else 403
    )
    manages = role in {Role.ADMIN, Role.BUYER}
    assert client.get(reverse("needs:campaign_create")).status_code == (200 if manages else 403)


def test_campaign_page_opens_a_campaign_through_its_service(client, role_users):
    buyer = role_users[Role.BUYER]
    families = [PurchaseFamilyFactory(code="HOT-07"), PurchaseFamilyFactory(code="LOG-07")]
    client.force_login(buyer)
    response = client.post(
        reverse("needs:campaign_create"),
        {
            "title": "Besoins 2028",
            "year": 2028,
            "families": [f.pk for f in families],
            "deadline": "2027-12-15",
            "launch_date": "2028-02-01",
            "contract_duration_months": 48,
            "is_open": "on",
        },
    )
    campaign = Campaign.objects.get(title="Besoins 2028")
    assert response.status_code == 302
    assert campaign.created_by == buyer and set(campaign.families.all()) == set(families)
    with pytest.raises(PermissionDenied):
        campaign_save(actor=role_users[Role.REFERENT], campaign=campaign, families=families)


def test_excel_import_of_needs_rejects_rows_outside_the_scope(
    client, campaign, role_users, hospital, other_hospital
):
    from tests.helpers import xlsx_upload

    client.force_login(role_users[Role.REFERENT])
    url = reverse("needs:line_import", args=[campaign.pk])
    header = ["SIRET de l'établissement", "Famille (code)", "Besoin", "Montant estimé HT (€)", "Récurrence"]
    rows = [
        header,
        [hospital.siret, "HOT-02", "Linge", 30000, "Récurrent (chaque année)"],
        [other_hospital.siret, "HOT-02", "Linge d'un autre", 1000, "recurring"],
        [hospital.siret, "NUM-01", "PC", 5000, "recurring"],
        [hospital.siret, "TRA-01", "Toiture", -5, "Ponctuel"],
    ]
    response = client.post(url, {"file": xlsx_upload(rows)})
    errors = {(e.line, e.column) for e in response.context["report"].errors}
    assert errors == {
        (3, "SIRET de l'établissement"),
        (4, "Famille (code)"),
        (5, "Montant estimé HT (€)"),
    }
    assert not NeedLine.objects.exists()
    response = client.post(url, {"file": xlsx_upload([header, rows[1]])})
    assert response.context["report"].created == 1
    created = NeedLine.objects.get()
    assert (created.entity, created.campaign, created.status) == (hospital, campaign, NeedStatus.DRAFT)
    template = read_xlsx(client.get(url, {"template": 1}).getvalue())
    assert template[0][:2] == ["SIRET de l'établissement", "Famille (code)"] and len(template) == 2


def test_splitting_alert_from_the_registry(db, support, hospital):
    from mutualis.needs.opportunities import splitting_alerts

    family = PurchaseFamilyFactory(code="SRV-03", nature="services")
    for day, amount in ((date(2026, 5, 2), "35000"), (date(2026, 9, 1), "30000")):
        make_contract(buyer=support, family=family, notification_date=day, amount=Decimal(amount))
    make_contract(buyer=hospital, family=PurchaseFamilyFactory(), notification_date=date(2026, 5, 2))
    alerts = splitting_alerts(today=date(2026, 11, 24))
    assert [(a.family, a.year, a.purchases, a.total, a.threshold_name) for a in alerts] == [
        (family, 2026, 2, Decimal("65000.00"), "dispense de procédure")
    ]


def test_pooling_opportunity_across_entities(db, support, hospital, other_hospital):
    from mutualis.needs.opportunities import pooling_opportunities

    family = PurchaseFamilyFactory(code="HOT-04")
    ends = []
    for entity, months in ((hospital, 12), (other_hospital, 24), (other_hospital, 36)):
        ends.append(
            make_contract(
                buyer=entity, family=family, notification_date=date(2026, 1, 1), firm_duration_months=months
            ).end_date
        )
    make_contract(buyer=support, family=PurchaseFamilyFactory(), notification_date=date(2026, 1, 1))
    [opportunity] = pooling_opportunities(today=date(2026, 6, 1))
    assert (opportunity.family, opportunity.entities, opportunity.contracts, opportunity.suppliers) == (
        family,
        2,
        3,
        3,
    )
    assert opportunity.combined_amount == Decimal("300000.00") and opportunity.align_by == max(ends)


def test_opportunities_page(client, role_users):
    client.force_login(role_users[Role.REFERENT])
    assert client.get(reverse("needs:opportunities")).status_code == 200


def test_consolidated_need_becomes_a_project(client, campaign, role_users, hospital, other_hospital):
    from mutualis.procurements.models import Project

    line(campaign, hospital, "30000")
    line(campaign, other_hospital, "30000")
    family = campaign.families.get(code="HOT-02")
    url = reverse("procurements:project_from_needs", args=[campaign.pk, family.pk])
    client.force_login(role_users[Role.REFERENT])
    assert client.post(url).status_code == 403
    client.force_login(role_users[Role.BUYER])
    response = client.post(url)
    project = Project.objects.get()
    assert response["Location"] == project.get_absolute_url()
    assert project.estimated_value == Decimal("240000.00") and project.procedure == "procedure_formalisee"
    assert (
        set(project.entities.all()) == {hospital, other_hospital}
        and project.planned_launch_quarter == "2027-T1"
    )
    client.post(url)  # twice: still one project
    assert Project.objects.count() == 1
    page = client.get(reverse("needs:campaign_detail", args=[campaign.pk])).content.decode()
    assert project.get_absolute_url() in page
    client.force_login(role_users[Role.REFERENT])
    assert client.get(project.get_absolute_url()).status_code == 200
    assert client.get(reverse("procurements:project_list")).status_code == 200


def test_consolidation_for_one_joint_purchasing_group(
    client, campaign, role_users, support, hospital, other_hospital
):
    from mutualis.organisations.models import PurchasingGroup

    group = PurchasingGroup.objects.create(name="Groupement linge", coordinator=support)
    group.members.set(
        [hospital], through_defaults={"signed_on": date(2026, 1, 5)}
    )  # signed before the launch
    group.scope_families.set([campaign.families.get(code="HOT-02")])
    line(campaign, hospital, "30000")
    line(campaign, other_hospital, "50000")  # not a member of the group
    [laundry] = consolidate(campaign, group=group)
    assert (laundry.family.code, laundry.entities, laundry.estimated_value) == (
        "HOT-02",
        1,
        Decimal("120000.00"),
    )
    client.force_login(role_users[Role.BUYER])
    page = client.get(reverse("needs:campaign_detail", args=[campaign.pk]), {"groupement": group.pk})
    assert [row.family.code for row in page.context["rows"]] == ["HOT-02"]
    assert "Consolidation par famille homogène — Groupement linge" in page.content.decode()


def test_one_off_needs_bought_separately_are_flagged(campaign, support, hospital, other_hospital):
    # The support establishment buys for both hospitals (GHT): their needs are one buyer's.
    from mutualis.needs.consolidation import split_one_off_needs

    line(campaign, hospital, "60000", family_code="TRA-01", recurrence="one_off")
    line(campaign, other_hospital, "50000", family_code="TRA-01", recurrence="one_off")
    [alert] = split_one_off_needs(campaign)
    assert (alert["family"].code, alert["lines"], alert["waiver"]) == ("TRA-01", 2, Decimal("100000"))


def test_each_figure_links_to_what_is_behind_it(client, campaign, role_users, support, hospital):
    family = campaign.families.get(code="HOT-02")
    current = make_contract(
        buyer=support, family=family, notification_date=date.today(), firm_duration_months=24
    )
    need = line(campaign, hospital, "30000")
    NeedLine.objects.filter(pk=need.pk).update(replaced_contract=current)
    client.force_login(role_users[Role.BUYER])
    page = client.get(reverse("needs:campaign_detail", args=[campaign.pk])).content.decode()
    assert f"?campaign={campaign.pk}&amp;family={family.pk}&amp;status=validated" in page
    assert f"?family={family.pk}&amp;state=in_force" in page
    assert f"remplacés d'ici le {current.end_date:%d/%m/%Y}" in page
    lines = client.get(
        reverse("needs:line_list"), {"campaign": campaign.pk, "family": family.pk, "status": "validated"}
    )
    assert [row.record for row in lines.context["table"].paginated_rows] == [need]


def test_prescriber_declares_a_draft_his_referent_transmits_or_returns(
    client, campaign, role_users, hospital, other_hospital
):
    prescriber, referent = role_users[Role.PRESCRIBER], role_users[Role.REFERENT]
    client.force_login(prescriber)
    family = campaign.families.get(code="HOT-02")
    fields = {"family": family.pk, "description": "Linge du bloc", "estimated_amount": "8000"}
    fields["recurrence"] = "recurring"
    refused = client.post(
        reverse("needs:line_create", args=[campaign.pk]), {**fields, "entity": other_hospital.pk}
    )
    assert refused.status_code == 400 and "entity" in refused.context["form"].errors
    response = client.post(
        reverse("needs:line_create", args=[campaign.pk]), {**fields, "entity": hospital.pk}
    )
    created = NeedLine.objects.get()
    assert response.status_code == 302 and created.status == NeedStatus.DRAFT
    page = client.get(reverse("needs:line_detail", args=[created.pk])).content.decode()
    assert "Proposer au référent de l&#x27;établissement" in page
    assert "Transmettre à la cellule achats" not in page  # the referent transmits, not the prescriber
    with pytest.raises(PermissionDenied):
        need_line_transition(actor=prescriber, line=created, to_status=NeedStatus.SUBMITTED)
    client.post(reverse("needs:line_transition", args=[created.pk]), {"to": "proposed"})
    created.refresh_from_db()
    assert created.status == NeedStatus.PROPOSED
    assert (
        client.get(reverse("needs:line_update", args=[created.pk])).status_code == 403
    )  # now the referent's

    client.force_login(referent)
    page = client.get(reverse("needs:line_detail", args=[created.pk])).content.decode()
    assert "Transmettre à la cellule achats" in page and "Renvoyer au prescripteur" in page
    client.post(
        reverse("needs:line_transition", args=[created.pk]), {"to": "returned", "comment": "Quantité ?"}
    )
    created.refresh_from_db()
    assert created.status == NeedStatus.RETURNED

    client.force_login(prescriber)
    assert client.get(reverse("needs:line_update", args=[created.pk])).status_code == 200
    need_line_transition(actor=prescriber, line=created, to_status=NeedStatus.PROPOSED)
    with pytest.raises(ValidationError):  # only a line the referent transmitted can be validated
        need_line_transition(actor=role_users[Role.BUYER], line=created, to_status=NeedStatus.VALIDATED)
    need_line_transition(actor=referent, line=created, to_status=NeedStatus.SUBMITTED)
    need_line_transition(actor=role_users[Role.BUYER], line=created, to_status=NeedStatus.VALIDATED)
    assert [(t.from_status, t.to_status, t.by) for t in created.transitions.all()] == [
        ("draft", "proposed", prescriber),
        ("proposed", "returned", referent),
        ("returned", "proposed", prescriber),
        ("proposed", "submitted", referent),
        ("submitted", "validated", role_users[Role.BUYER]),
    ]
