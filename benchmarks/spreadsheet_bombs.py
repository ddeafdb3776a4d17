"""Spreadsheet bombs: time from upload to refusal, for files built to make an import run for hours.

Builds, in memory:
  - the probe's file: 100,000 rows of entities in an xlsx with its `<dimension>`, as Excel writes it;
  - the same rows with a lying `<dimension ref="A1:I2">` (refused while streaming, at the cap);
  - the same rows with no `<dimension>` at all;
  - a zip bomb: one sheet inflating to 1 GB from about 1 MB (refused on the declared sizes);
  - a ratio bomb: 40 MB of one repeated cell, under the size limit (refused on the ratio);
  - a CSV of 10 MB holding 400,000 rows (refused at the cap while streaming);
and times `read_dataset` + `import_dataset` with the entity resource (cap 5,000) on each: each must
be refused with an ImportFileError, with no entity written.

Usage: .venv/bin/python benchmarks/spreadsheet_bombs.py
"""

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "benchmarks"), str(ROOT)]
from harness import run_in_test_database  # noqa: E402

from tests.core.bombs import DIMENSION, HEADER, bomb_xlsx, probe_xlsx, rewrite_sheet  # noqa: E402


def measure() -> None:
    from mutualis.core.imports import ImportFileError, import_dataset, read_dataset
    from mutualis.organisations.models import Entity
    from mutualis.organisations.resources import EntityResource

    no_dimension = probe_xlsx(100_000)  # openpyxl's write-only mode writes no <dimension>
    probe = rewrite_sheet(no_dimension, lambda xml: xml.replace(b"<sheetData>", DIMENSION % b"100001", 1))
    lying = rewrite_sheet(no_dimension, lambda xml: xml.replace(b"<sheetData>", DIMENSION % b"2", 1))
    csv_rows = "\r\n".join([";".join(HEADER)] + ["26210007600015;Commune;Commune;21054;Oui"] * 400_000)
    files = [
        ("probe: 100,000 rows, dimension", "probe.xlsx", probe),
        ("100,000 rows, lying dimension A1:E2", "lying.xlsx", lying),
        ("100,000 rows, no dimension", "nodim.xlsx", no_dimension),
        ("zip bomb: 1 GB inflated", "bomb.xlsx", bomb_xlsx(1024 * 1024 * 1024)),
        ("ratio bomb: 40 MB inflated", "ratio.xlsx", bomb_xlsx(40 * 1024 * 1024)),
        ("CSV: 400,000 rows", "rows.csv", csv_rows.encode()[: 10 * 1024 * 1024]),
    ]
    resource = EntityResource()
    print(f"{'file':40} {'size':>10}  {'refused in':>10}  message")
    for label, name, content in files:
        start = time.perf_counter()
        try:
            import_dataset(resource, read_dataset(name, content, max_rows=resource.import_max_rows))
            outcome = "ACCEPTED (should have been refused)"
        except ImportFileError as error:
            outcome = str(error)
        elapsed = time.perf_counter() - start
        print(f"{label:40} {len(content) / 1024:8.0f} KB  {elapsed:9.3f} s  {outcome[:110]}")
        assert Entity.objects.count() == 0, "rows written"


if __name__ == "__main__":
    run_in_test_database(measure)
