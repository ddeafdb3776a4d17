"""OCDS export: procurement method, signature date, distinct timestamps for same-day amendments, and no
production export under the placeholder ocid prefix."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from mutualis.contracts.enums import Procedure
from mutualis.contracts.services import amendment_add
from mutualis.opendata.exports import ocds
from tests.contracts.factories import make_contract

pytestmark = pytest.mark.django_db


def _releases(result) -> dict:
    return {r["id"]: r for r in result.package["releases"]}


@pytest.mark.parametrize(
    ("procedure", "offers", "method"),
    [
        (Procedure.OPEN, 4, "open"),
        (Procedure.ADAPTED, 2, "open"),
        (Procedure.RESTRICTED, 3, "selective"),
        (Procedure.NEGOTIATED, 2, "selective"),
        (Procedure.DIALOGUE, 2, "selective"),
        (Procedure.NO_COMPETITION, 3, "limited"),
        (Procedure.NO_COMPETITION, 1, "direct"),
    ],
)
def test_procurement_method_follows_the_procedure(support, procedure, offers, method):
    contract = make_contract(buyer=support, procedure=procedure, offers_received=offers)
    result = ocds.export_ocds()
    assert result.is_valid, result.errors
    tender = _releases(result)[f"{ocds.ocid_of(contract)}-award"]["tender"]
    assert (tender["procurementMethod"], tender["procurementMethodDetails"]) == (method, procedure)


def test_contract_date_signed_defaults_to_the_notification(support):
    contract = make_contract(buyer=support, notification_date=date(2026, 2, 3))
    release = _releases(ocds.export_ocds())[f"{ocds.ocid_of(contract)}-award"]
    assert release["contracts"][0]["dateSigned"] == "2026-02-03T00:00:00+01:00"


def test_same_day_amendments_get_distinct_ordered_timestamps(support):
    contract = make_contract(buyer=support, notification_date=date(2026, 2, 3))
    for day, months in [(date(2026, 2, 3), 1), (date(2026, 5, 4), 2), (date(2026, 5, 4), 3)]:
        amendment_add(
            actor=None,
            contract=contract,
            notified_on=day,
            kind="non_substantial",
            description="Prolongation",
            duration_change_months=months,
        )
    result = ocds.export_ocds()
    assert result.is_valid, result.errors
    ocid = ocds.ocid_of(contract)
    dates = [r["date"] for r in result.package["releases"] if r["ocid"] == ocid]
    assert dates == [
        "2026-02-03T00:00:00+01:00",
        "2026-02-03T00:00:01+01:00",
        "2026-05-04T00:00:00+02:00",
        "2026-05-04T00:00:01+02:00",
    ]
    last = _releases(result)[f"{ocid}-amendment-3"]["contracts"][0]["amendments"]
    assert [a["date"] for a in last] == dates[1:]


def test_placeholder_prefix_is_obvious_outside_production(support, settings):
    settings.MUTUALIS_OCDS_PREFIX = ""
    contract = make_contract(buyer=support)
    result = ocds.export_ocds()
    assert result.is_valid
    assert ocds.ocid_of(contract) == f"ocds-xxxxxx-{contract.uid}"


def test_production_refuses_an_export_without_a_registered_prefix(support, settings, tmp_path):
    settings.PRODUCTION, settings.MUTUALIS_OCDS_PREFIX = True, ""
    make_contract(buyer=support, amount=Decimal("50000"))
    result = ocds.export_ocds()
    assert not result.is_valid
    assert "MUTUALIS_OCDS_PREFIX" in result.errors[0].message
    out = tmp_path / "ocds.json"
    with pytest.raises(CommandError, match="MUTUALIS_OCDS_PREFIX"):
        call_command("export_ocds", "--out", str(out))
    assert not out.exists()
    settings.MUTUALIS_OCDS_PREFIX = "ocds-abc123"
    assert ocds.export_ocds().is_valid
