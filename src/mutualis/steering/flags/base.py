"""What every risk flag is made of, the kinds' registry, and the registry's rows a flag starts from."""

from dataclasses import dataclass, field
from datetime import date

from django.urls import reverse

from mutualis.contracts.models import Contract
from mutualis.core.formats import euros

from ..models import FlagAcknowledgement
from ..scope import Scope

HIGH, MEDIUM = "high", "medium"
SEVERITY_LABELS = {HIGH: "élevée", MEDIUM: "moyenne"}


__all__ = ["HIGH", "KINDS", "MEDIUM", "Flag", "Kind", "contracts_of", "day", "euros", "link_to", "name_of"]


@dataclass(frozen=True)
class Kind:
    code: str
    label: str
    definition: str


KINDS = {
    kind.code: kind
    for kind in (
        Kind(
            "single_offer",
            "Offre unique en procédure formalisée",
            "Contrat notifié dans la période, passé selon une procédure formalisée, pour lequel une seule "
            "offre a été reçue.",
        ),
        Kind(
            "amendments_over_limit",
            "Modifications au-delà des limites",
            "Contrat dont un avenant notifié dans la période porte les modifications au-delà des limites "
            "des articles R2194-3 et R2194-8 du code de la commande publique.",
        ),
        Kind(
            "renewal_late",
            "Reconduction décidée après le préavis",
            "Décision de reconduction prise dans la période après sa date limite, ou décision attendue "
            "dont la date limite est passée sans qu'elle soit enregistrée.",
        ),
        Kind(
            "splitting",
            "Saucissonnage",
            "Famille dont les achats de l'année, passés séparément (registre des contrats) ou payés hors "
            "marché (dépense d'une entité), atteignent un seuil de procédure que chacun restait sous.",
        ),
        Kind(
            "repeated_no_publicity",
            "Attributions répétées sans publicité",
            "Même titulaire attributaire de plusieurs contrats d'une même famille dans l'année, passés "
            "sans publicité ni mise en concurrence préalables.",
        ),
        Kind(
            "decp_late",
            "Données essentielles publiées en retard",
            "Contrat notifié dans la période, soumis à publication, dont les données essentielles ne sont "
            "toujours pas publiées après le délai réglementaire.",
        ),
    )
}


@dataclass(frozen=True)
class Flag:
    """One risk flag: it explains itself in French and links to the records behind it."""

    kind: str
    key: str  # the record it is about, e.g. "contract:42" or "family:7:2026": acknowledgements find it
    title: str
    explanation: str
    links: list[tuple[str, str]] = field(default_factory=list)
    severity: str = MEDIUM
    acknowledgement: FlagAcknowledgement | None = None

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind].label

    @property
    def severity_label(self) -> str:
        return SEVERITY_LABELS[self.severity]


def contracts_of(scope: Scope, user):
    """The registry's contracts the user may see, bought by the scope's entity, of its family."""
    contracts = Contract.objects.for_user(user)
    if scope.entity:
        contracts = contracts.filter(buyer=scope.entity)
    if scope.family:
        contracts = contracts.filter(family=scope.family)
    return contracts


def name_of(contract: Contract) -> str:
    """« Marché 2026-014 (Appel d'offres ouvert) »."""
    return f"{contract.nature} {contract.reference} ({contract.get_procedure_display()})"


def link_to(contract: Contract) -> tuple[str, str]:
    url = reverse("contracts:contract_detail", args=[contract.pk])
    return (f"{contract.nature} {contract.reference}", url)


def day(value: date) -> str:
    return value.strftime("%d/%m/%Y")
