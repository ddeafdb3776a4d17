from .contract import Contract, ContractQuerySet
from .parts import Amendment, ContractDocument, ContractHolder, RenewalDecision

__all__ = [
    "Amendment",
    "Contract",
    "ContractDocument",
    "ContractHolder",
    "ContractQuerySet",
    "RenewalDecision",
]
