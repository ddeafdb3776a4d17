"""Finance export files for the spend import tests: the same rows written in every accepted variant."""

from pathlib import Path

from openpyxl import Workbook

from tests.organisations.factories import make_siret

HEADER = [
    "exercice", "numero_mandat", "date", "siret_fournisseur", "fournisseur", "montant_ht", "montant_ttc",
    "compte", "numero_marche", "libelle",
]  # fmt: skip


def rows(siret: str, count: int = 3, year: int = 2025, reference: str = "") -> list[list[str]]:
    """`count` good rows of one supplier, French style: decimal comma, dd/mm/yyyy."""
    return [
        [str(year), f"M{n:05d}", f"{(n % 28) + 1:02d}/03/{year}", siret, "Société Générale d'Hygiène",
         f"{n}00,50", f"{n}20,60", "60628", reference, f"Fournitures n° {n} — été"]
        for n in range(1, count + 1)
    ]  # fmt: skip


def write_csv(folder: Path, lines: list[list[str]], *, name="mandats.csv", sep=";", encoding="utf-8",
              header=None) -> Path:  # fmt: skip
    path = folder / name
    text = "\r\n".join(sep.join(line) for line in [header or HEADER, *lines]) + "\r\n"
    path.write_bytes(text.encode(encoding))
    return path


def write_xlsx(folder: Path, lines: list[list], *, name="mandats.xlsx", header=None) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header or HEADER)
    for line in lines:
        sheet.append(line)
    path = folder / name
    workbook.save(path)
    return path


def new_siret() -> str:
    return make_siret()
