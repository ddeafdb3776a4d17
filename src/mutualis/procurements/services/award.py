"""Awarding a lot puts its contract in the registry, filled from the project; notifying it makes the
contract usable by the entities concerned."""

from datetime import date

from django.core.exceptions import ValidationError

from mutualis.contracts import enums
from mutualis.contracts.models import Contract, PriceLine
from mutualis.contracts.prices import replace_lines
from mutualis.contracts.services import HolderInput, contract_refresh_schedule, contract_save
from mutualis.core.workflow import Move, Transition, Workflow
from mutualis.notifications.models import Kind
from mutualis.notifications.services import Message, notify, shorten
from mutualis.organisations.models import Entity, User
from mutualis.organisations.roles import Role

from .. import rules, signals
from ..analysis import lot_analysis
from ..models import CriterionKind, Lot, LotAction, LotStatus, LotTransition, Offer, Project
from .guards import AWARD, DECISION_STAGES, MANAGERS, NOTIFICATION, current, stage_problems, team_roles


def lot_award(
    *,
    actor,
    lot: Lot,
    offer: Offer,
    awarded_on: date,
    rejections_sent_on: date | None = None,
    rejections_sent_electronically: bool = True,
    execution_place_code: str = "",
    execution_place_type: str = enums.PlaceCodeType.COMMUNE,
) -> Contract:
    """Award a lot to its best-ranked offer and create the contract in the registry (LOT workflow)."""
    return LOT.apply(
        lot,
        LotAction.AWARD,
        actor,
        offer=offer,
        awarded_on=awarded_on,
        rejections_sent_on=rejections_sent_on,
        rejections_sent_electronically=rejections_sent_electronically,
        execution_place_code=execution_place_code,
        execution_place_type=execution_place_type,
    ).result


def _award(lot: Lot, move: Move) -> Contract:
    offer, awarded_on = move.options["offer"], move.options["awarded_on"]
    rejections_sent_on = move.options["rejections_sent_on"]
    if offer.lot_id != lot.pk or not offer.is_regular:
        raise ValidationError("Seule une offre régulière d'un lot en consultation peut être retenue.")
    analysis = lot_analysis(lot)
    best = analysis.best
    if best is not None and best.offer.pk != offer.pk:
        raise ValidationError({"offer": f"L'offre la mieux classée est celle de {best.offer.supplier}."})
    competitors = sum(1 for r in analysis.offers if r.offer.is_regular and r.offer.pk != offer.pk)
    if competitors and rejections_sent_on is None:
        raise ValidationError({"rejections_sent_on": "Indiquez la date d'envoi des lettres de rejet."})
    if rejections_sent_on and rejections_sent_on < awarded_on:
        raise ValidationError({"rejections_sent_on": "Les rejets suivent la décision d'attribution."})
    contract = _contract_for(lot, offer, offers_received=len(analysis.offers))
    _set_execution_place(
        contract, lot, move.options.get("execution_place_code", ""), move.options.get("execution_place_type")
    )
    contract = contract_save(
        actor=move.actor,
        contract=contract,
        holders=[HolderInput(supplier=offer.supplier)],
        available_to=Entity.objects.filter(pk__in=lot.project.concerned_entity_ids()),
    )
    # One-way hand-off: the contract starts with the prices the winner quoted, line for line; later
    # changes to the contract's schedule (amendments, revisions) never flow back to the offer.
    replace_lines("contract", contract, PriceLine, offer.price_lines.all(), actor=move.actor)
    lot.awarded_offer, lot.awarded_on, lot.contract = offer, awarded_on, contract
    lot.rejections_sent_on = rejections_sent_on
    lot.rejections_sent_electronically = move.options["rejections_sent_electronically"]
    lot.full_clean()
    return contract


def _set_execution_place(contract: Contract, lot: Lot, code: str, code_type: str) -> None:
    """DECP 2.0.3 requires the place of execution; by default the buyer's commune (INSEE code)."""
    code, code_type = (code or "").strip(), code_type or enums.PlaceCodeType.COMMUNE
    if not code and code_type == enums.PlaceCodeType.COMMUNE:
        code = contract.buyer.insee_code
    if not code:
        why = (
            f"l'acheteur {contract.buyer} n'a pas de code commune INSEE"
            if code_type == enums.PlaceCodeType.COMMUNE
            else f"aucun code pour le type « {code_type} »"
        )
        message = f"{lot} : indiquez le lieu d'exécution (code), exigé par les données essentielles ; {why}."
        raise ValidationError({"execution_place_code": message})
    contract.execution_place_code, contract.execution_place_type = code, code_type


def _awarded(lot: Lot, move: Move) -> None:
    signals.lot_awarded.send(sender=Lot, lot=lot, actor=move.actor)
    supplier = lot.awarded_offer.supplier
    _tell_entities(
        lot, "attribue", f"{lot} attribué à {supplier}", "Le contrat sera utilisable une fois notifié."
    )


def _considerations(project, kind: str, condition: bool, clause, criterion, none) -> list[str]:
    values = ([clause] if condition else []) + (
        [criterion] if project.criteria.filter(kind=kind).exists() else []
    )
    return values or [none]


def _contract_for(lot: Lot, offer: Offer, offers_received: int) -> Contract:
    project = lot.project
    cpv = lot.cpv or project.cpv or project.family.cpv_codes.order_by("code").first()
    if cpv is None:
        raise ValidationError({"cpv": f"{lot} : indiquez un code CPV (sur le lot ou le projet)."})
    framework = project.is_framework
    env, social = enums.EnvironmentalConsideration, enums.SocialConsideration
    return Contract(
        reference=f"{project.reference}-L{lot.number}",
        buyer=project.buyer_entity,
        purchasing_group=project.purchasing_group,
        object=f"{project.object} — {lot.title}" if project.lots.count() > 1 else project.object,
        techniques=[enums.Technique.FRAMEWORK] if framework else [enums.Technique.NONE],
        execution_modes=[enums.ExecutionMode.PURCHASE_ORDERS] if framework else [enums.ExecutionMode.NONE],
        cpv=cpv,
        family=project.family,
        procedure=project.procedure_value,
        ccag=project.ccag,
        offers_received=offers_received,
        price_types=project.price_types or [enums.PriceType.FIRM],
        price_form=project.price_form,
        # A framework agreement's amount is its maximum: the lot's value as announced.
        amount=max(lot.estimated_value, offer.price) if framework else offer.price,
        firm_duration_months=project.duration_months,
        renewal_count=project.renewal_count,
        renewal_period_months=project.renewal_period_months,
        social_considerations=_considerations(
            project,
            CriterionKind.SOCIAL,
            project.social_condition,
            social.CLAUSE,
            social.CRITERION,
            social.NONE,
        ),
        environmental_considerations=_considerations(
            project,
            CriterionKind.ENVIRONMENTAL,
            project.environmental_condition,
            env.CLAUSE,
            env.CRITERION,
            env.NONE,
        ),
        manager=project.buyer,
        notes=f"Issu du projet d'achat {project.reference}.",
    )


def lot_declare_unsuccessful(*, actor, lot: Lot, reason: str) -> Lot:
    """No offer can be retained (or the lot is dropped): the lot ends without a contract."""
    return LOT.apply(lot, LotAction.DECLARE_UNSUCCESSFUL, actor, comment=reason).record


def _unsuccessful(lot: Lot, move: Move) -> None:
    if not move.comment.strip():
        raise ValidationError({"unsuccessful_reason": "Indiquez le motif."})
    lot.unsuccessful_reason = move.comment


def earliest_signature(project: Project, lot: Lot, regular_offers: int) -> date | None:
    """The end of the standstill period (R2182-1) for an awarded lot; None when it does not apply."""
    if lot.status != LotStatus.AWARDED or lot.awarded_on is None:
        return None
    if not rules.standstill_applies(project.procedure_value, regular_offers):
        return None
    return rules.earliest_signature(
        lot.rejections_sent_on or lot.awarded_on,
        electronic=lot.rejections_sent_electronically,
        rules=rules.rules_for(project),
    )


def lot_notify(*, actor, lot: Lot, signed_on: date, notified_on: date) -> Contract:
    """Record signature and notification, after the standstill period when it applies (R2182-1)."""
    return LOT.apply(lot, LotAction.NOTIFY, actor, signed_on=signed_on, notified_on=notified_on).result


def _notify(lot: Lot, move: Move) -> Contract:
    signed_on, notified_on = move.options["signed_on"], move.options["notified_on"]
    earliest = earliest_signature(lot.project, lot, lot.offers.filter(is_regular=True).count())
    if earliest and signed_on < earliest:
        message = f"Délai de suspension (R2182-1) : signature possible à partir du {earliest:%d/%m/%Y}."
        raise ValidationError({"signed_on": message})
    if signed_on < lot.awarded_on:
        raise ValidationError({"signed_on": "La signature suit l'attribution."})
    if notified_on < signed_on:
        raise ValidationError({"notified_on": "La notification suit la signature."})
    lot.signed_on, lot.notified_on = signed_on, notified_on
    contract = lot.contract
    contract.notification_date = notified_on
    contract.save()
    contract_refresh_schedule(contract)
    return contract


def _notified(lot: Lot, move: Move) -> None:
    signals.lot_notified.send(sender=Lot, lot=lot, actor=move.actor)
    _tell_entities(
        lot,
        "notifie",
        f"Nouveau contrat utilisable : {shorten(lot.contract.object)}",
        "Il est notifié et utilisable.",
    )


def _tell_entities(lot: Lot, event: str, subject: str, detail: str) -> None:
    """The entities' referents and correspondents learn about a contract they will use."""
    project = lot.project
    people = User.objects.filter(
        is_active=True,
        memberships__entity__in=project.concerned_entity_ids(),
        memberships__role__in=[Role.REFERENT, Role.FAMILY_CORRESPONDENT],
    ).distinct()
    contract = lot.contract
    notify(
        recipients=[*people, project.buyer],
        message=Message(
            key=f"lot-{lot.pk}-{event}",
            subject=subject,
            body=f"{contract.object} ({contract.reference}). {detail}",
            url=contract.get_absolute_url(),
            kind=Kind.CONTRACT_AVAILABLE,
        ),
    )


# ---------------------------------------------------------------------------------------------------
# The lots' workflow: decisions taken at the stage the law puts them, by the team that manages projects.


def _lock(lot: Lot) -> Lot:
    locked = Lot.objects.select_for_update().get(pk=lot.pk)
    locked.project = current(locked.project_id)
    return locked


def _at(stages: frozenset[str], what: str):
    return lambda lot: stage_problems(lot.project, stages, what)


def _has_regular_offer(lot: Lot) -> list[str]:
    if lot.offers.filter(is_regular=True).exists():
        return []
    return [f"{lot} : aucune offre régulière à retenir."]


def _not_notified(lot: Lot) -> list[str]:
    return [f"{lot} est déjà notifié."] if lot.notified_on else []


def _log(lot: Lot, move: Move) -> LotTransition:
    return LotTransition.objects.create(
        lot=lot,
        action=move.transition.name,
        from_status=move.before.status,
        to_status=lot.status,
        by=move.actor,
        comment=move.comment,
    )


LOT = Workflow(
    field="status",
    lock=_lock,
    roles_of=lambda actor, lot: team_roles(actor),
    log=_log,
    refusal=lambda lot, transition: (
        f"{lot} est {lot.get_status_display().lower()} : « {transition.label.lower()} » n'est pas possible."
    ),
    transitions=(
        Transition(
            LotAction.AWARD,
            "Attribuer",
            sources={LotStatus.OPEN},
            target=LotStatus.AWARDED,
            roles=MANAGERS,
            guards=(_at(AWARD, "L'attribution"), _has_regular_offer),
            perform=_award,
            after=_awarded,
        ),
        Transition(
            LotAction.DECLARE_UNSUCCESSFUL,
            "Déclarer infructueux",
            sources={LotStatus.OPEN},
            target=LotStatus.UNSUCCESSFUL,
            roles=MANAGERS,
            guards=(_at(DECISION_STAGES, "Déclarer un lot infructueux"),),
            perform=_unsuccessful,
        ),
        Transition(
            LotAction.NOTIFY,
            "Signature et notification",
            sources={LotStatus.AWARDED},
            roles=MANAGERS,
            guards=(_at(NOTIFICATION, "La notification"), _not_notified),
            perform=_notify,
            after=_notified,
        ),
    ),
)
