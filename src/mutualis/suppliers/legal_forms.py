"""Labels of INSEE legal categories (categorieJuridiqueUniteLegale), from the small shipped table."""

import csv
from functools import cache
from pathlib import Path

TABLE = Path(__file__).parent / "data" / "categories_juridiques.csv"


@cache
def legal_forms() -> dict[str, str]:
    with TABLE.open(encoding="utf-8", newline="") as handle:
        return {row["code"]: row["label"] for row in csv.DictReader(handle)}


def legal_form_label(code: str) -> str:
    """« Société à responsabilité limitée (5499) »; a code outside the table: « catégorie 1234 »."""
    if not code:
        return ""
    label = legal_forms().get(code)
    return f"{label} ({code})" if label else f"catégorie juridique {code}"
