"""The import's fast paths keep what the slow ones gave: full-text rows, ids, publication order."""

import importlib.util
import json
from datetime import date

import ijson
import pytest
from django.db import connection, transaction

from mutualis.opendata.decp_import.normalize import _checked_siret
from mutualis.opendata.decp_import.service import import_decp
from mutualis.opendata.models import SEARCH_INDEX, ExternalContract, ExternalHolder
from tests.opendata.test_decp_import import DEMATIS, _one_publication

pytestmark = pytest.mark.django_db


def test_the_c_parser_is_used_when_it_is_installed():
    if importlib.util.find_spec("ijson.backends._yajl2") is None:
        pytest.skip("ijson built without its C backend")
    assert ijson.backend == "yajl2_c"


def _trigger_names() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        return {row[0] for row in cursor.fetchall()}


def _full_text_rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM opendata_externalcontract_fts_docsize")
        return cursor.fetchone()[0]


def test_imported_contracts_are_searchable_and_their_holders_linked():
    triggers = _trigger_names() if connection.vendor == "sqlite" else set()
    import_decp([DEMATIS[0]])
    contract = ExternalContract.objects.order_by("pk").first()
    word = max(contract.object.split(), key=len)
    assert ExternalContract.objects.filter(SEARCH_INDEX.matches(word), pk=contract.pk).exists()
    assert ExternalHolder.objects.filter(contract=contract).exists()
    assert not ExternalHolder.objects.exclude(contract__in=ExternalContract.objects.all()).exists()
    if connection.vendor == "sqlite":
        assert _trigger_names() == triggers  # the insert trigger paused during the import is back
        assert _full_text_rows() == ExternalContract.objects.count()  # one per contract, no more


def test_a_failed_import_leaves_the_index_as_it_was():
    class Boom(Exception):
        pass

    triggers = _trigger_names() if connection.vendor == "sqlite" else set()
    with pytest.raises(Boom), transaction.atomic():
        import_decp([DEMATIS[0]])
        raise Boom
    assert not ExternalContract.objects.exists()
    if connection.vendor == "sqlite":
        assert _trigger_names() == triggers
        assert _full_text_rows() == 0


def test_in_one_file_the_newer_publication_wins_whatever_the_order(tmp_path):
    _, newer = _one_publication(tmp_path, "a.json", "2024-06-03", "Objet publié en juin")
    _, older = _one_publication(tmp_path, "b.json", "2024-03-01", "Objet publié en juin")
    path = tmp_path / "both.json"
    document = {"marches": {"marche": [newer, older]}}
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    import_decp([path])
    contract = ExternalContract.objects.get(reference=newer["id"])
    assert contract.published_on == date(2024, 6, 3)


def test_the_buyer_check_is_memoised_and_keeps_its_repairs():
    _checked_siret.cache_clear()
    for _ in range(3):
        siret, repair, warning = _checked_siret("215 901 638 00019")
        assert (siret, warning) == ("21590163800019", "")
        assert repair == "acheteur.id : espaces retirés (215 901 638 00019)"
    assert _checked_siret.cache_info().hits == 2


def _found(word: str) -> set[str]:
    return set(ExternalContract.objects.filter(SEARCH_INDEX.matches(word)).values_list("uid", flat=True))


def test_rows_imported_over_many_batches_are_all_searchable_and_follow_an_update(tmp_path):
    # Batches of 7: the full-text rows are written batch by batch (SQLite: trigger paused, then one
    # statement per batch), and each batch must index its own rows, not only the first or the last.
    import_decp([DEMATIS[0]], batch_size=7)
    contracts = list(ExternalContract.objects.order_by("pk"))
    assert len(contracts) > 3 * 7
    for contract in (contracts[0], contracts[len(contracts) // 2], contracts[-1]):
        word = max(contract.object.split(), key=len)
        assert contract.uid in _found(word)
    if connection.vendor == "sqlite":
        assert _full_text_rows() == len(contracts)
    # A newer publication of the first contract with another object: found by its new words only.
    path, _ = _one_publication(tmp_path, "newer.json", "2099-01-01", "Ravalement zygomorphe")
    assert import_decp([path], batch_size=7).summary["counts"]["updated"] == 1
    first = ExternalContract.objects.get(pk=contracts[0].pk)
    assert first.object == "Ravalement zygomorphe"
    assert _found("zygomorphe") == {first.uid}
    old_words = set(contracts[0].object.lower().split()) - set(first.object.lower().split())
    assert first.uid not in _found(max(old_words, key=len))
