"""The mapping of budget accounts to families: longest prefix, the shipped defaults placed in the demo's
families by CPV, reclassification of off-contract lines, the command."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from mutualis.catalogue.models import CpvCode, PurchaseFamily
from mutualis.demo.families import FAMILIES
from mutualis.organisations.models import EntityKind
from mutualis.organisations.roles import Role
from mutualis.spend.accounts import account_mapping_load_defaults, default_accounts
from mutualis.spend.matching import AccountMapping
from mutualis.spend.models import AccountFamily, MatchMethod, Nomenclature, SpendLine
from mutualis.spend.services import spend_reclassify_off_contract
from tests.catalogue.factories import PurchaseFamilyFactory
from tests.organisations.factories import EntityFactory


@pytest.fixture
def demo_families(db):
    families = {}
    for code, label, nature, cpv_codes, _ in FAMILIES:
        family = PurchaseFamily.objects.create(code=code, label=label, nature=nature)
        family.cpv_codes.set(CpvCode.objects.resolve(cpv_codes))
        families[code] = family
    return families


def mapped(nomenclature) -> dict[str, str]:
    return dict(
        AccountFamily.objects.filter(nomenclature=nomenclature).values_list("account", "family__code")
    )


def test_longest_prefix_wins(db):
    general, specific = PurchaseFamilyFactory(), PurchaseFamilyFactory()
    AccountFamily.objects.create(nomenclature="M21", account="602", family=general)
    AccountFamily.objects.create(nomenclature="M21", account="6021", family=specific)
    AccountFamily.objects.create(nomenclature="M57", account="60211", family=general)
    mapping = AccountMapping("M21")
    assert mapping.family_for("602113") == specific.pk
    assert mapping.family_for("6021") == specific.pk
    assert mapping.family_for("6028") == general.pk
    assert mapping.family_for("61") is None


def test_shipped_files_are_well_formed():
    for nomenclature in Nomenclature.values:
        rows = default_accounts(nomenclature)
        assert len(rows) > 20
        assert all(r.account.isdigit() and r.label for r in rows)
        assert all(len(r.cpv) == 8 and r.cpv.isdigit() for r in rows if r.cpv)
        assert len({r.account for r in rows}) == len(rows)


def test_defaults_land_in_the_demo_families(demo_families):
    m21 = account_mapping_load_defaults(Nomenclature.M21)
    m57 = account_mapping_load_defaults(Nomenclature.M57)
    assert {
        "6021": "MED-01",  # the same CPV
        "6022": "MED-02",
        "6023": "HOT-01",
        "6026": "HOT-04",
        "60612": "ENE-01",
        "6152": "MAI-01",
        "6156": "MAI-02",  # 50420000 under the family's 50400000: nearest ancestor
        "616": "SRV-01",
        "6262": "NUM-03",
        "6283": "HOT-03",
        "2154": "MED-04",
        "2183": "NUM-01",
        "2184": "LOG-04",
        "2313": "TRA-01",
    }.items() <= mapped("M21").items()
    assert {
        "60621": "ENE-02",  # 09100000 has the family's 09123000 and 09135000 below it: nearest descendant
        "60623": "HOT-01",
        "6064": "LOG-03",
        "6156": "NUM-02",
        "615221": "MAI-01",
        "6236": "LOG-03",
        "6247": "LOG-02",
        "6282": "SRV-02",
    }.items() <= mapped("M57").items()
    skipped = dict(m57.skipped)
    assert skipped["60628"] == "compte sans code CPV : famille à choisir à la main"
    assert skipped["60611"] == "aucune famille du territoire ne couvre le code CPV 65100000"
    assert m21.created == AccountFamily.objects.filter(nomenclature="M21").count() >= 20
    assert m21.created + len(m21.skipped) == len(default_accounts("M21"))
    label = AccountFamily.objects.get(nomenclature="M21", account="6021").label
    assert label == "Produits pharmaceutiques et produits à usage médical"


def test_existing_rows_kept_unless_replace(demo_families):
    mine = AccountFamily.objects.create(nomenclature="M21", account="6021", family=demo_families["HOT-01"])
    report = account_mapping_load_defaults(Nomenclature.M21)
    mine.refresh_from_db()
    assert (mine.family.code, report.kept) == ("HOT-01", 1)
    again = account_mapping_load_defaults(Nomenclature.M21, replace=True)
    mine.refresh_from_db()
    assert mine.family.code == "MED-01"
    assert (again.created, again.updated) == (0, 1)
    assert mine.history.count() == 2  # created, then replaced: both recorded


def test_several_families_at_the_same_distance_are_reported(db):
    for code in ("50700000", "50400000"):
        PurchaseFamilyFactory().cpv_codes.set([code])
    from mutualis.spend.accounts import FamilyFinder

    family, reason = FamilyFinder().find("50000000")
    assert family is None
    assert reason.startswith("plusieurs familles possibles pour le code CPV 50000000 (FAM-")


def test_loading_needs_manage_spend(demo_families, role_users):
    with pytest.raises(PermissionDenied):
        account_mapping_load_defaults("M21", user=role_users[Role.LEGAL_OFFICER])
    report = account_mapping_load_defaults("M21", user=role_users[Role.BUYER])
    row = AccountFamily.objects.get(nomenclature="M21", account="6021")
    assert report.created > 0
    assert row.history.first().history_user == role_users[Role.BUYER]


def test_command(demo_families, capsys):
    call_command("load_account_mapping", nomenclature="M57")
    out = capsys.readouterr().out
    assert out.startswith("M57 : ")
    assert "60611 : aucune famille du territoire ne couvre le code CPV 65100000" in out
    assert not AccountFamily.objects.filter(nomenclature="M21").exists()


def test_reclassify_off_contract_lines_not_corrected(db, role_users):
    old, new, chosen = PurchaseFamilyFactory(), PurchaseFamilyFactory(), PurchaseFamilyFactory()
    hospital = EntityFactory(kind=EntityKind.MEMBER_HOSPITAL)
    town = EntityFactory(kind=EntityKind.COMMUNE)
    account = AccountFamily.objects.create(nomenclature="M21", account="6022", family=old)

    def line(entity, number, method=MatchMethod.OFF_CONTRACT, family=old):
        return SpendLine.objects.create(
            entity=entity, fiscal_year=2026, mandate_number=number, paid_on=date(2026, 3, 1),
            amount_ht=Decimal("10.00"), account="602210", family=family, match_method=method,
        )  # fmt: skip

    automatic = line(hospital, "1")
    corrected = line(hospital, "2", MatchMethod.MANUAL, chosen)
    elsewhere = line(town, "3")  # M57: the M21 mapping does not apply
    account.family = new
    account.save()
    automatic.refresh_from_db()
    assert automatic.family == old  # changing the mapping alone rewrites nothing
    assert spend_reclassify_off_contract(actor=role_users[Role.BUYER]) == 2  # the town's line: no M57 account
    for row in (automatic, corrected, elsewhere):
        row.refresh_from_db()
    assert (automatic.family, corrected.family, elsewhere.family) == (new, chosen, None)
    assert spend_reclassify_off_contract() == 0
