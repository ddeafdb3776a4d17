"""Who may write on a project, and at which stages each part may change."""

from django.core.exceptions import PermissionDenied, ValidationError

from mutualis.organisations.access import access_for
from mutualis.organisations.roles import Perm, Role

from ..models import Project, ProjectStatus, StageCode

# Lots and the criteria grid are set while the consultation is prepared; the grid is frozen once the
# consultation is published (the candidates must know it, R2152-11).
PREPARATION = frozenset({StageCode.NEED, StageCode.SOURCING, StageCode.STRATEGY, StageCode.DOCUMENTS})
OFFER_STAGES = frozenset({StageCode.ANALYSIS, StageCode.NEGOTIATION})
PROCEDURE_OPEN = frozenset({StageCode.NEED, StageCode.SOURCING, StageCode.STRATEGY})
AWARD = frozenset({StageCode.AWARD})
NOTIFICATION = frozenset({StageCode.NOTIFICATION})
DECISION_STAGES = frozenset({StageCode.ANALYSIS, StageCode.NEGOTIATION, StageCode.AWARD})


def require_manager(actor) -> None:
    if actor is None or not access_for(actor).has(Perm.MANAGE_PROJECTS):
        raise PermissionDenied


def team_roles(actor) -> frozenset[Role]:
    access = access_for(actor)
    return frozenset(Role) if access.is_superuser else access.roles


def require_in_progress(project: Project) -> None:
    if project.status != ProjectStatus.IN_PROGRESS:
        raise ValidationError(f"Le projet est {project.get_status_display().lower()} : il ne change plus.")


def require_stage(project: Project, allowed: frozenset[str], what: str) -> None:
    require_in_progress(project)
    if project.stage.code not in allowed:
        labels = ", ".join(StageCode(code).label.lower() for code in StageCode if code in allowed)
        raise ValidationError(
            f"{what} se fait aux étapes : {labels} (le projet est à l'étape « {project.stage} »)."
        )


def current(project_id: int) -> Project:
    """The project as stored now, locked for the rest of the transaction: a page's copy may be stale."""
    return Project.objects.select_for_update().select_related("stage").get(pk=project_id)
