"""Risk flags: each kind on hand-built records (one that flags, one just below the rule), the reader's
scope, the acknowledgement and its log, and a query count that does not grow with the contracts."""

from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mutualis.contracts.models import Contract
from mutualis.organisations.access import access_for
from mutualis.organisations.roles import Role
from mutualis.steering.flags import KINDS, flag_counts, flags_about_supplier, flags_for
from mutualis.steering.models import FlagAcknowledgement
from mutualis.steering.scope import Scope
from mutualis.steering.services.flags import flag_acknowledge, flag_acknowledgement_withdraw
from tests.catalogue.factories import PurchaseFamilyFactory
from tests.contracts.factories import make_contract
from tests.organisations.factories import EntityFactory
from tests.spend.spendmap_rows import make_line
from tests.suppliers.factories import SupplierFactory

from .flag_data import NO_COMPETITION, OPEN, amended, decided, renewable, single_offer

Y2025 = Scope(2025)
TODAY = date(2025, 12, 1)


@pytest.fixture
def buyer(role_users):
    return role_users[Role.BUYER]


def keys(kind, scope, user, today=TODAY):
    return {flag.key for flag in flags_for(scope, user, today) if flag.kind == kind}


def test_single_offer_in_a_formalised_procedure(buyer, support):
    flagged = single_offer(support, reference="2025-014")
    single_offer(support, offers=2)  # competition played
    single_offer(support, procedure="Procédure adaptée")  # not formalised
    single_offer(support, notified=date(2024, 12, 31))  # another year
    assert keys("single_offer", Y2025, buyer) == {f"contract:{flagged.pk}"}
    flag = next(f for f in flags_for(Y2025, buyer, TODAY) if f.kind == "single_offer")
    assert flag.title == "Marché 2025-014 (Appel d'offres ouvert) : une seule offre reçue"
    assert "notifié le 10/03/2025" in flag.explanation and "100\u202f000,00\u202f€" in flag.explanation
    assert flag.links == [("Marché 2025-014", reverse("contracts:contract_detail", args=[flagged.pk]))]
    assert flag.severity == "high" and flag.acknowledgement is None
    older = Contract.objects.get(notification_date=date(2024, 12, 31))
    assert keys("single_offer", Scope(2024), buyer) == {f"contract:{older.pk}"}


def test_amendments_over_the_low_value_limit(buyer, support):
    # Supplies: low-value amendments may reach 10 % of the initial 100 000 €; 5 000 + 5 000.01 goes over.
    over = amended(support, ["5000", "5000.01"], reference="AV-1")
    amended(support, ["5000", "5000"])  # 10 % exactly: at the limit
    amended(support, ["5000", "6000"], notified=date(2024, 1, 15))  # over, but amended in 2024
    assert keys("amendments_over_limit", Y2025, buyer) == {f"contract:{over.pk}"}
    flag = next(f for f in flags_for(Y2025, buyer, TODAY) if f.kind == "amendments_over_limit")
    assert "2 avenant(s), 10,0 % du montant initial" in flag.explanation and "R2194-8" in flag.explanation
    assert len(keys("amendments_over_limit", Scope(2024), buyer)) == 1


def test_an_additional_amendment_over_half_the_initial_amount(buyer, support):
    over = amended(support, ["50000.01"], kind="additional")
    amended(support, ["50000"], kind="additional")  # half exactly is allowed
    assert keys("amendments_over_limit", Y2025, buyer) == {f"contract:{over.pk}"}


def test_a_renewal_decided_after_its_notice(buyer, support):
    # Firm year 1 Jan – 31 Dec 2025, three months' notice: the decision was due on 30 Sep 2025.
    late = renewable(support, reference="R-LATE")
    on_time = renewable(support)
    decision = decided(late, date(2025, 10, 1))
    decided(on_time, date(2025, 9, 30))
    found = {k for k in keys("renewal_late", Y2025, buyer) if k.startswith("renewal:")}
    assert found == {f"renewal:{decision.pk}"}
    flag = next(f for f in flags_for(Y2025, buyer, TODAY) if f.key == f"renewal:{decision.pk}")
    assert "le 01/10/2025, 1 jour(s) après sa date limite du 30/09/2025" in flag.explanation


def test_a_decision_overdue_today(buyer, support):
    # Stored due dates are computed on the real day: the records are dated from it.
    today = timezone.localdate()
    start = today - relativedelta(months=11)
    overdue = renewable(support, notified=start)  # due 12 months after start, less 3 months: passed
    renewable(support, notified=start, notice=0)  # due at the firm year's end: still to come
    due = start + relativedelta(months=12) - timedelta(days=1) - relativedelta(months=3)
    overdue.refresh_from_db()
    assert overdue.decision_due_on == due
    assert keys("renewal_late", Scope(today.year), buyer, today) == {f"contract:{overdue.pk}:due:{due}"}
    assert keys("renewal_late", Scope(today.year + 1), buyer, today) == set()  # a period still to come


def test_splitting_in_the_registry(buyer, support):
    # Supplies in 2025: each contract under the 40 000 € waiver, 60 000 € together over it.
    split, kept = PurchaseFamilyFactory(code="FOUR"), PurchaseFamilyFactory()
    for _ in range(2):
        make_contract(buyer=support, family=split, amount=Decimal(30000), notification_date=date(2025, 5, 1))
    make_contract(buyer=support, family=kept, amount=Decimal(15000), notification_date=date(2025, 5, 1))
    make_contract(buyer=support, family=kept, amount=Decimal(20000), notification_date=date(2025, 6, 1))
    assert keys("splitting", Y2025, buyer) == {f"family:{split.pk}:2025"}
    flag = next(f for f in flags_for(Y2025, buyer, TODAY) if f.kind == "splitting")
    assert "2 contrats passés séparément pour 60\u202f000,00\u202f€ HT" in flag.explanation
    assert f"family={split.pk}" in flag.links[0][1]


def test_splitting_in_the_registry_is_one_flag_per_buyer(buyer, support):
    # Two communes buying for themselves, two 30 000 € supply contracts each in 2025 (over the waiver
    # together): one flag each, never one for the four contracts; the support establishment keeps the
    # key flags had before they were per buyer.
    split = PurchaseFamilyFactory(code="FOUR")
    towns = [EntityFactory(name=f"Commune {n}", kind="commune", purchasing_mode="own") for n in "AB"]
    for entity in (*towns, support):
        for _ in range(2):
            make_contract(
                buyer=entity, family=split, amount=Decimal(30000), notification_date=date(2025, 5, 1)
            )
    assert keys("splitting", Y2025, buyer) == {
        f"family:{split.pk}:2025",
        *(f"family:{split.pk}:2025:buyer:{town.pk}" for town in towns),
    }
    flags = [f for f in flags_for(Y2025, buyer, TODAY) if f.kind == "splitting"]
    assert all("2 contrats passés séparément pour 60\u202f000,00\u202f€ HT" in f.explanation for f in flags)
    linked = {parse_qs(urlsplit(flag.links[0][1]).query)["buyer"][0] for flag in flags}
    assert linked == {str(entity.pk) for entity in (*towns, support)}


def test_splitting_in_the_spend(buyer, support, hospital):
    # Off-contract spend of 2025 on one family: 45 000 € crosses the 40 000 € waiver, 39 999.99 € does not.
    # The hospital buys for its own account: its spend is checked apart from the support's (R2121-1).
    hospital.purchasing_mode = "own"
    hospital.save()
    family = PurchaseFamilyFactory()
    make_line(entity=support, year=2025, amount="45000.00", family=family)
    make_line(entity=hospital, year=2025, amount="39999.99", family=family)
    assert keys("splitting", Y2025, buyer) == {f"family:{family.pk}:2025:entity:{support.pk}"}
    flag = next(f for f in flags_for(Y2025, buyer, TODAY) if f.kind == "splitting")
    assert "1 mandat(s) hors marché pour 45\u202f000,00\u202f€ HT" in flag.explanation
    assert keys("splitting", Scope(2025, entity=hospital), buyer) == set()


def test_repeated_awards_without_publicity(buyer, support):
    family = PurchaseFamilyFactory()
    repeated, twice = SupplierFactory(name="Titulaire répété"), SupplierFactory()
    for day in (1, 2, 3):
        make_contract(buyer=support, family=family, holders=[repeated], procedure=NO_COMPETITION,
                      amount=Decimal(10000), notification_date=date(2025, 2, day))  # fmt: skip
    for day in (1, 2):
        make_contract(buyer=support, family=family, holders=[twice], procedure=NO_COMPETITION,
                      amount=Decimal(10000), notification_date=date(2025, 2, day))  # fmt: skip
    # A third award to `twice` after a competition does not count.
    make_contract(buyer=support, family=family, holders=[twice], procedure="Procédure adaptée",
                  amount=Decimal(10000), notification_date=date(2025, 2, 3))  # fmt: skip
    assert keys("repeated_no_publicity", Y2025, buyer) == {f"supplier:{repeated.pk}:family:{family.pk}:2025"}
    flag = next(f for f in flags_for(Y2025, buyer, TODAY) if f.kind == "repeated_no_publicity")
    assert "Titulaire répété a reçu 3 contrats" in flag.explanation
    assert "30\u202f000,00\u202f€" in flag.explanation and len(flag.links) == 3
    assert keys("repeated_no_publicity", Scope(2025, quarter=4), buyer) == {flag.key}  # the whole year


def test_essential_data_published_late(buyer, support):
    # 40 000 € and more, two months to publish: on 1 Dec 2025 a March contract is late, a 15 October one
    # has until 15 December.
    late = make_contract(buyer=support, amount=Decimal(40000), notification_date=date(2025, 3, 1))
    make_contract(buyer=support, amount=Decimal(40000), notification_date=date(2025, 10, 15))
    make_contract(buyer=support, amount=Decimal("39999.99"), notification_date=date(2025, 3, 1))
    published = make_contract(buyer=support, amount=Decimal(40000), notification_date=date(2025, 3, 1))
    Contract.objects.filter(pk=published.pk).update(data_published_on=date(2025, 4, 1))
    assert keys("decp_late", Y2025, buyer) == {f"contract:{late.pk}"}


def test_a_reader_sees_the_flags_of_his_entities(role_users, support, hospital, other_hospital):
    referent, buyer = role_users[Role.REFERENT], role_users[Role.BUYER]  # referent of `hospital`
    own = single_offer(hospital)
    shared = single_offer(support, available_to=[hospital])
    other = single_offer(other_hospital)
    assert keys("single_offer", Y2025, referent) == {f"contract:{own.pk}", f"contract:{shared.pk}"}
    assert keys("single_offer", Y2025, buyer) == {f"contract:{c.pk}" for c in (own, shared, other)}
    assert keys("single_offer", Scope(2025, entity=other_hospital), buyer) == {f"contract:{other.pk}"}
    family = PurchaseFamilyFactory()
    Contract.objects.filter(pk=own.pk).update(family=family)
    assert keys("single_offer", Scope(2025, family=family), buyer) == {f"contract:{own.pk}"}


def test_counts_hold_every_kind(buyer, support):
    # 100 000 € notified on 10 Mar 2025 for 12 months, never published: a single offer, its DECP late on
    # 1 Dec 2025, and its re-tender decision (9 months before its end on 9 Mar 2026: 9 Jun 2025) overdue.
    single_offer(support)
    counts = flag_counts(Y2025, buyer, TODAY)
    assert counts == dict.fromkeys(KINDS, 0) | {"single_offer": 1, "decp_late": 1, "renewal_late": 1}


def test_acknowledge_and_withdraw_are_logged(buyer, support):
    contract = single_offer(support)
    key = f"contract:{contract.pk}"
    acknowledgement = flag_acknowledge("single_offer", key, " Seul fournisseur agréé. ", buyer, today=TODAY)
    assert (acknowledgement.by, acknowledgement.comment) == (buyer, "Seul fournisseur agréé.")
    flag = next(f for f in flags_for(Y2025, buyer, TODAY) if f.key == key)
    assert flag.acknowledgement == acknowledgement
    assert flag_counts(Y2025, buyer, TODAY)["single_offer"] == 0
    flag_acknowledgement_withdraw("single_offer", key, buyer)
    assert not FlagAcknowledgement.objects.exists()
    assert flag_counts(Y2025, buyer, TODAY)["single_offer"] == 1
    log = FlagAcknowledgement.history.filter(key=key).order_by("history_date")
    assert [(row.history_type, row.history_user) for row in log] == [("+", buyer), ("-", buyer)]


def test_acknowledging_needs_a_comment_a_permission_and_a_flag(role_users, support, hospital):
    buyer = role_users[Role.BUYER]
    contract = single_offer(hospital)
    key = f"contract:{contract.pk}"
    with pytest.raises(ValidationError) as error:
        flag_acknowledge("single_offer", key, "  ", buyer, today=TODAY)
    assert "comment" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        flag_acknowledge("single_offer", key, "Vu.", role_users[Role.REFERENT], today=TODAY)
    with pytest.raises(ValidationError):  # a flag of another kind for this contract does not exist
        flag_acknowledge("amendments_over_limit", key, "Vu.", buyer, today=TODAY)
    with pytest.raises(PermissionDenied):
        flag_acknowledgement_withdraw("single_offer", key, role_users[Role.GOVERNANCE])
    assert not FlagAcknowledgement.objects.exists()


def _territory(support, family, holder, count):
    """`count` contracts of every flagged kind."""
    for index in range(count):
        single_offer(support)
        amended(support, ["5000", "5000.01"])
        decided(renewable(support), date(2025, 10, 1))
        make_contract(buyer=support, family=family, holders=[holder], procedure=NO_COMPETITION,
                      amount=Decimal(30000), notification_date=date(2025, 2, 1 + index))  # fmt: skip
        make_contract(buyer=support, procedure=OPEN, offers_received=3, amount=Decimal(50000),
                      notification_date=date(2025, 3, 1))  # fmt: skip
        make_line(entity=support, year=2025, amount="45000.00", family=PurchaseFamilyFactory())


def _queries(scope, user):
    access_for(user)  # the reader's roles, read once per request: not part of the count
    with CaptureQueriesContext(connection) as counted:
        flags = flags_for(scope, user, TODAY)
        flag_counts(scope, user, TODAY)
    return len(counted), flags


def test_queries_do_not_grow_with_the_contracts(role_users, support):
    buyer = role_users[Role.BUYER]
    family, holder = PurchaseFamilyFactory(), SupplierFactory()
    _territory(support, family, holder, 3)
    few, flags = _queries(Y2025, buyer)
    assert {flag.kind for flag in flags} == set(KINDS)
    flag_acknowledge(flags[0].kind, flags[0].key, "Vu.", buyer, today=TODAY)
    _territory(support, family, holder, 6)
    many, flags = _queries(Y2025, buyer)
    assert len([f for f in flags if f.kind == "single_offer"]) == 9
    assert many == few


def test_a_four_digit_id_is_not_read_as_a_year(buyer):
    """Database ids grow past 1000: « contract:5678 » names a contract, not the year 5678."""
    from mutualis.steering.services.flags import _years

    today = date(2026, 12, 1)
    assert _years("contract:5678", buyer, today) == []  # no such contract: no year to search
    assert _years("family:2031:2025", buyer, today) == [2025]
    assert _years("supplier:1999:family:2024:2025", buyer, today) == [2025]
    assert _years("contract:2030:due:2026-09-30", buyer, today) == [2026]


def test_a_supplier_s_flags_are_those_about_it_and_its_contracts(client, role_users, buyer, support):
    family = PurchaseFamilyFactory()
    repeated, alone, other = SupplierFactory(), SupplierFactory(), SupplierFactory()
    for day in (1, 2, 3):
        make_contract(buyer=support, family=family, holders=[repeated], procedure=NO_COMPETITION,
                      amount=Decimal(10000), notification_date=date(2025, 2, day))  # fmt: skip
    lonely = single_offer(support, holders=[alone])
    elsewhere = single_offer(support, holders=[other])
    about = flags_about_supplier(repeated, buyer, TODAY)
    assert f"supplier:{repeated.pk}:family:{family.pk}:2025" in {f.key for f in about}
    assert all(f.key.startswith(f"supplier:{repeated.pk}:") or f.links for f in about)
    keys_alone = {(f.kind, f.key) for f in flags_about_supplier(alone, buyer, TODAY)}
    assert ("single_offer", f"contract:{lonely.pk}") in keys_alone
    assert not {key for _, key in keys_alone} & {f"contract:{elsewhere.pk}", f"supplier:{repeated.pk}"}
    # On the supplier's file (this year's flags), for those who read the steering only.
    this_year = single_offer(support, holders=[alone], notified=date(timezone.localdate().year, 1, 1))
    client.force_login(buyer)
    flags = client.get(alone.get_absolute_url()).context["flags"]
    assert ("single_offer", f"contract:{this_year.pk}") in {(f.kind, f.key) for f in flags}
    assert f"contract:{lonely.pk}" not in {f.key for f in flags if f.kind == "single_offer"}  # last year
    client.force_login(role_users[Role.PRESCRIBER])
    assert client.get(alone.get_absolute_url()).context["flags"] is None
