"""Spend lines written straight to the table, as an import would, for the spend map's tests."""

from datetime import date
from decimal import Decimal
from itertools import count

from mutualis.spend.cube import spend_cube_refresh
from mutualis.spend.models import MatchMethod, SpendLine

_serial = count(1)


def make_line(*, entity, year=2025, amount="100.00", contract=None, family=None, siren="", name="", **fields):
    """One payment order; off contract unless a contract is given."""
    number = next(_serial)
    values = {
        "entity": entity,
        "fiscal_year": year,
        "mandate_number": f"M{number:07d}",
        "paid_on": date(year, 3, 1),
        "supplier_siren": siren,
        "supplier_siret": f"{siren}00011" if siren else "",
        "supplier_name": name or (f"Fournisseur {siren}" if siren else "Fournisseur inconnu"),
        "amount_ht": Decimal(amount),
        "account": "6021",
        "contract": contract,
        "family": family,
        "match_method": MatchMethod.REFERENCE if contract else MatchMethod.OFF_CONTRACT,
    }
    values.update(fields)
    line = SpendLine.objects.create(**values)
    spend_cube_refresh([line.entity_id], [line.fiscal_year])  # as every write of lines does
    return line
