"""DECP import on real published files shipped in tests/data/decp (their defects included)."""

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from mutualis.contracts.models import Contract
from mutualis.opendata.decp_import.service import import_decp
from mutualis.opendata.models import ExternalContract, ExternalHolder
from tests.organisations.factories import EntityFactory

DECP = Path(__file__).resolve().parents[1] / "data" / "decp"
DEMATIS = sorted((DECP / "v2-2022-format" / "dematis").glob("*.json"))
PES = DECP / "v1-2019-format" / "data.gouv.fr_pes.json"
PES_SNAPSHOTS = sorted((DECP / "v1-2019-format" / "pes_snapshots").glob("*.json"))
CROIX = DECP / "v1-2019-format" / "marches-securises_croix_21590163800019_2019-2021.json"
ALL_FILES = [*DEMATIS, PES, CROIX, *PES_SNAPSHOTS]

pytestmark = pytest.mark.django_db


def entries_for(result, uid):
    return [e for e in result.entries if e.get("uid") == uid]


def test_every_real_file_imports_with_a_complete_report(tmp_path):
    report_path = tmp_path / "rapport.json"
    result = import_decp(ALL_FILES, report_path=report_path)
    counts = result.summary["counts"]
    assert counts["read"] == 2707
    assert counts["rejected"] == 33  # the 33 Croix records published without an id
    # Every stored record has one outcome (a contract published twice in a file counts once).
    assert (
        counts["created"] + counts["updated"] + counts["unchanged"] == counts["external"] + counts["registry"]
    )
    assert ExternalContract.objects.count() == counts["created"] == 1861
    assert all(f["status"] == "imported" for f in result.summary["files"])
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert report["counts"] == counts and report["entry_count"] == len(report["entries"])
    rejected = [e for e in report["entries"] if e["status"] == "rejected"]
    assert len(rejected) == 33
    assert {e["file"] for e in rejected} == {CROIX.name} and {e["field"] for e in rejected} == {"id"}


def test_importing_again_changes_nothing_whatever_the_order():
    import_decp(ALL_FILES)
    state = list(ExternalContract.objects.order_by("uid").values_list("uid", "fingerprint"))
    again = import_decp(list(reversed(ALL_FILES)))
    assert again.summary["counts"]["created"] == 0 and again.summary["counts"]["updated"] == 0
    assert list(ExternalContract.objects.order_by("uid").values_list("uid", "fingerprint")) == state


def test_repairs_of_the_2019_pes_feed():
    result = import_decp([PES])
    contract = ExternalContract.objects.get(uid="130018989000172019I17030")
    # id "2019I1703000": its 2-digit modification suffix "00" is dropped so every version shares one uid.
    assert contract.reference == "2019I17030"
    assert contract.notification_date == date(2018, 12, 17)  # "2018-12-17+01:00"
    assert contract.cpv == "50700000"  # "50700000-2"
    assert contract.amount == Decimal("153900.00")
    assert contract.holders.get().name == "AXIMA CONCEPT"
    entry = entries_for(result, contract.uid)[0]
    assert any("fuseau" in r for r in entry["repairs"]) and any("suffixe" in r for r in entry["repairs"])


def test_repairs_of_the_croix_platform_file():
    result = import_decp([CROIX])
    contract = ExternalContract.objects.get(uid="21590163800019202117F0000000")
    assert contract.amount == Decimal("30000.00") and contract.duration_months == 36  # written as strings
    holder = contract.holders.get()
    assert (holder.identifier_kind, holder.name) == ("SIRET", "DECOPUB")  # typeIdentifiant "" read as SIRET
    repairs = entries_for(result, contract.uid)[0]["repairs"]
    assert any("montant écrit en texte" in r for r in repairs)
    # Three lots published under the same id "202117F000000000" are all kept, with a warning.
    lots = ExternalContract.objects.filter(uid__startswith="21590163800019202117F0000000")
    assert sorted(lots.values_list("amount", flat=True)) == [
        Decimal("30000.00"),
        Decimal("40000.00"),
        Decimal("70000.00"),
    ]
    warned = [e for e in result.entries if any("déjà utilisé" in w for w in e.get("warnings", []))]
    assert len(warned) >= 2
    # "Siret"/"siret" spellings are normalised, never stored as written.
    assert set(ExternalHolder.objects.values_list("identifier_kind", flat=True)) == {"SIRET"}


def test_dematis_2022_records_keep_considerations_and_modifications():
    import_decp(DEMATIS)
    contract = ExternalContract.objects.get(uid="805376613000162019-006-02")
    assert contract.schema_version == "2" and contract.procedure == "Appel d'offres ouvert"
    assert contract.offers_received == 3 and contract.holders.count() == 4
    assert contract.modifications[0]["number"] == 1 and contract.modifications[0]["amount"] == "36855.00"
    assert contract.social_considerations == ["Pas de considération sociale"]
    assert not contract.has_social_consideration


def test_missing_secondary_fields_are_kept_as_unknown_with_a_warning():
    result = import_decp(DEMATIS)
    contract = ExternalContract.objects.get(uid="218400398000102024-002")
    assert contract.cpv == ""
    assert "codeCPV : absent" in entries_for(result, contract.uid)[0]["warnings"]


def test_member_buyers_go_to_the_registry_with_their_modifications():
    EntityFactory(name="Acheteur membre", siret="80537661300016")
    result = import_decp(DEMATIS)
    assert result.summary["counts"]["registry"] >= 1
    contract = Contract.objects.get(buyer__siret="80537661300016", reference="2019-006-02")
    assert contract.amount == Decimal("13552295.00") and contract.procedure == "Appel d'offres ouvert"
    assert contract.holders.count() == 4
    amendments = list(contract.amendments.order_by("number"))
    assert amendments[0].number == 1 and amendments[0].amount_change == Decimal("36855.00") - contract.amount
    assert not ExternalContract.objects.filter(uid="805376613000162019-006-02").exists()
    again = import_decp(DEMATIS)
    assert again.summary["counts"]["registry"] == result.summary["counts"]["registry"]
    assert contract.amendments.count() == len(amendments)


def test_xml_of_the_2022_format(tmp_path):
    result = import_decp(sorted((DECP / "schema-v2.0.3-examples" / "xml").glob("*.xml")))
    assert result.summary["counts"]["read"] == 6 and result.summary["counts"]["rejected"] == 0
    kinds = set(ExternalContract.objects.values_list("kind", flat=True))
    assert kinds == {"marche", "concession"}


def test_dry_run_writes_nothing_but_counts():
    result = import_decp(DEMATIS, dry_run=True)
    assert result.summary["counts"]["created"] > 0
    assert not ExternalContract.objects.exists()


def test_truncated_file_changes_nothing(tmp_path):
    content = DEMATIS[0].read_bytes()
    truncated = tmp_path / "tronque.json"
    truncated.write_bytes(content[: len(content) * 2 // 3])
    result = import_decp([DEMATIS[1], truncated])
    assert [f["status"] for f in result.summary["files"]] == ["imported", "unreadable"]
    assert set(ExternalContract.objects.values_list("source", flat=True)) == {DEMATIS[1].name}


def test_command_exit_code_and_report(tmp_path, capsys):
    report_path = tmp_path / "r.json"
    call_command("import_decp", str(CROIX), "--report", str(report_path))
    out = capsys.readouterr().out
    assert "159 enregistrements lus" in out and "33 rejetés" in out
    assert "rejeté : marches-securises" in out and "identifiant du contrat absent" in out
    (tmp_path / "vide.txt").write_text("ceci n'est pas du DECP")
    with pytest.raises(CommandError):
        call_command("import_decp", str(tmp_path / "vide.txt"))


def _one_publication(tmp_path, name: str, published: str, subject: str):
    """The first Dematis record, published again on another day with another object."""
    document = json.loads(DEMATIS[0].read_text(encoding="utf-8"))
    first = document["marches"]["marche"][0]
    record = dict(first, datePublicationDonnees=published, objet=subject, modifications=[])
    path = tmp_path / name
    path.write_text(json.dumps({"marches": {"marche": [record]}}, ensure_ascii=False), encoding="utf-8")
    return path, record


def test_the_publication_date_is_stored_and_an_older_publication_never_wins(tmp_path):
    newer, record = _one_publication(tmp_path, "newer.json", "2024-06-03", "Objet publié en juin")
    older, _ = _one_publication(tmp_path, "older.json", "2024-03-01", "Objet publié en mars")
    import_decp([newer])
    contract = ExternalContract.objects.get(reference=record["id"])
    assert contract.published_on == date(2024, 6, 3)
    outcome = import_decp([older]).summary["counts"]
    assert outcome["updated"] == 0 and outcome["unchanged"] == 1
    contract.refresh_from_db()
    assert (contract.object, contract.published_on) == ("Objet publié en juin", date(2024, 6, 3))
