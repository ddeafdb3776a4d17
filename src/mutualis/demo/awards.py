"""Real DECP awards shipped with the demo: who really won contracts of each family, and for how much.

The demo registry gives a family's contracts to companies that won published contracts whose CPV
code falls in that family, with amounts of the same order (data/attributions_decp.csv).
"""

import csv
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

AWARDS_FILE = Path(__file__).parent / "data" / "attributions_decp.csv"


@dataclass(frozen=True)
class Award:
    siret: str
    name: str
    cpv: str
    amount: Decimal


def cpv_prefix(code: str) -> str:
    """The significant digits of a CPV code: its descendants are the codes that start with them."""
    return code.split("-")[0].strip()[:8].rstrip("0").ljust(2, "0")


def in_family(cpv: str, family_codes: list[str]) -> bool:
    return any(cpv.startswith(cpv_prefix(code)) for code in family_codes)


def read_awards() -> list[Award]:
    with AWARDS_FILE.open(encoding="utf-8", newline="") as handle:
        return [
            Award(row["siret"], row["name"], row["cpv"], Decimal(row["amount"]))
            for row in csv.DictReader(handle)
        ]


def awards_by_family(families: dict[str, list[str]]) -> dict[str, list[Award]]:
    """Family code -> the real awards whose CPV belongs to one of the family's CPV codes."""
    awards = read_awards()
    return {code: [a for a in awards if in_family(a.cpv, cpvs)] for code, cpvs in families.items()}
