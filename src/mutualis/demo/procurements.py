"""Demo procurement projects, driven through the procurement services as the team would: created by a
buyer, each stage filled and validated by the role the map gives it, offers scored, lots awarded and
notified so their contracts land in the registry.

Built once, dated back from the day the demo is first loaded (each move is made with the `today` of
its simulated day), then left alone on later loads, like the demo registry.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from mutualis.catalogue.models import PurchaseFamily
from mutualis.contracts import enums
from mutualis.contracts.models import Contract
from mutualis.contracts.services import HolderInput, contract_save
from mutualis.needs.consolidation import consolidate
from mutualis.needs.models import Campaign
from mutualis.notifications.models import Notification
from mutualis.notifications.services import mark_read
from mutualis.organisations.models import Entity, PurchasingGroup, User
from mutualis.portal.interests import interest_submit
from mutualis.portal.public import CONSULTATION_STAGES, PLANNED_STAGES
from mutualis.procurements import rules
from mutualis.procurements.analysis import project_analysis
from mutualis.procurements.models import (
    Criterion,
    Interest,
    Lot,
    LotStatus,
    Offer,
    ProcessMap,
    Project,
    ProjectStatus,
    StageTransition,
    TransitionAction,
)
from mutualis.procurements.services import (
    criterion_save,
    lot_award,
    lot_declare_unsuccessful,
    lot_notify,
    lot_save,
    offer_negotiate,
    offer_save,
    project_from_needs,
    project_save,
    project_transition,
)
from mutualis.procurements.services.award import earliest_signature
from mutualis.procurements.services.projects import support_establishment
from mutualis.suppliers.models import Supplier

from .authorship import acting_as
from .procurements_data import DIRECT, DURATIONS, OPEN, PROJECTS, REVISABLE, DemoProject

# What the team publishes on the public portal: a service's address, never a person's name.
PORTAL_CONTACT = "Cellule achats mutualisée — achats@demo.mutualis.localhost"
PROFILE = "https://profil-acheteur.demo.mutualis.localhost/consultations/"

# Non-price scores around each offer's quality, so that the criteria do not all rank alike.
OFFSETS = {"technical": 0, "environmental": -1, "social": -0.5, "delay": 0.5, "other": 0}


@dataclass
class Team:
    users: dict[str, User]
    entities: dict[str, Entity]
    groups: dict[str, PurchasingGroup]
    families: dict[str, PurchaseFamily]
    support: Entity
    process_map: ProcessMap

    @classmethod
    def load(cls, support: Entity | None = None) -> "Team":
        """`support`: who buys the projects outside groupements (default: the support establishment)."""
        return cls(
            users={
                u.username: u for u in User.objects.filter(username__in=["acheteur", "acheteuse", "juriste"])
            },
            entities={e.short_name: e for e in Entity.objects.exclude(short_name="")},
            groups={g.name: g for g in PurchasingGroup.objects.all()},
            families={f.code: f for f in PurchaseFamily.objects.all()},
            support=support or support_establishment(),
            process_map=ProcessMap.objects.current(),
        )

    @staticmethod
    def supplier(name: str) -> Supplier:
        named = Supplier.objects.order_by("pk")
        supplier = named.filter(name__iexact=name).first() or named.filter(name__istartswith=name).first()
        if supplier is None:  # the demo suppliers file no longer has this bidder
            raise ValueError(f"Fournisseur de démonstration introuvable : {name}")
        return supplier


def load_procurements(
    today: date,
    campaign: Campaign | None = None,
    *,
    specs: list[DemoProject] = PROJECTS,
    support: Entity | None = None,
    campaign_group: str = "",
) -> int:
    """Create the demo projects unless some projects exist already; returns the number of projects.
    `campaign_group`: the groupement whose project the campaign's needs become (default: the territory's
    buyer, the support establishment)."""
    if Project.objects.exists():
        return Project.objects.count()
    team = Team.load(support)
    builders = [ProjectBuilder(spec, team, today) for spec in specs]
    projects = [builder.build() for builder in builders if builder.fits_the_map]
    if campaign is not None:
        projects.append(project_from_campaign(team, campaign, team.groups.get(campaign_group)))
    _read_past_notifications([p for p in projects if p is not None])
    return Project.objects.count()


def project_from_campaign(
    team: Team, campaign: Campaign, group: PurchasingGroup | None = None
) -> Project | None:
    """The family with the largest validated needs (of the territory's buyer, or of the groupement)
    becomes a project, at the need-analysis stage."""
    rows = [row for row in consolidate(campaign, group=group) if row.lines]
    if not rows:
        return None
    family = max(rows, key=lambda row: row.estimated_value).family
    buyer = team.users["acheteur"]
    with acting_as(buyer):
        project = project_from_needs(actor=buyer, campaign=campaign, family=family, group=group)
        project.legal_officer = team.users["juriste"]
        project.portal_published, project.portal_contact = True, PORTAL_CONTACT  # announced as planned
        return project_save(actor=project.buyer or team.users["acheteur"], project=project)


def _quarter(day: date) -> str:
    return f"{day.year}-T{(day.month - 1) // 3 + 1}"


def _score(kind: str, quality: float, index: int) -> Decimal:
    value = quality + OFFSETS[kind] + (0 if kind == "technical" else (index % 3 - 1) * 0.5)
    return Decimal(str(min(10.0, max(0.0, value))))


class ProjectBuilder:
    """Walks one demo project from its creation to the stage where it stands."""

    def __init__(self, spec: DemoProject, team: Team, today: date):
        self.spec, self.team = spec, team
        self.buyer, self.legal = team.users[spec.buyer], team.users["juriste"]
        self.stages = [s.code for s in team.process_map.stages.all() if s.applies_to(spec.procedure)]
        publication = 33 if spec.procedure == OPEN else 24
        self.durations = {**DURATIONS, "publication": publication, **spec.durations}
        self.last = {"closed": None, "abandoned": spec.abandon_at}.get(spec.stop, spec.stop)
        # A map adjusted by the administrators may lack the stage a demo project stands at: skipped.
        self.fits_the_map = self.last is None or self.last in self.stages
        self.path = (
            self.stages[: self.stages.index(self.last)] if self.last and self.fits_the_map else self.stages
        )
        spent = sum(self.durations[code] for code in self.path)
        if spec.stop == "abandoned":
            spent += self.durations[spec.abandon_at]
        self.start = today - timedelta(days=spec.ends_ago + spent)
        self.days: list[date] = []  # the day of each move, to date the project's log

    def build(self) -> Project:
        with acting_as(self.buyer):
            return self._build()

    def _build(self) -> Project:
        spec = self.spec
        project, day = self._create(), self.start
        for code in self.path:
            self._work(project, code, day, passing=True)
            day += timedelta(days=self.durations[code])
            closing = spec.comment if spec.stop == "closed" and code == "execution" else ""
            project = self._move(project, TransitionAction.ADVANCE, day, closing)
        if self.last:
            self._work(project, self.last, day, passing=False)
        if spec.stop == "abandoned":
            day += timedelta(days=self.durations[self.last])
            project = self._move(project, TransitionAction.ABANDON, day, spec.comment)
        self._date_log(project)
        return project

    def _create(self) -> Project:
        spec, team = self.spec, self.team
        before = self.stages[: self.stages.index("publication")] if "publication" in self.stages else []
        launch = self.start + timedelta(days=sum(self.durations[code] for code in before))
        group = team.groups[spec.group] if spec.group else None
        fields = {"environmental_condition": True, "price_types": REVISABLE, **spec.options}
        # The team announces what is planned or open to offers; past that, the registry speaks.
        if self.last in {*PLANNED_STAGES, *CONSULTATION_STAGES}:
            fields.update(portal_published=True, portal_contact=PORTAL_CONTACT)
        project = Project(
            replaces=self._replaced(spec, launch),
            object=spec.object,
            family=team.families[spec.family],
            cpv_id=spec.cpv,
            estimated_value=Decimal(sum(value for _, value, _ in spec.lots)),
            planned_launch_quarter=_quarter(launch),
            purchasing_group=group,
            buyer_entity=None if group else team.support,
            buyer=self.buyer,
            legal_officer=self.legal,
            contract_procedure=spec.procedure,
            **fields,
        )
        entities = [team.entities[name] for name in spec.entities]
        if group and not entities:  # a groupement's project serves its members signed at the start
            entities = list(Entity.objects.filter(pk__in=group.signed_member_ids(on=self.start)))
        project = project_save(actor=self.buyer, project=project, entities=entities, today=self.start)
        first = project.lots.get()
        for number, (title, value, cpv) in enumerate(spec.lots, start=1):
            lot = first if number == 1 else Lot(project=project, number=number)
            lot.title, lot.estimated_value, lot.cpv_id = title, Decimal(value), cpv or None
            lot_save(actor=self.buyer, lot=lot)
        return project

    def _replaced(self, spec: DemoProject, launch: date) -> Contract | None:
        """The contract a project renews: four years (one firm, three renewals), ending as it launches."""
        if not spec.replaces:
            return None
        object_, holder, amount = spec.replaces
        support, family = self.team.support, self.team.families[spec.family]
        reference = f"{launch.year - 4}{family.code.replace('-', '')}900"
        existing = Contract.objects.filter(buyer=support, reference=reference).first()
        if existing is not None:
            return existing
        notified = launch - timedelta(days=4 * 365)
        contract = Contract(
            reference=reference,
            buyer=support,
            object=object_,
            techniques=[enums.Technique.NONE],
            execution_modes=[enums.ExecutionMode.NONE],
            cpv_id=spec.cpv,
            family=family,
            procedure=enums.Procedure.OPEN,
            ccag=enums.Ccag.SUPPLIES_SERVICES,
            offers_received=3,
            price_types=[enums.PriceType.REVISABLE],
            price_form=enums.PriceForm.LUMP_SUM,
            amount=Decimal(amount),
            notification_date=notified,
            start_date=notified + timedelta(weeks=2),
            firm_duration_months=12,
            renewal_count=3,
            renewal_period_months=12,
            renewal_notice_months=3,
            social_considerations=[enums.SocialConsideration.NONE],
            environmental_considerations=[enums.EnvironmentalConsideration.NONE],
            execution_place_code=support.insee_code,
            manager=self.buyer,
        )
        with acting_as(self.buyer):
            return contract_save(
                actor=self.buyer,
                contract=contract,
                holders=[HolderInput(supplier=self.team.supplier(holder))],
                available_to=[self.team.entities[name] for name in spec.entities],
            )

    def _move(self, project: Project, action: str, day: date, comment: str = "") -> Project:
        people = {"buyer": project.buyer, "legal_officer": project.legal_officer}
        actor = self.buyer if action == TransitionAction.ABANDON else people[project.stage.responsible_role]
        self.days.append(day)
        with acting_as(actor):
            return project_transition(actor=actor, project=project, action=action, comment=comment, today=day)

    def _work(self, project: Project, code: str, day: date, *, passing: bool) -> None:
        """What the team does during a stage; awards and signatures only for stages already left."""
        if code == ("besoin" if self.spec.procedure == DIRECT else "dce"):
            self._grid(project)
        elif code == "publication":
            project.published_on = day + timedelta(days=1)
            earliest = rules.earliest_deadline(project.procedure_value, project.published_on)
            earliest = earliest or project.published_on + timedelta(days=20)  # MAPA: a reasonable time
            project.tender_deadline = rules.next_working_day(earliest + timedelta(days=1))
            project.consultation_url = f"{PROFILE}{project.reference}"
            with acting_as(self.legal):
                project_save(actor=self.legal, project=project, today=day)
        elif code == "analyse":
            self._offers(project, day)
        elif code == "negociation":
            self._negotiate(project, day)
        elif code == "attribution" and passing:
            self._award(project, day)
        elif code == "notification" and passing:
            self._notify(project, day)

    def _grid(self, project: Project) -> None:
        for position, (label, kind, weight) in enumerate(self.spec.grid):
            criterion = Criterion(project=project, label=label, kind=kind, weight=Decimal(weight))
            criterion.position = position
            criterion_save(actor=self.buyer, criterion=criterion)

    def _offers(self, project: Project, day: date) -> None:
        criteria = [c for c in project.criteria.all() if not c.is_price]
        received = project.tender_deadline or day
        for lot in project.lots.all():
            for index, (name, share, quality) in enumerate(self.spec.offers.get(lot.number, [])):
                regular = quality is not None
                offer = Offer(
                    lot=lot,
                    supplier=self.team.supplier(name),
                    price=(lot.estimated_value * Decimal(share)).quantize(Decimal(1)),
                    received_on=received - timedelta(days=index % 3),
                    is_regular=regular,
                    notes=""
                    if regular
                    else "Offre anormalement basse : les précisions demandées ne "
                    "justifient pas le prix proposé ; offre rejetée (R2152-3 et R2152-4).",
                )
                scores = {c.pk: _score(c.kind, quality, index) for c in criteria} if regular else {}
                offer_save(actor=self.buyer, offer=offer, scores=scores)
        for number, reason in self.spec.unsuccessful.items():
            lot_declare_unsuccessful(actor=self.buyer, lot=project.lots.get(number=number), reason=reason)

    def _negotiate(self, project: Project, day: date) -> None:
        """One round with every regular bidder, recorded with its prices before and after."""
        held_on = min(day + timedelta(days=2), timezone.localdate())
        for offer in Offer.objects.filter(lot__project=project, is_regular=True).select_related("lot"):
            offer_negotiate(
                actor=self.buyer,
                offer=offer,
                new_price=(offer.price * Decimal("0.96")).quantize(Decimal(1)),
                held_on=held_on,
                notes="Offre finale après négociation.",
            )

    def _award(self, project: Project, day: date) -> None:
        with acting_as(self.legal):
            self._award_lots(project, day)

    def _award_lots(self, project: Project, day: date) -> None:
        for analysis in project_analysis(project)[1]:
            if analysis.lot.status != LotStatus.OPEN:
                continue
            best = analysis.best.offer
            others = any(r.offer.is_regular and r.offer.pk != best.pk for r in analysis.offers)
            lot_award(
                actor=self.legal,
                lot=analysis.lot,
                offer=best,
                awarded_on=day,
                rejections_sent_on=day if others else None,
                # The place of execution DECP requires: the buyer's commune, as a buyer would type it.
                execution_place_code=project.buyer_entity.insee_code,
            )

    def _notify(self, project: Project, day: date) -> None:
        """Signed as soon as the standstill period allows (R2182-1), notified the next day."""
        for lot in project.lots.filter(status=LotStatus.AWARDED):
            earliest = earliest_signature(project, lot, lot.offers.filter(is_regular=True).count())
            signed = max(day, earliest) if earliest else day
            with acting_as(self.legal):
                lot_notify(
                    actor=self.legal, lot=lot, signed_on=signed, notified_on=signed + timedelta(days=1)
                )

    def _date_log(self, project: Project) -> None:
        """The log shows each move on its simulated day rather than on the day the demo was loaded."""
        transitions = list(StageTransition.objects.filter(project=project).order_by("pk"))
        for transition, day in zip(transitions, self.days, strict=True):
            transition.at = timezone.make_aware(datetime.combine(day, time(10)))
        StageTransition.objects.bulk_update(transitions, ["at"])
        # Its creation too, so that lead times run from the simulated start (created_at is auto_now_add).
        start = timezone.make_aware(datetime.combine(self.start, time(9)))
        Project.objects.filter(pk=project.pk).update(created_at=start)


def _read_past_notifications(projects: list[Project]) -> None:
    """Only what is still news stays unread: the current stage's task, the contracts now usable."""
    current = {
        f"project-{p.pk}-stage-{p.stage_id}-{p.stage_entered_on:%Y%m%d}"
        for p in projects
        if p.status == ProjectStatus.IN_PROGRESS
    }
    notified = Lot.objects.filter(project__in=projects, notified_on__isnull=False)
    done = [f"lot-{pk}-attribue" for pk in notified.values_list("pk", flat=True)]
    ended = notified.exclude(project__status=ProjectStatus.IN_PROGRESS).values_list("pk", flat=True)
    done += [f"lot-{pk}-notifie" for pk in ended]
    past = Notification.objects.unread().filter(
        Q(key__in=done) | (Q(key__startswith="project-") & ~Q(key__in=current))
    )
    by_user: dict[int, list[int]] = {}
    for pk, recipient in past.values_list("pk", "recipient_id"):
        by_user.setdefault(recipient, []).append(pk)
    for user in User.objects.filter(pk__in=by_user):
        mark_read(user=user, notification_ids=by_user[user.pk])


# A local company that answered the portal (a made-up name; its SIRET passes the check digit only).
INTEREST = {
    "siret": "41287354900023",
    "company_name": "Blanchisserie de l'Auxois",
    "contact_name": "Claire Moreau",
    "email": "contact@blanchisserie-auxois.example",
    "message": (
        "Nous traitons le linge de trois EHPAD du secteur et souhaitons être informés de la consultation."
    ),
}
INTEREST_PROJECT = "Prestations de blanchisserie et location-entretien du linge"


def load_portal_interest() -> int:
    """One business shows interest in a planned purchase through the portal's own service: it becomes a
    candidate of the directory, and the buyer sees it on the project."""
    project = Project.objects.filter(object=INTEREST_PROJECT, portal_published=True).first()
    if project is None or project.interests.exists():
        return 0
    interest_submit(project=project, interest=Interest(**INTEREST))
    return 1
