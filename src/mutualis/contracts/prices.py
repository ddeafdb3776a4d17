"""Writes on a contract's price schedule (BPU): the schedule is replaced whole, never half-written."""

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import transaction

from mutualis.organisations.roles import Perm

from .models import Contract, PriceLine, PriceLineBase
from .services import _require


def line_errors(number: int, error: ValidationError) -> list[str]:
    """A line's validation errors as sentences naming the line and the field (« Ligne 3, prix
    unitaire HT (€) : … »), so that a refused schedule says where to look."""
    model = PriceLine
    messages = []
    for name, field_messages in error.message_dict.items():
        if name == "__all__":
            where = f"Ligne {number}"
        else:
            try:
                where = f"Ligne {number}, {model._meta.get_field(name).verbose_name}"
            except FieldDoesNotExist:  # a name that is not a field: kept as given
                where = f"Ligne {number}, {name}"
        messages.extend(f"{where} : {message}" for message in field_messages)
    return messages


def replace_lines(
    owner_field: str, owner, model: type[PriceLineBase], lines, *, actor=None
) -> list[PriceLineBase]:
    """Delete the owner's lines and create the given ones (PriceLineBase instances or dicts of its
    fields), after checking every line: errors of all the lines are raised together."""
    built, errors, positions = [], [], {}
    for number, line in enumerate(lines, start=1):
        values = line.line_values() if isinstance(line, PriceLineBase) else dict(line)
        if values.get("position") is None:
            values["position"] = number  # lines typed without a number keep their order
        instance = model(**values, **{owner_field: owner})
        try:
            # Uniqueness is checked here among the new lines: the old ones are about to go.
            instance.full_clean(exclude=[owner_field], validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            errors.extend(line_errors(number, error))
        if instance.position in positions:
            errors.append(
                f"Ligne {number}, N° : le n° {instance.position} est déjà celui de la ligne "
                f"{positions[instance.position]}."
            )
        else:
            positions[instance.position] = number
        built.append(instance)
    if errors:
        raise ValidationError(errors)
    # One by one, not bulk: each line gets its history row.
    for old in model.objects.filter(**{owner_field: owner}):
        old._history_user = actor  # services also run outside a request (imports, award, demo)
        old.delete()
    for instance in built:
        instance._history_user = actor
        instance.save()
    return built


@transaction.atomic
def price_lines_replace(*, actor, contract: Contract, lines) -> list[PriceLine]:
    """Replace the contract's whole price schedule; nothing changes if one line is refused."""
    _require(actor, Perm.MANAGE_CONTRACTS)
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    return replace_lines("contract", contract, PriceLine, lines, actor=actor)
