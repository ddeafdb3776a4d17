"""Optimistic locking on the model: every save checks the version it read and bumps it."""

import pytest

from mutualis.core.locking import EditConflict
from mutualis.organisations.models import User
from mutualis.suppliers.models import Supplier
from mutualis.suppliers.services import supplier_save
from tests.organisations.factories import UserFactory
from tests.suppliers.factories import SupplierFactory

pytestmark = pytest.mark.django_db


def test_creation_starts_at_one_and_each_save_bumps():
    supplier = SupplierFactory(name="Alpha")
    assert supplier.version == 1
    supplier.name = "Alpha SAS"
    supplier.save()
    assert supplier.version == 2 and Supplier.objects.get().version == 2


def test_a_stale_copy_is_refused_and_the_row_kept():
    SupplierFactory(name="Alpha")
    first, second = Supplier.objects.get(), Supplier.objects.get()
    first.name = "Alpha SAS"
    supplier_save(actor=None, supplier=first)
    second.city = "Dijon"
    with pytest.raises(EditConflict) as refused:
        supplier_save(actor=None, supplier=second)
    row = Supplier.objects.get()
    assert (row.name, row.city, row.version) == ("Alpha SAS", "", 2)
    assert second.version == 1  # unchanged by the refusal: the caller may read the current one
    report = refused.value.report()
    assert report.version == 2 and report.by == "par un traitement automatique"
    assert report.change_lines == ["Raison sociale : Alpha → Alpha SAS"]


def test_update_fields_saves_are_checked_too():
    supplier = SupplierFactory(name="Alpha")
    stale = Supplier.objects.get()
    supplier.name = "Alpha SAS"
    supplier.save(update_fields=["name"])
    assert Supplier.objects.get().version == 2
    stale.city = "Dijon"
    with pytest.raises(EditConflict):
        stale.save(update_fields=["city"])


def test_logging_in_is_no_edit_of_the_person(client):
    person = UserFactory(username="marie")
    client.force_login(person)  # writes last_login with update_fields
    assert User.objects.get(pk=person.pk).version == 1
