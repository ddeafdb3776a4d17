"""The demo's ILLUSTRATIVE SIRENE extract and inclusion list (development only; see demo/data/SOURCE.md).

There is no SIRENE data on the development machine: the SIRETs and names are the real DECP holders of
attributions_decp.csv, every other value (address, commune, category, legal form, activity, state,
inclusion kind) is chosen here for the demo, deterministically from the SIRET, and written in the exact
column layout of the INSEE stock files so that `load_demo` reads them through the real import.
Run: .venv/bin/python scripts/demo_sirene.py (also run by extract_reference_data.py).
"""

import csv
import hashlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
PKG = ROOT / "src" / "mutualis"
DATA = PKG / "demo" / "data"
sys.path.insert(0, str(ROOT / "src"))

# The package's own layout (no Django needed), so that the files read like the INSEE ones.
from mutualis.suppliers.sirene import layout  # noqa: E402

# Côte-d'Or communes (the GHT demo's département) and large towns elsewhere, by INSEE code.
LOCAL = ["21231", "21054", "21166", "21515", "21355", "21617", "21038", "21425", "21317", "21464"]
ELSEWHERE = ["75108", "69383", "13208", "59350", "33063", "44109", "31555", "67482", "35238", "45234",
             "51454", "80021", "06088", "83137"]  # fmt: skip
STREETS = [("RUE", "DE LA REPUBLIQUE"), ("AV", "DU GENERAL DE GAULLE"), ("RUE", "DES ARTISANS"),
           ("BD", "PASTEUR"), ("ZI", "DES GRANDS CHAMPS"), ("RUE", "VICTOR HUGO"), ("ZA", "DU PORT"),
           ("CHE", "DES VIGNES"), ("AV", "JEAN JAURES"), ("RTE", "DE PARIS")]  # fmt: skip
# Activity (NAF rév. 2) by the CPV division of the holder's first award.
NAF_BY_CPV = {
    "45": "43.99C", "71": "71.12B", "15": "46.39B", "90": "38.11Z", "72": "62.02A", "34": "45.11Z",
    "39": "46.65Z", "50": "43.22B", "66": "65.12Z", "30": "46.66Z", "48": "58.29C", "64": "61.10Z",
    "18": "46.42Z", "33": "46.46Z", "79": "70.22Z", "09": "35.14Z", "60": "49.39A", "98": "96.09Z",
}  # fmt: skip
LARGE = (
    "ENGIE", "SUEZ", "SFR", "ORANGE", "AXA", "ALLIANZ", "BOUYGUES", "COLAS", "EIFFAGE", "EUROVIA", "SPIE",
    "OTIS", "DALKIA", "POMONA", "SYSCO", "LYRECO", "ORACLE", "PFIZER", "SANOFI", "MEDTRONIC", "ONET", "IDEX",
    "BUREAU VERITAS", "DEKRA", "SOCOTEC", "APAVE", "RENAULT", "GROUPAMA", "BERGER LEVRAULT", "KPMG",
    "TRANSGOURMET", "SAUR", "DOCAPOST", "CEGELEC", "SMACL", "MARSH", "SIACI",
)  # fmt: skip
# People trading under their own name: no denomination; the first one asked not to be fully diffused.
INDIVIDUALS = {"79403450400017": ("LEFEVRE", "GREGORY"), "79524175100010": ("MIDELET", "MAXIME"),
               "48241036200040": ("OURDOUILLIE", "CHRISTOPHE"), "45216730700019": ("MARTIN", "REGIS"),
               "53203603500014": ("PASQUIER", "VINCENT")}  # fmt: skip
PARTIAL = {"79403450400017"}
# Four holders whose names say an inclusive structure, with an illustrative kind and commune.
INCLUSION = {"42265580300043": ("EI", "38563"), "40916209600021": ("ESAT", "02381"),
             "78975512100025": ("EA", "51454"), "80469449500016": ("ACI", "21231")}  # fmt: skip
PUBLIC = {"77605646700355": "4110", "18006003001267": "7389", "22020002600460": "7220"}
CLOSED = {"54210765113030"}  # an establishment since closed (F)


def _pick(siret: str, salt: str, choices):
    digest = hashlib.sha256(f"{salt}:{siret}".encode()).digest()
    return choices[int.from_bytes(digest[:4], "big") % len(choices)]


def _legal_form(siret: str, name: str) -> str:
    words = set(name.upper().replace(".", " ").split())
    if siret in INDIVIDUALS:
        return "1000"
    if siret in PUBLIC:
        return PUBLIC[siret]
    associative = siret in INCLUSION and INCLUSION[siret][0] != "EI"  # an EI is a company here
    if associative or words & {"ASS", "ASSOCIATION", "CONSERVATOIRE", "CPIE"}:
        return "9220"
    for token, code in (
        ("EURL", "5498"),
        ("SARL", "5499"),
        ("SASU", "5720"),
        ("SAS", "5710"),
        ("SA", "5599"),
    ):
        if token in words:
            return code
    return _pick(siret, "form", ["5710", "5710", "5499", "5720", "5599"])


def demo_sirene() -> None:
    names, cpv = {}, {}
    with (DATA / "attributions_decp.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            names.setdefault(row["siret"], row["name"])
            cpv.setdefault(row["siret"], row["cpv"][:2])
    communes = {}
    with (PKG / "geo" / "data" / "communes_cog.csv").open(encoding="utf-8") as handle:
        communes = {row["code"]: row["name"] for row in csv.DictReader(handle)}
    postal = {}
    with (SHARED / "buyers" / "laposte_hexasmal_2020.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            postal.setdefault(row["Code_commune_INSEE"], row["Code_postal"])
    postal |= {
        "75108": "75008",
        "69383": "69003",
        "13208": "13008",
    }  # arrondissements: La Poste lists the city
    establishments, units, head_offices = [], [], {}
    for siret, name in names.items():
        head = (
            head_offices.setdefault(siret[:9], siret) == siret
        )  # a company's first SIRET is its head office
        siren, form = siret[:9], _legal_form(siret, name)
        if siret in INCLUSION:
            commune = INCLUSION[siret][1]
        else:
            commune = _pick(siret, "commune", LOCAL if _pick(siret, "local", range(8)) == 0 else ELSEWHERE)
        way_type, way = _pick(siret, "street", STREETS)
        partial = siret in PARTIAL
        establishments.append(layout.row_of(layout.ESTABLISHMENT_HEADER, {
            "siren": siren, "nic": siret[9:], "siret": siret,
            "statutDiffusionEtablissement": "P" if partial else "O",
            "etablissementSiege": "true" if head else "false",
            "numeroVoieEtablissement": "[ND]" if partial else _pick(siret, "number", range(1, 121)),
            "typeVoieEtablissement": "[ND]" if partial else way_type,
            "libelleVoieEtablissement": "[ND]" if partial else way,
            "codePostalEtablissement": postal[commune], "codeCommuneEtablissement": commune,
            "libelleCommuneEtablissement": communes[commune].upper(), "dateDebut": "2020-01-01",
            "etatAdministratifEtablissement": "F" if siret in CLOSED else "A",
            "activitePrincipaleEtablissement": NAF_BY_CPV.get(cpv[siret], "82.99Z"),
            "nomenclatureActivitePrincipaleEtablissement": "NAFRev2",
        }))  # fmt: skip
        person = INDIVIDUALS.get(siret)
        large = any(word in name.upper() for word in LARGE)
        category = "GE" if large else "" if person else _pick(siret, "size", ["PME", "PME", "PME", "ETI"])
        ess = "O" if form.startswith("92") else "N"
        units.append(layout.row_of(layout.LEGAL_UNIT_HEADER, {
            "siren": siren, "statutDiffusionUniteLegale": "P" if partial else "O",
            "categorieEntreprise": category, "etatAdministratifUniteLegale": "A",
            "denominationUniteLegale": "" if person else name,
            "nomUniteLegale": person[0] if person else "", "prenom1UniteLegale": person[1] if person else "",
            "categorieJuridiqueUniteLegale": form, "economieSocialeSolidaireUniteLegale": ess,
            "activitePrincipaleUniteLegale": NAF_BY_CPV.get(cpv[siret], "82.99Z"),
            "nomenclatureActivitePrincipaleUniteLegale": "NAFRev2",
            "nicSiegeUniteLegale": head_offices[siren][9:],
        }))  # fmt: skip
    units = list({row[0]: row for row in units}.values())  # one row per SIREN, as in StockUniteLegale
    _write(DATA / "sirene_extrait_etablissements.csv", layout.ESTABLISHMENT_HEADER, establishments)
    _write(DATA / "sirene_extrait_unites_legales.csv", layout.LEGAL_UNIT_HEADER, units)
    inclusion = [[siret, kind, names[siret]] for siret, (kind, _) in INCLUSION.items()]
    _write(DATA / "inclusion_extrait.csv", layout.INCLUSION_HEADER, inclusion)


def _write(path: Path, header, rows) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")  # INSEE files: comma, UTF-8, no BOM
        writer.writerow(header)
        writer.writerows(rows)
    print(f"{path.relative_to(ROOT)}: {len(rows)} rows")


if __name__ == "__main__":
    demo_sirene()
