"""Writes on a project's lots, its criteria grid and the offers received."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from mutualis.core.formats import weight

from ..models import Criterion, Lot, LotStatus, Offer, OfferScore
from .guards import OFFER_STAGES, PREPARATION, current, require_manager, require_stage


@transaction.atomic
def lot_save(*, actor, lot: Lot) -> Lot:
    """Add or change a lot while the consultation is prepared."""
    require_manager(actor)
    require_stage(current(lot.project_id), PREPARATION, "La définition des lots")
    if lot.number is None:
        last = lot.project.lots.order_by("-number").values_list("number", flat=True).first()
        lot.number = (last or 0) + 1
    lot.full_clean()
    lot.save()
    return lot


@transaction.atomic
def lot_delete(*, actor, lot: Lot) -> None:
    require_manager(actor)
    require_stage(current(lot.project_id), PREPARATION, "La suppression d'un lot")
    if lot.project.lots.count() == 1:
        raise ValidationError("Un projet garde au moins un lot.")
    lot.delete()


@transaction.atomic
def criterion_save(*, actor, criterion: Criterion) -> Criterion:
    """Declare or change an award criterion; the grid is frozen once the consultation is published."""
    require_manager(actor)
    require_stage(current(criterion.project_id), PREPARATION, "La grille de critères")
    others = criterion.project.criteria.exclude(pk=criterion.pk)
    total = sum((c.weight for c in others), Decimal(0)) + (criterion.weight or 0)
    if total > 100:
        raise ValidationError(
            {"weight": f"Les pondérations totaliseraient {weight(total)} % : 100 % au plus."}
        )
    if criterion.is_price and others.filter(kind=criterion.kind).exists():
        raise ValidationError({"kind": "La grille a déjà un critère de prix."})
    criterion.full_clean()
    criterion.save()
    return criterion


@transaction.atomic
def criterion_delete(*, actor, criterion: Criterion) -> None:
    require_manager(actor)
    require_stage(current(criterion.project_id), PREPARATION, "La grille de critères")
    criterion.delete()


@transaction.atomic
def offer_save(*, actor, offer: Offer, scores: dict[int, Decimal | None]) -> Offer:
    """Record an offer and its scores on the criteria other than price (out of 10)."""
    require_manager(actor)
    offer.lot = Lot.objects.get(pk=offer.lot_id)
    require_stage(current(offer.lot.project_id), OFFER_STAGES, "La saisie des offres")
    if offer.lot.status != LotStatus.OPEN:
        raise ValidationError(f"{offer.lot} est déjà {offer.lot.get_status_display().lower()}.")
    criteria = {c.pk: c for c in offer.lot.project.criteria.all()}
    unknown = set(scores) - {pk for pk, c in criteria.items() if not c.is_price}
    if unknown:
        raise ValidationError("Note donnée sur un critère qui n'est pas dans la grille.")
    offer.full_clean()
    offer.save()
    for criterion_id, value in scores.items():
        if value is None:
            OfferScore.objects.filter(offer=offer, criterion_id=criterion_id).delete()
            continue
        score = OfferScore(offer=offer, criterion=criteria[criterion_id], score=value)
        try:
            score.clean_fields(exclude=["offer", "criterion"])
        except ValidationError as error:
            raise ValidationError({f"score_{criterion_id}": error.messages}) from error
        OfferScore.objects.update_or_create(offer=offer, criterion_id=criterion_id, defaults={"score": value})
    return offer


@transaction.atomic
def offer_delete(*, actor, offer: Offer) -> None:
    require_manager(actor)
    offer.lot = Lot.objects.get(pk=offer.lot_id)
    require_stage(current(offer.lot.project_id), OFFER_STAGES, "La saisie des offres")
    if offer.lot.status != LotStatus.OPEN:
        raise ValidationError(f"{offer.lot} est déjà {offer.lot.get_status_display().lower()}.")
    offer.delete()
