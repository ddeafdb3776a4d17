"""One scoping entry point: a model without a rule raises, and every list page and API list uses it."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from rest_framework.test import APIClient

import mutualis.api.base
import mutualis.www.lists
from mutualis.api.base import ScopedReadOnlyViewSet
from mutualis.core.scoping import UnscopedModelError, scoped
from mutualis.organisations.models import User
from mutualis.organisations.roles import Role
from mutualis.suppliers.models import Supplier
from mutualis.www.lists import FilteredListView
from tests.list_rows import LIST_PARAMS, LIST_READERS, api_lists, list_pages
from tests.organisations.factories import MembershipFactory, UserFactory
from tests.suppliers.factories import SupplierFactory
from tests.tokens.factories import api_token


def test_a_model_without_a_rule_raises(db):
    with pytest.raises(UnscopedModelError, match=r"contenttypes\.ContentType has no scoping rule"):
        scoped(ContentType.objects.all(), UserFactory())


def test_reference_data_is_declared_readable_by_all(db):
    SupplierFactory()
    SupplierFactory()
    assert scoped(Supplier.objects.all(), UserFactory()).count() == 2


def test_people_are_scoped_by_entity(role_users, other_hospital):
    stranger = MembershipFactory(entity=other_hospital, role=Role.PRESCRIBER).user
    for_referent = set(scoped(User.objects.all(), role_users[Role.REFERENT]))
    assert role_users[Role.PRESCRIBER] in for_referent and stranger not in for_referent
    assert role_users[Role.ADMIN] not in for_referent  # a member of the support establishment only
    assert stranger in set(scoped(User.objects.all(), role_users[Role.ADMIN]))


@pytest.mark.parametrize(
    "view_class",
    [*list_pages().values(), *api_lists().values()],
    ids=lambda cls: cls.__name__,
)
def test_no_list_replaces_the_scoped_queryset(view_class):
    base = FilteredListView if issubclass(view_class, FilteredListView) else ScopedReadOnlyViewSet
    assert issubclass(view_class, base)
    assert view_class.get_queryset is base.get_queryset


def test_every_list_page_and_api_list_goes_through_scoped(monkeypatch, role_users):
    seen = []

    def spy(queryset, user):
        seen.append(queryset.model)
        return scoped(queryset, user)

    monkeypatch.setattr(mutualis.www.lists, "scoped", spy)
    monkeypatch.setattr(mutualis.api.base, "scoped", spy)
    client = APIClient()
    for url_name, view_class in {**list_pages(), **api_lists()}.items():
        user = role_users[LIST_READERS.get(url_name, Role.ADMIN)]
        client.credentials(HTTP_AUTHORIZATION=f"Token {api_token(user)}")
        client.force_login(user)
        seen.clear()
        assert client.get(reverse(url_name), LIST_PARAMS.get(url_name, {})).status_code == 200
        model = getattr(view_class, "model", None) or view_class.queryset.model
        assert model in seen, url_name
