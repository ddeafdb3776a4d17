"""A list of inclusive-economy structures (SIAE, EA, ESAT): one row per structure, its SIRET and kind.

The columns of le marché de l'inclusion's export are `siret`, `kind` (and `name`); « type » and
« SIRET » are accepted. A structure absent from a newer list keeps its status: the supplier's file
shows the date of the list it came from, so a reader can judge how current it is.
"""

from ..models import InclusionKind
from .files import RowError

INCLUSION_REQUIRED = ("siret", "kind")
INCLUSION_ALIASES = {"siret": "siret", "kind": "kind", "type": "kind", "name": "name", "nom": "name"}


def inclusion_fields(row) -> dict:
    siret = "".join(row["siret"].split())
    if not (siret.isdigit() and len(siret) in (9, 14)):
        raise RowError("siret", f"« {row['siret']} » : un SIRET (14 chiffres) ou un SIREN (9) est attendu.")
    kind = row["kind"].upper()
    if kind not in InclusionKind.values:
        expected = ", ".join(InclusionKind.values)
        raise RowError("kind", f"type « {row['kind']} » inconnu : l'un de {expected} est attendu.")
    return {"inclusion_kind": kind}
