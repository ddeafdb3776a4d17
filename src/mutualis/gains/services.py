"""Writes on gains and on the action plan: the gain proposed at award, saved, declared, validated or
returned (GAIN workflow, logged), and the plan's actions. Every figure goes through the method."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from mutualis.organisations.access import access_for
from mutualis.organisations.roles import Perm
from mutualis.organisations.vocabulary import current_words

from .method import GainKind
from .models import Gain, GainOrigin, GainStage, GainTarget, Lever, PlanAction, ReferenceSource
from .workflow import EDITABLE, GAIN

MONTHS_IN_YEAR = Decimal(12)


def _require(actor, perm: Perm) -> None:
    if actor is not None and not access_for(actor).has(perm):
        raise PermissionDenied


def _months(firm: int, renewals: int, period: int) -> Decimal:
    """The whole possible duration of a contract, in months (at least one)."""
    return Decimal(max(1, (firm or 0) + (renewals or 0) * (period or 0)))


def _per_year(amount: Decimal, months: Decimal) -> Decimal:
    return amount * MONTHS_IN_YEAR / months


def _line_key(line) -> str:
    """Lines of two schedules are the same item by their code, or else by their designation."""
    return (line.item_code or line.label).strip().casefold()


def schedule_situations(offer, replaced) -> tuple[Decimal, Decimal] | None:
    """SR and SN per year from price schedules, at iso quantities (the PHARE method): the winning
    offer's annual quantities priced at the replaced contract's unit prices, then at the new ones.
    None unless every line of the offer has its annual quantity and its item in the old schedule."""
    new_lines = list(offer.price_lines.all())
    old_prices = {_line_key(line): line.unit_price for line in replaced.price_lines.all()}
    if not new_lines or any(line.annual_quantity is None for line in new_lines):
        return None
    if any(_line_key(line) not in old_prices for line in new_lines):
        return None
    reference = sum((old_prices[_line_key(line)] * line.annual_quantity for line in new_lines), Decimal(0))
    new = sum((line.unit_price * line.annual_quantity for line in new_lines), Decimal(0))
    return reference, new


def gain_proposal_for_lot(lot) -> Gain:
    """The gain Mutualis proposes for an awarded lot, from what it knows; not saved.

    - The project replaces a contract whose price schedule holds every item of the winning offer's
      (with its annual quantities): SR and SN from the two schedules at the same quantities.
    - Otherwise, a replaced contract: a recurring gain, its amount per year against the winning
      offer's per year (one « forfait annuel »).
    - A new need: the mean of the regular offers received is the reference (one-off when the contract lasts a
      year or less, recurring per year otherwise).
    - The winning offer was negotiated: its price before the first round is kept, so the part of the
      gain the negotiation obtained is measured; « négociation » is the lever of a new need.
    The buyer completes it (quantities, unit prices of a price schedule) before declaring it."""
    project, offer = lot.project, lot.awarded_offer
    # The offers' mean stands for the market's price: an offer rejected as irregular, unacceptable or
    # abnormally low (R2152-3) is not a price anyone could buy at, so it does not enter the mean.
    regular = lot.offers.filter(is_regular=True)
    months = _months(project.duration_months, project.renewal_count, project.renewal_period_months)
    recurring = months > MONTHS_IN_YEAR or project.replaces_id is not None
    # What turns an offer's price (for the whole contract) into the gain's unit price: its share per year.
    share = MONTHS_IN_YEAR / months if recurring else Decimal(1)
    gain = Gain(
        origin=GainOrigin.AWARD,
        lot=lot,
        contract=lot.contract,
        label=lot.contract.object if lot.contract_id else f"{project.object} — {lot}",
        entity=project.buyer_entity,
        family=project.family,
        buyer=project.buyer,
        kind=GainKind.RECURRING if recurring else GainKind.ONE_OFF,
        quantity=Decimal(1),
        unit="forfait annuel" if recurring else "forfait",
        new_unit_price=offer.price * share,
        offers=[
            f"{price * share:.4f}" for price in regular.order_by("price").values_list("price", flat=True)
        ],
        notification_date=lot.notified_on or lot.awarded_on,
        stage=GainStage.SECURED if lot.notified_on else GainStage.TARGETED,
    )
    replaced = project.replaces
    if replaced is not None:
        replaced_months = _months(
            replaced.firm_duration_months, replaced.renewal_count, replaced.renewal_period_months
        )
        gain.reference_source = ReferenceSource.PREVIOUS_CONTRACT
        gain.reference_unit_price = _per_year(replaced.amount, replaced_months).quantize(Decimal("0.0001"))
        gain.lever = Lever.PRICE
    else:
        gain.reference_source = ReferenceSource.OFFERS_MEAN
        gain.lever = Lever.SPECIFICATION
    situations = schedule_situations(offer, replaced) if replaced is not None else None
    if situations is not None:
        gain.reference_source = ReferenceSource.PRICE_SCHEDULE
        gain.reference_unit_price = situations[0].quantize(Decimal("0.0001"))
        gain.new_unit_price = situations[1]
        gain.unit = "bordereau, quantités annuelles"
        gain.kind = GainKind.RECURRING
        # The schedule's year replaces the offer's total as the basis (a negotiated price scales with it).
        share = situations[1] / offer.price
    first_round = offer.negotiation_rounds.order_by("number").first()
    if first_round is not None:
        gain.price_before_negotiation = (first_round.price_before * share).quantize(Decimal("0.0001"))
        if replaced is None:
            gain.lever = Lever.NEGOTIATION
    gain.new_unit_price = gain.new_unit_price.quantize(Decimal("0.0001"))
    return gain


@transaction.atomic
def gain_propose_for_lot(*, lot, actor=None) -> Gain:
    """Create (or refresh while still editable) the proposed gain of an awarded lot."""
    existing = Gain.objects.filter(lot=lot).first()
    if existing is not None and existing.status not in EDITABLE:
        return existing
    proposal = gain_proposal_for_lot(lot)
    if existing is not None:
        proposal.pk, proposal.version, proposal.status = existing.pk, existing.version, existing.status
        proposal.created_at = existing.created_at
        proposal._state.adding = False
    proposal.recompute()
    proposal.full_clean()
    proposal.save()
    return proposal


@transaction.atomic
def gain_notified(*, lot, actor=None) -> None:
    """The lot is notified: its gain is secured and, while the buyer has not declared it, spread from
    the real notification date. A declared or validated figure is not changed behind the controller's
    back: the buyer corrects the date after a return."""
    gain = Gain.objects.filter(lot=lot).first()
    if gain is None:
        return
    if gain.stage in (GainStage.IDENTIFIED, GainStage.TARGETED):
        gain.stage = GainStage.SECURED
    if gain.status in EDITABLE:
        gain.notification_date = lot.notified_on
        gain.recompute()
    gain.save()


def can_edit(actor, gain: Gain) -> bool:
    return gain.status in EDITABLE and access_for(actor).has(Perm.DECLARE_GAINS)


@transaction.atomic
def gain_save(*, actor, gain: Gain) -> Gain:
    """Create or change a gain while it is proposed or returned; its figures are recomputed."""
    _require(actor, Perm.DECLARE_GAINS)
    if gain.pk:
        stored = Gain.objects.get(pk=gain.pk)
        if stored.status not in EDITABLE:
            raise ValidationError(
                f"Le gain est {stored.get_status_display().lower()} : il ne change plus "
                "(le contrôle de gestion peut le renvoyer pour correction)."
            )
    if gain.kind != GainKind.INVESTMENT:
        gain.amortisation_years = None
    gain.recompute()
    gain.full_clean()
    gain.save()
    return gain


def gain_transition(*, actor, gain: Gain, name: str, comment: str = "") -> Gain:
    """Declare, validate or return a gain along its workflow (GAIN), or refuse with the reason."""
    return GAIN.apply(gain, name, actor, comment=comment).record


@transaction.atomic
def plan_action_save(*, actor, action: PlanAction, entities, projects=()) -> PlanAction:
    """Create or change an action of the plan; its expected gain is recomputed by the method."""
    _require(actor, Perm.MANAGE_PLAN)
    entities = list(entities)
    if not entities:
        words = current_words()
        raise ValidationError({"entities": f"Indiquez au moins {words.a_one} concerné{words.e}."})
    action.recompute()
    action.full_clean()
    action.save()
    action.entities.set(entities)
    action.projects.set(projects)
    return action


@transaction.atomic
def gain_target_save(*, actor, target: GainTarget) -> GainTarget:
    """Set the territory's gain target for a year (its history keeps the previous figures)."""
    _require(actor, Perm.MANAGE_PLAN)
    target.full_clean()
    target.save()
    return target
