"""The demo territory and the production profile."""

import os
import subprocess
import sys

import pytest
from django.core.management import call_command

from mutualis.catalogue.models import PurchaseFamily
from mutualis.core.validators import validate_siret
from mutualis.demo.awards import read_awards
from mutualis.organisations.access import access_for
from mutualis.organisations.models import Entity, Membership, Territory, User
from mutualis.organisations.roles import Role
from mutualis.suppliers.models import Supplier

pytestmark = pytest.mark.django_db


def _counts():
    return [m.objects.count() for m in (Territory, Entity, User, Membership, PurchaseFamily, Supplier)]


def test_load_demo_builds_the_territory_and_is_safe_to_rerun():
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    first = _counts()
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert _counts() == first
    assert first[0] == 1 and first[1] == 7 and first[4] == 26
    assert first[5] == len({a.siret for a in read_awards()})  # one supplier per real holder
    for entity in Entity.objects.all():
        validate_siret(entity.siret)
        entity.full_clean()
    assert (
        Entity.objects.filter(kind="support").get().name == "Centre hospitalier universitaire Dijon Bourgogne"
    )
    # Every role has a demo account, and the referent sees only the Hospices civils de Beaune.
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role)
    referent = User.objects.get(username="referent")
    assert [e.name for e in Entity.objects.for_user(referent)] == ["Hospices civils de Beaune"]
    assert access_for(User.objects.get(username="gouvernance")).sees_whole_territory
    assert all(family.cpv_codes.exists() for family in PurchaseFamily.objects.all())


def test_production_profile_passes_deploy_checks(tmp_path):
    env = {
        **os.environ,
        "MUTUALIS_ENV": "production",
        "MUTUALIS_SECRET_KEY": "a-long-random-secret-for-this-test-only-4f7c1e9b2a6d8e0f3c5b7a9d1e2f4a6c",
        "MUTUALIS_ALLOWED_HOSTS": "achats.example.org",
        "MUTUALIS_DATA_DIR": str(tmp_path),
    }
    env.pop(
        "DJANGO_ALLOW_ASYNC_UNSAFE", None
    )  # set for the browser tests; Django rightly refuses it in production
    result = subprocess.run(
        [sys.executable, "-m", "mutualis", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_profile_refuses_to_start_without_secret(tmp_path):
    env = {**os.environ, "MUTUALIS_ENV": "production", "MUTUALIS_DATA_DIR": str(tmp_path)}
    env.pop("MUTUALIS_SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "-m", "mutualis", "check"], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "MUTUALIS_SECRET_KEY" in result.stderr
