"""Every list of the API router runs as many queries for 3N rows as for N."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from mutualis.organisations.roles import Role
from tests.list_rows import ROW_MAKERS, Territory, api_lists
from tests.tokens.factories import api_token

ENDPOINTS = api_lists()
N = 2


def test_the_enumeration_finds_the_lists():
    assert {"api:contract-list", "api:project-list", "api:supplier-list"} <= set(ENDPOINTS)


@pytest.mark.parametrize("url_name", sorted(ENDPOINTS))
def test_api_list_queries_do_not_grow_with_rows(role_users, support, hospital, url_name):
    territory = Territory(support=support, hospital=hospital, users=role_users)
    add_rows = ROW_MAKERS[ENDPOINTS[url_name].queryset.model]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_token(role_users[Role.ADMIN])}")

    def visit():
        with CaptureQueriesContext(connection) as queries:
            response = api.get(reverse(url_name))
        assert response.status_code == 200
        return len(queries), response.json()["count"]

    visit()  # the first request also records the token's use
    add_rows(N, territory)
    few, few_shown = visit()
    add_rows(2 * N, territory)
    many, many_shown = visit()
    assert many_shown > few_shown
    assert many == few
