"""Procurement projects: what a consolidated need becomes, followed along the process map until its
lots are awarded and notified, with a log row for every move."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from mutualis.contracts import enums
from mutualis.core.locking import Versioned
from mutualis.core.models import TimeStampedModel
from mutualis.legal.vocabulary import ProcedureKind
from mutualis.organisations.access import access_for
from mutualis.organisations.roles import Perm, Role

validate_quarter = RegexValidator(r"^\d{4}-T[1-4]$", "Écrivez le trimestre sous la forme 2027-T1.")


# The person a project names for each role that runs stages: the one home of "who runs this stage"
# (Project.in_charge, tasks_for, the workflow's roles). Other roles run their stages as a team.
ASSIGNEE_FIELDS = {Role.BUYER: "buyer", Role.LEGAL_OFFICER: "legal_officer"}


@dataclass(frozen=True)
class InCharge:
    role: Role
    person: object | None  # the user the project names for that role, if any


class TimeLimitReduction(models.TextChoices):
    NONE = "", "Délais de droit commun"
    PRIOR_NOTICE = "prior_notice", "Réduits : avis de préinformation publié"
    URGENCY = "urgency", "Réduits : urgence dûment justifiée (urgence simple)"


class ProjectStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", "En cours"
    CLOSED = "closed", "Terminé"
    ABANDONED = "abandoned", "Sans suite"


class ProjectQuerySet(models.QuerySet):
    def for_user(self, user) -> "ProjectQuerySet":
        """The team sees every project; an entity sees those that concern it or its groups, and a person
        the projects whose evaluation committee names them."""
        scope = access_for(user).entity_ids
        if scope is None:
            return self
        if not getattr(user, "is_authenticated", False):
            return self.concerning(scope)
        return (self.concerning(scope) | self.filter(evaluation_committee=user).distinct()).distinct()

    def offers_visible_to(self, user) -> "ProjectQuerySet":
        """Projects whose offers (bidders, prices, scores, ranking, analysis report) the user may see:
        business secrets, shown to the purchasing team and to the project's evaluation committee only.
        The one rule for every page, export and API endpoint that shows offers."""
        projects = self.for_user(user)
        if access_for(user).has(Perm.VIEW_OFFERS):
            return projects
        return projects.filter(evaluation_committee=user) if user.is_authenticated else projects.none()

    def concerning(self, entity_ids) -> "ProjectQuerySet":
        """Projects for these entities, named or as members of the project's purchasing group."""
        return self.filter(
            Q(entities__in=entity_ids) | Q(purchasing_group__members__in=entity_ids)
        ).distinct()

    def search(self, text: str) -> "ProjectQuerySet":
        text = (text or "").strip()
        return (
            self.filter(Q(object__icontains=text) | Q(lots__title__icontains=text)).distinct()
            if text
            else self
        )

    def in_progress(self) -> "ProjectQuerySet":
        return self.filter(status=ProjectStatus.IN_PROGRESS)

    def late(self, today: date | None = None) -> "ProjectQuerySet":
        """Projects still in a stage after its due date."""
        return self.in_progress().filter(stage_due_on__lt=today or timezone.localdate())

    def tasks_for(self, user) -> "ProjectQuerySet":
        """Projects waiting for this user: assigned to them at a stage their role runs, or unassigned at a
        stage a role of theirs runs."""
        roles = access_for(user).roles
        mine = Q()
        for role, field in ASSIGNEE_FIELDS.items():
            mine |= Q(stage__responsible_role=role, **{field: user})
            if role in roles:
                mine |= Q(stage__responsible_role=role, **{f"{field}__isnull": True})
        other_roles = roles - ASSIGNEE_FIELDS.keys()
        if other_roles:
            mine |= Q(stage__responsible_role__in=other_roles)
        return self.in_progress().filter(mine)

    def for_lists(self) -> "ProjectQuerySet":
        return self.select_related("family", "stage", "buyer", "legal_officer")


class Project(Versioned, TimeStampedModel):
    """A consultation: what, for whom, for how much, by which procedure, where it stands."""

    object = models.CharField("objet", max_length=500)
    family = models.ForeignKey(
        "catalogue.PurchaseFamily", verbose_name="famille d'achat", on_delete=models.PROTECT
    )
    cpv = models.ForeignKey(
        "catalogue.CpvCode",
        verbose_name="code CPV principal",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text="Repris sur les contrats des lots ; à défaut, le premier code de la famille.",
    )
    entities = models.ManyToManyField(
        "organisations.Entity", verbose_name="entités concernées", related_name="projects", blank=True
    )
    purchasing_group = models.ForeignKey(
        "organisations.PurchasingGroup",
        verbose_name="groupement de commandes",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
        help_text="Si la consultation est passée pour un groupement : son coordonnateur est l'acheteur.",
    )
    buyer_entity = models.ForeignKey(
        "organisations.Entity",
        verbose_name="entité acheteuse",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects_bought",
        help_text="Celle qui passe le marché (l'établissement support d'un GHT, le coordonnateur…).",
    )
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="acheteur en charge",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects_as_buyer",
    )
    legal_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="juriste en charge",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects_as_legal_officer",
    )
    estimated_value = models.DecimalField("valeur estimée HT (€)", max_digits=16, decimal_places=2)
    procedure = models.CharField("procédure calculée", max_length=40, choices=ProcedureKind.choices)
    procedure_explanation = models.TextField("explication")
    thresholds_version = models.CharField("seuils appliqués", max_length=200)
    contract_procedure = models.CharField(
        "procédure retenue", max_length=70, choices=enums.Procedure.choices, blank=True
    )
    procedure_override_reason = models.TextField(
        "motif du choix de procédure",
        blank=True,
        help_text="Obligatoire si la procédure retenue est moins exigeante que la procédure calculée.",
    )
    is_emergency = models.BooleanField("urgence impérieuse", default=False)
    emergency_justification = models.TextField(
        "justification de l'urgence",
        blank=True,
        help_text="Circonstances imprévisibles, extérieures à l'acheteur, incompatibles avec les délais "
        "des procédures (R2122-1).",
    )
    planned_launch_quarter = models.CharField(
        "lancement prévu (trimestre)", max_length=7, validators=[validate_quarter], help_text="Ex. 2027-T1."
    )
    launched_on = models.DateField("lancée le", null=True, blank=True)
    published_on = models.DateField("avis envoyé le", null=True, blank=True)
    tender_deadline = models.DateField("date limite de remise des offres", null=True, blank=True)
    time_limit_reduction = models.CharField(
        "délais de remise", max_length=20, choices=TimeLimitReduction.choices, blank=True, default=""
    )
    time_limit_reduction_reason = models.TextField(
        "justification de la réduction des délais",
        blank=True,
        help_text="Urgence simple, à justifier (l'urgence impérieuse, elle, dispense de procédure).",
    )
    is_framework = models.BooleanField("accord-cadre", default=False)
    ccag = models.CharField("CCAG", max_length=60, choices=enums.Ccag.choices, default=enums.Ccag.NONE)
    price_form = models.CharField(
        "forme du prix", max_length=12, choices=enums.PriceForm.choices, default=enums.PriceForm.UNIT
    )
    price_types = models.JSONField("types de prix", default=list, blank=True)
    duration_months = models.PositiveSmallIntegerField("durée ferme (mois)", default=12)
    renewal_count = models.PositiveSmallIntegerField("nombre de reconductions", default=0)
    renewal_period_months = models.PositiveSmallIntegerField(
        "durée d'une reconduction (mois)", null=True, blank=True
    )
    environmental_condition = models.BooleanField(
        "condition d'exécution environnementale", default=False, help_text="L2112-2."
    )
    social_condition = models.BooleanField(
        "condition d'exécution sociale", default=False, help_text="L2112-2-1, au-dessus des seuils européens."
    )
    social_exception = models.TextField(
        "exception à la condition sociale",
        blank=True,
        help_text="Le motif, parmi ceux de L2112-2-1, pour lequel aucune condition sociale n'est prévue.",
    )
    replaces = models.ForeignKey(
        "contracts.Contract",
        verbose_name="contrat remplacé",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaced_by_projects",
        help_text="Ses prix servent de situation de référence au calcul du gain achat.",
    )
    source_campaign = models.ForeignKey(
        "needs.Campaign",
        verbose_name="campagne d'origine",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
    )
    process_map = models.ForeignKey(
        "procurements.ProcessMap", verbose_name="carte des processus", on_delete=models.PROTECT
    )
    stage = models.ForeignKey(
        "procurements.Stage", verbose_name="étape", on_delete=models.PROTECT, related_name="projects"
    )
    stage_entered_on = models.DateField("dans l'étape depuis")
    stage_due_on = models.DateField("échéance de l'étape", null=True, blank=True, db_index=True)
    status = models.CharField(
        "statut", max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.IN_PROGRESS
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    evaluation_committee = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name="commission d'évaluation des offres",
        related_name="projects_on_committee",
        blank=True,
        help_text="Les offres sont confidentielles : seules l'équipe achats et ces personnes les voient.",
    )
    # The public portal (mutualis.portal) shows a project only once a buyer publishes it, and then only
    # the fields its whitelist names: never the exact estimate, the notes or the people in charge.
    portal_published = models.BooleanField(
        "publier sur le portail public",
        default=False,
        help_text="Le portail, ouvert sans connexion, montrera alors : l'objet, "
        "les lots (numéro et intitulé), la famille, le code CPV, les entités concernées, "
        "l'entité acheteuse, le trimestre de lancement prévu, la procédure retenue, "
        "une tranche de valeur estimée (jamais le montant exact), le contact "
        "publié ci-dessous et, pendant la consultation, la date limite de remise des offres et le lien "
        "vers le profil d'acheteur. Rien d'autre (ni notes, ni offres, ni noms des personnes en charge).",
    )
    portal_contact = models.CharField(
        "contact publié",
        max_length=200,
        blank=True,
        help_text="Un service et son adresse, ex. « Cellule achats — achats@exemple.fr » : "
        "pas le nom d'une personne, sauf si elle y consent.",
    )
    consultation_url = models.URLField(
        "adresse de la consultation sur le profil d'acheteur",
        max_length=500,
        blank=True,
        help_text="Là où les entreprises retirent le dossier et déposent leur offre ; "
        "publiée sur le portail.",
    )
    history = HistoricalRecords(m2m_fields=[entities, evaluation_committee])

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = "projet d'achat"
        verbose_name_plural = "projets d'achat"
        ordering = ["planned_launch_quarter", "object"]
        # The project list's default order, read in index order rather than sorted.
        indexes = [models.Index(fields=["planned_launch_quarter", "object"], name="project_list_order_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["source_campaign", "family"], name="project_once_per_campaign_family"
            ),
            models.CheckConstraint(
                condition=Q(is_emergency=False) | ~Q(emergency_justification=""),
                name="project_emergency_is_justified",
            ),
        ]

    def __str__(self) -> str:
        return self.object

    def get_absolute_url(self) -> str:
        return reverse("procurements:project_detail", args=[self.pk])

    def clean(self) -> None:
        # Said on the field before the database constraint would say it in general terms.
        errors = {}
        if self.is_emergency and not self.emergency_justification.strip():
            errors["emergency_justification"] = "Justifiez l'urgence impérieuse (R2122-1)."
        if (
            self.time_limit_reduction == TimeLimitReduction.URGENCY
            and not self.time_limit_reduction_reason.strip()
        ):
            errors["time_limit_reduction_reason"] = (
                "Justifiez l'urgence qui rend les délais normaux impraticables."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def reference(self) -> str:
        return f"P{self.created_at:%Y}-{self.pk:04d}" if self.pk and self.created_at else ""

    def is_late(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return (
            self.status == ProjectStatus.IN_PROGRESS
            and self.stage_due_on is not None
            and self.stage_due_on < today
        )

    @property
    def in_charge(self) -> InCharge:
        """Who runs the current stage: the role the map gives it, and the person named for that role."""
        role = Role(self.stage.responsible_role)
        field = ASSIGNEE_FIELDS.get(role)
        return InCharge(role, getattr(self, field) if field else None)

    @property
    def procedure_value(self) -> str:
        """The DECP procedure the stages follow: the one retained."""
        return self.contract_procedure or enums.Procedure.ADAPTED

    def offers_visible_to(self, user) -> bool:
        return Project.objects.offers_visible_to(user).filter(pk=self.pk).exists()

    def concerned_entity_ids(self) -> set[int]:
        ids = set(self.entities.values_list("pk", flat=True))
        if self.purchasing_group_id:
            ids |= set(self.purchasing_group.members.values_list("pk", flat=True))
        return ids


class TransitionAction(models.TextChoices):
    ADVANCE = "advance", "Étape validée"
    SEND_BACK = "send_back", "Renvoi à l'étape précédente"
    ABANDON = "abandon", "Déclaration sans suite"


class StageTransition(models.Model):
    """One move of a project along its map: who, when, from where to where, why."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField("action", max_length=20, choices=TransitionAction.choices)
    from_stage = models.ForeignKey(
        "procurements.Stage", verbose_name="de", on_delete=models.PROTECT, related_name="+"
    )
    to_stage = models.ForeignKey(
        "procurements.Stage",
        verbose_name="vers",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="par", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField("le", default=timezone.now)
    comment = models.TextField("commentaire", blank=True)
    was_late = models.BooleanField("en retard", default=False)

    class Meta:
        verbose_name = "passage d'étape"
        verbose_name_plural = "passages d'étape"
        ordering = ["project", "at", "pk"]
        # Steering reads a year of moves forward (lead times per stage), each with the project's move
        # before it: one step back in the (project, at, pk) index, the moves' own order.
        indexes = [
            models.Index(fields=["action", "at"], name="stage_move_action_at_idx"),
            models.Index(fields=["project", "at", "id"], name="stage_move_project_order_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.project} : {self.get_action_display()}"
