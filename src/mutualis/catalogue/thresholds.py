"""The threshold tables: shipped as dated rows, loaded into the database, read for a launch date.

Which rule applies is fixed by the launch date of the consultation (DOMAIN.md §1.1), so every lookup
takes that date and names the rows it used.
"""

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from .models import Threshold

THRESHOLDS_FILE = Path(__file__).parent / "data" / "thresholds.json"
FS = "fournitures_services"


def load_thresholds(model, path: Path = THRESHOLDS_FILE) -> int:
    """Insert or update rows by (kind, nature, buyer kind, date); takes the model for migrations."""
    rows = json.loads(Path(path).read_text(encoding="utf-8"))["rows"]
    for row in rows:
        model.objects.update_or_create(
            kind=row["kind"],
            nature=row.get("nature", ""),
            buyer_kind=row.get("buyer_kind", ""),
            valid_from=date.fromisoformat(row["valid_from"]),
            defaults={"amount": Decimal(row["amount"]), "reference": row["reference"]},
        )
    return len(rows)


@dataclass(frozen=True)
class Applied:
    amount: Decimal
    valid_from: date
    reference: str


class ThresholdTable:
    """The rows in force on one date, for one nature and kind of buyer."""

    def __init__(self, rows, *, day: date, nature: str, buyer_kind: str):
        self.day, self.nature, self.buyer_kind = day, nature, buyer_kind
        self.rows = [r for r in rows if r.valid_from <= day]

    def get(self, kind: str, natures: tuple[str, ...]) -> Applied | None:
        """The latest row of that kind for the nature (or all natures), the buyer kind (or all)."""
        candidates = [
            r
            for r in self.rows
            if r.kind == kind and r.nature in natures and r.buyer_kind in (self.buyer_kind, "")
        ]
        if not candidates:
            return None
        # Latest date first; on a tie, the row specific to the buyer kind wins over the general one.
        best = max(candidates, key=lambda r: (r.valid_from, r.buyer_kind == self.buyer_kind))
        return Applied(best.amount, best.valid_from, best.reference)

    def waiver(self) -> Applied | None:
        return self.get("waiver", (self.nature,))

    def eu(self) -> Applied | None:
        return self.get("eu", ("travaux",) if self.nature == "travaux" else (FS, self.nature))

    def eu_sss(self) -> Applied | None:
        return self.get("eu_sss", ("",))

    def publicity(self) -> Applied | None:
        return self.get("publicity", ("", self.nature))

    def buyer_profile(self) -> Applied | None:
        return self.get("buyer_profile", ("", self.nature))

    def version(self) -> str:
        """The rows used, by their dates: enough to find them again in the table."""
        parts = [
            f"{name}:{applied.valid_from.isoformat()}"
            for name, applied in (
                ("dispense", self.waiver()),
                ("publicite", self.publicity()),
                ("profil", self.buyer_profile()),
                ("ue", self.eu()),
            )
            if applied is not None
        ]
        return ";".join(parts)


def threshold_rows() -> list:
    """Every threshold row (a few dozen): read once, then reused for many computations."""
    return list(Threshold.objects.all())


def table_on(day: date, *, nature: str, buyer_kind: str, rows: list | None = None) -> ThresholdTable:
    rows = threshold_rows() if rows is None else rows
    return ThresholdTable(rows, day=day, nature=nature, buyer_kind=buyer_kind)
