"""Loading of the shipped CPV 2008 list (source and licence: data/SOURCE.md)."""

import csv
from pathlib import Path

CPV_FILE = Path(__file__).parent / "data" / "cpv_2008_fr.csv"


def cpv_level(code: str) -> int:
    """Division (2 significant digits), group (3), class (4), category (5) or detailed code."""
    significant = len(code.rstrip("0"))
    return significant if 2 <= significant <= 5 else (2 if significant < 2 else 8)


def nearest_ancestor(code: str, known: set[str]) -> str | None:
    """Zero the last significant digit until an existing code is found (DOMAIN.md §7.1)."""
    digits = list(code)
    while True:
        significant = len("".join(digits).rstrip("0"))
        if significant <= 2:
            return None
        digits[significant - 1] = "0"
        candidate = "".join(digits)
        if candidate in known:
            return candidate


def read_cpv() -> list[dict]:
    """Rows of the shipped list as {code, check_digit, label, level, parent_id}."""
    with CPV_FILE.open(encoding="utf-8", newline="") as handle:
        raw = [(row["code"].split("-"), row["label"].strip()) for row in csv.DictReader(handle)]
    known = {code for (code, _), _ in raw}
    return [
        {
            "code": code,
            "check_digit": check,
            "label": label,
            "level": cpv_level(code),
            "parent_id": nearest_ancestor(code, known),
        }
        for (code, check), label in raw
    ]


def load_cpv(cpv_model) -> int:
    """Insert or refresh the list; takes the model so that migrations can call it."""
    rows = read_cpv()
    existing = set(cpv_model.objects.values_list("code", flat=True))
    # Parents first, so that the foreign keys hold at every insert (SQLite checks them at once).
    rows.sort(key=lambda row: len(row["code"].rstrip("0")))
    new = [cpv_model(**row) for row in rows if row["code"] not in existing]
    cpv_model.objects.bulk_create(new, batch_size=2000)
    updated = [cpv_model(**row) for row in rows if row["code"] in existing]
    cpv_model.objects.bulk_update(updated, ["check_digit", "label", "level", "parent_id"], batch_size=2000)
    return len(rows)
