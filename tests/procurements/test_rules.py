"""Each precondition of the workflow, met and violated; the procedure choice, the emergency track,
the legal time limits, the standstill, the Loi Climat obligations, and the award into the registry."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from mutualis.procurements.models import Criterion, Lot, Offer, StageCode
from mutualis.procurements.services import (
    criterion_save,
    lot_award,
    lot_declare_unsuccessful,
    lot_notify,
    lot_save,
    offer_save,
    project_save,
)
from mutualis.procurements.services.stages import stages_for
from tests.procurements.factories import LAUNCH, add_offers, advance, new_project, prepare, walk_to
from tests.suppliers.factories import SupplierFactory

BEFORE_CLIMATE_LAW = date(2026, 6, 1)


@pytest.fixture
def make(team, support, hospital):
    buyer, legal = team

    def _make(value="300000", **fields):
        fields.setdefault("buyer", buyer)
        fields.setdefault("legal_officer", legal)
        fields.setdefault("buyer_entity", support)
        return new_project(buyer, entities=fields.pop("entities", [hospital]), value=value, **fields)

    return _make


def _refused(actor, project, message, today=LAUNCH):
    with pytest.raises(ValidationError) as caught:
        advance(actor, project, today)
    assert any(message in m for m in caught.value.messages), caught.value.messages


# Need analysis --------------------------------------------------------------------------------------


def test_need_analysis_requires_scope_and_people(make, team):
    buyer, _ = team
    project = make(entities=[], buyer=None, legal_officer=None, buyer_entity=None)
    for message in ("entités concernées", "entité acheteuse", "acheteur en charge", "juriste en charge"):
        _refused(buyer, project, message)
    Lot.objects.filter(project=project).delete()
    _refused(buyer, project, "au moins un lot")


def test_need_analysis_validated_once_complete(make, team):
    assert advance(team[0], make()).stage.code == StageCode.SOURCING


# Procedure choice and emergency track ---------------------------------------------------------------


def test_less_demanding_procedure_needs_a_written_reason(make, team):
    project = make(value="300000")
    assert project.procedure == "procedure_formalisee"
    project.contract_procedure = "Procédure adaptée"
    with pytest.raises(ValidationError) as caught:
        project_save(actor=team[0], project=project, today=LAUNCH)
    assert "procedure_override_reason" in caught.value.message_dict
    project.procedure_override_reason = "Services sociaux et spécifiques (R2123-1 3°)."
    assert (
        project_save(actor=team[0], project=project, today=LAUNCH).contract_procedure == "Procédure adaptée"
    )


def test_more_demanding_procedure_needs_no_reason(make, team):
    project = make(value="100000")
    project.contract_procedure = "Appel d'offres ouvert"
    assert project_save(actor=team[0], project=project, today=LAUNCH).procedure_override_reason == ""


def test_procedure_is_fixed_once_the_strategy_is_validated(make, team):
    buyer, legal = team
    project = walk_to(make(), StageCode.DOCUMENTS, buyer=buyer, legal=legal)
    project.contract_procedure = "Appel d'offres restreint"
    with pytest.raises(ValidationError) as caught:
        project_save(actor=buyer, project=project, today=LAUNCH)
    assert "contract_procedure" in caught.value.message_dict


def test_emergency_needs_a_justification_and_takes_the_short_track(make, team):
    buyer, legal = team
    with pytest.raises(ValidationError) as caught:
        make(value="300000", is_emergency=True)
    assert "emergency_justification" in caught.value.message_dict
    project = make(
        value="300000",
        is_emergency=True,
        emergency_justification="Rupture d'approvisionnement en oxygène après l'incendie du fournisseur.",
    )
    assert project.contract_procedure == "Marché passé sans publicité ni mise en concurrence préalable"
    codes = [s.code for s in stages_for(project)]
    assert codes == ["besoin", "analyse", "attribution", "notification", "execution"]
    project = walk_to(project, StageCode.ANALYSIS, buyer=buyer, legal=legal)
    assert project.launched_on == LAUNCH
    project = walk_to(project, StageCode.EXECUTION, buyer=buyer, legal=legal)
    contract = project.lots.get().contract
    assert contract.procedure == "Marché passé sans publicité ni mise en concurrence préalable"


# Tender documents: criteria grid and Loi Climat -----------------------------------------------------


def _at_documents(make, team, **fields):
    buyer, legal = team
    return walk_to(make(**fields), StageCode.DOCUMENTS, buyer=buyer, legal=legal)


def _grid(actor, project, rows):
    for position, (label, kind, weight) in enumerate(rows):
        criterion_save(
            actor=actor,
            criterion=Criterion(
                project=project, label=label, kind=kind, weight=Decimal(weight), position=position
            ),
        )


def test_criteria_grid_must_total_100(make, team):
    buyer, _ = team
    project = _at_documents(make, team)
    _refused(buyer, project, "Déclarez les critères")
    _grid(buyer, project, [("Prix", "price", "60"), ("Environnement", "environmental", "30")])
    _refused(buyer, project, "totalisent 90 %")
    with pytest.raises(ValidationError) as caught:
        _grid(buyer, project, [("Technique", "technical", "20")])
    assert "weight" in caught.value.message_dict
    _grid(buyer, project, [("Technique", "technical", "10")])
    assert advance(buyer, project).stage.code == StageCode.PUBLICATION


def test_environmental_criterion_and_condition_from_the_climate_law(make, team):
    buyer, _ = team
    project = _at_documents(make, team, environmental_condition=False)
    _grid(buyer, project, [("Prix", "price", "60"), ("Technique", "technical", "40")])
    _refused(buyer, project, "critère d'attribution environnemental")
    _refused(buyer, project, "condition d'exécution environnementale")


def test_no_climate_law_obligation_for_a_consultation_launched_before(make, team):
    buyer, _ = team
    project = _at_documents(make, team, environmental_condition=False, social_condition=False)
    project.launched_on = BEFORE_CLIMATE_LAW
    project = project_save(actor=buyer, project=project, today=LAUNCH)
    _grid(buyer, project, [("Prix", "price", "60"), ("Technique", "technical", "40")])
    assert advance(buyer, project).stage.code == StageCode.PUBLICATION


def test_social_condition_above_eu_thresholds_unless_an_exception_is_recorded(make, team):
    buyer, _ = team
    project = _at_documents(make, team, social_condition=False)
    _grid(buyer, project, [("Prix", "price", "60"), ("Environnement", "environmental", "40")])
    _refused(buyer, project, "condition d'exécution sociale")
    project.social_exception = (
        "Marché de fournitures livrées sans main-d'œuvre sur site (exception L2112-2-1)."
    )
    project = project_save(actor=buyer, project=project, today=LAUNCH)
    assert advance(buyer, project).stage.code == StageCode.PUBLICATION


def test_no_social_condition_required_below_eu_thresholds(make, team):
    buyer, _ = team
    project = _at_documents(make, team, value="150000", social_condition=False)
    _grid(buyer, project, [("Prix", "price", "60"), ("Environnement", "environmental", "40")])
    assert advance(buyer, project).stage.code == StageCode.PUBLICATION


def test_grid_is_frozen_once_published(make, team):
    buyer, legal = team
    project = walk_to(make(), StageCode.PUBLICATION, buyer=buyer, legal=legal)
    with pytest.raises(ValidationError, match="grille"):
        _grid(buyer, project, [("Délais", "delay", "1")])
    with pytest.raises(ValidationError, match="lots"):
        lot_save(actor=buyer, lot=Lot(project=project, title="Lot 2", estimated_value=Decimal(1)))


# Publication: legal minimum time limits -------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "procedure", "days", "accepted"),
    [
        ("300000", "Appel d'offres ouvert", 29, False),
        ("300000", "Appel d'offres ouvert", 30, True),
        ("300000", "Appel d'offres restreint", 29, False),
        ("300000", "Appel d'offres restreint", 30, True),
        ("150000", "Procédure adaptée", 10, True),  # no legal minimum for a MAPA
    ],
)
def test_tender_deadline_not_shorter_than_the_legal_minimum(make, team, value, procedure, days, accepted):
    buyer, legal = team
    project = make(value=value, contract_procedure=procedure)
    project = walk_to(project, StageCode.PUBLICATION, buyer=buyer, legal=legal)
    _refused(legal, project, "date d'envoi de l'avis")
    project.published_on = LAUNCH
    project.tender_deadline = LAUNCH + timedelta(days=days)
    project = project_save(actor=buyer, project=project, today=LAUNCH)
    if accepted:
        assert advance(legal, project).stage.code == StageCode.ANALYSIS
        assert (
            project.transitions.last() and project.__class__.objects.get(pk=project.pk).launched_on == LAUNCH
        )
    else:
        _refused(legal, project, "trop proche")


@pytest.mark.parametrize(
    ("procedure", "reduction", "days", "accepted"),
    [
        ("Appel d'offres ouvert", "prior_notice", 15, True),
        ("Appel d'offres ouvert", "prior_notice", 14, False),
        ("Appel d'offres ouvert", "urgency", 15, True),
        ("Appel d'offres restreint", "urgency", 15, True),
        (
            "Appel d'offres restreint",
            "prior_notice",
            15,
            False,
        ),  # the notice shortens tenders, not candidatures
    ],
)
def test_reduced_time_limits(make, team, procedure, reduction, days, accepted):
    buyer, legal = team
    project = walk_to(make(contract_procedure=procedure), StageCode.PUBLICATION, buyer=buyer, legal=legal)
    project.time_limit_reduction = reduction
    project.time_limit_reduction_reason = "Rupture du marché précédent (défaillance du titulaire)."
    project.published_on = date(2026, 9, 1)  # a Tuesday: + 15 days is a Wednesday, + 14 a Tuesday
    project.tender_deadline = project.published_on + timedelta(days=days)
    project = project_save(actor=buyer, project=project, today=LAUNCH)
    if accepted:
        assert advance(legal, project).stage.code == StageCode.ANALYSIS
    else:
        _refused(legal, project, "trop proche")


def test_urgency_reduction_must_be_justified(make, team):
    project = make()
    project.time_limit_reduction = "urgency"
    with pytest.raises(ValidationError) as caught:
        project_save(actor=team[0], project=project, today=LAUNCH)
    assert "time_limit_reduction_reason" in caught.value.message_dict


@pytest.mark.parametrize(
    ("notice", "earliest"),
    [
        (date(2026, 10, 2), date(2026, 11, 2)),  # day 30 is Sunday 1 November (All Saints): Monday
        (date(2026, 10, 12), date(2026, 11, 12)),  # day 30 is Wednesday 11 November (Armistice)
        (date(2026, 10, 13), date(2026, 11, 12)),  # day 30 is a Thursday: kept
    ],
)
def test_last_day_on_a_weekend_or_holiday_moves_to_the_next_working_day(make, team, notice, earliest):
    buyer, legal = team
    project = walk_to(make(value="300000"), StageCode.PUBLICATION, buyer=buyer, legal=legal)
    project.published_on = notice
    project.tender_deadline = earliest - timedelta(days=1)
    project = project_save(actor=buyer, project=project, today=LAUNCH)
    _refused(legal, project, f"soit le {earliest:%d/%m/%Y} au plus tôt")
    project.tender_deadline = earliest
    project = project_save(actor=buyer, project=project, today=LAUNCH)
    assert advance(legal, project).stage.code == StageCode.ANALYSIS


# Offer analysis -------------------------------------------------------------------------------------


def test_analysis_requires_offers_on_every_lot_and_every_score(make, team):
    buyer, legal = team
    project = walk_to(make(), StageCode.ANALYSIS, buyer=buyer, legal=legal)
    _refused(buyer, project, "aucune offre régulière")
    lot = project.lots.get()
    offer_save(actor=buyer, offer=Offer(lot=lot, supplier=SupplierFactory(), price=Decimal(1000)), scores={})
    _refused(buyer, project, "notes manquantes")
    add_offers(buyer, project)
    Offer.objects.filter(scores__isnull=True).delete()
    assert advance(buyer, project).stage.code == StageCode.AWARD


def test_offers_only_at_the_analysis_stages(make, team):
    buyer, legal = team
    project = walk_to(make(), StageCode.PUBLICATION, buyer=buyer, legal=legal)
    with pytest.raises(ValidationError, match="saisie des offres"):
        add_offers(buyer, project)
    assert not Offer.objects.exists()


# Award ----------------------------------------------------------------------------------------------


@pytest.fixture
def at_award(make, team):
    buyer, legal = team
    return walk_to(make(), StageCode.AWARD, buyer=buyer, legal=legal)


def test_award_requires_every_lot_decided(at_award, team):
    _refused(team[1], at_award, "attribuez-le ou déclarez-le infructueux")


def test_all_lots_unsuccessful_means_the_project_is_abandoned(at_award, team):
    lot_declare_unsuccessful(actor=team[1], lot=at_award.lots.get(), reason="Offres inacceptables.")
    _refused(team[1], at_award, "sans suite")


def test_award_goes_to_the_best_ranked_offer_with_rejections_sent(at_award, team):
    buyer, legal = team
    lot = at_award.lots.get()
    offers = list(lot.offers.order_by("price"))  # 100,000 (8/10), 120,000 (9/10), 130,000 (6/10)
    with pytest.raises(ValidationError) as caught:
        lot_award(actor=legal, lot=lot, offer=offers[2], awarded_on=LAUNCH, rejections_sent_on=LAUNCH)
    assert "offer" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        lot_award(actor=legal, lot=lot, offer=offers[0], awarded_on=LAUNCH)
    assert "rejections_sent_on" in caught.value.message_dict
    contract = lot_award(actor=legal, lot=lot, offer=offers[0], awarded_on=LAUNCH, rejections_sent_on=LAUNCH)
    assert contract.amount == Decimal("100000.00") and contract.notification_date is None
    assert contract.social_considerations == ["Clause sociale"]
    assert sorted(contract.environmental_considerations) == [
        "Clause environnementale",
        "Critère environnemental",
    ]
    assert contract.manager == buyer and contract.offers_received == 3
    assert advance(legal, at_award).stage.code == StageCode.NOTIFICATION


# Notification and standstill ------------------------------------------------------------------------


@pytest.fixture
def at_notification(at_award, team):
    return prepare(
        advance(team[1], prepare(at_award, buyer=team[0], legal=team[1])), buyer=team[0], legal=team[1]
    )


def _awarded(make, team, *, value="300000", electronic=True, offers=3, **fields):
    buyer, legal = team
    project = walk_to(make(value=value, **fields), StageCode.ANALYSIS, buyer=buyer, legal=legal)
    add_offers(
        buyer, project, prices=("100000", "120000", "130000")[:offers], technical=("8", "9", "6")[:offers]
    )
    project = walk_to(project, StageCode.AWARD, buyer=buyer, legal=legal)
    lot = project.lots.get()
    rejections = LAUNCH if offers > 1 else None
    best = lot.offers.order_by("price").first()
    lot_award(
        actor=legal, lot=lot, offer=best, awarded_on=LAUNCH, rejections_sent_on=rejections,
        rejections_sent_electronically=electronic,
    )  # fmt: skip
    return advance(legal, project), lot


def test_notification_requires_signed_and_notified_lots(make, team):
    project, _ = _awarded(make, team)
    _refused(team[1], project, "signature et la notification")


@pytest.mark.parametrize(
    ("fields", "electronic", "offers", "earliest_day"),
    [
        ({"value": "300000"}, True, 3, 11),  # open tender: 11 days after the rejections
        ({"value": "300000"}, False, 3, 16),  # rejections on paper: 16 days
        ({"value": "300000"}, True, 1, 0),  # a single bidder: no standstill (R2182-2)
        ({"value": "150000"}, True, 3, 0),  # MAPA: no standstill
    ],
)
def test_standstill_before_signature(make, team, fields, electronic, offers, earliest_day):
    project, lot = _awarded(make, team, electronic=electronic, offers=offers, **fields)
    legal = team[1]
    if earliest_day:
        too_early = LAUNCH + timedelta(days=earliest_day - 1)
        with pytest.raises(ValidationError) as caught:
            lot_notify(actor=legal, lot=lot, signed_on=too_early, notified_on=too_early)
        assert "signed_on" in caught.value.message_dict
    signed = LAUNCH + timedelta(days=earliest_day)
    contract = lot_notify(actor=legal, lot=lot, signed_on=signed, notified_on=signed + timedelta(days=1))
    assert contract.notification_date == signed + timedelta(days=1)
    assert contract.end_date is not None
    assert advance(legal, project).stage.code == StageCode.EXECUTION


def test_notification_not_before_signature(make, team):
    _, lot = _awarded(make, team)
    signed = LAUNCH + timedelta(days=20)
    with pytest.raises(ValidationError) as caught:
        lot_notify(actor=team[1], lot=lot, signed_on=signed, notified_on=signed - timedelta(days=1))
    assert "notified_on" in caught.value.message_dict


def test_a_project_with_an_awarded_lot_can_still_be_deleted_whole(make, team):
    project, lot = _awarded(make, team)
    contract = Lot.objects.get(pk=lot.pk).contract
    project.delete()
    assert not Lot.objects.filter(pk=lot.pk).exists() and not Offer.objects.filter(lot=lot).exists()
    contract.refresh_from_db()  # the contract stays in the registry
