"""What a SIRENE row says about a supplier, with the real column names of the INSEE stock files
(format 3.11, DOMAIN-2 §2.2). Each function returns the supplier fields it sets, or raises RowError.

- codeCommuneEtablissement is the INSEE commune code (COG), never the postal code;
- statutDiffusion "P" (partially diffusible: an individual who asked for it): no street line is kept,
  and "[ND]" (non diffusé) values are read as empty;
- categorieEntreprise (PME/ETI/GE) is the size category; trancheEffectifs is not used (a headcount band).
"""

import re

from ..models import SireneState, SizeCategory
from .files import RowError

ESTABLISHMENT_REQUIRED = (
    "siren", "siret", "statutDiffusionEtablissement", "etablissementSiege", "complementAdresseEtablissement",
    "numeroVoieEtablissement", "indiceRepetitionEtablissement", "typeVoieEtablissement",
    "libelleVoieEtablissement", "codePostalEtablissement", "libelleCommuneEtablissement",
    "codeCommuneEtablissement", "etatAdministratifEtablissement", "activitePrincipaleEtablissement",
)  # fmt: skip
LEGAL_UNIT_REQUIRED = (
    "siren", "statutDiffusionUniteLegale", "categorieEntreprise", "etatAdministratifUniteLegale",
    "denominationUniteLegale", "categorieJuridiqueUniteLegale", "economieSocialeSolidaireUniteLegale",
)  # fmt: skip

NOT_DIFFUSED = "[ND]"
_ESTABLISHMENT_STATES = {"A": SireneState.ACTIVE, "F": SireneState.CLOSED}
_UNIT_STATES = {"A": SireneState.ACTIVE, "C": SireneState.CEASED}
_NAF = re.compile(r"^\d{2}\.\d{2}[A-Z]$")
_STREET_TYPES = {
    "ALL": "ALLÉE", "AV": "AVENUE", "BD": "BOULEVARD", "CHE": "CHEMIN", "CRS": "COURS", "FG": "FAUBOURG",
    "IMP": "IMPASSE", "PL": "PLACE", "QUAI": "QUAI", "RTE": "ROUTE", "RUE": "RUE", "SQ": "SQUARE",
    "ZA": "ZA", "ZAC": "ZAC", "ZI": "ZI", "LD": "LIEU-DIT", "PAS": "PASSAGE", "RPT": "ROND-POINT",
}  # fmt: skip
_REPETITION = {"B": "bis", "T": "ter", "Q": "quater", "C": "quinquies"}


class Row:
    """A row read by column name; "[ND]" and surrounding spaces read as empty."""

    __slots__ = ("columns", "values")

    def __init__(self, columns: dict[str, int], values: list[str]):
        self.columns, self.values = columns, values

    def __getitem__(self, name: str) -> str:
        index = self.columns.get(name)
        value = self.values[index].strip() if index is not None else ""
        return "" if value == NOT_DIFFUSED else value


def establishment_fields(row: Row, communes: dict[str, str]) -> dict:
    """Address, commune, activity and state of one establishment (StockEtablissement)."""
    state = row["etatAdministratifEtablissement"]
    if state not in _ESTABLISHMENT_STATES:
        raise RowError("etatAdministratifEtablissement", f"état « {state} » inconnu : A ou F attendu.")
    commune = row["codeCommuneEtablissement"]
    if commune and commune not in communes:
        raise RowError(
            "codeCommuneEtablissement",
            f"code commune INSEE « {commune} » absent du Code officiel géographique.",
        )
    postal = row["codePostalEtablissement"]
    if postal and not (len(postal) == 5 and postal.isdigit()):
        raise RowError("codePostalEtablissement", f"code postal « {postal} » : 5 chiffres attendus.")
    partial = row["statutDiffusionEtablissement"] == "P"
    return {
        "address": "" if partial else street_line(row),
        "postal_code": postal,
        "insee_code": commune,
        "city": communes.get(commune) or row["libelleCommuneEtablissement"].title(),
        "naf_code": naf(row, "activitePrincipaleEtablissement"),
        "sirene_state": _ESTABLISHMENT_STATES[state],
    }


def street_line(row: Row) -> str:
    """« 12 bis RUE DE LA GARE, BÂTIMENT B »: numéro, indice, type and label of the way, complement."""
    number = row["numeroVoieEtablissement"]
    repetition = row["indiceRepetitionEtablissement"]
    way_type = row["typeVoieEtablissement"]
    parts = [
        number,
        _REPETITION.get(repetition.upper(), repetition.lower()) if repetition else "",
        _STREET_TYPES.get(way_type, way_type),
        row["libelleVoieEtablissement"],
    ]
    street = " ".join(part for part in parts if part)
    complement = row["complementAdresseEtablissement"]
    return ", ".join(part for part in (street, complement) if part)[:250]


def naf(row: Row, column: str) -> str:
    code = row[column]
    if code and not _NAF.match(code):
        raise RowError(column, f"code NAF « {code} » : la forme 62.01Z est attendue.")
    return code


def legal_unit_fields(row: Row) -> dict:
    """Name, legal form, size category, ESS flag and state of one company (StockUniteLegale)."""
    state = row["etatAdministratifUniteLegale"]
    if state not in _UNIT_STATES:
        raise RowError("etatAdministratifUniteLegale", f"état « {state} » inconnu : A ou C attendu.")
    category = row["categorieEntreprise"]
    if category and category not in SizeCategory.values:
        raise RowError("categorieEntreprise", f"catégorie « {category} » inconnue : PME, ETI ou GE attendu.")
    legal_form = row["categorieJuridiqueUniteLegale"]
    if legal_form and not (len(legal_form) == 4 and legal_form.isdigit()):
        raise RowError("categorieJuridiqueUniteLegale", f"« {legal_form} » : 4 chiffres attendus.")
    ess = row["economieSocialeSolidaireUniteLegale"]
    if ess not in ("", "O", "N"):
        raise RowError("economieSocialeSolidaireUniteLegale", f"« {ess} » : O ou N attendu.")
    fields = {"legal_form": legal_form, "sirene_state": _UNIT_STATES[state]}
    if category:  # an empty category (too recent, or not computed) keeps what is known
        fields["size_category"] = category
    if ess:
        fields["is_ess"] = ess == "O"
    name = row["denominationUniteLegale"]
    if name:  # an individual has no denomination: the name already known stays
        fields["name"] = name[:200]
    return fields
