import pytest
from django.core.exceptions import ValidationError

from mutualis.catalogue.models import CpvCode, Nature, nature_of_cpv
from mutualis.catalogue.reference import cpv_level, nearest_ancestor

pytestmark = pytest.mark.django_db


def test_shipped_cpv_list_is_complete():
    assert CpvCode.objects.count() == 9454
    assert CpvCode.objects.filter(level=2).count() == 45
    # Only divisions have no parent: every other code finds its nearest existing ancestor.
    assert set(CpvCode.objects.filter(parent__isnull=True).values_list("level", flat=True)) == {2}


def test_orphan_codes_attach_to_nearest_existing_ancestor():
    # 38527400 has no 38527000 in the list: its parent is 38520000 (DOMAIN.md §7.1).
    assert CpvCode.objects.get(code="38527400").parent_id == "38520000"
    assert CpvCode.objects.get(code="30192121").parent_id == "30192100"
    assert CpvCode.objects.get(code="33141000").parent_id == "33140000"


def test_nearest_ancestor_and_level_helpers():
    known = {"38000000", "38500000", "38520000"}
    assert nearest_ancestor("38527400", known) == "38520000"
    assert nearest_ancestor("38000000", known) is None
    assert [cpv_level(c) for c in ["03000000", "03100000", "03110000", "03111000", "03111100"]] == [
        2,
        3,
        4,
        5,
        8,
    ]


def test_check_digit_is_looked_up_not_computed():
    # The 0331xxxx sub-tree does not follow the weighted-sum rule: the list is the authority.
    code = CpvCode.objects.get(code="03311000")
    assert code.full_code == "03311000-2"


def test_resolve_accepts_check_digits_lost_zeros_and_separators():
    codes = CpvCode.objects.resolve("33141000-0; 3111000, 33141000")
    assert [c.code for c in codes] == ["33141000", "03111000"]


def test_resolve_names_unknown_codes():
    with pytest.raises(ValidationError, match="99999999"):
        CpvCode.objects.resolve("33141000, 99999999")


def test_search_by_digits_or_words():
    assert set(CpvCode.objects.search("331410").values_list("code", flat=True)) >= {"33141000"}
    labels = CpvCode.objects.search("stylos bille").values_list("label", flat=True)
    assert "Stylos à bille" in labels


@pytest.mark.parametrize(
    ("code", "nature"),
    [
        ("45000000", Nature.WORKS),
        ("03000000", Nature.SUPPLIES),
        ("48000000", Nature.SUPPLIES),
        ("50000000", Nature.SERVICES),
    ],
)
def test_nature_by_division(code, nature):
    assert nature_of_cpv(code) == nature
