"""Files in the INSEE stock layout, written for the tests."""

import csv
import zipfile
from pathlib import Path

from mutualis.suppliers.sirene.layout import ESTABLISHMENT_HEADER, LEGAL_UNIT_HEADER, row_of


def establishment(siret: str, **values) -> dict:
    """A StockEtablissement row: an active head office in Dijon unless told otherwise."""
    row = {
        "siren": siret[:9], "nic": siret[9:], "siret": siret, "statutDiffusionEtablissement": "O",
        "etablissementSiege": "true", "numeroVoieEtablissement": "12", "indiceRepetitionEtablissement": "B",
        "typeVoieEtablissement": "RUE", "libelleVoieEtablissement": "DE LA LIBERTE",
        "complementAdresseEtablissement": "BATIMENT C", "codePostalEtablissement": "21000",
        "libelleCommuneEtablissement": "DIJON", "codeCommuneEtablissement": "21231",
        "etatAdministratifEtablissement": "A", "activitePrincipaleEtablissement": "46.46Z",
        "nomenclatureActivitePrincipaleEtablissement": "NAFRev2", "dateDebut": "2020-01-01",
    }  # fmt: skip
    return row | values


def legal_unit(siren: str, **values) -> dict:
    row = {
        "siren": siren, "statutDiffusionUniteLegale": "O", "categorieEntreprise": "PME",
        "etatAdministratifUniteLegale": "A", "denominationUniteLegale": "FOURNITURES BOURGUIGNONNES",
        "categorieJuridiqueUniteLegale": "5710", "economieSocialeSolidaireUniteLegale": "N",
        "activitePrincipaleUniteLegale": "46.46Z", "nicSiegeUniteLegale": "00011",
    }  # fmt: skip
    return row | values


def write(path: Path, header, rows: list[dict], *, delimiter=",", zipped=False) -> Path:
    csv_path = path.with_suffix(".csv")
    with csv_path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(row_of(header, row) if isinstance(row, dict) else row for row in rows)
    if not zipped:
        return csv_path
    zip_path = path.with_suffix(".zip")
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(csv_path, csv_path.name)
    return zip_path


def establishments(path: Path, rows, **options) -> Path:
    return write(path, ESTABLISHMENT_HEADER, rows, **options)


def legal_units(path: Path, rows, **options) -> Path:
    return write(path, LEGAL_UNIT_HEADER, rows, **options)
