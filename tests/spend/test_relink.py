"""A buyer corrects a line's link: only a contract its entity may use, the method becomes manual, the flag
is recomputed, the history names who changed what; the line's page and the correction form."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from mutualis.core.history import history_of
from mutualis.organisations.roles import Role
from mutualis.spend.models import AccountFamily, MatchMethod, SpendLine
from mutualis.spend.services import spend_line_relink
from tests.catalogue.factories import PurchaseFamilyFactory
from tests.contracts.factories import make_contract
from tests.suppliers.factories import SupplierFactory


@pytest.fixture
def buyer(role_users):
    return role_users[Role.BUYER]


@pytest.fixture
def setting(support, hospital, other_hospital):
    supplier = SupplierFactory()
    contract_family, account_family, chosen = (PurchaseFamilyFactory() for _ in range(3))
    AccountFamily.objects.create(nomenclature="M21", account="6022", family=account_family)
    usable = make_contract(buyer=support, available_to=[hospital], family=contract_family, reference="USABLE")
    of_supplier = make_contract(buyer=hospital, holders=[supplier], reference="SUPPLIER")
    foreign = make_contract(buyer=other_hospital, reference="FOREIGN")
    line = SpendLine.objects.create(
        entity=hospital, fiscal_year=2026, mandate_number="42", paid_on=date(2026, 3, 1),
        amount_ht=Decimal("120.00"), account="602210", supplier=supplier, supplier_name=supplier.name,
        contract=foreign, not_entitled=True, match_method=MatchMethod.REFERENCE,
    )  # fmt: skip
    return {
        "line": line, "usable": usable, "of_supplier": of_supplier, "foreign": foreign,
        "contract_family": contract_family, "account_family": account_family, "chosen": chosen,
    }  # fmt: skip


def test_set_a_usable_contract(setting, buyer):
    line = spend_line_relink(setting["line"], contract=setting["usable"], user=buyer)
    line.refresh_from_db()
    assert (line.contract, line.family, line.match_method, line.not_entitled) == (
        setting["usable"],
        setting["contract_family"],
        MatchMethod.MANUAL,
        False,
    )
    latest = line.history.first()
    assert latest.history_user == buyer
    changed = {change.field for change in history_of(line)[0].changes}
    assert {"Contrat", "Famille d'achat", "Rattachement", "Entité non utilisatrice du contrat"} <= changed


def test_a_contract_the_entity_may_not_use_is_refused(setting, buyer, hospital):
    line = setting["line"]
    with pytest.raises(ValidationError) as refused:
        spend_line_relink(line, contract=setting["foreign"], user=buyer)
    assert refused.value.message_dict["contract"][0].startswith(
        f"Le contrat FOREIGN n'est pas utilisable par {hospital} : ni passé par cette entité"
    )
    line.refresh_from_db()
    assert (line.match_method, line.history.count()) == (MatchMethod.REFERENCE, 1)  # nothing written


def test_remove_the_contract_and_choose_the_family(setting, buyer):
    line = spend_line_relink(setting["line"], contract=None, user=buyer)
    assert (line.contract, line.family, line.match_method) == (None, setting["account_family"], "manual")
    line = spend_line_relink(line, family=setting["chosen"], user=buyer)
    line.refresh_from_db()
    assert (line.contract, line.family) == (None, setting["chosen"])


def test_only_spend_managers_correct(setting, role_users):
    with pytest.raises(PermissionDenied):
        spend_line_relink(setting["line"], contract=None, user=role_users[Role.LEGAL_OFFICER])


def test_line_page(login, setting, buyer, role_users, other_hospital):
    line = setting["line"]
    page = login(buyer).get(reverse("spend:line_detail", args=[line.pk]))
    assert page.status_code == 200
    assert "Numéro de marché du mandat" in page.text
    assert 'Rattaché par</dt><dd class="col-sm-7">Numéro de marché du mandat' in page.text
    assert "L'entité n'est pas utilisatrice de ce contrat" in page.text
    assert setting["foreign"].get_absolute_url() in page.text
    assert reverse("spend:line_relink", args=[line.pk]) in page.text
    assert "Historique des modifications" in page.text
    referent = login(role_users[Role.REFERENT])  # the hospital's referent sees it, without the correction
    seen = referent.get(reverse("spend:line_detail", args=[line.pk]))
    assert seen.status_code == 200
    assert reverse("spend:line_relink", args=[line.pk]) not in seen.text
    elsewhere = SpendLine.objects.create(
        entity=other_hospital, fiscal_year=2026, mandate_number="7", paid_on=date(2026, 3, 1),
        amount_ht=Decimal("1.00"), account="6022",
    )  # fmt: skip
    assert referent.get(reverse("spend:line_detail", args=[elsewhere.pk])).status_code == 404


def test_relink_form_lists_usable_contracts_supplier_first(login, setting, buyer):
    line = setting["line"]
    client = login(buyer)
    form = client.get(reverse("spend:line_relink", args=[line.pk])).context["form"]
    choices = [c.reference for c in form.fields["contract"].queryset]
    assert choices == ["SUPPLIER", "USABLE"]  # the foreign contract is not offered
    assert "(fournisseur du mandat)" in form.fields["contract"].label_from_instance(
        form.fields["contract"].queryset[0]
    )
    refused = client.post(reverse("spend:line_relink", args=[line.pk]), {"contract": setting["foreign"].pk})
    assert refused.status_code == 200
    assert "contract" in refused.context["form"].errors
    done = client.post(reverse("spend:line_relink", args=[line.pk]), {"contract": setting["of_supplier"].pk})
    assert done.status_code == 302
    line.refresh_from_db()
    assert (line.contract, line.match_method) == (setting["of_supplier"], MatchMethod.MANUAL)
