"""The pipeline at a glance: projects per stage, and the user's tasks."""

from dataclasses import dataclass, field

from django.db.models import F
from django.views.generic import TemplateView

from mutualis.core.scoping import scoped
from mutualis.organisations.roles import Perm
from mutualis.procurements.filters import ProjectFilterSet, TaskFilterSet
from mutualis.procurements.models import ProcessMap, Project, StageCode
from mutualis.procurements.resources import TaskResource

from ..lists import FilteredListView
from ..permissions import RequirePermMixin
from .tables import TaskTable

BY_DUE_DATE = (F("stage_due_on").asc(nulls_last=True), "object", "pk")


CARDS_PER_COLUMN = 30  # the most urgent; the column links to the list for the others


@dataclass
class BoardColumn:
    code: str
    label: str
    projects: list = field(default_factory=list)
    total: int = 0

    @property
    def hidden(self) -> int:
        return self.total - len(self.projects)


def board_columns(stages, projects, only_code: str = "") -> list[BoardColumn]:
    """One column per stage of the current map, in its order; projects go by their stage's code, so
    that those still on an older version of the map land in the same column."""
    columns = {s.code: BoardColumn(s.code, s.label) for s in stages if not only_code or s.code == only_code}
    for project in projects:
        code = project.stage.code
        if code not in columns:  # a stage the current version no longer has
            columns[code] = BoardColumn(code, StageCode(code).label)
        column = columns[code]
        column.total += 1
        if len(column.projects) < CARDS_PER_COLUMN:
            column.projects.append(project)
    return list(columns.values())


class BoardView(RequirePermMixin, TemplateView):
    required_perm = Perm.VIEW_PROJECTS
    template_name = "www/procurements/board.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        projects = scoped(Project.objects.in_progress(), user).for_lists().order_by(*BY_DUE_DATE)
        filterset = ProjectFilterSet(self.request.GET or None, queryset=projects, request=self.request)
        current = ProcessMap.objects.current()
        stages = current.stages.all() if current else []
        only = (
            filterset.form.cleaned_data.get("stage", "")
            if filterset.is_bound and filterset.is_valid()
            else ""
        )
        columns = board_columns(stages, filterset.qs, only_code=only)
        return super().get_context_data(
            page_title="Tableau des projets en cours",
            filter=filterset,
            columns=columns,
            project_count=sum(c.total for c in columns),
            can_manage=self.access.has(Perm.MANAGE_PROJECTS),
            **kwargs,
        )


class MyTasksView(FilteredListView):
    """The projects waiting for the user, the most urgent first."""

    model = Project
    required_perm = Perm.VIEW_PROJECTS
    table_class = TaskTable
    filterset_class = TaskFilterSet
    resource_class = TaskResource
    export_name = "mes_taches"
    title = "Mes tâches"
    intro = "Les projets qui attendent une action de votre part, les échéances les plus proches d'abord."
    template_name = "www/procurements/my_tasks.html"

    def base_queryset(self):
        return Project.objects.tasks_for(self.request.user)

    def optimise(self, queryset):
        return queryset.for_lists().order_by(*BY_DUE_DATE)

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_manage=self.access.has(Perm.MANAGE_PROJECTS), **kwargs)
