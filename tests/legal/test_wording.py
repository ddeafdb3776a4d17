from datetime import date

import pytest

from mutualis.legal.wording import describe_version, french_date


def test_french_date():
    assert french_date(date(2026, 4, 1)) == "1er avril 2026"
    assert french_date(date(2019, 12, 23)) == "23 décembre 2019"


@pytest.mark.django_db
def test_thresholds_version_reads_as_a_sentence_with_its_texts():
    text = describe_version("dispense:2026-04-01;publicite:2019-04-01;profil:2026-04-01;ue:2026-01-01")
    assert text.startswith("seuils en vigueur au 1er avril 2026 (")
    assert "décret 2025-1386 (R2122-8)" in text and "R2131-12" in text
    assert "dispense:" not in text and "[U" not in text


@pytest.mark.django_db
def test_amendment_limits_version_reads_as_a_sentence():
    text = describe_version("CCP-2019-04-01")
    assert text.startswith("seuils de modification en vigueur au 1er avril 2019")
    assert "CCP-" not in text


def test_unknown_version_is_left_as_is():
    assert describe_version("n'importe quoi") == "n'importe quoi"
