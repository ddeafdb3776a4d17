"""Full-text search: one syntax, read without ever passing an operator through, and the same answers on
SQLite (FTS5) and PostgreSQL (tsvector), whatever path wrote the rows."""

import pytest
from django.db import connection

from mutualis.contracts.models import Contract
from mutualis.contracts.models.contract import SEARCH_INDEX
from mutualis.core.fulltext import parse
from tests.contracts.factories import make_contract


def test_the_syntax_is_written_for_each_database():
    query = parse('"fournitures de bureau" blanchis -locaux OU lait')
    assert query.to_fts5() == '("fournitures de bureau" AND "blanchis"* NOT "locaux"*) OR ("lait"*)'
    assert query.to_tsquery() == (
        "(('fournitures' <-> 'de' <-> 'bureau') & ('blanchis':*) & !('locaux':*)) | (('lait':*))"
    )


@pytest.mark.parametrize("typed", ["", "   ", "-seul", '"" ***', "OU OR"])
def test_nothing_to_find_means_no_filter(typed):
    assert not parse(typed)


@pytest.mark.parametrize("typed", ["'); DROP TABLE x; --", 'a" OR "b', "NEAR(a b)", "a:* & !b", "x' | 'y"])
def test_operators_never_reach_the_database(typed, db):
    # Typed operators are read as words: the query runs, finds nothing and raises nothing.
    assert Contract.objects.search(typed).count() == 0


def _found(text: str) -> set[str]:
    return set(Contract.objects.search(text).values_list("object", flat=True))


def test_registry_search_in_french(db, support):
    make_contract(buyer=support, object="Équipements de blanchisserie hospitalière", reference="AC26-LINGE")
    make_contract(buyer=support, object="Réactifs de biologie médicale", reference="AC26-LABO")
    make_contract(buyer=support, object="Fournitures de bureau et papeterie", reference="MP26-BUR")
    assert _found("equipements blanchisserie") == {"Équipements de blanchisserie hospitalière"}  # accents
    assert _found("blanchis") == {"Équipements de blanchisserie hospitalière"}  # the start of a word
    assert _found("LABO") == {"Réactifs de biologie médicale"}  # a word of the reference
    make_contract(buyer=support, object="Scanner", reference="2026-0007-L1")
    assert _found("2026-0007-L1") == _found("0007") == {"Scanner"}  # numbers between dashes, as typed
    assert _found('"fournitures de bureau"') == {"Fournitures de bureau et papeterie"}
    assert _found('"bureau de fournitures"') == set()  # a phrase keeps its order
    assert _found("biologie OU papeterie") == {
        "Réactifs de biologie médicale",
        "Fournitures de bureau et papeterie",
    }
    assert _found("ac26 -labo") == {"Équipements de blanchisserie hospitalière"}
    if connection.vendor == "postgresql":
        assert "Réactifs de biologie médicale" in _found("médicales")  # French stems


def test_the_index_follows_updates_deletions_and_bulk_writes(db, support):
    contract = make_contract(buyer=support, object="Location de véhicules")
    assert _found("véhicules") == {"Location de véhicules"}
    Contract.objects.filter(pk=contract.pk).update(object="Entretien des espaces verts")
    assert _found("véhicules") == set() and _found("espaces verts") == {"Entretien des espaces verts"}
    contract.holder_links.all().delete()
    contract.documents.all().delete()
    Contract.objects.filter(pk=contract.pk).delete()
    assert _found("espaces") == set()


def test_best_match_first(db, support):
    make_contract(buyer=support, object="Maintenance des ascenseurs", reference="ASC-2")
    make_contract(
        buyer=support, object="Ascenseurs : maintenance, ascenseurs de charge, ascenseurs", reference="ASC-1"
    )
    ranked = SEARCH_INDEX.search(Contract.objects.all(), "ascenseurs")
    assert [c.reference for c in ranked] == ["ASC-1", "ASC-2"]


def test_published_contracts_are_searched_from_their_list(client, role_users, db):
    from django.urls import reverse

    from mutualis.opendata.models import ExternalContract
    from mutualis.organisations.roles import Role

    for uid, subject, buyer in [
        ("A", "Prestations de blanchisserie", "Centre hospitalier de Dole"),
        ("B", "Fourniture de denrées alimentaires", "Blanchisserie inter-hospitalière du Jura"),
        ("C", "Travaux de voirie", "Département du Jura"),
    ]:
        ExternalContract.objects.create(
            uid=uid,
            buyer_siret="21390198800015",
            reference=uid,
            object=subject,
            buyer_name=buyer,
            cpv="45233000",
        )
    client.force_login(role_users[Role.REFERENT])
    url = reverse("opendata:published_list")

    def uids(params):
        return [row.record.uid for row in client.get(url, params).context["table"].paginated_rows]

    assert uids({"q": "blanchisserie"}) == ["A", "B"]  # the object's word ranks above the buyer's
    assert uids({"q": "département voirie"}) == ["C"]
    assert uids({"q": "blanchis", "cpv": "4523"}) == ["A", "B"] and uids({"cpv": "4524"}) == []
