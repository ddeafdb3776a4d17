"""CPV fields propose codes as one types: digits match the code's start, words the French label."""

from django.urls import reverse

from mutualis.organisations.roles import Role

SUGGEST = reverse("catalogue:cpv_suggest")


def test_digits_and_words_propose_matching_codes(client, role_users):
    client.force_login(role_users[Role.PRESCRIBER])

    by_digits = client.get(SUGGEST, {"q": "331413"}).json()["results"]
    by_words = client.get(SUGGEST, {"q": "seringues"}).json()["results"]

    assert by_digits and all(item["code"].startswith("331413") for item in by_digits)
    assert "33141310" in [item["code"] for item in by_words]
    assert any("Seringues" in item["label"] for item in by_words)


def test_one_character_proposes_nothing_and_the_list_is_bounded(client, role_users):
    client.force_login(role_users[Role.BUYER])

    assert client.get(SUGGEST, {"q": "3"}).json() == {"results": []}
    assert len(client.get(SUGGEST, {"q": "33"}).json()["results"]) == 15


def test_cpv_fields_carry_their_list_of_proposals(client, role_users):
    client.force_login(role_users[Role.ADMIN])

    page = client.get(reverse("catalogue:family_create")).content.decode()

    assert f'data-cpv-suggest="{SUGGEST}"' in page
    assert 'list="id_cpv_codes-propositions"' in page
    assert '<datalist id="id_cpv_codes-propositions"></datalist>' in page
