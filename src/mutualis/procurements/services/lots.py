"""Writes on a project's lots, its criteria grid and the offers received."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from mutualis.contracts.prices import replace_lines
from mutualis.core.formats import weight
from mutualis.organisations.access import access_for
from mutualis.organisations.roles import Perm

from ..models import Criterion, Lot, LotStatus, NegotiationRound, Offer, OfferPriceLine, OfferScore
from .guards import (
    NEGOTIATION,
    OFFER_STAGES,
    PREPARATION,
    current,
    require_manager,
    require_stage,
    stage_problems,
)


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
def offer_price_lines_replace(*, actor, offer: Offer, lines) -> list[OfferPriceLine]:
    """Replace the price schedule an offer quotes, under the same guards as the offer itself: a
    manager, at the analysis or negotiation stage, while the lot is in consultation."""
    require_manager(actor)
    lot = Lot.objects.get(pk=offer.lot_id)
    require_stage(current(lot.project_id), OFFER_STAGES, "La saisie des offres")
    if lot.status != LotStatus.OPEN:
        raise ValidationError(f"{lot} est déjà {lot.get_status_display().lower()}.")
    return replace_lines("offer", offer, OfferPriceLine, lines, actor=actor)


def offer_price_lines_problems(actor, offer: Offer) -> list[str]:
    """Why the offer's price schedule cannot change now (empty when it can): the import page and its
    resource ask before reading a file; offer_price_lines_replace enforces the same under lock."""
    if not access_for(actor).has(Perm.MANAGE_PROJECTS):
        return ["Seule l'équipe qui conduit les consultations saisit les prix des offres."]
    lot = Lot.objects.select_related("project__stage").get(pk=offer.lot_id)
    problems = stage_problems(lot.project, OFFER_STAGES, "La saisie des offres")
    if not problems and lot.status != LotStatus.OPEN:
        problems = [f"{lot} est déjà {lot.get_status_display().lower()}."]
    return problems


@transaction.atomic
def offer_delete(*, actor, offer: Offer) -> None:
    require_manager(actor)
    offer.lot = Lot.objects.get(pk=offer.lot_id)
    require_stage(current(offer.lot.project_id), OFFER_STAGES, "La saisie des offres")
    if offer.lot.status != LotStatus.OPEN:
        raise ValidationError(f"{offer.lot} est déjà {offer.lot.get_status_display().lower()}.")
    offer.delete()


@transaction.atomic
def offer_negotiate(
    *, actor, offer: Offer, new_price: Decimal, held_on: date, notes: str = "", today: date | None = None
) -> NegotiationRound:
    """Record a round of negotiation on an offer and give the offer its negotiated price.

    The round keeps the price before and after, so the part of a gain obtained by negotiation is measured
    from the prices. The offer is saved from the caller's copy: if it changed since it was read, the
    optimistic lock refuses the save and the round is not recorded either."""
    require_manager(actor)
    lot = Lot.objects.get(pk=offer.lot_id)
    require_stage(current(lot.project_id), NEGOTIATION, "La négociation des offres")
    if lot.status != LotStatus.OPEN:
        raise ValidationError(f"{lot} est déjà {lot.get_status_display().lower()}.")
    today = today or timezone.localdate()
    # Rounds are numbered under the project's lock (current): two rounds cannot take the same number.
    previous = offer.negotiation_rounds.order_by("-number").first()
    errors = {}
    if new_price is None:
        errors["new_price"] = "Indiquez le nouveau prix HT après négociation."
    elif new_price <= 0:
        errors["new_price"] = "Le nouveau prix HT doit être supérieur à zéro."
    if held_on is None:
        errors["held_on"] = "Indiquez la date du tour de négociation."
    elif held_on > today:
        errors["held_on"] = "La date du tour ne peut pas être dans le futur."
    elif offer.received_on and held_on < offer.received_on:
        errors["held_on"] = (
            f"La date du tour ne peut pas précéder la réception de l'offre (le {offer.received_on:%d/%m/%Y})."
        )
    elif previous is not None and held_on < previous.held_on:
        errors["held_on"] = (
            f"La date du tour ne peut pas précéder celle du tour n° {previous.number} "
            f"(le {previous.held_on:%d/%m/%Y})."
        )
    if errors:
        raise ValidationError(errors)
    negotiation = NegotiationRound(
        offer=offer,
        number=(previous.number if previous else 0) + 1,
        price_before=offer.price,
        price_after=new_price,
        held_on=held_on,
        by=actor,
        notes=notes,
    )
    try:
        negotiation.full_clean(exclude=["offer", "by"])
    except ValidationError as error:  # the model names the price « price_after »: the caller typed new_price
        fields = error.message_dict
        raise ValidationError(
            {("new_price" if name == "price_after" else name): messages for name, messages in fields.items()}
        ) from error
    offer.price = new_price
    offer.save()
    negotiation.save()
    return negotiation
