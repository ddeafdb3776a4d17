"""The demo's procurement projects: every stage of the map, contracts in the registry, offers scored."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from mutualis.contracts.enums import Procedure
from mutualis.contracts.models import Contract
from mutualis.demo.services import load_demo
from mutualis.notifications.models import Notification
from mutualis.organisations.access import access_for
from mutualis.organisations.models import Entity, User
from mutualis.procurements import rules
from mutualis.procurements.analysis import project_analysis
from mutualis.procurements.models import (
    Lot,
    LotStatus,
    Offer,
    ProcessMap,
    Project,
    ProjectStatus,
    StageCode,
    StageTransition,
    TransitionAction,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_for_module")]


def _position(code: str) -> int:
    return ProcessMap.objects.current().stages.get(code=code).position


def _at_or_past_analysis() -> list[Project]:
    analysis = _position(StageCode.ANALYSIS)
    return list(
        Project.objects.exclude(status=ProjectStatus.ABANDONED)
        .filter(stage__position__gte=analysis)
        .select_related("stage")
    )


def test_every_stage_of_the_map_holds_a_project_in_progress():
    codes = set(ProcessMap.objects.current().stages.values_list("code", flat=True))
    assert codes == set(StageCode)
    held = set(Project.objects.in_progress().values_list("stage__code", flat=True))
    assert codes <= held
    assert Project.objects.filter(status=ProjectStatus.CLOSED).exists()
    abandoned = Project.objects.filter(status=ProjectStatus.ABANDONED)
    assert abandoned.exists()
    for project in abandoned:
        assert project.transitions.get(action=TransitionAction.ABANDON).comment.strip()


def test_projects_are_run_by_the_demo_team():
    team = {"acheteur", "acheteuse"}
    for project in Project.objects.select_related("buyer", "legal_officer"):
        assert project.buyer.username in team
        assert project.legal_officer.username == "juriste"
    movers = set(StageTransition.objects.values_list("by__username", flat=True))
    assert movers <= {"acheteur", "acheteuse", "juriste"}


def test_multi_lot_group_and_campaign_projects():
    multi_lot = Project.objects.annotate(n=Count("lots")).filter(n__gte=2)
    assert multi_lot.count() >= 3
    assert multi_lot.filter(n=3).exists()
    grouped = Project.objects.filter(purchasing_group__isnull=False)
    assert grouped.exists()
    assert Contract.objects.filter(
        procurement_lot__project__in=grouped, purchasing_group__isnull=False
    ).exists()
    from_needs = Project.objects.get(source_campaign__isnull=False)
    assert from_needs.stage.code == StageCode.NEED
    assert from_needs.entities.exists()


def test_awarded_lots_are_notified_contracts_usable_by_their_entities():
    lots = Lot.objects.filter(contract__notification_date__isnull=False).select_related("contract")
    assert lots.count() >= 3
    for lot in lots:
        assert lot.status == LotStatus.AWARDED
        assert lot.contract.notification_date == lot.notified_on
        assert lot.awarded_on <= lot.signed_on <= lot.notified_on <= timezone.localdate()
        assert lot.contract.holders.get() == lot.awarded_offer.supplier
    referent = User.objects.get(username="referent")
    beaune = Entity.objects.get(short_name="Hospices civils de Beaune")
    assert set(access_for(referent).roles_by_entity) == {beaune.pk}
    # What the referent's "Contrats utilisables" lists.
    usable = Contract.objects.usable_by_entities([beaune.pk]).in_force()
    from_projects = usable.filter(procurement_lot__isnull=False)
    assert from_projects.exists()
    urls = {c.get_absolute_url() for c in from_projects}
    news = Notification.objects.for_user(referent).unread().filter(subject__startswith="Nouveau contrat")
    assert urls & set(news.values_list("url", flat=True))


def test_the_emergency_project_took_the_short_track():
    project = Project.objects.select_related("stage").get(is_emergency=True)
    assert project.emergency_justification.strip()
    assert project.contract_procedure == Procedure.NO_COMPETITION
    assert project.stage.position >= _position(StageCode.ANALYSIS)
    passed = set(project.transitions.values_list("from_stage__code", flat=True))
    assert not passed & {StageCode.SOURCING, StageCode.STRATEGY, StageCode.DOCUMENTS, StageCode.PUBLICATION}


def test_offers_at_or_past_analysis_are_scored_on_every_criterion():
    projects = _at_or_past_analysis()
    assert len(projects) >= 6
    for project in projects:
        criteria, lots = project_analysis(project)
        others = {c.pk for c in criteria if not c.is_price}
        assert others, project
        for analysis in lots:
            if analysis.lot.status == LotStatus.UNSUCCESSFUL:
                continue
            assert len(analysis.offers) >= (2 if project.is_emergency else 3), analysis.lot
            for ranked in analysis.offers:
                if ranked.offer.is_regular:
                    assert ranked.is_scored
                    assert {s.criterion_id for s in ranked.offer.scores.all()} == others
            assert analysis.best is not None


def test_the_analysis_flags_an_abnormally_low_offer():
    flagged = [
        ranked
        for project in Project.objects.in_progress()
        for analysis in project_analysis(project)[1]
        for ranked in analysis.offers
        if ranked.abnormally_low
    ]
    assert flagged
    # The one rejected after asking for its justification is set aside, with the reason.
    assert Offer.objects.filter(is_regular=False).exclude(notes="").exists()


def test_one_project_is_late_the_others_on_time():
    late = Project.objects.late()
    assert late.exists()
    assert late.count() < Project.objects.in_progress().count() // 2


def test_dates_follow_the_legal_time_limits():
    today = timezone.localdate()
    published = Project.objects.filter(published_on__isnull=False)
    assert published.filter(tender_deadline__gt=today).exists()  # one consultation still open
    for project in published:
        earliest = rules.earliest_deadline(project.procedure_value, project.published_on)
        assert project.tender_deadline > project.published_on
        assert earliest is None or project.tender_deadline >= earliest
    for lot in Lot.objects.filter(signed_on__isnull=False).select_related("project"):
        regular = lot.offers.filter(is_regular=True).count()
        if rules.standstill_applies(lot.project.procedure_value, regular):
            assert lot.signed_on >= lot.rejections_sent_on + timedelta(days=11)
    assert all(t.at.date() <= today for t in StageTransition.objects.all())


def test_reloading_the_demo_leaves_the_projects_alone():
    models = (Project, Lot, Offer, StageTransition, Contract)
    before = [m.objects.count() for m in models]
    load_demo()
    assert [m.objects.count() for m in models] == before


@pytest.mark.parametrize("offset", range(7))
def test_the_projects_can_be_built_whichever_day_of_the_week_the_demo_is_loaded(offset):
    """Deadlines and signatures move with weekends and holidays: every weekday is tried, around the
    All Saints' and Armistice holidays."""
    from datetime import date

    from mutualis.demo.procurements import load_procurements

    with transaction.atomic():
        Project.objects.all().delete()
        day = date(2026, 11, 9) + timedelta(days=offset)
        assert load_procurements(day) >= 13
        transaction.set_rollback(True)
