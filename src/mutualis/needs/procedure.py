"""The territory's kind of buyer, which the procedure estimate of the law (mutualis.legal.procedure)
takes as an argument: a setting of this installation, so it is read here, above the legal app."""

from mutualis.legal.vocabulary import BuyerKind
from mutualis.organisations.models import Territory


def territory_buyer_kind() -> str:
    """The territory's kind of buyer; hospitals and local authorities when none is configured."""
    territory = Territory.current()
    return territory.buyer_kind if territory else BuyerKind.OTHER
