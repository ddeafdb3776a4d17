"""The spend map's two cubes (SpendFamilyCell, SpendSupplierCell), rebuilt from the lines in SQL.

Every write to spend lines ends here for the entities and years it touched: an import (whole entity),
a buyer's correction (its line's year), a reclassification, a contract's deletion (its lines become off
contract). Summing at write time is what lets a million-line import keep the lines table to its few
indexes (benchmarks/import_spend.py) while the map reads only the cells (benchmarks/spend_map.py).
"""

from django.db import connection, transaction

from .models import SpendFamilyCell, SpendLine, SpendSupplierCell

_GRAINS = (
    (SpendFamilyCell, ["entity_id", "fiscal_year", "family_id"], []),
    (SpendSupplierCell, ["entity_id", "fiscal_year", "supplier_siren"], ["supplier_name"]),
)


@transaction.atomic
def spend_cube_refresh(entity_ids=None, years=None) -> None:
    """Sum the lines again for these entities (None: all) and fiscal years (None: all)."""
    lines = SpendLine._meta.db_table
    where, params = [], []
    if entity_ids is not None:
        entity_ids = list(entity_ids)
        if not entity_ids:
            return
        where.append(f"entity_id IN ({', '.join(['%s'] * len(entity_ids))})")
        params += entity_ids
    if years is not None:
        years = list(years)
        if not years:
            return
        where.append(f"fiscal_year IN ({', '.join(['%s'] * len(years))})")
        params += years
    condition = f" WHERE {' AND '.join(where)}" if where else ""
    with connection.cursor() as cursor:
        for model, keys, names in _GRAINS:
            table = model._meta.db_table
            cursor.execute(f"DELETE FROM {table}{condition}", params)  # noqa: S608 - names from the models
            groups = ", ".join(keys)
            named = "".join(f", MAX({name})" for name in names)
            columns = ", ".join([*keys, *names, "off", "amount", "lines"])
            cursor.execute(
                f"INSERT INTO {table} ({columns}) "  # noqa: S608 - names from the models
                f"SELECT {groups}{named}, contract_id IS NULL, SUM(amount_ht), COUNT(*) FROM {lines}"
                f"{condition} GROUP BY {groups}, contract_id IS NULL",
                params,
            )
