from .contract import Contract, ContractQuerySet
from .parts import Amendment, ContractDocument, ContractHolder, RenewalDecision
from .prices import PriceLine, PriceLineBase, VatRate

__all__ = [
    "Amendment",
    "Contract",
    "ContractDocument",
    "ContractHolder",
    "ContractQuerySet",
    "PriceLine",
    "PriceLineBase",
    "RenewalDecision",
    "VatRate",
]
