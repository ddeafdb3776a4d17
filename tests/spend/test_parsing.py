"""Reading finance exports: headers, encodings, separators, values, and the files refused whole."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from mutualis.spend.parsing import SpendFile, SpendFileError, normalise_header
from mutualis.spend.rows import RowError, RowParser, parse_amount, parse_date
from tests.spend.import_files import HEADER, new_siret, rows, write_csv, write_xlsx


def parsed(path):
    source = SpendFile(path)
    lines = list(source.rows())
    parser = RowParser(source.columns)
    return [(line, parser.parse(raw)) for line, raw in lines]


@pytest.mark.parametrize(
    ("title", "expected"),
    [("Numéro_Mandat", "numeromandat"), ("  MONTANT HT ", "montantht"), ("N° mandat", "numeromandat"),
     ("Libellé", "libelle"), ("siret-fournisseur", "siretfournisseur")],
)  # fmt: skip
def test_headers_are_matched_without_case_accents_spaces_or_underscores(title, expected):
    assert normalise_header(title) == expected


@pytest.mark.parametrize("sep", [";", ","])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_every_csv_variant_reads_the_same_rows(tmp_path, sep, encoding):
    siret = new_siret()
    lines = rows(siret)
    if sep == ",":  # a comma-separated file quotes its decimal commas
        lines = [[f'"{v}"' if "," in v else v for v in line] for line in lines]
    result = parsed(write_csv(tmp_path, lines, sep=sep, encoding=encoding))
    assert [line for line, _ in result] == [2, 3, 4]
    first = result[0][1]
    assert first.fiscal_year == 2025 and first.mandate_number == "M00001"
    assert first.paid_on == date(2025, 3, 2)
    assert first.supplier_siret == siret and first.supplier_siren == siret[:9]
    assert first.supplier_name == "Société Générale d'Hygiène"
    assert first.amount_ht == Decimal("100.50") and first.amount_ttc == Decimal("120.60")
    assert first.label == "Fournitures n° 1 — été"


def test_headers_in_capitals_with_accents_and_spaces(tmp_path):
    header = ["EXERCICE", "N° Mandat", "Date", "SIRET fournisseur", "Fournisseur", "Montant HT", "Compte",
              "Libellé"]  # fmt: skip
    siret = new_siret()
    path = write_csv(tmp_path, [["2025", "12", "2025-01-31", siret, "A", "10", "6021", "x"]], header=header)
    ((_, row),) = parsed(path)
    assert row.mandate_number == "12" and row.paid_on == date(2025, 1, 31) and row.account == "6021"
    assert row.amount_ttc is None and row.contract_reference == ""


def test_xlsx_with_typed_and_text_cells(tmp_path):
    siret = new_siret()
    typed = [2025, 7, datetime(2025, 4, 1), siret, "B", 1234.5, None, 60628, "", "typé"]
    text = ["2025", "8", "02/04/2025", siret[:3] + " " + siret[3:], "B", "1 234,50", "", "60628", "", "texte"]
    result = parsed(write_xlsx(tmp_path, [typed, text]))
    (line1, a), (line2, b) = result
    assert (line1, line2) == (2, 3)
    assert a.mandate_number == "7" and a.account == "60628" and a.paid_on == date(2025, 4, 1)
    assert a.amount_ht == b.amount_ht == Decimal("1234.50")
    assert b.supplier_siret == siret and b.paid_on == date(2025, 4, 2)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1 234,56", "1234.56"), ("1\u00a0234,56", "1234.56"), ("1\u202f234.5", "1234.50"),
     ("1.234,56", "1234.56"), ("1,234.56", "1234.56"), ("-45,10", "-45.10"), ("12", "12.00")],
)  # fmt: skip
def test_amounts_french_and_international(text, expected):
    assert parse_amount(text, "montant_ht") == Decimal(expected)


@pytest.mark.parametrize("text", ["douze", "12,345", "1e400", "NaN"])
def test_bad_amounts_are_refused(text):
    with pytest.raises(RowError) as error:
        parse_amount(text, "montant_ht")
    assert error.value.field == "montant_ht"


@pytest.mark.parametrize("text", ["31/02/2025", "2025-13-01", "hier", "31/04/2025"])
def test_impossible_dates_are_refused(text):
    with pytest.raises(RowError):
        parse_date(text)


def test_d_m_yyyy_dates():
    assert parse_date("1/3/2025") == date(2025, 3, 1)


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [("siret_fournisseur", "bad", "14 chiffres"), ("exercice", "25", "année"), ("compte", "60A", "chiffres"),
     ("numero_mandat", "", "obligatoire"), ("montant_ht", "", "obligatoire")],
)  # fmt: skip
def test_bad_values_name_their_column(column, value, reason):
    line = dict(zip(HEADER, rows(new_siret(), 1)[0], strict=True))
    line[column] = value
    parser = RowParser({name: i for i, name in enumerate(HEADER)})
    with pytest.raises(RowError) as error:
        parser.parse(list(line.values()))
    assert error.value.field == column and reason in error.value.reason


def test_siret_with_a_bad_check_digit():
    siret = new_siret()
    wrong = siret[:-1] + str((int(siret[-1]) + 1) % 10)
    parser = RowParser({name: i for i, name in enumerate(HEADER)})
    line = rows(wrong, 1)[0]
    with pytest.raises(RowError, match="clé de contrôle") as error:
        parser.parse(line)
    assert error.value.field == "siret_fournisseur"


def test_a_missing_column_refuses_the_file_naming_it(tmp_path):
    header = [h for h in HEADER if h not in ("compte", "montant_ht")]
    path = write_csv(tmp_path, [], header=header)
    with pytest.raises(SpendFileError) as error:
        list(SpendFile(path).rows())
    message = str(error.value)
    assert "montant_ht" in message and "compte" in message and "« libelle »" in message


def test_a_csv_cut_inside_a_quoted_field_is_refused(tmp_path):
    path = write_csv(tmp_path, rows(new_siret(), 3))
    path.write_bytes(path.read_bytes() + b'2025;M9;01/03/2025;;"Soci')
    with pytest.raises(SpendFileError, match="tronqué"):
        list(SpendFile(path).rows())


def test_a_csv_cut_inside_a_row_is_refused(tmp_path):
    path = write_csv(tmp_path, rows(new_siret(), 3))
    path.write_bytes(path.read_bytes()[:-40])
    with pytest.raises(SpendFileError, match="Ligne 4"):
        list(SpendFile(path).rows())


def test_a_broken_xlsx_is_refused(tmp_path):
    path = write_xlsx(tmp_path, rows(new_siret(), 3))
    path.write_bytes(path.read_bytes()[:2000])
    with pytest.raises(SpendFileError):
        list(SpendFile(path).rows())


def test_seen_keys_tell_a_second_occurrence_whatever_the_number():
    from mutualis.spend.keys import SeenKeys

    seen = SeenKeys()
    keys = [
        (2025, "1"),
        (2025, "1000000"),
        (2025, "01"),
        (2025, "A-12"),
        (2024, "1"),
        (2025, "0"),
        (2025, "9" * 12),
    ]
    assert [seen.add(*key) for key in keys] == [False] * len(keys)
    assert [seen.add(*key) for key in keys] == [True] * len(keys)
    assert seen.add(2025, "2") is False and seen.add(2026, "01") is False


def test_an_empty_file_is_refused(tmp_path):
    path = tmp_path / "vide.csv"
    path.write_bytes(b"")
    with pytest.raises(SpendFileError, match="vide"):
        list(SpendFile(path).rows())
