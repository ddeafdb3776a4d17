"""Open-data exports: DECP 2.0.3 and OCDS 1.1.5 files of the registry, validated by the official schemas."""

import hashlib
import json
import urllib.request
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import include, path, reverse
from django.utils import timezone
from jsonschema import Draft4Validator, Draft7Validator
from jsonschema.validators import validator_for

from mutualis.contracts.models import Amendment, Contract
from mutualis.contracts.services import amendment_add
from mutualis.opendata.exports import decp, ocds
from mutualis.opendata.exports.validation import (
    DECP_SCHEMA,
    OCDS_PACKAGE_SCHEMA,
    OCDS_RELEASE_SCHEMA,
    SCHEMAS_DIR,
    decp_validator,
    load_schema,
    ocds_package_validator,
    validate,
)
from mutualis.opendata.models import OpenDataExport
from mutualis.organisations.roles import Role
from mutualis.urls import urlpatterns as base_urlpatterns
from tests.contracts.factories import make_contract
from tests.organisations.factories import make_siren
from tests.suppliers.factories import SupplierFactory

# The opendata pages are not wired into mutualis.urls yet: this module doubles as the test urlconf.
urlpatterns = list(base_urlpatterns)
if not any(getattr(p, "namespace", None) == "opendata" for p in urlpatterns):
    urlpatterns.append(path("donnees-ouvertes/", include("mutualis.www.opendata.urls")))
use_test_urls = pytest.mark.urls(__name__)

OFFICIAL_EXAMPLES = Path(__file__).resolve().parents[1] / "data" / "decp" / "schema-v2.0.3-examples"
TODAY = date(2026, 6, 30)
PUBLISHABLE = {  # what the DECP schema requires and make_contract leaves empty
    "offers_received": 3,
    "execution_place_code": "21231",
}


def french_vat(siren: str) -> str:
    return f"FR{(12 + 3 * (int(siren) % 97)) % 97:02d}{siren}"


FRAMEWORK_FIELDS = {
    "object": "Accord-cadre de fournitures de pansements",
    "techniques": ["Accord-cadre"],
    "execution_modes": ["Bons de commande"],
    "amount": Decimal("500000.00"),
    "minimum_amount": Decimal("100000"),
    "notification_date": date(2026, 1, 10),
    "firm_duration_months": 12,
    "renewal_count": 3,
    "renewal_period_months": 12,
    "procedure": "Appel d'offres ouvert",
    "ccag": "Fournitures courantes et services",
    "offers_received": 4,
    "execution_place_code": "21",
    "execution_place_type": "Code département",
    "price_types": ["Définitif révisable"],
    "price_form": "Unitaire",
    "is_innovative": True,
    "advance_paid": True,
    "advance_rate": Decimal("0.0500"),
    "origin_eu_share": Decimal("0.8"),
    "origin_france_share": Decimal("0.25"),
    "social_considerations": ["Clause sociale", "Critère social"],
    "environmental_considerations": ["Clause environnementale"],
    "subcontracting_declared": True,
    "data_published_on": date(2026, 2, 1),
}


@pytest.fixture
def registry(support, hospital):
    """Three published contracts (a framework agreement, an amended subsequent one, one at the threshold)
    and five left out."""
    holders = [SupplierFactory(), SupplierFactory(identifier_kind="TVA", identifier=french_vat(make_siren()))]
    framework = make_contract(
        buyer=support, reference="AC-2026-01", holders=holders, available_to=[hospital], **FRAMEWORK_FIELDS
    )
    subsequent = make_contract(
        buyer=support,
        reference="MS-2026-07",
        framework=framework,
        amount=Decimal("60000.00"),
        notification_date=date(2026, 1, 15),
        **PUBLISHABLE,
    )
    amendment_add(
        actor=None,
        contract=subsequent,
        notified_on=date(2026, 3, 2),
        kind="low_value",
        description="Ajout de références",
        amount_change=Decimal("5000.50"),
    )
    amendment_add(
        actor=None,
        contract=subsequent,
        notified_on=date(2026, 4, 1),
        kind="non_substantial",
        description="Prolongation de six mois",
        duration_change_months=6,
    )
    Amendment.objects.filter(contract=subsequent, number=1).update(data_published_on=date(2026, 3, 20))
    siren_holder = SupplierFactory(identifier_kind="SIREN", identifier=make_siren())
    return {
        "framework": framework,
        "subsequent": subsequent,
        "boundary": make_contract(
            buyer=hospital,
            reference="B-40K",
            amount=Decimal("40000"),
            notification_date=date(2026, 3, 5),
            **PUBLISHABLE,
        ),
        "small": make_contract(
            buyer=support,
            reference="PETIT-1",
            amount=Decimal("39999.99"),
            notification_date=date(2026, 4, 10),
            **PUBLISHABLE,
        ),
        "draft": make_contract(buyer=support, reference="PROJET-1", notification_date=None, **PUBLISHABLE),
        "no_offers": make_contract(buyer=support, reference="SANS-OFFRES", execution_place_code="21231"),
        "siren": make_contract(buyer=support, reference="SIREN-1", holders=[siren_holder], **PUBLISHABLE),
        "old": make_contract(
            buyer=support, reference="ANCIEN-1", notification_date=date(2023, 6, 1), **PUBLISHABLE
        ),
    }


def records_by_id(document) -> dict:
    return {record["id"]: record for record in document["marches"]["marche"]}


def test_decp_export_validates_and_holds_exactly_the_contracts_to_publish(registry):
    result = decp.export_decp(today=TODAY)

    assert result.is_valid, result.errors
    assert list(decp_validator().iter_errors(result.document)) == []
    assert sorted(records_by_id(result.document)) == ["AC-2026-01", "B-40K", "MS-2026-07"]
    reasons = {item.reference: item.reason for item in result.left_out}
    assert set(reasons) == {"PETIT-1", "PROJET-1", "SANS-OFFRES", "SIREN-1", "ANCIEN-1"}
    assert "39\u202f999,99 € HT" in reasons["PETIT-1"] and "40\u202f000 € HT" in reasons["PETIT-1"]
    assert "R2196-1" in reasons["PETIT-1"]
    assert reasons["PROJET-1"].startswith("Contrat non notifié")
    assert "« offres reçues » (offresRecues)" in reasons["SANS-OFFRES"]
    assert "SIREN" in reasons["SIREN-1"] and "SIRET" in reasons["SIREN-1"]
    assert "ancien format" in reasons["ANCIEN-1"]


def test_missing_place_of_execution_is_named_in_the_reason(support):
    make_contract(buyer=support, reference="SANS-LIEU", offers_received=2)
    [item] = decp.export_decp().left_out
    assert item.reason == "Donnée obligatoire manquante : « lieu d'exécution (code) » (lieuExecution.code)."


def test_decp_record_carries_every_field_the_registry_holds(registry):
    framework, subsequent = registry["framework"], registry["subsequent"]
    records = records_by_id(decp.export_decp(today=TODAY).document)
    record = records["AC-2026-01"]
    holders = [link.supplier for link in framework.holder_links.all()]

    assert record["acheteur"]["id"] + record["id"] == framework.uid  # national key (uid) = SIRET + id
    assert record == {
        "id": "AC-2026-01",
        "acheteur": {"id": framework.buyer.siret},
        "nature": "Marché",
        "objet": "Accord-cadre de fournitures de pansements",
        "codeCPV": "33141000",
        "techniques": {"technique": ["Accord-cadre"]},
        "modalitesExecution": {"modaliteExecution": ["Bons de commande"]},
        "marcheInnovant": True,
        "ccag": "Fournitures courantes et services",
        "offresRecues": 4,
        "attributionAvance": True,
        "tauxAvance": 0.05,
        "typeGroupementOperateurs": "Pas de groupement",
        "sousTraitanceDeclaree": True,
        "procedure": "Appel d'offres ouvert",
        "lieuExecution": {"code": "21", "typeCode": "Code département"},
        "dureeMois": 48,  # firm period + three renewals, as dureeMois requires
        "dateNotification": "2026-01-10",
        "datePublicationDonnees": "2026-02-01",
        "montant": 500000,
        "typesPrix": {"typePrix": ["Définitif révisable"]},
        "formePrix": "Unitaire",
        "origineUE": 0.8,
        "origineFrance": 0.25,
        "titulaires": [
            {"titulaire": {"typeIdentifiant": "SIRET", "id": holders[0].identifier}},
            {"titulaire": {"typeIdentifiant": "TVA", "id": holders[1].identifier}},
        ],
        "considerationsSociales": {"considerationSociale": ["Clause sociale", "Critère social"]},
        "considerationsEnvironnementales": {"considerationEnvironnementale": ["Clause environnementale"]},
    }
    sub = records["MS-2026-07"]
    assert sub["idAccordCadre"] == "AC-2026-01"
    assert sub["datePublicationDonnees"] == "2026-06-30"  # not yet published: the export date
    assert "tauxAvance" not in sub and "origineUE" not in sub
    assert sub["acheteur"]["id"] + sub["id"] == subsequent.uid


def test_modifications_carry_new_totals_only_for_what_changed(registry):
    record = records_by_id(decp.export_decp(today=TODAY).document)["MS-2026-07"]
    assert record["montant"] == 60000 and record["dureeMois"] == 12  # initial values never change
    assert record["modifications"] == [
        {"modification": {
            "id": 1, "dateNotificationModification": "2026-03-02",
            "datePublicationDonneesModification": "2026-03-20", "montant": 65000.5,
        }},
        {"modification": {
            "id": 2, "dateNotificationModification": "2026-04-01",
            "datePublicationDonneesModification": "2026-06-30", "dureeMois": 18,
        }},
    ]  # fmt: skip


def test_since_keeps_contracts_notified_or_amended_from_that_date(registry):
    result = decp.export_decp(since=date(2026, 3, 1), today=TODAY)
    assert sorted(records_by_id(result.document)) == ["B-40K", "MS-2026-07"]  # amended 2026-03-02
    assert [item.reference for item in result.left_out] == ["PETIT-1"]
    assert result.outside_window == 5  # notified earlier and not amended since, or not notified
    assert result.is_valid


def test_threshold_comes_from_the_dated_rules_file(registry, monkeypatch):
    assert decp.rules_on(date(2023, 12, 31)) is None
    rules = decp.rules_on(date(2026, 1, 1))
    assert rules.decp_minimum_amount == Decimal("40000") and rules.valid_from == date(2024, 1, 1)
    raised = decp.PublicationRules("test", date(2026, 1, 1), Decimal("70000"), 2, "test")
    monkeypatch.setattr(decp, "_versions", lambda: (rules, raised))
    exported = records_by_id(decp.export_decp().document)
    assert sorted(exported) == ["AC-2026-01"]


def test_export_decp_command_writes_the_file_and_lists_what_it_left_out(registry, tmp_path, capsys):
    out = tmp_path / "decp.json"
    call_command("export_decp", "--out", str(out))
    document = json.loads(out.read_text(encoding="utf-8"))
    assert sorted(records_by_id(document)) == ["AC-2026-01", "B-40K", "MS-2026-07"]
    assert list(decp_validator().iter_errors(document)) == []
    printed = capsys.readouterr().out
    assert "Écarté : PETIT-1" in printed and "seuil de publication" in printed
    assert "3 contrat(s) exporté(s)" in printed

    call_command("export_decp", "--out", str(out), "--since", "2026-03-01")
    assert sorted(records_by_id(json.loads(out.read_text(encoding="utf-8")))) == ["B-40K", "MS-2026-07"]


def test_export_decp_command_refuses_an_invalid_document(registry, tmp_path, capsys, monkeypatch):
    real = decp.marche_record

    def broken(contract, today):
        record = real(contract, today)
        if contract.reference == "MS-2026-07":
            del record["offresRecues"]
            record["montant"] = 0
        return record

    monkeypatch.setattr(decp, "marche_record", broken)
    out = tmp_path / "decp.json"
    with pytest.raises(CommandError, match="non conforme"):
        call_command("export_decp", "--out", str(out))
    assert not out.exists()
    printed = capsys.readouterr().err
    assert f"MS-2026-07 ({registry['subsequent'].uid})" in printed
    assert "$.marches.marche[1] : 'offresRecues' is a required property" in printed
    assert "$.marches.marche[1].montant : 0 is less than the minimum of 1" in printed


def test_shipped_schemas_are_the_official_files_and_need_no_network(monkeypatch):
    # SHA-256 of the official files (139bercy/format-commande-publique, open-contracting/standard 1__1__5):
    # the shipped copies are those files, byte for byte.
    official = {
        DECP_SCHEMA: "3210e4cbe965be416f4ba3d8ab3983c64be48a800dc8d594b730341f3de8765a",
        OCDS_PACKAGE_SCHEMA: "06577cec73cc16eca0cac331a7ea9ee9cd684b21c55f5f0711f7442623153698",
        OCDS_RELEASE_SCHEMA: "fac192e1ccfb061f5164bdb2d64c29e517c0f81661996b97de40cebc55a2c1bc",
    }
    for name, digest in official.items():
        assert hashlib.sha256((SCHEMAS_DIR / name).read_bytes()).hexdigest() == digest
    assert validator_for(load_schema(DECP_SCHEMA)) is Draft7Validator
    assert validator_for(load_schema(OCDS_PACKAGE_SCHEMA)) is Draft4Validator
    examples = sorted((OFFICIAL_EXAMPLES / "json").glob("*.json"))
    assert len(examples) == 4
    for example in examples:
        assert list(decp_validator().iter_errors(json.loads(example.read_text(encoding="utf-8")))) == []

    def offline(*args, **kwargs):
        raise AssertionError("no download expected")

    monkeypatch.setattr(urllib.request, "urlopen", offline)
    release = {
        "ocid": "o",
        "id": "r",
        "date": "2026-01-01T00:00:00Z",
        "tag": ["signature"],
        "initiationType": "tender",
        "awards": [{"value": {"currency": "EURO"}}],
    }
    bad = {
        "uri": "x",
        "version": "1.1",
        "publishedDate": "2026-01-01T00:00:00Z",
        "publisher": {"name": "x"},
        "releases": [release],
    }
    paths = {e.path for e in validate(ocds_package_validator(), bad, lambda p: "")}
    # Errors inside the release prove the release schema resolved locally through the registry.
    assert {
        "$.releases[0].tag[0]",
        "$.releases[0].awards[0]",
        "$.releases[0].awards[0].value.currency",
    } <= paths


def test_ocds_package_validates_offline_with_one_release_per_contract_and_per_amendment(
    registry, monkeypatch
):
    monkeypatch.setattr(urllib.request, "urlopen", lambda *a, **k: pytest.fail("no download expected"))
    result = ocds.export_ocds()
    package = result.package

    assert result.is_valid, result.errors
    assert list(ocds_package_validator().iter_errors(package)) == []
    assert package["version"] == "1.1" and package["publisher"]["name"]
    awards = [r for r in package["releases"] if r["tag"] == ["award", "contract"]]
    notified = [c for c in registry.values() if c.notification_date]
    assert sorted(r["ocid"] for r in awards) == sorted(f"{ocds.PLACEHOLDER_PREFIX}-{c.uid}" for c in notified)
    assert [item.reference for item in result.left_out] == ["PROJET-1"]
    assert result.release_count == len(notified) + 2  # plus the two amendments


def test_ocds_release_maps_parties_items_values_and_amendments(registry, settings):
    settings.MUTUALIS_OCDS_PREFIX = "ocds-abc123"
    framework, subsequent = registry["framework"], registry["subsequent"]
    releases = {r["id"]: r for r in ocds.export_ocds().package["releases"]}
    ocid = f"ocds-abc123-{framework.uid}"
    release = releases[f"{ocid}-award"]
    siret = framework.buyer.siret
    holders = [link.supplier for link in framework.holder_links.all()]

    buyer, first, second = release["parties"]
    name = framework.buyer.name
    assert buyer == {
        "id": f"FR-RCS-{siret}",
        "name": name,
        "roles": ["buyer"],
        "identifier": {"scheme": "FR-RCS", "id": siret, "legalName": name},
    }
    assert first["identifier"] == {
        "scheme": "FR-RCS",
        "id": holders[0].identifier,
        "legalName": holders[0].name,
    }
    assert second["identifier"]["scheme"] == "TVA" and second["roles"] == ["supplier"]
    assert release["buyer"] == {"id": f"FR-RCS-{siret}", "name": framework.buyer.name}
    [award], [contract] = release["awards"], release["contracts"]
    assert award["value"] == contract["value"] == {"amount": 500000, "currency": "EUR"}
    assert [s["id"] for s in award["suppliers"]] == [first["id"], second["id"]]
    assert award["items"][0]["classification"] == {
        "scheme": "CPV", "id": "33141000", "description": framework.cpv.label,
    }  # fmt: skip
    assert contract["period"]["startDate"].startswith("2026-01-10T00:00:00")
    assert contract["period"]["endDate"].startswith("2030-01-09T00:00:00")  # 48 months
    assert contract["period"]["durationInDays"] == 1461
    assert release["tender"]["numberOfTenderers"] == 4

    sub_ocid = f"ocds-abc123-{subsequent.uid}"
    assert releases[f"{sub_ocid}-award"]["relatedProcesses"][0]["identifier"] == ocid
    second_amendment = releases[f"{sub_ocid}-amendment-2"]
    assert second_amendment["tag"] == ["contractAmendment"]
    [amended] = second_amendment["contracts"]
    assert amended["id"] == f"{sub_ocid}-contract-1"
    assert amended["value"] == {"amount": 65000.5, "currency": "EUR"}
    assert amended["period"]["endDate"].startswith("2027-07-14")  # 12 + 6 months from 2026-01-15
    assert [(a["id"], a["amendsReleaseID"], a["releaseID"]) for a in amended["amendments"]] == [
        ("1", f"{sub_ocid}-award", f"{sub_ocid}-amendment-1"),
        ("2", f"{sub_ocid}-amendment-1", f"{sub_ocid}-amendment-2"),
    ]
    assert amended["amendments"][0]["rationale"] == "Modification de faible montant (R2194-8)"


def test_export_ocds_command_writes_a_valid_package(registry, tmp_path):
    out = tmp_path / "ocds.json"
    call_command("export_ocds", "--out", str(out))
    package = json.loads(out.read_text(encoding="utf-8"))
    assert list(ocds_package_validator().iter_errors(package)) == []


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def prepare(django_capture_on_commit_callbacks):
    """Ask for the exports; the job is enqueued after commit, and the test profile runs it at once."""

    def _prepare(client):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("opendata:exports_prepare"))

    return _prepare


@use_test_urls
def test_exports_page_and_downloads_need_the_contract_management_permission(
    client, role_users, registry, media, prepare
):
    for name in ("opendata:exports", "opendata:decp_export", "opendata:ocds_export"):
        assert client.get(reverse(name)).status_code == 302  # to the login page
        client.force_login(role_users[Role.REFERENT])
        assert client.get(reverse(name)).status_code == 403
        client.logout()
    client.force_login(role_users[Role.REFERENT])
    assert prepare(client).status_code == 403

    client.force_login(role_users[Role.BUYER])
    nothing = client.get(reverse("opendata:decp_export"), follow=True)  # nothing prepared yet
    assert "Aucun fichier n&#x27;a encore été préparé" in nothing.content.decode()
    assert "Aucun fichier DECP préparé" in client.get(reverse("opendata:exports")).content.decode()
    assert prepare(client).status_code == 302
    page = client.get(reverse("opendata:exports"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "PETIT-1" in text and "seuil de publication" in text and "40\u202f000" in text
    for name, stem in (("opendata:decp_export", "decp"), ("opendata:ocds_export", "ocds")):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/json")
        assert response["Content-Disposition"].startswith(f'attachment; filename="{stem}_')
        json.loads(b"".join(response.streaming_content))
    decp_file = json.loads(b"".join(client.get(reverse("opendata:decp_export")).streaming_content))
    assert sorted(records_by_id(decp_file)) == ["AC-2026-01", "B-40K", "MS-2026-07"]


@use_test_urls
def test_the_page_reads_the_stored_exports_and_never_builds_them(
    client, role_users, registry, media, prepare, monkeypatch
):
    client.force_login(role_users[Role.BUYER])
    prepare(client)
    prepare(client)  # a second preparation replaces the first: one stored export of each kind
    assert OpenDataExport.objects.count() == 2
    assert sorted(p.name for p in (media / "opendata_exports").rglob("*.json")) == [
        f"{e.pk}.json" for e in OpenDataExport.objects.order_by("pk")
    ]

    def forbidden(**kwargs):
        raise AssertionError("the page must not build an export")

    monkeypatch.setattr("mutualis.opendata.exports.store.export_decp", forbidden)
    monkeypatch.setattr("mutualis.opendata.exports.store.export_ocds", forbidden)
    text = " ".join(client.get(reverse("opendata:exports")).content.decode().split())
    assert "conforme au schéma officiel : 3 contrats à publier" in text and "Le registre a changé" not in text
    contract = Contract.objects.get(reference="B-40K")
    contract.save()
    assert "Le registre a changé" in client.get(reverse("opendata:exports")).content.decode()


@use_test_urls
def test_invalid_decp_download_is_refused_with_the_errors(
    client, role_users, registry, media, prepare, monkeypatch
):
    monkeypatch.setattr(decp, "marche_record", lambda contract, today: {"id": contract.reference})
    client.force_login(role_users[Role.LEGAL_OFFICER])
    prepare(client)
    assert not any((media / "opendata_exports" / "decp").glob("*.json"))  # a non-conforming file is not kept
    response = client.get(reverse("opendata:decp_export"))
    assert response.status_code == 409
    assert response["Content-Type"].startswith("text/html")
    text = response.content.decode()
    assert "Téléchargement refusé" in text and "$.marches.marche[0]" in text and "AC-2026-01" in text
    page = client.get(reverse("opendata:exports")).content.decode()
    assert "DECP n'est pas conforme au schéma officiel : il ne peut être téléchargé" in page
    assert client.post(reverse("opendata:decp_published")).status_code == 409


@use_test_urls
def test_a_download_records_nothing_the_publication_is_recorded_on_request(
    client, role_users, registry, media, prepare, monkeypatch
):
    def first_publications():
        return dict(Contract.objects.values_list("reference", "data_published_on"))

    built_on = date(2026, 6, 1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: built_on)
    before = first_publications()
    client.force_login(role_users[Role.BUYER])
    prepare(client)
    response = client.get(reverse("opendata:decp_export"))
    assert response.status_code == 200
    stored = json.loads(b"".join(response.streaming_content))
    assert first_publications() == before  # fetching the file to check it publishes nothing
    client.force_login(role_users[Role.REFERENT])
    assert client.post(reverse("opendata:decp_published")).status_code == 403
    client.force_login(role_users[Role.BUYER])
    monkeypatch.setattr(
        timezone, "localdate", lambda *args, **kwargs: date(2026, 6, 3)
    )  # published two days later
    response = client.post(reverse("opendata:decp_published"), follow=True)
    after = first_publications()
    # The date recorded is the one written in the published file.
    recorded = {ref for ref, day in after.items() if before[ref] is None and day == built_on}
    assert recorded == {ref for ref, day in before.items() if day is None} & {
        "AC-2026-01",
        "B-40K",
        "MS-2026-07",
    }
    for record in stored["marches"]["marche"]:
        assert after[record["id"]].isoformat() == record["datePublicationDonnees"]
    assert all(after[ref] == day for ref, day in before.items() if day is not None)  # never moved
    assert f"{len(recorded)} contrat(s) publié(s) pour la première fois" in response.content.decode()
