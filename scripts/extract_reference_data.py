"""Build the reference and demo files shipped in the package from ../shared/data (development only).

The application never reads ../shared at run time: this script writes compact copies inside the
package, and each data folder has a SOURCE.md naming the origin and licence.
Run: .venv/bin/python scripts/extract_reference_data.py
"""

import csv
import json
import re
from collections import Counter
from pathlib import Path

from demo_sirene import demo_sirene  # scripts/ is the path of a script run

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
PKG = ROOT / "src" / "mutualis"
DEMO_DEPARTMENT = "21"


def write_csv(path: Path, fieldnames: list[str], rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fieldnames, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{path.relative_to(ROOT)}: {len(rows)} rows")


def communes() -> None:
    rows = []
    with (SHARED / "buyers" / "communes.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            # COMD/COMA (delegated/associated communes) reuse codes of their parent: keep COM and ARM.
            if row["TYPECOM"] in {"COM", "ARM"}:
                dep = row["DEP"] or row["COM"][:2]
                rows.append(
                    {"code": row["COM"], "name": row["LIBELLE"], "department": dep, "region": row["REG"]}
                )
    write_csv(PKG / "geo" / "data" / "communes_cog.csv", ["code", "name", "department", "region"], rows)


def cpv() -> None:
    rows = []
    with (SHARED / "cpv" / "cpv_2008_fr.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            rows.append({"code": row["CODE"], "label": row["FR"]})
    write_csv(PKG / "catalogue" / "data" / "cpv_2008_fr.csv", ["code", "label"], rows)


def commune_codes_by_name(department: str) -> dict[str, str]:
    """INSEE code by upper-case name without accents (NCC), hyphens read as spaces."""
    mapping = {}
    with (SHARED / "buyers" / "communes.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["TYPECOM"] == "COM" and row["DEP"] == department:
                mapping[row["NCC"].replace("-", " ")] = row["COM"]
    return mapping


# FINESS lists geographic establishments; the legal entity's own name is not in the extract.
# These two are the entities' public names, where no establishment row carries it.
ENTITY_NAMES = {
    "210780581": ("CENTRE HOSPITALIER UNIVERSITAIRE DIJON BOURGOGNE", "21000", "DIJON"),
    "210780607": ("CENTRE HOSPITALIER LA CHARTREUSE", "21000", "DIJON"),
}


def demo_hospitals() -> None:
    """Public hospitals of one département, one row per legal entity (FINESS EJ)."""
    by_ej: dict[str, list[dict]] = {}
    insee = commune_codes_by_name(DEMO_DEPARTMENT)
    with (SHARED / "buyers" / "finess_hopitaux_france.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if (
                row["departement_code"] != DEMO_DEPARTMENT
                or row["statut_juridique_lib"] != "Etablissement public de santé"
            ):
                continue
            if not row["siret"] or not row["rs_longue"]:
                continue
            postal_code, _, city = row["ville_cp"].partition(" ")
            city = re.sub(r" CEDEX.*$", "", city)
            if row["nofinessej"] in ENTITY_NAMES:
                row["rs_longue"], postal_code, city = ENTITY_NAMES[row["nofinessej"]]
            candidate = {
                "finess_ej": row["nofinessej"],
                "finess_et": row["nofinesset"],
                "name": row["rs_longue"],
                "siret": row["siret"],
                "category": row["categorie_libelle"],
                "postal_code": postal_code,
                "city": city,
                "insee_code": insee.get(city.replace("-", " "), ""),
            }
            by_ej.setdefault(row["nofinessej"], []).append(candidate)
    chosen = []
    for rows in by_ej.values():
        # FINESS sometimes files an establishment of another SIREN under the entity: keep the
        # entity's most frequent SIREN, then its head office (smallest NIC).
        sirens = Counter(r["siret"][:9] for r in rows)
        siren = sirens.most_common(1)[0][0]
        chosen.append(min((r for r in rows if r["siret"].startswith(siren)), key=lambda r: r["siret"]))
    fields = ["finess_ej", "finess_et", "name", "siret", "category", "postal_code", "city", "insee_code"]
    write_csv(
        PKG / "demo" / "data" / "hopitaux_cote_d_or.csv", fields, sorted(chosen, key=lambda r: r["siret"])
    )


def demo_awards() -> None:
    """Real awards (holder, CPV, amount) of 2019-format DECP whose CPV falls in a demo family.

    The demo gives each family's contracts to companies that really won contracts of that family,
    with amounts of the same order: one row per holder of each such published contract.
    """
    import sys

    from stdnum.fr import siret

    sys.path.insert(0, str(ROOT / "src"))
    from mutualis.demo.awards import cpv_prefix
    from mutualis.demo.families import FAMILIES

    prefixes = {cpv_prefix(c) for family in FAMILIES for c in family[3].split(",")}
    rows, seen = [], set()
    for name in ["data.gouv.fr_pes.json", "marches-securises_croix_21590163800019_2019-2021.json"]:
        data = json.loads((SHARED / "decp" / "v1-2019-format" / name).read_text(encoding="utf-8"))
        for record in data["marches"]:
            cpv = str(record.get("codeCPV") or "").split("-")[0].strip()
            if not any(cpv.startswith(p) for p in prefixes):
                continue
            try:
                amount = round(float(str(record.get("montant") or "0").replace(",", ".")))
            except ValueError:
                continue
            for holder in record.get("titulaires") or []:
                ident = str(holder.get("id", "")).replace(" ", "")
                label = (
                    (holder.get("denominationSociale") or "").replace("\\'", "'").replace('\\"', '"').strip()
                )
                key = (ident, record.get("uid") or record.get("id"))
                if not label or "Ã" in label or not siret.is_valid(ident) or amount <= 0 or key in seen:
                    continue
                seen.add(key)
                buyer = (record.get("acheteur") or {}).get("nom", "")
                rows.append(
                    {
                        "siret": ident,
                        "name": label[:200],
                        "cpv": cpv,
                        "amount": amount,
                        "notified": str(record.get("dateNotification") or "")[:10],
                        "buyer": buyer.replace("\\'", "'")[:200],
                    }
                )
    fields = ["siret", "name", "cpv", "amount", "notified", "buyer"]
    write_csv(PKG / "demo" / "data" / "attributions_decp.csv", fields, rows)


def _family_prefixes() -> set[str]:
    import sys

    sys.path.insert(0, str(ROOT / "src"))
    from mutualis.demo.awards import cpv_prefix
    from mutualis.demo.families import FAMILIES

    return {cpv_prefix(c) for family in FAMILIES for c in family[3].split(",")}


def demo_benchmark_sample() -> None:
    """Real DECP records of the demo families, kept as published, for the benchmark page.

    load_demo imports them through the DECP import (same reading, normalisation and repairs as a
    national file); their buyers are outside the demo territory.
    """
    prefixes = _family_prefixes()

    def in_families(record: dict) -> bool:
        cpv = str(record.get("codeCPV") or "").split("-")[0].strip()
        return any(cpv.startswith(p) for p in prefixes)

    folder = SHARED / "decp"
    kept_2019 = []
    for name in ["data.gouv.fr_pes.json", "marches-securises_croix_21590163800019_2019-2021.json"]:
        data = json.loads((folder / "v1-2019-format" / name).read_text(encoding="utf-8"))
        kept_2019 += [r for r in data["marches"] if in_families(r)]
    kept_2022 = []
    for path in sorted((folder / "v2-2022-format" / "dematis").glob("dematis*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        kept_2022 += [r for r in data["marches"].get("marche") or [] if in_families(r)]
    target = PKG / "demo" / "data"
    for name, document, count in [
        ("parangonnage_decp_2019.json", {"marches": kept_2019}, len(kept_2019)),
        ("parangonnage_decp_2022.json", {"marches": {"marche": kept_2022}}, len(kept_2022)),
    ]:
        (target / name).write_text(json.dumps(document, ensure_ascii=False, indent=None), encoding="utf-8")
        print(f"{(target / name).relative_to(ROOT)}: {count} records")


DEMO_AGGLOMERATION_SIREN = "248300493"  # CA Dracénie Provence Verdon Agglomération (BANATIC)


def _luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char) * (2 if index % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _demo_siret(siren: str) -> str:
    """SIREN + the first NIC from 00010 that the SIRET check digit accepts. SIRENE is not shipped: the
    real NIC of the town hall may differ (SOURCE.md says so)."""
    return next(siren + f"{nic:05d}" for nic in range(10, 100000) if _luhn_ok(siren + f"{nic:05d}"))


def demo_agglomeration() -> None:
    """The agglomeration of the second demo and its member communes, from BANATIC (2025)."""
    import openpyxl

    postal = {}
    with (SHARED / "buyers" / "laposte_hexasmal_2020.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            postal.setdefault(row["Code_commune_INSEE"], row["Code_postal"])
    names = {}
    with (PKG / "geo" / "data" / "communes_cog.csv").open(encoding="utf-8") as handle:
        names = {row["code"]: row["name"] for row in csv.DictReader(handle)}
    book = openpyxl.load_workbook(SHARED / "buyers" / "epcicom.xlsx", read_only=True)
    rows = []
    for line in book.worksheets[0].iter_rows(min_row=2, values_only=True):
        siren, epci, insee, member_siren, population = str(line[1]), line[2], line[9], line[10], line[12]
        if siren != DEMO_AGGLOMERATION_SIREN:
            continue
        if not rows:  # the agglomeration first, seated in its largest commune (Draguignan)
            rows.append(
                {
                    "kind": "epci",
                    "siren": siren,
                    "siret": _demo_siret(siren),
                    "name": epci,
                    "insee_code": "83050",
                    "postal_code": postal.get("83050", ""),
                    "population": "",
                }
            )
        rows.append({"kind": "commune", "siren": str(member_siren), "siret": _demo_siret(str(member_siren)),
                     "name": names[insee], "insee_code": insee, "postal_code": postal.get(insee, ""),
                     "population": population})  # fmt: skip
    fields = ["kind", "siren", "siret", "name", "insee_code", "postal_code", "population"]
    write_csv(PKG / "demo" / "data" / "agglomeration_dracenie.csv", fields, rows)


if __name__ == "__main__":
    (PKG / "demo" / "data").mkdir(parents=True, exist_ok=True)
    communes()
    cpv()
    demo_hospitals()
    demo_awards()
    demo_sirene()  # after the awards: the extract covers their holders (scripts/demo_sirene.py)
    demo_benchmark_sample()
    demo_agglomeration()
