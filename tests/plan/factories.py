"""Actions of the plan and the gains that realise them, made through the plan's service."""

from datetime import date
from decimal import Decimal

from mutualis.gains.models import Gain, PlanAction
from mutualis.gains.services import plan_action_save


def make_action(*, entities, projects=(), **fields) -> PlanAction:
    values = {
        "year": 2027,
        "title": "Location-entretien du linge",
        "planned_quarter": "2027-T2",
        "reference_unit_price": Decimal("12.50"),
        "new_unit_price": Decimal("10.00"),
        "quantity": Decimal("1000"),
        **fields,
    }
    return plan_action_save(actor=None, action=PlanAction(**values), entities=entities, projects=projects)


def make_gain(action, *, entity, reference, new, quantity="1000", status="validated", kind="recurring"):
    """A gain realising `action`: (reference − new) × quantity a year, in the given state."""
    gain = Gain(
        action=action,
        label=f"Gain de « {action} »",
        entity=entity,
        kind=kind,
        reference_source="market",
        reference_unit_price=Decimal(reference),
        new_unit_price=Decimal(new),
        quantity=Decimal(quantity),
        notification_date=date(2027, 3, 1),
        status=status,
    )
    gain.recompute()
    gain.save()
    return gain
