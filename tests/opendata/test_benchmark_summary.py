"""The benchmark page's cells (opendata/summary.py) give exactly the figures read from the contracts
(benchmark_from_contracts, the reference), through imports that add, update, leave alone and move
contracts away, and whatever codes are asked."""

import json
import random
from dataclasses import fields
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command

from mutualis.opendata.benchmark import (
    benchmark,
    benchmark_from_cells,
    benchmark_from_contracts,
    published_count,
)
from mutualis.opendata.decp_import.service import import_decp
from mutualis.opendata.models import (
    BenchmarkSummaryBuild,
    ExternalContract,
    ExternalHolder,
)
from mutualis.opendata.summary import CELLS, benchmark_summary_build, summary_ready
from tests.organisations.factories import EntityFactory

from .test_decp_import import DEMATIS

pytestmark = pytest.mark.django_db

FAMILY = ["45421000", "45442100", "45454100"]
QUESTIONS = [
    ["45000000"],
    FAMILY,
    ["45421000"],
    ["45442100"],
    ["33000000"],
    ["33600000", "45442100"],
    ["71000000"],  # nothing published under it
]
MEMBER = "21740056300011"


def _template() -> dict:
    record = json.loads(DEMATIS[0].read_text(encoding="utf-8"))["marches"]["marche"][0]
    return dict(record, modifications=[])


def _record(
    ident,
    cpv,
    amount,
    buyer,
    holders,
    *,
    offers=None,
    published="2024-01-10",
    notified="2024-01-02",
    social=False,
    environmental=False,
) -> dict:
    record = dict(
        _template(),
        id=ident,
        codeCPV=cpv,
        acheteur={"id": buyer},
        datePublicationDonnees=published,
        dateNotification=notified,
        titulaires=[{"titulaire": {"typeIdentifiant": "SIRET", "id": h}} for h in holders],
        considerationsSociales={
            "considerationSociale": ["Clause sociale" if social else "Pas de considération sociale"]
        },
        considerationsEnvironnementales={
            "considerationEnvironnementale": [
                "Critère environnemental" if environmental else "Pas de considération environnementale"
            ]
        },
    )
    for key, value in (("montant", amount), ("offresRecues", offers)):
        if value is None:
            record.pop(key, None)
        else:
            record[key] = value
    return record


def _file(tmp_path, name, records):
    path = tmp_path / name
    path.write_text(json.dumps({"marches": {"marche": records}}, ensure_ascii=False), encoding="utf-8")
    return path


# Valid SIRETs: the member's record goes to the registry, which checks them.
B1, B2, B3, B4 = "21010001200017", "21010002000010", "21010003800012", "21010004600015"
H1, H2, H3, H4, H5 = "11111111800019", "22222222600011", "33333333400014", "44444444200016", "55555555600011"
FIRST = [
    _record("A1", "45421000", 1000, B1, [H1, H2], offers=3, social=True),
    _record("A2", "45421000", 1000, B2, [H1], offers=5, notified="2024-03-05"),
    _record("A3", "45442100", "2500.50", B1, [H3], environmental=True),
    _record("A4", "45442100", None, B3, [H2], offers=1),
    _record("A5", "45454100", 1000, B2, [H1], offers=2, social=True, environmental=True),
    _record("A6", "45454100", 700, B1, [H4], notified="2023-11-30"),
    _record("A7", "33600000", 80, B3, [H5], offers=4),
    _record("A8", "33600000", 80, B3, [H5]),
    _record("A9", "45000000", 5000, B4, [H1, H3], offers=7),
    _record("A10", "45442100", 300, MEMBER, [H2]),  # its buyer becomes a member before the second file
]
SECOND = [
    # A newer publication moves A2 to another code and amount.
    _record("A2", "33600000", 90, B2, [H5], offers=6, published="2024-05-01", notified="2024-04-02"),
    # An older publication of A6 must leave it as it is (code, amount and all).
    _record("A6", "45421000", 99999, B1, [H3], published="2023-12-01"),
    _record("A11", "45421000", 1000, B4, [H2], offers=2, notified="2024-06-01"),
    # The member's record goes to the registry: its published copy leaves the benchmark.
    _record("A10", "45442100", 300, MEMBER, [H2], published="2024-02-01"),
]


def assert_same_figures(codes):
    cells, rows = benchmark_from_cells(codes), benchmark_from_contracts(codes)
    for field in fields(cells):
        ours, reference = getattr(cells, field.name), getattr(rows, field.name)
        if field.name == "average_offers" and reference is not None:
            assert ours == pytest.approx(reference, rel=1e-12), (codes, field.name)
        else:
            assert ours == reference, (codes, field.name)


def cell_rows() -> dict:
    return {
        model.__name__: sorted(
            tuple(str(v) for v in row)
            for row in model.objects.values_list(
                *[f.attname for f in model._meta.fields if f.attname != "id"]
            )
        )
        for model in CELLS
    }


def test_imports_keep_the_cells_equal_to_the_contracts(tmp_path):
    assert summary_ready()  # an empty database is summed from the first import on
    import_decp([_file(tmp_path, "first.json", FIRST)])
    for codes in QUESTIONS:
        assert_same_figures(codes)
    works = benchmark(["45000000"])
    assert (works.contracts, works.buyers, works.total_amount) == (8, 5, Decimal("11500.50"))
    # 300, 700, 1000 ×3, 2500.50, 5000: the fourth of seven known amounts.
    assert works.median_amount == Decimal("1000")
    assert works.average_offers == pytest.approx(18 / 5)
    assert works.social_share == pytest.approx(2 / 8)

    EntityFactory(name="Commune membre", siret=MEMBER)
    outcome = import_decp([_file(tmp_path, "second.json", SECOND)]).summary["counts"]
    assert outcome["registry"] == 1 and outcome["unchanged"] == 1
    assert ExternalContract.objects.get(uid=f"{B1}A6").cpv == "45454100"
    for codes in QUESTIONS:
        assert_same_figures(codes)
    works = benchmark(["45000000"])
    # A2 and A10 left the division, A11 came in: 300 and one 1000 out, 1000 in.
    assert (works.contracts, works.total_amount) == (7, Decimal("11200.50"))
    assert works.median_amount == Decimal("1000")  # 700, 1000 ×3, 2500.50, 5000: the mean of the 3rd and 4th
    drugs = benchmark(["33600000"])
    assert (drugs.contracts, drugs.median_amount, drugs.buyers) == (3, Decimal("80"), 2)
    assert [(s["identifier"], s["count"]) for s in drugs.top_suppliers] == [(H5, 3)]
    assert published_count() == ExternalContract.objects.count() == 10

    incremental = cell_rows()
    call_command("refresh_benchmark_summary")
    assert cell_rows() == incremental  # the import's refresh of the touched codes equals a full one


def test_a_failed_or_dry_import_leaves_the_cells_as_they_were(tmp_path):
    import_decp([_file(tmp_path, "first.json", FIRST)])
    before = cell_rows()
    moved = [_record("A1", "33600000", 12, B1, [H1], published="2024-09-01")]
    import_decp([_file(tmp_path, "moved.json", moved)], dry_run=True)
    assert cell_rows() == before
    truncated = tmp_path / "truncated.json"
    truncated.write_text(_file(tmp_path, "full.json", moved).read_text()[:-20])
    assert import_decp([truncated]).summary["files"][0]["status"] == "unreadable"
    assert cell_rows() == before
    import_decp([_file(tmp_path, "moved.json", moved)])
    assert cell_rows() != before
    for codes in QUESTIONS:
        assert_same_figures(codes)


def test_the_page_reads_the_contracts_until_the_cells_are_built(tmp_path):
    import_decp([_file(tmp_path, "first.json", FIRST)])
    BenchmarkSummaryBuild.objects.all().delete()
    for model in CELLS:
        model.objects.all().delete()
    assert benchmark(["45000000"]) == benchmark_from_contracts(["45000000"])
    assert benchmark(["45000000"]).contracts == 8 and published_count() == 10
    call_command("refresh_benchmark_summary")
    assert summary_ready() and published_count() == 10
    for codes in QUESTIONS:
        assert_same_figures(codes)


def test_exact_median_and_sums_over_any_prefix_with_repeated_amounts():
    """Direct writes (no import), summed by the full build: many amounts repeated within and across
    codes, so the running counts of the median cross codes and ties; every prefix of every code asked."""
    rng = random.Random(20)
    codes = ["45421000", "45421100", "45442100", "45454100", "33600000", "33690000", "09000000", ""]
    buyers = [f"2100000{n:07d}" for n in range(9)]
    amounts = [None, Decimal("0.01"), Decimal("100"), Decimal("100.50"), Decimal("2500"), Decimal("99999.99")]
    for n in range(240):
        contract = ExternalContract.objects.create(
            uid=f"R{n}",
            reference=f"R{n}",
            cpv=rng.choice(codes),
            buyer_siret=rng.choice(buyers),
            buyer_name=rng.choice(["", "Commune", "Département"]),
            amount=rng.choice([*amounts, Decimal(rng.randrange(1, 50) * 10)]),
            offers_received=rng.choice([None, 1, 2, 7]),
            notification_date=rng.choice([None, date(2024, 1, 1) + timedelta(days=rng.randrange(400))]),
            schema_version=rng.choice(["", "2"]),
            has_social_consideration=rng.random() < 0.3,
            has_environmental_consideration=rng.random() < 0.2,
        )
        for holder in rng.sample(buyers[:6], rng.randrange(0, 3)):
            ExternalHolder.objects.create(
                contract=contract, identifier_kind="SIRET", identifier=holder, name=rng.choice(["", "SARL"])
            )
    benchmark_summary_build()
    prefixes = {code[:length].ljust(8, "0") for code in codes if code for length in range(1, 9)}
    for prefix in sorted(prefixes):
        assert_same_figures([prefix])
    assert_same_figures(["45421000", "33690000", "09000000"])
    medians = {benchmark([p]).median_amount for p in prefixes}
    assert len(medians) > 3  # the questions differ: the comparison is not of empty answers
