"""An incident's follow-up, on the one workflow mechanism: the purchasing team takes it in charge and
closes it with the outcome (what was done: penalties, replacement, credit note…); a closed incident may
be reopened by the team, with the reason."""

from django.utils import timezone

from mutualis.core.workflow import Move, Transition, Workflow, transition_log
from mutualis.organisations.access import access_for
from mutualis.organisations.roles import ROLE_PERMISSIONS, TERRITORY_WIDE_ROLES, Perm, Role

from .models import Incident, IncidentStatus, IncidentTransition

# Those who handle incidents: roles of the whole territory (buyers, legal officers, administrators).
MANAGERS = frozenset(role for role, perms in ROLE_PERMISSIONS.items() if Perm.MANAGE_INCIDENTS in perms)
OPEN = frozenset({IncidentStatus.DECLARED, IncidentStatus.HANDLING})


def roles_on(actor, incident: Incident) -> frozenset:
    """The managers' roles are territory-wide ones: an entity role never moves an incident."""
    access = access_for(actor)
    return frozenset(set(Role) if access.is_superuser else access.roles & TERRITORY_WIDE_ROLES)


def _handle(incident: Incident, move: Move) -> None:
    incident.handled_by = move.actor


def _close(incident: Incident, move: Move) -> None:
    # The closing comment is the incident's outcome: what was done about it.
    incident.outcome = move.comment.strip()
    incident.closed_on = timezone.localdate()
    if incident.handled_by_id is None:
        incident.handled_by = move.actor


def _reopen(incident: Incident, move: Move) -> None:
    # The previous outcome stays readable in the log; closing again writes the new one.
    incident.closed_on = None


INCIDENT = Workflow(
    field="status",
    lock=lambda incident: Incident.objects.select_for_update().get(pk=incident.pk),
    roles_of=roles_on,
    log=transition_log(IncidentTransition, "incident"),
    refusal=lambda incident, transition: (
        f"L'incident n° {incident.pk} est {incident.get_status_display().lower()} : "
        f"« {transition.label.lower()} » n'est pas possible."
    ),
    transitions=(
        Transition(
            "handle",
            "Prendre en charge",
            sources={IncidentStatus.DECLARED},
            target=IncidentStatus.HANDLING,
            roles=MANAGERS,
            perform=_handle,
        ),
        Transition(
            "close",
            "Clore l'incident",
            sources=OPEN,
            target=IncidentStatus.CLOSED,
            roles=MANAGERS,
            comment_required=True,
            comment_hint="Dites la suite donnée (pénalités, remplacement, avoir, mise en demeure…) : "
            "ce sera la conclusion de l'incident.",
            perform=_close,
        ),
        # Reopening: a closed incident comes back (the fault recurred, the credit note never came…).
        Transition(
            "reopen",
            "Rouvrir",
            sources={IncidentStatus.CLOSED},
            target=IncidentStatus.HANDLING,
            roles=MANAGERS,
            comment_required=True,
            comment_hint="Dites pourquoi l'incident est rouvert.",
            perform=_reopen,
        ),
    ),
)
