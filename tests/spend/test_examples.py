"""The sample exports shipped in docs/examples/ import as they are, every layout giving the same lines."""

from pathlib import Path

import pytest

from mutualis.spend.importer import spend_import
from mutualis.spend.models import SpendLine

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
FILES = sorted(p.name for p in EXAMPLES.iterdir() if p.suffix in {".csv", ".xlsx"})


def test_one_example_per_layout_is_shipped():
    assert FILES == [
        "depenses.xlsx",
        "depenses_point-virgule_utf8-bom.csv",
        "depenses_point-virgule_utf8.csv",
        "depenses_siren.csv",
        "depenses_virgule_iso.csv",
        "depenses_windows-1252.csv",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("name", FILES)
def test_each_example_imports_whole_and_the_same(name, support):
    result = spend_import(support, [EXAMPLES / name])
    assert result.refused == []
    assert result.counts["rejected"] == 0
    assert result.counts["created"] == 24
    lines = SpendLine.objects.order_by("mandate_number")
    first = lines.first()
    assert (first.fiscal_year, first.mandate_number, str(first.amount_ht)) == (2026, "2600001", "21197.03")
    assert first.paid_on.isoformat() == "2026-01-12"
    assert first.supplier_siren == "085480440"
    assert first.supplier_name == "SOA SOCIETE ORLEANAISE"
    assert lines.last().label.endswith(tuple("0123456789"))
