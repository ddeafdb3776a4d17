"""Loading of the shipped COG commune list (source and licence: data/SOURCE.md)."""

import csv
from pathlib import Path

COMMUNES_FILE = Path(__file__).parent / "data" / "communes_cog.csv"


def read_communes() -> list[dict]:
    with COMMUNES_FILE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_communes(commune_model) -> int:
    """Replace the commune table by the shipped list; takes the model so migrations can call it."""
    rows = [commune_model(**row) for row in read_communes()]
    commune_model.objects.all().delete()
    commune_model.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
