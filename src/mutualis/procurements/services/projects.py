"""Writes on procurement projects: creation (by hand or from consolidated needs), changes, and moves
along the process map, each logged."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from mutualis.contracts.enums import Procedure
from mutualis.core.workflow import Move, Transition, Workflow
from mutualis.legal.procedure import MissingThreshold, estimate_procedure
from mutualis.needs.consolidation import consolidate
from mutualis.needs.models import NeedLine
from mutualis.needs.procedure import territory_buyer_kind
from mutualis.notifications.models import Kind
from mutualis.notifications.services import Message, notify, shorten
from mutualis.organisations.access import access_for
from mutualis.organisations.models import Entity
from mutualis.organisations.roles import Perm

from .. import rules
from ..models import Lot, ProcessMap, Project, ProjectStatus, StageCode, StageTransition, TransitionAction
from ..workflow import ABANDON_ROLES, stage_exit_problems, stage_roles
from .guards import PROCEDURE_OPEN, in_progress_problem, require_in_progress, require_manager, team_roles
from .stages import enter_stage, next_stage, previous_stage, stages_for


def quarter_start(quarter: str) -> date | None:
    """'2027-T2' → 1 April 2027."""
    try:
        year, q = quarter.split("-T")
        return date(int(year), 3 * int(q) - 2, 1)
    except ValueError:
        return None


def _compute_procedure(project: Project, today: date) -> None:
    """The procedure the estimated value requires on the launch date (the needs' single computation)."""
    launch = project.launched_on or quarter_start(project.planned_launch_quarter) or today
    try:
        estimate = estimate_procedure(
            nature=project.family.nature,
            buyer_kind=territory_buyer_kind(),
            launch_date=launch,
            amount=project.estimated_value,
        )
    except MissingThreshold as error:
        raise ValidationError({"estimated_value": str(error)}) from error
    project.procedure = estimate.procedure
    project.procedure_explanation = estimate.explanation
    project.thresholds_version = estimate.thresholds["version"]


def _check_procedure_choice(project: Project, before: Project | None) -> None:
    errors = {}
    if (
        before
        and before.contract_procedure != project.contract_procedure
        and before.stage.code not in PROCEDURE_OPEN
    ):
        errors["contract_procedure"] = "La procédure ne change plus une fois la stratégie validée."
    if project.is_emergency:
        if not project.emergency_justification.strip():
            errors["emergency_justification"] = "Justifiez l'urgence impérieuse (R2122-1)."
        if project.contract_procedure != Procedure.NO_COMPETITION:
            errors["contract_procedure"] = (
                "L'urgence impérieuse se traite sans publicité ni mise en concurrence préalables (R2122-1)."
            )
    elif rules.needs_reason(project.procedure, project.contract_procedure) and not (
        project.procedure_override_reason.strip()
    ):
        errors["procedure_override_reason"] = (
            f"La valeur estimée impose : {project.get_procedure_display().lower()}. "
            "Écrivez le motif du choix d'une procédure moins exigeante."
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def project_save(
    *, actor, project: Project, entities=None, committee=None, today: date | None = None
) -> Project:
    """Create or change a project; the procedure is recomputed from its value and launch date.
    `committee`: the people who, beside the purchasing team, see the offers (evaluation committee)."""
    require_manager(actor)
    today = today or timezone.localdate()
    before = Project.objects.select_related("stage").get(pk=project.pk) if project.pk else None
    if before:
        require_in_progress(before)
    _compute_procedure(project, today)
    if not project.contract_procedure:
        project.contract_procedure = rules.DEFAULT_FOR_KIND[project.procedure]
    if project.is_emergency:
        project.contract_procedure = Procedure.NO_COMPETITION
    if project.purchasing_group_id:
        project.buyer_entity = project.purchasing_group.coordinator
    if before is None:
        project.process_map = ProcessMap.objects.current()
        if project.process_map is None:
            raise ValidationError("Aucune carte des processus n'est publiée.")
        project.created_by = project.created_by or actor
        enter_stage(project, stages_for(project)[0], today)
    _check_procedure_choice(project, before)
    _check_group_members(project, entities, today)
    project.full_clean(exclude=["entities"])
    project.save()
    if entities is not None:
        project.entities.set(entities)
    if committee is not None:
        _set_committee(project, committee)
    if before is None:
        Lot.objects.create(
            project=project, number=1, title=project.object[:300], estimated_value=project.estimated_value
        )
    return project


def _check_group_members(project: Project, entities, today: date) -> None:
    """A member takes part in a group's procedure only once it has signed the convention, by the
    project's date (its launch, else its notice, else today): the convention must be in force before the
    launch."""
    if not project.purchasing_group_id:
        return
    if entities is None:
        entities = project.entities.all() if project.pk else []
    group = project.purchasing_group
    day = project.launched_on or project.published_on or today
    signed = group.signed_member_ids(on=day)
    unsigned = sorted((str(e) for e in entities if e.pk not in signed), key=str.casefold)
    if unsigned:
        who = ", ".join(unsigned)
        verb = "n'a" if len(unsigned) == 1 else "n'ont"
        raise ValidationError(
            {
                "entities": f"{who} {verb} pas signé la convention du groupement "
                f"« {group} » au {date_format(day, 'j F Y')} ; enregistrez d'abord la signature."
            }
        )


def _set_committee(project: Project, committee) -> None:
    current = set(project.evaluation_committee.values_list("pk", flat=True))
    if any(not person.is_active and person.pk not in current for person in committee):
        raise ValidationError(
            {"evaluation_committee": "Seules des personnes actives peuvent y être nommées."}
        )
    project.evaluation_committee.set(committee)


def support_establishment() -> Entity | None:
    return Entity.objects.support_establishment()


@transaction.atomic
def project_from_needs(*, actor, campaign, family, group=None) -> Project:
    """Turn a family's consolidated needs into a project, with the procedure computed for its value.

    With `group`, the project is the groupement's: its coordinator buys for the members signed by the
    campaign's launch date, within the convention's families (consolidate(group=...))."""
    if not access_for(actor).has(Perm.MANAGE_CAMPAIGNS):
        raise PermissionDenied
    if Project.objects.filter(source_campaign=campaign, family=family, purchasing_group=group).exists():
        raise ValidationError("Un projet existe déjà pour cette famille dans cette campagne.")
    rows = [row for row in consolidate(campaign, group=group, only=family) if row.lines]  # one per buyer
    if len(rows) > 1:
        # Independent buyers each run their own procedure, or form a groupement (L2113-6): one project
        # for all would add up needs that no single buyer holds (R2121-1).
        raise ValidationError(
            "Les besoins validés de cette famille relèvent de plusieurs acheteurs : chacun mène sa propre "
            "consultation, ou ils forment un groupement de commandes."
        )
    if not rows:
        where = f" parmi les membres signataires du groupement « {group} »" if group else ""
        raise ValidationError(f"Aucun besoin validé dans cette famille{where}.")
    row = rows[0]
    launch = campaign.launch_date
    project = Project(
        object=f"{family.label} — besoins {campaign.year}",
        family=family,
        cpv=family.cpv_codes.order_by("code").first(),
        estimated_value=row.estimated_value,
        planned_launch_quarter=f"{launch.year}-T{(launch.month - 1) // 3 + 1}",
        source_campaign=campaign,
        purchasing_group=group,
        buyer=family.responsible_buyer,
        buyer_entity=None if group else row.buyer,  # a group's buyer is its coordinator
        duration_months=campaign.contract_duration_months,
    )
    lines = NeedLine.objects.filter(campaign=campaign, family=family).counted()
    if group is not None:
        lines = lines.filter(entity__in=group.signed_member_ids(on=launch))
    return project_save(
        actor=actor, project=project, entities=list(Entity.objects.filter(pk__in=lines.values("entity")))
    )


def _not_first_stage(project: Project) -> list[str]:
    return [] if previous_stage(project) else ["Le projet est à sa première étape."]


def _today(move: Move) -> date:
    return move.options.get("today") or timezone.localdate()


def _advance(project: Project, move: Move) -> None:
    target, today = next_stage(project), _today(move)
    _record_launch(project, today)
    if target is None:
        project.status, project.stage_due_on = ProjectStatus.CLOSED, None
    else:
        enter_stage(project, target, today)


def _send_back(project: Project, move: Move) -> None:
    enter_stage(project, previous_stage(project), _today(move))


def _log(project: Project, move: Move) -> StageTransition:
    return StageTransition.objects.create(
        project=project,
        action=move.transition.name,
        from_stage=move.before.stage,
        to_stage=project.stage if project.status == ProjectStatus.IN_PROGRESS else None,
        by=move.actor,
        comment=move.comment,
        was_late=move.before.is_late(_today(move)),
    )


def _tell_assignee(project: Project, move: Move) -> None:
    """The person in charge of the new stage learns it is theirs."""
    person = project.in_charge.person
    if project.status != ProjectStatus.IN_PROGRESS or person is None or person == move.actor:
        return
    due = f" avant le {project.stage_due_on:%d/%m/%Y}" if project.stage_due_on else ""
    notify(
        recipients=[person],
        message=Message(
            key=f"project-{project.pk}-stage-{project.stage_id}-{project.stage_entered_on:%Y%m%d}",
            subject=f"À vous : {project.stage.label} — {shorten(project.object)}",
            body=f"Le projet « {project.object} » est à l'étape « {project.stage.label} »{due}.",
            url=project.get_absolute_url(),
            kind=Kind.STAGE_ASSIGNED,
        ),
    )


PROJECT = Workflow(
    field="status",
    lock=lambda project: (
        Project.objects.select_for_update().select_related("stage", "process_map").get(pk=project.pk)
    ),
    roles_of=lambda actor, project: team_roles(actor),
    log=_log,
    refusal=lambda project, transition: in_progress_problem(project),
    transitions=(
        Transition(
            TransitionAction.ADVANCE,
            "Valider l'étape",
            sources={ProjectStatus.IN_PROGRESS},
            roles=stage_roles,
            preconditions=(stage_exit_problems,),
            perform=_advance,
            after=_tell_assignee,
        ),
        Transition(
            TransitionAction.SEND_BACK,
            "Renvoyer à l'étape précédente",
            sources={ProjectStatus.IN_PROGRESS},
            roles=stage_roles,
            guards=(_not_first_stage,),
            comment_required=True,
            perform=_send_back,
            after=_tell_assignee,
        ),
        Transition(
            TransitionAction.ABANDON,
            "Déclarer sans suite",
            sources={ProjectStatus.IN_PROGRESS},
            target=ProjectStatus.ABANDONED,
            roles=ABANDON_ROLES,
            comment_required=True,
            perform=lambda project, move: setattr(project, "stage_due_on", None),
        ),
    ),
)


def project_transition(*, actor, project: Project, action: str, comment: str = "", today=None) -> Project:
    """Move a project along its map (PROJECT), or refuse with the reasons; every move is logged.

    Returns the project, with the log row just written as `last_transition`.
    """
    move = PROJECT.apply(project, action, actor, comment=comment, today=today)
    move.record.last_transition = move.log_row
    return move.record


def _record_launch(project: Project, today: date) -> None:
    """A consultation is launched when its notice is sent; a purchase without competition when its need
    analysis is validated (the date that chooses the rules, DOMAIN.md §9.1)."""
    if project.launched_on:
        return
    if project.stage.code == StageCode.PUBLICATION:
        project.launched_on = project.published_on
    elif project.stage.code == StageCode.NEED and project.procedure_value == Procedure.NO_COMPETITION:
        project.launched_on = today
