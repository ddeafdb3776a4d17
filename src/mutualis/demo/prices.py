"""Price schedules (BPU) for the demo's framework agreements of everyday supplies: a few lines each, at
prices of the order buyers see, with annual quantities that fit the contract's amount. The demo's
mandates on these contracts are then quantities ordered at these prices (demo/spend.py)."""

from decimal import Decimal

from mutualis.contracts.enums import PriceForm
from mutualis.contracts.models import Contract, PriceLine
from mutualis.contracts.prices import price_lines_replace

# family code → (designation, unit, unit price HT, VAT rate)
CATALOGUE = {
    "MED-02": [
        ("Gants d'examen nitrile non poudrés, boîte de 100", "boîte", "4.20", "20"),
        ("Compresses stériles 10 × 10 cm, sachet de 5", "sachet", "0.38", "20"),
        ("Seringues 10 ml Luer lock, boîte de 100", "boîte", "9.80", "20"),
    ],
    "MED-03": [
        ("Tubes de prélèvement EDTA, boîte de 100", "boîte", "17.50", "20"),
        ("Cônes de pipette 200 µl, rack de 96", "rack", "6.90", "20"),
    ],
    "HOT-01": [
        ("Yaourt nature 125 g", "pièce", "0.21", "5.5"),
        ("Filet de colin MSC surgelé", "kg", "9.40", "5.5"),
        ("Pommes de terre de la région", "kg", "0.85", "5.5"),
    ],
    "HOT-04": [
        ("Détergent désinfectant sols, bidon de 5 l", "bidon", "14.60", "20"),
        ("Essuie-mains pliés, carton de 3 750", "carton", "27.90", "20"),
    ],
    "LOG-03": [
        ("Ramettes de papier A4 80 g recyclé, carton de 5", "carton", "19.80", "20"),
        ("Enveloppes C5 auto-adhésives, boîte de 500", "boîte", "23.40", "20"),
    ],
    "NUM-01": [
        ("Poste de travail fixe (unité centrale et écran)", "poste", "780.00", "20"),
        ("Ordinateur portable 14 pouces", "poste", "960.00", "20"),
    ],
}
SHARE_OF_AMOUNT = Decimal("0.8")  # the schedule's quantities use 80 % of the maximum over the duration


def load_price_schedules(actor) -> int:
    """A schedule on every unit-price framework of the catalogue's families that has none yet."""
    contracts = (
        Contract.objects.filter(is_framework=True, price_form=PriceForm.UNIT, family__code__in=CATALOGUE)
        .exclude(pk__in=PriceLine.objects.values("contract_id"))
        .select_related("family")
        .order_by("pk")
    )
    done = 0
    for contract in contracts:
        items = CATALOGUE[contract.family.code]
        years = Decimal(contract.duration_months) / 12
        yearly = contract.amount * SHARE_OF_AMOUNT / years / len(items)
        lines = [
            {
                "label": label,
                "unit": unit,
                "unit_price": Decimal(price),
                "vat_rate": vat,
                "annual_quantity": max(Decimal(1), (yearly / Decimal(price)).quantize(Decimal(1))),
            }
            for label, unit, price, vat in items
        ]
        price_lines_replace(actor=actor, contract=contract, lines=lines)
        done += 1
    return done
