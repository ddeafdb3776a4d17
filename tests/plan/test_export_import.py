"""The plan as a workbook laid out like the PAAT template, and read back: sheets, summary totals, the
round trip, an edited cell, and a wrong one (reported by sheet, line and column; nothing written)."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from mutualis.core.import_files import ImportFileError, read_workbook
from mutualis.gains import paat
from mutualis.gains.models import PlanAction
from mutualis.organisations.models import Entity
from mutualis.organisations.roles import Role

D = Decimal


@pytest.fixture
def buyer(role_users):
    return role_users[Role.BUYER]


def exported(client, user, year=2027) -> openpyxl.Workbook:
    client.force_login(user)
    response = client.get(reverse("plan:export_xlsx"), {"year": year})
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="plan_actions_achats_{year}.xlsx"'
    return openpyxl.load_workbook(io.BytesIO(response.content))


def saved(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rows_of(sheet) -> list[dict]:
    """The action rows of an establishment's sheet, by header (the header is on line 2)."""
    header = [cell.value for cell in sheet[2]]
    return [dict(zip(header, row, strict=False)) for row in sheet.iter_rows(min_row=3, values_only=True)]


def line_of(sheet, title) -> int:
    for line, row in enumerate(sheet.iter_rows(min_row=3, values_only=True), start=3):
        if row[paat.HEADERS.index("Objet de l'action")] == title:
            return line
    raise AssertionError(title)


def set_cell(sheet, title, header, value) -> int:
    line = line_of(sheet, title)
    # Assigned: openpyxl's cell(value=None) would leave the cell as it is.
    sheet.cell(row=line, column=paat.HEADERS.index(header) + 1).value = value
    return line


def snapshot() -> list:
    return [
        (
            a.pk,
            a.version,
            a.title,
            a.status,
            a.new_unit_price,
            sorted(a.entities.values_list("pk", flat=True)),
        )
        for a in PlanAction.objects.order_by("pk")
    ]


# --- Export -----------------------------------------------------------------------------------------


def test_one_sheet_per_establishment_and_a_summary(client, buyer, plan, support, hospital, other_hospital):
    workbook = exported(client, buyer)
    assert workbook.sheetnames[0] == "Synthèse"
    assert set(workbook.sheetnames[1:]) == {str(support), str(hospital), str(other_hospital)}
    a, b = workbook[str(hospital)], workbook[str(other_hospital)]
    assert [cell.value for cell in a[2]] == paat.HEADERS
    assert a.freeze_panes == "B3"
    assert a["A2"].font.bold
    assert {row["Objet de l'action"] for row in rows_of(a)} == {
        "Location-entretien du linge",
        "Scanner de bloc",
    }
    assert {row["Objet de l'action"] for row in rows_of(b)} == {
        "Location-entretien du linge",
        "Fauteuils de consultation",
    }
    assert rows_of(workbook[str(support)]) == []
    lists = {str(v.sqref).split(":")[0]: v.formula1 for v in a.data_validations.dataValidation}
    assert lists["B3"] == '"PAAT,PAA"'  # a drop-down list on the origin, under the header
    linen = next(row for row in rows_of(b) if row["Objet de l'action"] == "Location-entretien du linge")
    assert linen["Origine (PAAT/PAA)"] == "PAAT"
    assert linen["Famille d'achat"] == "LIN — Linge"
    assert linen["Trimestre prévu"] == "2027-T2"
    assert linen["Fonctionnement / Investissement"] == "Fonctionnement"
    assert D(str(linen["Gain annuel attendu (€)"])) == D("2500")
    assert D(str(linen["Gain attendu N (€)"])) == D("1883.56")
    assert D(str(linen["Gain réalisé (€)"])) == D("1200")
    assert linen["Identifiant Mutualis"] == plan["linen"].pk
    scanner = next(row for row in rows_of(a) if row["Objet de l'action"] == "Scanner de bloc")
    assert scanner["Origine (PAAT/PAA)"] == "PAA"
    assert scanner["Durée d'amortissement (ans)"] == 5
    assert scanner["Fonctionnement / Investissement"] == "Investissement"


def test_summary_counts_a_shared_action_once_for_the_territory(client, buyer, plan, hospital, other_hospital):
    summary = exported(client, buyer)["Synthèse"]
    values = list(summary.iter_rows(values_only=True))
    assert "figure sur la feuille de chacun" in values[1][0]
    assert "trame nationale PAAT" in values[2][0]
    assert list(values[4]) == paat.SUMMARY_HEADERS
    rows = {(row[0], row[2]): row for row in values[5:]}
    a_total = rows[(str(hospital), "Total")]
    b_total = rows[(str(other_hospital), "Total")]
    territory = rows[("Total du territoire (chaque action une fois)", "Total")]
    assert (a_total[3], D(str(a_total[4]))) == (2, D("4500"))
    assert (b_total[3], D(str(b_total[4]))) == (2, D("3000"))
    # 4 500 + 3 000 on the establishments' lines, but the linen action once: 5 000 for the territory.
    assert territory[3] == 3
    assert [D(str(value)) for value in territory[4:8]] == [D("5000"), D("3391.78"), D("1608.22"), D("1650")]
    investment = rows[(str(hospital), "Investissement")]
    assert (investment[3], D(str(investment[4]))) == (1, D("2000"))
    assert summary.freeze_panes == "A6"


def test_sheet_names_are_valid_excel_names():
    entities = [
        Entity(pk=1, name="x", short_name="CH [Abbeville]: site/nord*?"),
        Entity(pk=2, name="Centre hospitalier intercommunal de la vallée de la Somme"),
        Entity(pk=3, name="Centre hospitalier intercommunal de la vallée de l'Authie"),
        Entity(pk=4, name="Synthèse"),
        Entity(pk=5, name="'Cité'"),
    ]
    names = paat.sheet_names(entities)
    assert names[1] == "CH Abbeville site nord"
    assert names[2] == "Centre hospitalier intercommuna"
    assert names[3] == "Centre hospitalier intercom (2)"
    assert names[4] == "Synthèse (2)"
    assert names[5] == "Cité"
    assert all(len(name) <= 31 and not set(name) & set("[]:*?/\\") for name in names.values())
    assert len({name.casefold() for name in names.values()}) == len(names)


def test_formula_like_cells_are_escaped(client, buyer, hospital):
    from .factories import make_action

    make_action(entities=[hospital], title='=HYPERLINK("http://example.org")')
    sheet = exported(client, buyer)[str(hospital)]
    assert rows_of(sheet)[0]["Objet de l'action"] == '\'=HYPERLINK("http://example.org")'


# --- Import -----------------------------------------------------------------------------------------


def imported(user, workbook, **options):
    return paat.import_workbook(actor=user, name="plan.xlsx", content=saved(workbook), **options)


def test_round_trip_changes_nothing(client, buyer, plan):
    before = snapshot()
    report = imported(buyer, exported(client, buyer))
    assert report.accepted, [str(e) for e in report.errors]
    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)
    assert report.rows == 4  # the shared action is on two sheets: one action
    assert snapshot() == before  # not even a version moved


def test_an_edited_cell_updates_the_action(client, buyer, plan, hospital):
    workbook = exported(client, buyer)
    sheet = workbook[str(hospital)]
    set_cell(sheet, "Scanner de bloc", "Statut", "En cours")
    set_cell(sheet, "Scanner de bloc", "Prix unitaire visé HT (€)", 45000)
    report = imported(buyer, workbook)
    assert report.accepted, [str(e) for e in report.errors]
    assert (report.created, report.updated, report.unchanged) == (0, 1, 2)
    scanner = PlanAction.objects.get(pk=plan["scanner"].pk)
    assert scanner.status == "in_progress"
    assert scanner.expected_annual_gain == D("1000.00")  # (50 000 − 45 000) / 5 years


def test_new_rows_create_actions_and_a_shared_one_is_one_action(
    client, buyer, plan, hospital, other_hospital
):
    workbook = exported(client, buyer)
    new = {
        "Origine (PAAT/PAA)": "PAAT",
        "Objet de l'action": "Gaz médicaux",
        "Levier": "Mutualisation",
        "Trimestre prévu": "2027-T4",
        "Statut": "Prévue",
        "Fonctionnement / Investissement": "Fonctionnement",
        "Nature du gain": "Récurrent",
        "Prix unitaire de référence HT (€)": "3,20",
        "Prix unitaire visé HT (€)": 3,
        "Quantité": 10000,
        "Année du plan": 2027,
    }
    for entity in (hospital, other_hospital):
        sheet = workbook[str(entity)]
        sheet.append([new.get(header) for header in paat.HEADERS])
    report = imported(buyer, workbook)
    assert report.accepted, [str(e) for e in report.errors]
    assert report.created == 1
    gas = PlanAction.objects.get(title="Gaz médicaux")
    assert set(gas.entities.all()) == {hospital, other_hospital}
    assert gas.expected_annual_gain == D("2000.00")  # (3.20 − 3) × 10 000


def test_new_paa_rows_of_the_same_object_stay_each_establishment_s(
    client, buyer, plan, hospital, other_hospital
):
    workbook = exported(client, buyer)
    new = {
        "Origine (PAAT/PAA)": "PAA",
        "Objet de l'action": "Renégociation des fluides",
        "Levier": "Négociation",
        "Trimestre prévu": "2027-T1",
        "Statut": "Prévue",
        "Fonctionnement / Investissement": "Fonctionnement",
        "Nature du gain": "Récurrent",
        "Prix unitaire de référence HT (€)": 1,
        "Prix unitaire visé HT (€)": 0.9,
        "Quantité": 1000,
        "Année du plan": 2027,
    }
    for entity in (hospital, other_hospital):
        workbook[str(entity)].append([new.get(header) for header in paat.HEADERS])
    report = imported(buyer, workbook)
    assert report.accepted and report.created == 2
    fluids = PlanAction.objects.filter(title="Renégociation des fluides")
    assert sorted(a.entities.get().pk for a in fluids) == sorted([hospital.pk, other_hospital.pk])
    assert {a.expected_annual_gain for a in fluids} == {D("100.00")}


def test_a_row_removed_from_a_sheet_removes_that_establishment(client, buyer, plan, hospital, other_hospital):
    workbook = exported(client, buyer)
    sheet = workbook[str(other_hospital)]
    sheet.delete_rows(line_of(sheet, "Location-entretien du linge"))
    report = imported(buyer, workbook)
    assert report.accepted and report.updated == 1
    assert list(PlanAction.objects.get(pk=plan["linen"].pk).entities.all()) == [hospital]


def test_a_wrong_cell_is_reported_and_nothing_is_written(client, buyer, plan, hospital, other_hospital):
    workbook = exported(client, buyer)
    a = workbook[str(hospital)]
    set_cell(a, "Scanner de bloc", "Statut", "Réalisée")  # a valid change, which must not be written
    b = workbook[str(other_hospital)]
    line = set_cell(b, "Fauteuils de consultation", "Trimestre prévu", "T1 2027")
    before = snapshot()
    report = imported(buyer, workbook)
    assert not report.accepted
    assert [str(error) for error in report.errors] == [
        f"Feuille « {other_hospital} », ligne {line}, colonne « Trimestre prévu » : "
        "écrivez le trimestre sous la forme 2027-T1."
    ]
    assert snapshot() == before


def test_an_error_found_while_saving_writes_nothing_either(client, buyer, plan, hospital, other_hospital):
    """The method refuses an investment without its duration: found when saving, once other actions
    of the file may have been saved, which are undone."""
    workbook = exported(client, buyer)
    set_cell(workbook[str(other_hospital)], "Fauteuils de consultation", "Statut", "Abandonnée")
    line = set_cell(workbook[str(hospital)], "Scanner de bloc", "Durée d'amortissement (ans)", None)
    before = snapshot()
    report = imported(buyer, workbook)
    assert [str(error) for error in report.errors] == [
        f"Feuille « {hospital} », ligne {line}, colonne « Durée d'amortissement (ans) » : "
        "Indiquez la durée d'amortissement en années."
    ]
    assert snapshot() == before


def test_the_same_action_must_agree_across_sheets(client, buyer, plan, hospital, other_hospital):
    workbook = exported(client, buyer)
    set_cell(workbook[str(other_hospital)], "Location-entretien du linge", "Statut", "Reportée")
    before = snapshot()
    report = imported(buyer, workbook)
    assert len(report.errors) == 1
    error = report.errors[0]
    # Reported on the second sheet read, naming the first: both hospitals' sheets are named.
    sheets = {str(hospital), str(other_hospital)}
    assert error.sheet in sheets and error.column == "Statut"
    (other,) = sheets - {error.sheet}
    assert f"feuille « {other} »" in error.message
    assert snapshot() == before


def test_an_unknown_sheet_or_identifier_is_reported(client, buyer, plan, hospital):
    workbook = exported(client, buyer)
    workbook.create_sheet("Brouillon")
    set_cell(workbook[str(hospital)], "Scanner de bloc", "Identifiant Mutualis", 999999)
    report = imported(buyer, workbook)
    assert {(e.sheet, e.column) for e in report.errors} == {
        ("Brouillon", ""),
        (str(hospital), "Identifiant Mutualis"),
    }


def test_dry_run_writes_nothing(client, buyer, plan, hospital):
    workbook = exported(client, buyer)
    set_cell(workbook[str(hospital)], "Scanner de bloc", "Statut", "Réalisée")
    before = snapshot()
    report = imported(buyer, workbook, dry_run=True)
    assert report.accepted and report.updated == 1 and not report.written
    assert snapshot() == before


def test_the_import_page(client, buyer, plan, other_hospital):
    workbook = exported(client, buyer)
    set_cell(workbook[str(other_hospital)], "Fauteuils de consultation", "Quantité", "beaucoup")
    upload = SimpleUploadedFile("plan.xlsx", saved(workbook))
    response = client.post(reverse("plan:import"), {"file": upload})
    assert response.status_code == 400
    content = response.content.decode()
    line = line_of(workbook[str(other_hospital)], "Fauteuils de consultation")
    assert (
        f"Feuille « {other_hospital} », ligne {line}, colonne « Quantité » : "
        "« beaucoup » n&#x27;est pas un nombre." in content
    )
    assert "aucune donnée enregistrée" in content
    good = SimpleUploadedFile("plan.xlsx", saved(exported(client, buyer)))
    response = client.post(reverse("plan:import"), {"file": good}, follow=True)
    assert response.status_code == 200 and "3 inchangées" in response.content.decode()


def test_the_import_page_is_for_the_plan_s_managers(client, role_users):
    client.force_login(role_users[Role.GOVERNANCE])
    assert client.get(reverse("plan:import")).status_code == 403


def test_the_reader_is_bounded(client, buyer, plan):
    content = saved(exported(client, buyer))
    assert read_workbook("plan.xlsx", content, 100)[0].title == "Synthèse"
    with pytest.raises(ImportFileError, match="lignes"):
        read_workbook("plan.xlsx", content, 5)
    with override_settings(MUTUALIS_IMPORT_MAX_UNCOMPRESSED_BYTES=1000), pytest.raises(ImportFileError):
        read_workbook("plan.xlsx", content, 100)
    with pytest.raises(ImportFileError, match="xlsx"):
        read_workbook("plan.csv", b"a;b\n1;2\n", 100)


def test_spreadsheet_bombs_are_refused_before_any_row_is_read(client, buyer):
    from tests.core.bombs import bomb_xlsx, probe_xlsx

    with pytest.raises(ImportFileError, match="compressé de façon anormale"):
        read_workbook("plan.xlsx", bomb_xlsx(4 * 1024 * 1024), paat.MAX_ROWS)
    # Rows without a declared extent: counted while inflating, refused at the cap.
    with pytest.raises(ImportFileError, match="au plus"):
        read_workbook("plan.xlsx", probe_xlsx(paat.MAX_ROWS + 10), paat.MAX_ROWS)
    client.force_login(buyer)
    upload = SimpleUploadedFile("plan.xlsx", bomb_xlsx(4 * 1024 * 1024))
    response = client.post(reverse("plan:import"), {"file": upload})
    assert response.status_code == 400 and "Fichier refusé" in response.content.decode()
