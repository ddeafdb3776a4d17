"""The territory behind benchmarks/steering.py: 10 entities, 40 families, 5,000 suppliers, a registry of
contracts over 10 notification years, 20,000 projects with their lots and stage moves, some gains and
spend lines. Rows go through the import's bulk path (COPY on PostgreSQL, executemany on SQLite), with
the JSON lists adapted exactly as Django stores them; the caller checks them back with `has_element`."""

import random
import time
from datetime import date, datetime, timedelta
from decimal import Decimal

YEARS = tuple(range(2017, 2027))
BATCH = 50_000
# Département of each entity's commune: the territory spans Côte-d'Or and Saône-et-Loire.
ENTITY_COMMUNES = ("21231", "21054", "21425", "21603", "71076", "71270", "71153", "71106", "21166", "71445")
SUPPLIER_COMMUNES = ("21231", "21054", "71076", "75056", "69123", "13055", "59350", "25056", "", "")


def _fields(model):
    """The model's concrete columns but the primary key, by attribute name (buyer_id…)."""
    return [f.attname for f in model._meta.concrete_fields if not f.primary_key]


def insert_batches(model, names, rows) -> None:
    """Insert tuples of the columns `names` through the DECP import's bulk path, in batches."""
    from mutualis.opendata.decp_import.bulk import insert_rows

    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            insert_rows(model, names, batch)
            batch = []
    insert_rows(model, names, batch)


def bulk_insert(model, instances) -> None:
    """Unsaved instances, their defaults included, without pre_save: the timestamps are those set."""
    names = _fields(model)
    insert_batches(model, names, (tuple(getattr(i, name) for name in names) for i in instances))


def _aware(day: date):
    from django.utils import timezone

    return timezone.make_aware(datetime(day.year, day.month, day.day, 10))


def territory(rng):
    """Entities, families, suppliers and the director (an administrator of the support entity)."""
    from mutualis.catalogue.models import PurchaseFamily
    from mutualis.organisations.models import Entity, Membership, User
    from mutualis.organisations.roles import Role
    from mutualis.suppliers.models import Supplier
    from tests.organisations.factories import make_siret

    entities = [
        Entity.objects.create(
            name="CHU support" if n == 0 else f"Centre hospitalier {n:02d}",
            siret=make_siret(),
            kind="support" if n == 0 else "hospital",
            insee_code=code,
        )
        for n, code in enumerate(ENTITY_COMMUNES)
    ]
    families = [
        PurchaseFamily.objects.create(code=f"BENCH-{n:02d}", label=f"Famille {n:02d}", nature="fournitures")
        for n in range(40)
    ]
    sirets = {make_siret() for _ in range(5_000)}
    Supplier.objects.bulk_create(
        [
            Supplier(
                identifier=siret,
                siren=siret[:9],
                name=f"Entreprise {siret[:9]}",
                size_category=rng.choice(("PME", "PME", "PME", "ETI", "GE", "")),
                insee_code=rng.choice(SUPPLIER_COMMUNES),
            )
            for siret in sorted(sirets)
        ],
        batch_size=5_000,
    )
    director = User.objects.create(username="directeur-bench", first_name="Directrice")
    Membership.objects.create(user=director, entity=entities[0], role=Role.ADMIN)
    return director, entities, families, list(Supplier.objects.values_list("pk", flat=True))


PROCEDURES = (
    ("Procédure adaptée", 45),
    ("Appel d'offres ouvert", 25),
    ("Marché passé sans publicité ni mise en concurrence préalable", 20),
    ("Procédure avec négociation", 5),
    ("Appel d'offres restreint", 3),
    ("Dialogue compétitif", 2),
)
SOCIAL = (
    (["Pas de considération sociale"], 70),
    (["Clause sociale"], 15),
    (["Critère social"], 5),
    (["Clause sociale", "Critère social"], 4),
    (["Marché réservé"], 3),
    (["Marché réservé", "Clause sociale"], 3),
)
ENVIRONMENTAL = (
    (["Pas de considération environnementale"], 60),
    (["Clause environnementale"], 20),
    (["Critère environnemental"], 10),
    (["Clause environnementale", "Critère environnemental"], 10),
)


def _pick(rng, weighted):
    return rng.choices([v for v, _ in weighted], [w for _, w in weighted])[0]


def contracts(rng, count: int, entities, families, suppliers) -> dict:
    """`count` notified contracts spread evenly over YEARS, each with one or two holders; returns the
    expected counts of a few figures, to check what the database reads back."""
    from django.db import connection

    from mutualis.contracts.models import Contract, ContractHolder

    now = _aware(date(2026, 12, 1))
    template = Contract(
        object="Fourniture de banc d'essai",
        techniques=["Sans objet"],
        execution_modes=["Sans objet"],
        cpv_id="33141000",
        price_types=["Définitif ferme"],
        price_form="Forfaitaire",
        firm_duration_months=12,
        created_at=now,
        updated_at=now,
    )
    expected = {"social_2026": 0, "reserved_2026": 0, "environmental_2026": 0}
    family_weights = [1 / (n + 1) for n in range(len(families))]
    supplier_weights = [1 / (n + 1) ** 0.8 for n in range(len(suppliers))]
    holders: list[list[int]] = []
    started = time.perf_counter()

    names = _fields(Contract)
    base = [getattr(template, name) for name in names]
    at = {name: names.index(name) for name in names}

    def generate():
        # Year by year, as a registry grows: a year's contracts sit together in the table.
        for index in range(count):
            year = YEARS[index * len(YEARS) // count]
            notified = date(year, 1, 1) + timedelta(days=rng.randint(0, 364))
            social, environmental = _pick(rng, SOCIAL), _pick(rng, ENVIRONMENTAL)
            if year == YEARS[-1]:
                expected["social_2026"] += social[0] != "Pas de considération sociale"
                expected["reserved_2026"] += "Marché réservé" in social
                expected["environmental_2026"] += environmental[0] != "Pas de considération environnementale"
            published = rng.random() < 0.85
            row = list(base)
            row[at["reference"]] = f"B{index:09d}"
            row[at["buyer_id"]] = entities[index % len(entities)].pk
            row[at["family_id"]] = (
                rng.choices(families, family_weights)[0].pk if rng.random() < 0.95 else None
            )
            row[at["procedure"]] = _pick(rng, PROCEDURES)
            row[at["offers_received"]] = None if rng.random() < 0.15 else rng.randint(1, 8)
            row[at["amount"]] = Decimal(int(rng.lognormvariate(10.5, 1.4)) + 1_000)
            row[at["notification_date"]] = notified
            row[at["social_considerations"]] = social
            row[at["environmental_considerations"]] = environmental
            row[at["data_published_on"]] = (
                notified + timedelta(days=rng.randint(5, 90)) if published else None
            )
            row[at["end_date"]] = notified + timedelta(days=365)
            picked = rng.choices(suppliers, supplier_weights, k=2 if rng.random() < 0.2 else 1)
            holders.append(sorted(set(picked)))
            yield tuple(row)

    # Only the rows inserted here: a registry may hold others already (benchmarks/load.py's demo).
    before = Contract.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    insert_batches(Contract, names, generate())
    ids = list(Contract.objects.filter(pk__gt=before).order_by("pk").values_list("pk", flat=True))

    def links():
        for contract_id, suppliers_of in zip(ids, holders, strict=True):
            for position, supplier_id in enumerate(suppliers_of):
                role = "sole" if len(suppliers_of) == 1 else ("lead" if position == 0 else "member")
                yield (contract_id, supplier_id, role, "", "", "", position)

    insert_batches(ContractHolder, _fields(ContractHolder), links())
    _analyze(connection, [Contract._meta.db_table, ContractHolder._meta.db_table])
    print(f"database: {connection.vendor}; contracts: {len(ids)}, holders: {sum(map(len, holders))}; "
          f"inserted in {time.perf_counter() - started:.1f} s")  # fmt: skip
    return expected


def projects(rng, count: int, entities, families, director) -> None:
    """Projects created over YEARS, most of them closed with their lots notified, each with its stage
    moves (some late) as the workflow logs them."""
    from django.db import connection

    from mutualis.procurements.models import Lot, ProcessMap, Project, StageTransition

    started = time.perf_counter()
    current = ProcessMap.objects.current()
    stages = list(current.stages.order_by("position"))
    made = []
    for n in range(count):
        created = date(YEARS[n % len(YEARS)], 1, 1) + timedelta(days=rng.randint(0, 364))
        closed = created < date(2026, 6, 1) and rng.random() < 0.85
        moves = len(stages) - 1 if closed else rng.randint(0, len(stages) - 1)
        made.append((created, closed, moves))
    batch = [
        Project(
            object=f"Consultation de banc d'essai n° {n}",
            family=families[n % len(families)],
            cpv_id="33141000",
            buyer_entity=entities[n % len(entities)],
            buyer=director,
            estimated_value=Decimal(rng.randint(10_000, 2_000_000)),
            procedure="procedure_adaptee",
            procedure_explanation="Banc d'essai.",
            thresholds_version="banc",
            contract_procedure="Procédure adaptée",
            planned_launch_quarter=f"{created.year}-T{(created.month - 1) // 3 + 1}",
            launched_on=created + timedelta(days=rng.randint(10, 60)) if moves >= 2 else None,
            process_map=current,
            stage=stages[moves],
            stage_entered_on=created,
            status="closed" if closed else "in_progress",
            created_at=_aware(created),
            updated_at=_aware(created),
        )
        for n, (created, closed, moves) in enumerate(made)
    ]
    bulk_insert(Project, batch)
    ids = list(Project.objects.order_by("pk").values_list("pk", flat=True))
    through = Project.entities.through
    through.objects.bulk_create(
        [through(project_id=pk, entity_id=entities[i % len(entities)].pk) for i, pk in enumerate(ids)],
        batch_size=10_000,
    )
    lots, transitions = [], []
    for pk, (created, closed, moves) in zip(ids, made, strict=True):
        day = created
        for stage in stages[:moves]:
            spent = rng.randint(3, 2 * (stage.expected_days or 15))
            day += timedelta(days=spent)
            late = stage.expected_days is not None and spent > stage.expected_days
            transitions.append(
                StageTransition(
                    project_id=pk, action="advance", from_stage=stage, at=_aware(day), was_late=late
                )
            )
        for number in range(1, rng.randint(1, 3) + 1):
            lots.append(
                Lot(
                    project_id=pk,
                    number=number,
                    title=f"Lot {number}",
                    estimated_value=Decimal(rng.randint(5_000, 500_000)),
                    notified_on=day + timedelta(days=rng.randint(0, 20)) if closed else None,
                    created_at=_aware(created),
                    updated_at=_aware(created),
                )
            )
    bulk_insert(Lot, lots)
    bulk_insert(StageTransition, transitions)
    tables = [Project._meta.db_table, Lot._meta.db_table, StageTransition._meta.db_table]
    _analyze(connection, tables)
    print(f"projects: {len(ids)}, lots: {len(lots)}, stage moves: {len(transitions)}; "
          f"inserted in {time.perf_counter() - started:.1f} s")  # fmt: skip


def gains_and_spend(rng, entities, families, director, gain_count=2_000, line_count=50_000) -> None:
    """Gains over the years (their figures from the method) and a smaller year of spend lines."""
    from django.db import connection

    from mutualis.gains.method import GainKind
    from mutualis.gains.models import Gain, GainStatus, GainTarget, ReferenceSource
    from mutualis.spend.cube import spend_cube_refresh
    from mutualis.spend.models import MatchMethod, SpendLine

    started = time.perf_counter()
    GainTarget.objects.create(year=YEARS[-1], amount=Decimal("25000000"))
    gains = []
    for n in range(gain_count):
        reference = Decimal(rng.randint(1_000, 500_000))
        gain = Gain(
            label=f"Gain de banc d'essai {n:06d}",
            entity=entities[n % len(entities)],
            family=families[n % len(families)],
            buyer=director,
            kind=GainKind.RECURRING,
            reference_source=ReferenceSource.PREVIOUS_CONTRACT,
            reference_unit_price=reference,
            new_unit_price=(reference * Decimal(rng.randint(70, 100)) / 100).quantize(Decimal("0.01")),
            quantity=Decimal(1),
            notification_date=date(YEARS[n % len(YEARS)], 1, 1) + timedelta(days=rng.randint(0, 364)),
            status=rng.choice((GainStatus.DECLARED, GainStatus.VALIDATED, GainStatus.PROPOSED)),
        )
        gain.recompute()
        gains.append(gain)
    Gain.objects.bulk_create(gains, batch_size=5_000)
    year = YEARS[-1]
    lines = [
        SpendLine(
            entity=entities[n % len(entities)],
            fiscal_year=year,
            mandate_number=f"{n:08d}",
            paid_on=date(year, 1, 1) + timedelta(days=rng.randint(0, 364)),
            supplier_siret="",
            supplier_name="Fournisseur",
            amount_ht=Decimal(rng.randint(500, 500_000)) / 100,
            account="6021",
            family=families[n % len(families)],
            match_method=MatchMethod.OFF_CONTRACT,
        )
        for n in range(line_count)
    ]
    SpendLine.objects.bulk_create(lines, batch_size=10_000)
    spend_cube_refresh()  # as every write of lines does: the indicators read the spend map's cube
    _analyze(connection, [Gain._meta.db_table, SpendLine._meta.db_table])
    print(
        f"gains: {gain_count}, spend lines: {line_count}; inserted in {time.perf_counter() - started:.1f} s"
    )


def _analyze(connection, tables) -> None:
    """What autovacuum does after such an insert: statistics (and the visibility map on PostgreSQL)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in tables:
                cursor.execute(f"VACUUM ANALYZE {table}")
        else:
            cursor.execute("ANALYZE")


def populate(contract_count: int):
    rng = random.Random(20261201)
    director, entities, families, suppliers = territory(rng)
    expected = contracts(rng, contract_count, entities, families, suppliers)
    projects(rng, max(contract_count // 50, 1_000), entities, families, director)
    gains_and_spend(rng, entities, families, director)
    return director, entities, families, expected
