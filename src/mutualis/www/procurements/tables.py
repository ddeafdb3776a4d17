"""Lists of procurement projects: filters, columns and the export columns (the same ones)."""

import django_filters
import django_tables2 as tables

from mutualis.catalogue.models import PurchaseFamily
from mutualis.core.formats import number
from mutualis.organisations.models import Entity, User
from mutualis.organisations.roles import Role
from mutualis.procurements.models import Project, ProjectStatus, StageCode
from mutualis.procurements.resources import EMERGENCY, LATE

from ..lists import SearchFilterSet, YesNoAllWidget


def buyers(request=None):
    """Active users holding the buyer role (django-filter passes the request to a callable queryset)."""
    return User.objects.filter(is_active=True, memberships__role=Role.BUYER).distinct()


def family_filter():
    return django_filters.ModelChoiceFilter(
        label="Famille d'achat", queryset=PurchaseFamily.objects.all(), empty_label="Toutes"
    )


def stage_filter():
    return django_filters.ChoiceFilter(
        label="Étape", field_name="stage__code", choices=StageCode.choices, empty_label="Toutes"
    )


class ProjectFilterSet(SearchFilterSet):
    """The filters shared by the project list and the board."""

    family = family_filter()
    entity = django_filters.ModelChoiceFilter(
        label="Entité concernée", queryset=Entity.objects.all(), method="filter_entity", empty_label="Toutes"
    )
    buyer = django_filters.ModelChoiceFilter(label="Acheteur en charge", queryset=buyers, empty_label="Tous")
    stage = stage_filter()

    class Meta:
        model = Project
        fields = ["q", "family", "entity", "buyer", "stage"]

    def filter_entity(self, queryset, name, value):
        return queryset.concerning([value.pk])


class ProjectListFilterSet(ProjectFilterSet):
    status = django_filters.ChoiceFilter(label="Statut", choices=ProjectStatus.choices, empty_label="Tous")
    late = django_filters.BooleanFilter(label="En retard", method="filter_late", widget=YesNoAllWidget())
    is_emergency = django_filters.BooleanFilter(label="Urgence impérieuse", widget=YesNoAllWidget())

    class Meta(ProjectFilterSet.Meta):
        fields = [*ProjectFilterSet.Meta.fields, "status", "late", "is_emergency"]

    def filter_late(self, queryset, name, value):
        late = queryset.late()
        return late if value else queryset.exclude(pk__in=late.values("pk"))


class TaskFilterSet(SearchFilterSet):
    family = family_filter()
    stage = stage_filter()

    class Meta:
        model = Project
        fields = ["q", "family", "stage"]


class FlagsTable(tables.Table):
    """Status flags written as text, never as a colour only (RGAA 3.1)."""

    late = tables.Column(verbose_name="Retard", accessor="pk", orderable=False)
    is_emergency = tables.Column(verbose_name="Urgence")

    def render_late(self, record):
        return LATE if record.is_late() else "—"

    def render_is_emergency(self, value):
        return EMERGENCY if value else "—"


class ProjectTable(FlagsTable):
    reference = tables.Column(verbose_name="Référence", linkify=True, order_by=("created_at", "pk"))
    object = tables.Column(verbose_name="Objet", linkify=True)
    family = tables.Column(verbose_name="Famille", accessor="family__code", order_by=("family__code",))
    stage = tables.Column(verbose_name="Étape", order_by=("stage__position",))
    stage_due_on = tables.DateColumn(verbose_name="Échéance de l'étape", format="d/m/Y")
    contract_procedure = tables.Column(verbose_name="Procédure retenue")
    estimated_value = tables.Column(verbose_name="Valeur estimée HT (€)", attrs={"td": {"class": "text-end"}})
    buyer = tables.Column(verbose_name="Acheteur en charge", order_by=("buyer__last_name", "buyer__username"))

    class Meta:
        model = Project
        fields = ["reference", "object", "family", "stage", "stage_due_on", "late", "is_emergency",
                  "contract_procedure", "estimated_value", "buyer"]  # fmt: skip
        sequence = fields
        empty_text = "Aucun projet d'achat ne correspond à ces critères."

    def render_estimated_value(self, value):
        return number(value)


class TaskTable(FlagsTable):
    reference = tables.Column(verbose_name="Référence", linkify=True, order_by=("created_at", "pk"))
    object = tables.Column(verbose_name="Projet", linkify=True)
    stage = tables.Column(verbose_name="Étape", order_by=("stage__position",))
    stage_due_on = tables.DateColumn(verbose_name="Échéance", format="d/m/Y")
    expected = tables.Column(
        verbose_name="Ce qui est attendu", accessor="stage__description", orderable=False
    )

    class Meta:
        model = Project
        fields = ["reference", "object", "stage", "stage_due_on", "late", "is_emergency", "expected"]
        sequence = fields
        empty_text = "Aucune tâche en attente : tout est à jour."
