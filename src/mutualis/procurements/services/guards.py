"""Who may write on a project, and at which stages each part may change."""

from django.core.exceptions import PermissionDenied, ValidationError

from mutualis.organisations.access import access_for
from mutualis.organisations.roles import ROLE_PERMISSIONS, Perm, Role

from ..models import Project, ProjectStatus, StageCode

# Lots and the criteria grid are set while the consultation is prepared; the grid is frozen once the
# consultation is published (the candidates must know it, R2152-11).
PREPARATION = frozenset({StageCode.NEED, StageCode.SOURCING, StageCode.STRATEGY, StageCode.DOCUMENTS})
OFFER_STAGES = frozenset({StageCode.ANALYSIS, StageCode.NEGOTIATION})
# Rounds of negotiation are recorded only where the map has the stage (the procedure allows it).
NEGOTIATION = frozenset({StageCode.NEGOTIATION})
PROCEDURE_OPEN = frozenset({StageCode.NEED, StageCode.SOURCING, StageCode.STRATEGY})
AWARD = frozenset({StageCode.AWARD})
NOTIFICATION = frozenset({StageCode.NOTIFICATION})
DECISION_STAGES = frozenset({StageCode.ANALYSIS, StageCode.NEGOTIATION, StageCode.AWARD})


# The roles that manage projects, read from the role matrix: they decide on lots.
MANAGERS = frozenset(role for role, perms in ROLE_PERMISSIONS.items() if Perm.MANAGE_PROJECTS in perms)


def require_manager(actor) -> None:
    if actor is None or not access_for(actor).has(Perm.MANAGE_PROJECTS):
        raise PermissionDenied


def team_roles(actor) -> frozenset[Role]:
    access = access_for(actor)
    return frozenset(Role) if access.is_superuser else access.roles


def in_progress_problem(project: Project) -> str:
    return f"Le projet est {project.get_status_display().lower()} : il ne change plus."


def require_in_progress(project: Project) -> None:
    if project.status != ProjectStatus.IN_PROGRESS:
        raise ValidationError(in_progress_problem(project))


def stage_problems(project: Project, allowed: frozenset[str], what: str) -> list[str]:
    """Why this part of the project cannot change now (empty when it can): the one test behind the
    services' refusals and the page's buttons."""
    if project.status != ProjectStatus.IN_PROGRESS:
        return [in_progress_problem(project)]
    if project.stage.code not in allowed:
        labels = ", ".join(StageCode(code).label.lower() for code in StageCode if code in allowed)
        return [f"{what} se fait aux étapes : {labels} (le projet est à l'étape « {project.stage} »)."]
    return []


def require_stage(project: Project, allowed: frozenset[str], what: str) -> None:
    problems = stage_problems(project, allowed, what)
    if problems:
        raise ValidationError(problems)


def current(project_id: int) -> Project:
    """The project as stored now, locked for the rest of the transaction: a page's copy may be stale."""
    return Project.objects.select_for_update().select_related("stage").get(pk=project_id)
