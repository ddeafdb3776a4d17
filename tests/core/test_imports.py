"""Excel/CSV imports: row-level report, nothing written when a row is rejected, idempotent."""

import pytest
from django.urls import reverse

from mutualis.catalogue.models import PurchaseFamily
from mutualis.catalogue.resources import PurchaseFamilyResource
from mutualis.core.imports import ImportFileError, import_dataset, read_dataset
from mutualis.organisations.models import Entity
from mutualis.organisations.roles import Role
from mutualis.suppliers.models import Supplier
from tests.helpers import read_xlsx, xlsx_bytes, xlsx_upload
from tests.organisations.factories import make_siret

FAMILY_HEADER = [
    "Code",
    "Libellé",
    "Nature",
    "Périmètre",
    "Codes CPV",
    "Acheteur responsable (identifiant)",
    "Active",
]


def family_rows(*rows):
    return [FAMILY_HEADER, *rows]


def test_clean_family_file_is_imported(client, role_users):
    client.force_login(role_users[Role.BUYER])
    upload = xlsx_upload(
        family_rows(
            ["MED-01", "Médicaments", "Fournitures", "", "33600000-6, 33690000", "u_buyer", "Oui"],
            ["TRA-01", "Travaux", "travaux", "Par opération", "45200000", "", "oui"],
        )
    )
    response = client.post(reverse("catalogue:family_import"), {"file": upload})
    assert response.status_code == 200
    assert response.context["report"].created == 2
    family = PurchaseFamily.objects.get(code="MED-01")
    assert family.nature == "fournitures"
    assert sorted(family.cpv_codes.values_list("code", flat=True)) == ["33600000", "33690000"]
    assert family.responsible_buyer == role_users[Role.BUYER]
    # The history keeps who imported it.
    assert family.history.first().history_user == role_users[Role.BUYER]


def test_rejected_file_writes_nothing_and_names_row_column_reason(client, role_users):
    PurchaseFamily.objects.create(code="MED-01", label="Avant import", nature="fournitures")
    client.force_login(role_users[Role.BUYER])
    upload = xlsx_upload(
        family_rows(
            ["MED-01", "Médicaments modifiés", "Fournitures", "", "33600000", "", "Oui"],
            ["MED-02", "Dispositifs", "Matériel", "", "33140000", "", "Oui"],
            ["MED-03", "Réactifs", "Fournitures", "", "33696500, 12345678", "", "Oui"],
            ["MED-04", "", "Fournitures", "", "", "inconnu", "Peut-être"],
        )
    )
    response = client.post(reverse("catalogue:family_import"), {"file": upload})
    assert response.status_code == 400
    errors = {(e.line, e.column) for e in response.context["report"].errors}
    assert errors == {
        (3, "Nature"),
        (4, "Codes CPV"),
        (5, "Libellé"),
        (5, "Acheteur responsable (identifiant)"),
        (5, "Active"),
    }
    messages = " ".join(e.message for e in response.context["report"].errors)
    assert "12345678" in messages and "Matériel" in messages and "inconnu" in messages
    content = response.content.decode()
    assert "aucune donnée enregistrée" in content
    # Nothing written: not the valid first row, not the new families.
    assert PurchaseFamily.objects.get(code="MED-01").label == "Avant import"
    assert PurchaseFamily.objects.count() == 1


def test_reimporting_the_same_file_changes_nothing(db, role_users):
    rows = family_rows(["LOG-01", "Déchets", "Services", "", "90500000", "", "Oui"])
    resource = PurchaseFamilyResource()
    first = import_dataset(resource, read_dataset("f.xlsx", xlsx_bytes(rows)))
    history_before = PurchaseFamily.objects.get(code="LOG-01").history.count()
    second = import_dataset(resource, read_dataset("f.xlsx", xlsx_bytes(rows)))
    assert (first.created, second.created, second.updated, second.skipped) == (1, 0, 0, 1)
    assert PurchaseFamily.objects.get(code="LOG-01").history.count() == history_before


def test_dry_run_reports_without_writing(db):
    rows = family_rows(["LOG-01", "Déchets", "Services", "", "90500000", "", "Oui"])
    report = import_dataset(PurchaseFamilyResource(), read_dataset("f.xlsx", xlsx_bytes(rows)), dry_run=True)
    assert report.accepted and report.created == 1 and not report.written
    assert not PurchaseFamily.objects.exists()


def test_export_then_reimport_round_trip(client, role_users):
    client.force_login(role_users[Role.BUYER])
    client.post(
        reverse("catalogue:family_import"),
        {
            "file": xlsx_upload(
                family_rows(["MED-01", "Médicaments", "Fournitures", "x", "33600000", "u_buyer", "Oui"])
            )
        },
    )
    exported = client.get(reverse("catalogue:family_list"), {"export": "xlsx"})
    rows = read_xlsx(exported.getvalue())
    assert rows[0] == FAMILY_HEADER
    assert rows[1] == ["MED-01", "Médicaments", "Fournitures", "x", "33600000-6", "u_buyer", "Oui"]
    response = client.post(reverse("catalogue:family_import"), {"file": xlsx_upload(rows)})
    assert response.context["report"].skipped == 1


def test_csv_with_semicolons_and_windows_encoding(db):
    content = "Code;Libellé;Nature\r\nSRV-01;Sécurité;Services\r\n".encode("cp1252")
    report = import_dataset(PurchaseFamilyResource(), read_dataset("familles.csv", content))
    assert report.created == 1
    assert PurchaseFamily.objects.get(code="SRV-01").label == "Sécurité"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("familles.pdf", b"%PDF", "non pris en charge"),
        ("familles.xlsx", b"not a workbook", "n'a pas pu être lu"),
        ("familles.csv", "Libellé;Nature\r\nX;Services\r\n".encode(), "Code"),
        ("familles.csv", b"Code;Couleur\r\nX;Bleu\r\n", "Couleur"),
        ("familles.csv", "Code;Libellé\r\n".encode(), "aucune ligne"),
    ],
)
def test_unreadable_files_are_refused_whole(db, name, content, message):
    with pytest.raises(ImportFileError, match=message):
        import_dataset(PurchaseFamilyResource(), read_dataset(name, content))


def test_file_error_is_shown_on_the_page(client, role_users):
    client.force_login(role_users[Role.BUYER])
    response = client.post(reverse("catalogue:family_import"), {"file": xlsx_upload([["Code"]], "f.txt")})
    assert response.status_code == 400
    assert "non pris en charge" in response.content.decode()


def test_entity_import_matches_siret_whatever_the_spacing(client, role_users, hospital):
    client.force_login(role_users[Role.ADMIN])
    spaced = f"{hospital.siret[:3]} {hospital.siret[3:6]} {hospital.siret[6:9]} {hospital.siret[9:]}"
    new_siret = make_siret()
    upload = xlsx_upload(
        [
            ["SIRET", "Raison sociale", "Nature", "Code commune INSEE", "Membre actif"],
            [spaced, "Nouveau nom", "Établissement partie", "21054", "Oui"],
            [int(new_siret), "Commune de Beaune", "Commune", "21054", "Oui"],
        ]
    )
    response = client.post(reverse("organisations:entity_import"), {"file": upload})
    report = response.context["report"]
    assert (report.created, report.updated, report.errors) == (1, 1, [])
    hospital.refresh_from_db()
    assert hospital.name == "Nouveau nom"
    assert Entity.objects.get(siret=new_siret).kind == "commune"


def test_entity_import_rejects_bad_siret_and_unknown_commune(client, role_users):
    client.force_login(role_users[Role.ADMIN])
    upload = xlsx_upload(
        [
            ["SIRET", "Raison sociale", "Nature", "Code commune INSEE"],
            ["26210007600014", "Mauvais SIRET", "Commune", "21231"],
            [make_siret(), "Commune inconnue", "Commune", "21999"],
        ]
    )
    response = client.post(reverse("organisations:entity_import"), {"file": upload})
    errors = [(e.line, e.column) for e in response.context["report"].errors]
    assert errors == [(2, "SIRET"), (3, "Code commune INSEE")]
    assert Entity.objects.filter(name__in=["Mauvais SIRET", "Commune inconnue"]).count() == 0


def test_supplier_import_deduplicates_on_normalised_identifier(client, role_users):
    client.force_login(role_users[Role.LEGAL_OFFICER])
    siret = make_siret()
    upload = xlsx_upload(
        [
            ["Type d'identifiant", "Identifiant", "Raison sociale", "SIAE"],
            ["siret", siret, "Entreprise A", "Non"],
            ["SIRET", f"{siret[:9]} {siret[9:]}", "Entreprise A (nouveau nom)", "Oui"],
            ["TVA", "FR40303265045", "Entreprise UE", "Non"],
        ]
    )
    response = client.post(reverse("suppliers:supplier_import"), {"file": upload})
    report = response.context["report"]
    assert report.errors == []
    assert Supplier.objects.count() == 2
    supplier = Supplier.objects.get(identifier=siret)
    assert supplier.name == "Entreprise A (nouveau nom)" and supplier.is_siae and supplier.siren == siret[:9]


def test_import_page_lists_columns_and_accepted_values(client, role_users):
    client.force_login(role_users[Role.BUYER])
    page = client.get(reverse("contracts:contract_import")).content.decode()
    assert "Colonnes attendues et valeurs admises" in page
    assert "Appel d&#x27;offres ouvert" in page
    columns = {c.name: c for c in client.get(reverse("contracts:contract_import")).context["columns"]}
    assert columns["Objet"].required and not columns["Famille (code)"].required
    assert "séparées par « ; »" in columns["Techniques"].accepted
