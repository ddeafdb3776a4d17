import pytest
from django.core.exceptions import ValidationError

from mutualis.core.validators import (
    contrast_ratio,
    validate_finess,
    validate_insee_commune_format,
    validate_siren,
    validate_siret,
)
from tests.organisations.factories import make_siren, make_siret


@pytest.mark.parametrize(
    "siret",
    [
        "26210007600013",  # CHU Dijon Bourgogne (FINESS extract)
        "262 100 076 00013",  # typed with spaces
        "35600000000048",  # La Poste head office: plain Luhn
        "35600000049837",  # La Poste establishment: Luhn fails, digit sum 45 is a multiple of 5
    ],
)
def test_valid_siret(siret):
    validate_siret(siret)


@pytest.mark.parametrize(
    ("siret", "reason"),
    [
        ("26210007600014", "clé"),  # last digit changed
        ("2621000760001", "14 chiffres"),
        ("2621000760001A", "14 chiffres"),
        ("35600000049838", "clé"),  # La Poste: digit sum 46
    ],
)
def test_invalid_siret_names_the_reason(siret, reason):
    with pytest.raises(ValidationError) as error:
        validate_siret(siret)
    assert reason in error.value.messages[0]


def test_factory_identifiers_are_valid():
    for _ in range(200):
        validate_siren(make_siren())
        validate_siret(make_siret())


def test_siren():
    validate_siren("262100076")
    with pytest.raises(ValidationError):
        validate_siren("262100077")


@pytest.mark.parametrize("value", ["210780581", "2A0000012", "2B0000012"])
def test_finess_format(value):
    validate_finess(value)


@pytest.mark.parametrize("value", ["21078058", "21078058X", "2C0000012"])
def test_finess_rejects(value):
    with pytest.raises(ValidationError):
        validate_finess(value)


def test_insee_code_is_not_a_postal_code():
    validate_insee_commune_format("21231")
    validate_insee_commune_format("2A004")
    with pytest.raises(ValidationError, match="pas le code postal"):
        validate_insee_commune_format("2100")


def test_contrast_ratio_matches_wcag_examples():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
