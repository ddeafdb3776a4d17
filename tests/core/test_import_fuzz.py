"""Property tests of every import (hostile rows and files): no crash, no partial write.

benchmarks/fuzz_imports.py runs the same properties (tests/core/import_fuzz.py) with thousands of
examples; here a few per import keep the suite fast.
"""

from datetime import date
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings

from mutualis.needs.models import Campaign
from mutualis.organisations.roles import Role
from tests.catalogue.factories import PurchaseFamilyFactory

from .import_fuzz import Stats, check_decp, check_spreadsheet, decp_files, kinds, spreadsheet_files

FEW = settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))


def fuzz_context(role_users, support, hospital):
    campaign = Campaign.objects.create(
        title="Besoins 2030", year=2030, deadline=date(2029, 12, 15), launch_date=date(2030, 2, 1)
    )
    campaign.families.set(
        [
            PurchaseFamilyFactory(code="HOT-02", label="Blanchisserie", nature="services"),
            PurchaseFamilyFactory(code="TRA-01", label="Travaux", nature="travaux"),
        ]
    )
    return SimpleNamespace(user=role_users[Role.ADMIN], support=support, hospital=hospital, campaign=campaign)


@pytest.fixture
def context(role_users, support, hospital):
    return fuzz_context(role_users, support, hospital)


@pytest.mark.parametrize("name", ["entities", "suppliers", "families", "contracts", "need_lines"])
def test_spreadsheet_import_never_crashes_nor_half_writes(context, name):
    kind = kinds(context)[name]

    @FEW
    @given(spreadsheet_files(kind))
    def property_holds(file):
        check_spreadsheet(kind, context, *file, Stats(), strict=True)

    property_holds()


def test_decp_import_never_crashes_nor_half_writes(db, tmp_path):
    @FEW
    @given(decp_files())
    def property_holds(file):
        suffix, content, records = file
        path = tmp_path / f"fuzz{suffix}"
        path.write_bytes(content)
        check_decp(path, records, Stats(), strict=True)

    property_holds()
