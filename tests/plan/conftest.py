from decimal import Decimal

import pytest

from mutualis.organisations.roles import Role
from tests.catalogue.factories import PurchaseFamilyFactory

from .factories import make_action, make_gain


@pytest.fixture
def plan(role_users, support, hospital, other_hospital):
    """The 2027 plan worked by hand in the tests (A = the member hospital, B = the other one):

    - linen: PAAT, A and B, recurring (12.50 − 10.00) × 1 000 from 1 April 2027 = 2 500.00 a year,
      275/365 in 2027 = 1 883.56, 616.44 in 2028; in progress; a validated gain of 1 200.00;
    - scanner: PAA of A, investment (50 000 − 40 000) × 1 / 5 years from 1 July = 2 000.00 a year,
      184/365 = 1 008.22 in 2027, 991.78 in 2028; planned;
    - chairs: PAA of B, one-off (20 − 15) × 100 = 500.00 all in 2027; done; a declared gain of 450.00
      (and a proposed one of 999.00, which does not count);
    - a 2028 action, outside the year.
    """
    buyer = role_users[Role.BUYER]
    family = PurchaseFamilyFactory(code="LIN", label="Linge")
    linen = make_action(
        entities=[hospital, other_hospital], family=family, owner=buyer, status="in_progress", lever="pooling"
    )
    scanner = make_action(
        entities=[hospital],
        origin="establishment",
        title="Scanner de bloc",
        planned_quarter="2027-T3",
        budget="investment",
        reference_unit_price=Decimal("50000"),
        new_unit_price=Decimal("40000"),
        quantity=Decimal("1"),
        amortisation_years=5,
    )
    chairs = make_action(
        entities=[other_hospital],
        origin="establishment",
        title="Fauteuils de consultation",
        kind="one_off",
        status="done",
        reference_unit_price=Decimal("20"),
        new_unit_price=Decimal("15"),
        quantity=Decimal("100"),
    )
    later = make_action(entities=[hospital], year=2028, title="Action 2028", planned_quarter="2028-T1")
    make_gain(linen, entity=hospital, reference="2", new="0.8")
    make_gain(
        chairs,
        entity=other_hospital,
        reference="10",
        new="5.5",
        quantity="100",
        kind="one_off",
        status="declared",
    )
    make_gain(chairs, entity=other_hospital, reference="1.999", new="1", status="proposed")
    return {"linen": linen, "scanner": scanner, "chairs": chairs, "later": later, "family": family}
