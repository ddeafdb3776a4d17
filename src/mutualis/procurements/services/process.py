"""Versions of the process map: administrators copy the current version into a draft, adjust its
stages, then publish it; projects already running keep their version."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from mutualis.contracts.enums import Procedure
from mutualis.organisations.access import access_for
from mutualis.organisations.roles import Perm

from ..models import ProcessMap, Stage, StageCode

# Without these stages no lot could be awarded into the registry.
REQUIRED = (StageCode.NEED, StageCode.AWARD, StageCode.NOTIFICATION)
# The order the stages' rules assume (a lot is awarded before it is notified…); sourcing and strategy
# may swap, both before the tender documents.
RULE_ORDER = {
    StageCode.NEED: 0,
    StageCode.SOURCING: 1,
    StageCode.STRATEGY: 1,
    StageCode.DOCUMENTS: 2,
    StageCode.PUBLICATION: 3,
    StageCode.ANALYSIS: 4,
    StageCode.NEGOTIATION: 5,
    StageCode.AWARD: 6,
    StageCode.NOTIFICATION: 7,
    StageCode.EXECUTION: 8,
}


def _require_admin(actor) -> None:
    if not access_for(actor).has(Perm.CONFIGURE_TERRITORY):
        raise PermissionDenied


@transaction.atomic
def process_map_draft(*, actor, source: ProcessMap) -> ProcessMap:
    """A new, unpublished version with the stages of `source`, ready to be adjusted."""
    _require_admin(actor)
    number = (ProcessMap.objects.aggregate(last=Max("version"))["last"] or 0) + 1
    draft = ProcessMap.objects.create(version=number, label=source.label)
    bulk_create_with_history(
        [
            Stage(
                process_map=draft,
                code=s.code,
                label=s.label,
                position=s.position,
                responsible_role=s.responsible_role,
                expected_days=s.expected_days,
                procedures=list(s.procedures),
                description=s.description,
            )
            for s in source.stages.all()
        ],
        Stage,
        default_user=actor,
    )
    return draft


@transaction.atomic
def stage_save(*, actor, stage: Stage) -> Stage:
    _require_admin(actor)
    if stage.process_map.is_frozen:
        raise ValidationError("Cette version est publiée : créez une nouvelle version pour la modifier.")
    stage.full_clean()
    stage.save()
    return stage


@transaction.atomic
def process_map_stages_save(*, actor, draft: ProcessMap, stages: list[Stage]) -> list[Stage]:
    """Save a draft's stages together (their order may change: positions are swapped safely)."""
    _require_admin(actor)
    draft = ProcessMap.objects.select_for_update().get(pk=draft.pk)
    if draft.is_frozen:
        raise ValidationError("Cette version est publiée : créez une nouvelle version pour la modifier.")
    if len({s.position for s in stages}) != len(stages):
        raise ValidationError("Deux étapes ont le même rang.")
    for stage in stages:
        if stage.process_map_id != draft.pk:
            raise ValidationError("Étape d'une autre version.")
        stage.full_clean(exclude=["process_map", "position"])
    # Positions are unique per map: move them out of the way before writing the new order.
    Stage.objects.filter(pk__in=[s.pk for s in stages]).update(position=F("position") + 1000)
    for stage in stages:
        stage.save()
    return stages


@transaction.atomic
def process_map_publish(*, actor, draft: ProcessMap) -> ProcessMap:
    """Publish a draft once every procedure goes from the need to the notification."""
    _require_admin(actor)
    if draft.is_frozen:
        raise ValidationError("Cette version est déjà publiée.")
    stages = list(draft.stages.order_by("position"))
    ranks = [RULE_ORDER[s.code] for s in stages]
    problems = [] if ranks == sorted(ranks) else [_order_problem()]
    for procedure in Procedure:
        codes = {s.code for s in stages if s.applies_to(procedure)}
        missing = [StageCode(c).label for c in REQUIRED if c not in codes]
        if missing:
            problems.append(f"{procedure.label} : il manque {', '.join(missing)}.")
    if problems:
        raise ValidationError(problems)
    draft.published_at = timezone.now()
    draft.save(update_fields=["published_at", "updated_at"])
    return draft


def _order_problem() -> str:
    order = " → ".join(StageCode(code).label.lower() for code in RULE_ORDER if code != StageCode.STRATEGY)
    return f"Les étapes doivent garder cet ordre (stratégie et sourcing peuvent s'échanger) : {order}."
