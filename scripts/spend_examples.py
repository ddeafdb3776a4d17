"""Write the sample finance exports of docs/examples/: one file per layout the spend import accepts.

The rows are made up (amounts, mandate numbers, labels) but the suppliers are real holders of published
contracts (src/mutualis/demo/data/attributions_decp.csv), so the files import into the demo as they are.
Run from the repository: `python scripts/spend_examples.py`; the files are committed, the script keeps
them reproducible.
"""

import csv
import random
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "examples"
SUPPLIERS = ROOT / "src" / "mutualis" / "demo" / "data" / "attributions_decp.csv"
NBSP = "\u00a0"
ACCOUNTS = [
    ("6023", "Denrées alimentaires"),
    ("6064", "Fournitures administratives"),
    ("60262", "Produits d'entretien"),
    ("6283", "Nettoyage des locaux"),
    ("60612", "Électricité"),
    ("6262", "Téléphonie"),
]


def rows(count: int = 24) -> list[dict]:
    rng = random.Random(2026)  # noqa: S311 - reproducible sample data, not a secret
    with SUPPLIERS.open(encoding="utf-8") as handle:
        suppliers = sorted({(r["siret"], r["name"]) for r in csv.DictReader(handle)})[:40]
    day = date(2026, 1, 12)
    result = []
    for number in range(1, count + 1):
        siret, name = rng.choice(suppliers)
        account, label = rng.choice(ACCOUNTS)
        amount = Decimal(rng.randint(12_000, 2_450_000)) / 100
        result.append(
            {
                "exercice": 2026,
                "numero_mandat": f"26{number:05d}",
                "date": day,
                "siret": siret,
                "fournisseur": name,
                "montant_ht": amount,
                "montant_ttc": (amount * Decimal("1.2")).quantize(Decimal("0.01")),
                "compte": account,
                "numero_marche": "",
                "libelle": f"{label} — facture {rng.randint(1000, 99999)}",
            }
        )
        day += timedelta(days=rng.randint(3, 14))
    return result


def french(amount: Decimal) -> str:
    """12 345,67 with a non-breaking space, as French Excel writes it."""
    whole, cents = f"{amount:.2f}".split(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return f"{NBSP.join(groups)},{cents}"


def siret_spaced(siret: str) -> str:
    return f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}"


def write_csv(name, headers, values, *, delimiter=";", encoding="utf-8") -> None:
    with (OUT / name).open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter, lineterminator="\r\n")
        writer.writerow(headers)
        writer.writerows(values)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    data = rows()
    plain = ["exercice", "numero_mandat", "date", "siret_fournisseur", "fournisseur", "montant_ht"]
    plain += ["montant_ttc", "compte", "numero_marche", "libelle"]
    french_rows = [
        [r["exercice"], r["numero_mandat"], f"{r['date']:%d/%m/%Y}", siret_spaced(r["siret"]),
         r["fournisseur"], french(r["montant_ht"]), french(r["montant_ttc"]), r["compte"],
         r["numero_marche"], r["libelle"]]
        for r in data
    ]  # fmt: skip
    # 1. The reference layout: semicolons, UTF-8, French dates and amounts.
    write_csv("depenses_point-virgule_utf8.csv", plain, french_rows)
    # 2. What Excel's « CSV UTF-8 » writes: the same with a byte order mark.
    write_csv("depenses_point-virgule_utf8-bom.csv", plain, french_rows, encoding="utf-8-sig")
    # 3. Older finance software: Windows-1252 and headers as people write them.
    spoken = ["Exercice", "Numéro mandat", "Date", "SIRET fournisseur", "Fournisseur", "Montant HT"]
    spoken += ["Montant TTC", "Compte", "Numéro marché", "Libellé"]
    write_csv("depenses_windows-1252.csv", spoken, french_rows, encoding="cp1252")
    # 4. Commas, decimal points and ISO dates (an export meant for other software).
    iso_rows = [
        [r["exercice"], r["numero_mandat"], r["date"].isoformat(), r["siret"], r["fournisseur"],
         f"{r['montant_ht']:.2f}", f"{r['montant_ttc']:.2f}", r["compte"], r["numero_marche"], r["libelle"]]
        for r in data
    ]  # fmt: skip
    write_csv("depenses_virgule_iso.csv", plain, iso_rows, delimiter=",")
    # 5. SIREN only: some software keeps the company, not the establishment.
    siren_headers = ["exercice", "numero_mandat", "date", "siren", "fournisseur", "montant_ht", "compte"]
    siren_headers += ["libelle"]
    siren_rows = [
        [r["exercice"], r["numero_mandat"], f"{r['date']:%d/%m/%Y}", r["siret"][:9], r["fournisseur"],
         french(r["montant_ht"]), r["compte"], r["libelle"]]
        for r in data
    ]  # fmt: skip
    write_csv("depenses_siren.csv", siren_headers, siren_rows)
    # 6. An Excel workbook with typed cells: dates as dates, amounts as numbers.
    book = Workbook()
    sheet = book.active
    sheet.title = "Mandats"
    sheet.append(spoken)
    for r in data:
        sheet.append(
            [r["exercice"], r["numero_mandat"], r["date"], r["siret"], r["fournisseur"],
             float(r["montant_ht"]), float(r["montant_ttc"]), r["compte"], r["numero_marche"], r["libelle"]]
        )  # fmt: skip
        sheet.cell(sheet.max_row, 3).number_format = "DD/MM/YYYY"
    book.save(OUT / "depenses.xlsx")


if __name__ == "__main__":
    main()
