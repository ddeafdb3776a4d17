"""Fuzzing every import: the properties of tests/core/test_import_fuzz.py with thousands of examples.

For each import (entities, suppliers, families, contracts, need lines, DECP JSON/XML), hypothesis
generates hostile files (random unicode, control characters, formulas, huge numbers, wrong types,
missing, extra or doubled columns, invalid SIRET, dates out of range, truncated or flipped bytes,
wrong encodings) and each goes through the real import on a throw-away test database. Printed per
import: files and rows tried, refusals, crashes (must be 0), partial writes (must be 0), time.
Exit status 1 when a crash or a partial write was found; the first failures are printed.

Usage:
  .venv/bin/python benchmarks/fuzz_imports.py [--examples 500] [--decp-examples 1000]
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/fuzz .venv/bin/python benchmarks/fuzz_imports.py
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "benchmarks"), str(ROOT)]
from harness import run_in_test_database  # noqa: E402


def measure(examples: int, decp_examples: int) -> int:
    from hypothesis import HealthCheck, Phase, given, settings

    from mutualis.organisations.roles import Role
    from tests.core.import_fuzz import (
        Stats,
        check_decp,
        decp_files,
        kinds,
    )
    from tests.organisations.factories import EntityFactory, MembershipFactory, UserFactory

    context = _context(EntityFactory, MembershipFactory, UserFactory, Role)
    many = {"deadline": None, "database": None, "phases": [Phase.generate]}
    many["suppress_health_check"] = list(HealthCheck)
    results = {}
    for name, kind in kinds(context).items():
        stats = results[name] = Stats()

        _spreadsheet_property(kind, context, stats, settings(max_examples=examples, **many))()
        _line(name, stats)
    stats = results["decp"] = Stats()
    folder = Path(tempfile.mkdtemp(prefix="fuzz-decp-"))

    @settings(max_examples=decp_examples, **many)
    @given(decp_files())
    def decp(file):
        suffix, content, records = file
        path = folder / f"fuzz{suffix}"
        path.write_bytes(content)
        check_decp(path, records, stats, strict=False)

    decp()
    _line("decp (json, xml, damaged real files)", stats)
    total = Stats(
        files=sum(s.files for s in results.values()),
        rows=sum(s.rows for s in results.values()),
        refused=sum(s.refused for s in results.values()),
        crashes=sum(s.crashes for s in results.values()),
        partial=sum(s.partial for s in results.values()),
        seconds=sum(s.seconds for s in results.values()),
    )
    _line("TOTAL", total)
    for name, stats in results.items():
        for failure in stats.failures[:5]:
            print(f"  {name}: {failure[:400]}")
    return 1 if total.crashes or total.partial else 0


def _spreadsheet_property(kind, context, stats, run_settings):
    from hypothesis import given

    from tests.core.import_fuzz import check_spreadsheet, spreadsheet_files

    @run_settings
    @given(spreadsheet_files(kind))
    def spreadsheet(file):
        check_spreadsheet(kind, context, *file, stats, strict=False)

    return spreadsheet


def _context(EntityFactory, MembershipFactory, UserFactory, Role):
    from datetime import date
    from types import SimpleNamespace

    from mutualis.needs.models import Campaign
    from tests.catalogue.factories import PurchaseFamilyFactory

    support = EntityFactory(name="CHU support", kind="support")
    hospital = EntityFactory(name="Centre hospitalier membre")
    user = MembershipFactory(user=UserFactory(username="u_admin"), entity=support, role=Role.ADMIN).user
    campaign = Campaign.objects.create(
        title="Besoins 2030", year=2030, deadline=date(2029, 12, 15), launch_date=date(2030, 2, 1)
    )
    campaign.families.set(
        [
            PurchaseFamilyFactory(code="HOT-02", label="Blanchisserie", nature="services"),
            PurchaseFamilyFactory(code="TRA-01", label="Travaux", nature="travaux"),
        ]
    )
    return SimpleNamespace(user=user, support=support, hospital=hospital, campaign=campaign)


def _line(name: str, stats) -> None:
    print(
        f"{name:38} files {stats.files:6}  rows {stats.rows:6}  refused {stats.refused:6}  "
        f"crashes {stats.crashes:3}  partial writes {stats.partial:3}  {stats.seconds:7.1f} s",
        flush=True,
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=500, help="files per spreadsheet import")
    parser.add_argument("--decp-examples", type=int, default=1000, help="DECP files")
    args = parser.parse_args()
    status = []
    start = time.perf_counter()
    run_in_test_database(lambda: status.append(measure(args.examples, args.decp_examples)))
    print(f"wall time {time.perf_counter() - start:.0f} s")
    sys.exit(status[0] if status else 1)
