"""The procedure computation against the thresholds of DOMAIN.md §1, written here independently of the
shipped table: every boundary (just below, equal, just above), every table and date change, each nature
and each kind of buyer."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from mutualis.legal.procedure import estimate_procedure

CENT = Decimal("0.01")
NATURES = ["fournitures", "services", "travaux"]
BUYERS = ["autorite_centrale", "autre_pouvoir_adjudicateur", "entite_adjudicatrice"]
# (first day, waiver F&S, waiver works, EU F&S by buyer kind, EU works, buyer profile)
PERIODS = [
    (date(2020, 1, 1), 40_000, 40_000, (139_000, 214_000, 428_000), 5_350_000, 40_000),
    (date(2020, 7, 22), 40_000, 70_000, (139_000, 214_000, 428_000), 5_350_000, 40_000),
    (date(2020, 12, 9), 40_000, 100_000, (139_000, 214_000, 428_000), 5_350_000, 40_000),
    (date(2022, 1, 1), 40_000, 100_000, (140_000, 215_000, 431_000), 5_382_000, 40_000),
    (date(2024, 1, 1), 40_000, 100_000, (143_000, 221_000, 443_000), 5_538_000, 40_000),
    (date(2026, 1, 1), 40_000, 100_000, (140_000, 216_000, 432_000), 5_404_000, 40_000),
    (date(2026, 4, 1), 60_000, 100_000, (140_000, 216_000, 432_000), 5_404_000, 60_000),
]
PUBLICITY = 90_000


def cases():
    for start, waiver_fs, waiver_works, eu_fs, eu_works, _profile in PERIODS:
        for nature in NATURES:
            for index, buyer in enumerate(BUYERS):
                waiver = Decimal(waiver_works if nature == "travaux" else waiver_fs)
                eu = Decimal(eu_works if nature == "travaux" else eu_fs[index])
                yield start, nature, buyer, waiver, eu


def estimate(day, nature, buyer, amount, sss=False):
    return estimate_procedure(
        nature=nature, buyer_kind=buyer, launch_date=day, amount=amount, social_and_specific_services=sss
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("start", "nature", "buyer", "waiver", "eu"), list(cases()))
def test_boundaries(start, nature, buyer, waiver, eu):
    for day in (start, start + timedelta(days=20)):
        assert (
            estimate(day, nature, buyer, waiver - CENT).procedure == "sans_publicite_ni_mise_en_concurrence"
        )
        assert estimate(day, nature, buyer, waiver).procedure == "procedure_adaptee"
        assert estimate(day, nature, buyer, waiver + CENT).procedure == "procedure_adaptee"
        assert estimate(day, nature, buyer, eu - CENT).procedure == "procedure_adaptee"
        at_eu = estimate(day, nature, buyer, eu)
        assert (at_eu.procedure, at_eu.publicity) == ("procedure_formalisee", "joue_et_boamp")
        assert estimate(day, nature, buyer, eu + CENT).procedure == "procedure_formalisee"
        assert Decimal(at_eu.thresholds["eu"]) == eu and Decimal(at_eu.thresholds["waiver"]) == waiver


@pytest.mark.django_db
@pytest.mark.parametrize("buyer", BUYERS)
def test_national_publicity_from_90_000(buyer):
    day = date(2026, 6, 1)
    below = estimate(day, "services", buyer, Decimal(PUBLICITY) - CENT)
    at = estimate(day, "services", buyer, Decimal(PUBLICITY))
    assert below.publicity == "libre"
    # R2131-12 binds the State, local authorities and their establishments; utilities choose (R2131-13).
    assert at.publicity == ("libre" if buyer == "entite_adjudicatrice" else "boamp_ou_jal")


@pytest.mark.django_db
def test_the_launch_date_chooses_the_table():
    amount = Decimal("50000")
    assert (
        estimate(date(2026, 3, 31), "fournitures", "autre_pouvoir_adjudicateur", amount).procedure
        == "procedure_adaptee"
    )
    after = estimate(date(2026, 4, 1), "fournitures", "autre_pouvoir_adjudicateur", amount)
    assert after.procedure == "sans_publicite_ni_mise_en_concurrence"
    assert "2025-1386" in after.explanation and "01/04/2026" in after.explanation
    works = Decimal("60000")
    assert (
        estimate(date(2020, 7, 21), "travaux", "autre_pouvoir_adjudicateur", works).procedure
        == "procedure_adaptee"
    )
    assert estimate(date(2020, 7, 22), "travaux", "autre_pouvoir_adjudicateur", works).procedure.startswith(
        "sans"
    )


@pytest.mark.django_db
def test_buyer_profile_follows_its_own_threshold():
    day_before, day_after = date(2026, 3, 31), date(2026, 4, 1)
    assert (
        estimate(day_before, "travaux", "autre_pouvoir_adjudicateur", Decimal("45000")).buyer_profile_required
        is False
    )
    assert estimate(
        day_before, "services", "autre_pouvoir_adjudicateur", Decimal("45000")
    ).buyer_profile_required
    assert (
        estimate(
            day_after, "travaux", "autre_pouvoir_adjudicateur", Decimal("59999.99")
        ).buyer_profile_required
        is False
    )
    assert estimate(
        day_after, "services", "autre_pouvoir_adjudicateur", Decimal("60000")
    ).buyer_profile_required


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("buyer", "threshold"), [("autre_pouvoir_adjudicateur", 750_000), ("entite_adjudicatrice", 1_000_000)]
)
def test_social_and_specific_services(buyer, threshold):
    day = date(2026, 6, 1)
    below = estimate(day, "services", buyer, Decimal(threshold) - CENT, sss=True)
    at = estimate(day, "services", buyer, Decimal(threshold), sss=True)
    huge = estimate(day, "services", buyer, Decimal(threshold) * 10, sss=True)
    assert (below.procedure, below.publicity) == ("procedure_adaptee", "libre")
    assert (at.procedure, at.publicity) == ("procedure_adaptee", "joue_et_boamp")
    assert huge.procedure == "procedure_adaptee"


@pytest.mark.django_db
def test_explanation_and_version_name_the_rows_used():
    result = estimate(date(2026, 6, 1), "fournitures", "autre_pouvoir_adjudicateur", Decimal("300000"))
    assert "216 000 € HT" in result.explanation.replace("\u202f", " ")
    assert (
        result.thresholds["version"]
        == "dispense:2026-04-01;publicite:2019-04-01;profil:2026-04-01;ue:2026-01-01"
    )
    assert result.time_limits["appel_offres_ouvert"] == {"offres": 30}


@pytest.mark.django_db
def test_a_new_decree_is_a_new_row(tmp_path):
    """Loading a row dated later changes the result from that date on, with no code change."""
    from django.core.management import call_command

    decree = tmp_path / "decret.json"
    decree.write_text(
        '{"rows": [{"kind": "waiver", "nature": "services", "valid_from": "2028-01-01", "amount": "80000", '
        '"reference": "décret fictif"}]}',
        encoding="utf-8",
    )
    call_command("load_thresholds", str(decree))
    amount = Decimal("70000")
    assert (
        estimate(date(2027, 12, 31), "services", "autre_pouvoir_adjudicateur", amount).procedure
        == "procedure_adaptee"
    )
    assert estimate(date(2028, 1, 1), "services", "autre_pouvoir_adjudicateur", amount).procedure.startswith(
        "sans"
    )
