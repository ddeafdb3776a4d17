"""Malformed records and truncated files: the importer never crashes and never half-writes."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mutualis.opendata.decp_import.service import import_decp
from mutualis.opendata.models import ExternalContract, ExternalHolder, ImportRun

from .test_decp_import import DEMATIS

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**12), st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
)  # fmt: skip
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
FIELDS = ["id", "acheteur", "objet", "codeCPV", "montant", "dateNotification", "dureeMois", "titulaires",
          "modifications", "procedure", "offresRecues", "considerationsSociales", "techniques"]  # fmt: skip
records = st.one_of(
    values,
    st.fixed_dictionaries({}, optional=dict.fromkeys(FIELDS, values)),
    st.fixed_dictionaries(
        {"id": st.text(min_size=1, max_size=20), "acheteur": st.fixed_dictionaries({"id": st.sampled_from(
            ["80537661300016", "8053766130001", " 805 376 613 00016", "abc", ""])})},
        optional=dict.fromkeys(FIELDS[2:], values),
    ),
)  # fmt: skip


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batch=st.lists(records, max_size=6))
def test_malformed_records_are_rejected_or_stored_never_crash(tmp_path, batch):
    ExternalContract.objects.all().delete()
    path = tmp_path / "fuzz.json"
    path.write_text(json.dumps({"marches": {"marche": batch}}, default=str), encoding="utf-8")
    result = import_decp([path])
    counts = result.summary["counts"]
    assert counts["read"] == len(batch)
    stored = ExternalContract.objects.count()
    assert stored == counts["created"]
    assert counts["rejected"] + counts["external"] + counts["registry"] <= len(batch)
    # A stored contract always carries its full identity; holders always point to a stored contract.
    assert not ExternalContract.objects.filter(buyer_siret="").exists()
    assert ExternalHolder.objects.filter(contract__isnull=True).count() == 0


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.floats(min_value=0.01, max_value=0.99))
def test_any_truncation_leaves_the_database_as_it_was(tmp_path, cut):
    ExternalContract.objects.all().delete()
    content = DEMATIS[2].read_bytes()
    path = tmp_path / "tronque.json"
    path.write_bytes(content[: int(len(content) * cut)])
    result = import_decp([path])
    assert result.summary["files"][0]["status"] == "unreadable"
    assert ExternalContract.objects.count() == 0 and ExternalHolder.objects.count() == 0
    assert ImportRun.objects.filter(pk=result.run.pk).exists()


@pytest.mark.django_db
def test_control_characters_are_removed_and_reported(tmp_path):
    # Found by the fuzz run on PostgreSQL, whose text fields refuse NUL: a published id ending in \x00.
    record = json.loads(DEMATIS[0].read_text(encoding="utf-8"))["marches"]["marche"][0]
    record["id"] = f"{record['id']}\x00"
    record["objet"] = "Objet\x07 du\x00 marché"
    path = tmp_path / "controles.json"
    path.write_text(json.dumps({"marches": {"marche": [record]}}), encoding="utf-8")
    result = import_decp([path])
    stored = ExternalContract.objects.get()
    assert "\x00" not in stored.uid and stored.object == "Objet du marché"
    [entry] = [e for e in result.entries if e.get("uid") == stored.uid]
    assert any("caractères de contrôle retirés de 2 valeur(s)" in r for r in entry["repairs"])


@pytest.mark.django_db
@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_deeply_nested_json_is_refused_whole(tmp_path, depth):
    # Found by the fuzz run: 1,000 nested arrays crashed the normaliser (RecursionError); 100,000 in a
    # 200 KB file made ijson exhaust the memory (the worker was killed).
    path = tmp_path / "profond.json"
    nested = "[" * depth + "]" * depth
    path.write_text('{"marches": {"marche": [{"id": "1", "objet": ' + nested + "}]}}", encoding="utf-8")
    result = import_decp([path])
    [file] = result.summary["files"]
    assert file["status"] == "unreadable"
    assert file["error"] == f"imbrication trop profonde ({depth + 4} niveaux, 32 au plus)"
    assert ExternalContract.objects.count() == 0


@pytest.mark.django_db
def test_deeply_nested_xml_is_refused_whole(tmp_path):
    path = tmp_path / "profond.xml"
    nested = "<a>" * 5_000 + "</a>" * 5_000
    path.write_text(f'<?xml version="1.0"?><marches><marche>{nested}</marche></marches>', encoding="utf-8")
    result = import_decp([path])
    assert result.summary["files"][0]["error"] == "imbrication trop profonde (plus de 32 niveaux)"
    assert ExternalContract.objects.count() == 0
