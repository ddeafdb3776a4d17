"""Spreadsheet bombs: a file that would make an import run for hours is refused at once, before any
row is processed, with a French message; nothing is written."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mutualis.core.imports import ImportFileError, import_dataset, read_dataset
from mutualis.organisations.models import Entity
from mutualis.organisations.resources import EntityResource
from mutualis.organisations.roles import Role
from tests.helpers import XLSX, xlsx_bytes
from tests.organisations.factories import make_siret

from .bombs import DIMENSION, HEADER, bomb_xlsx, probe_xlsx, rewrite_sheet


def post_entities(client, name, content):
    return client.post(
        reverse("organisations:entity_import"), {"file": SimpleUploadedFile(name, content, content_type=XLSX)}
    )


def seconds_to_refusal(content: bytes) -> float:
    start = time.perf_counter()
    with pytest.raises(ImportFileError):
        read_dataset("entites.xlsx", content, max_rows=EntityResource.import_max_rows)
    return time.perf_counter() - start


def test_zip_bomb_is_refused_at_once_and_writes_nothing(client, role_users):
    client.force_login(role_users[Role.ADMIN])
    before = Entity.objects.count()
    bomb = bomb_xlsx(200 * 1024 * 1024)  # 200 MB of sheet in a few hundred KB
    assert seconds_to_refusal(bomb) < 0.5
    response = post_entities(client, "entites.xlsx", bomb)
    assert response.status_code == 400
    assert (
        "Le classeur décompressé occuperait 200 Mo, au-delà de la limite de 50 Mo"
        in (response.context["file_error"])
    )
    assert Entity.objects.count() == before


def test_high_compression_ratio_is_refused_under_the_size_limit(db):
    with pytest.raises(ImportFileError, match="compressé de façon anormale"):
        read_dataset("entites.xlsx", bomb_xlsx(20 * 1024 * 1024))


def test_probe_file_over_the_row_cap_is_refused_on_its_declared_dimension(client, role_users):
    client.force_login(role_users[Role.ADMIN])
    probe = rewrite_sheet(probe_xlsx(6000), lambda xml: xml.replace(b"<sheetData>", DIMENSION % b"100001", 1))
    assert seconds_to_refusal(probe) < 0.5
    response = post_entities(client, "entites.xlsx", probe)
    assert response.status_code == 400
    assert response.context["file_error"].startswith(
        "Le fichier compte 100\u202f000 lignes sous l'en-tête ; cet import en accepte 5\u202f000 au plus."
    )
    assert not Entity.objects.filter(name="Commune").exists()


@pytest.mark.parametrize("dimension", [b"", DIMENSION % b"2"], ids=["no dimension", "lying dimension"])
def test_rows_are_counted_whatever_the_sheet_declares(db, dimension):
    content = probe_xlsx(5001)
    if dimension:
        content = rewrite_sheet(content, lambda xml: xml.replace(b"<sheetData>", dimension, 1))
    with pytest.raises(ImportFileError, match="plus de 5\u202f000 lignes"):
        read_dataset("entites.xlsx", content, max_rows=EntityResource.import_max_rows)
    # One row fewer is read whole, past a lying dimension.
    content = probe_xlsx(5000)
    if dimension:
        content = rewrite_sheet(content, lambda xml: xml.replace(b"<sheetData>", dimension, 1))
    assert read_dataset("entites.xlsx", content, max_rows=5000).height == 5000


def test_csv_over_the_row_cap_is_refused(db):
    content = "\r\n".join([";".join(HEADER)] + ["x;y;Commune;21054;Oui"] * 5001).encode()
    with pytest.raises(ImportFileError, match="cet import en accepte 5\u202f000 au plus"):
        import_dataset(EntityResource(), read_dataset("entites.csv", content, max_rows=5000))


def test_values_beyond_the_header_name_their_line(db):
    content = xlsx_bytes(
        [HEADER, [make_siret(), "A", "Commune", "21054", "Oui"], ["", "", "", "", "", "", "z"]]
    )
    with pytest.raises(ImportFileError, match="Ligne 3 : une valeur est écrite en colonne 7"):
        read_dataset("entites.xlsx", content)


def test_duplicate_columns_are_refused(db):
    content = xlsx_bytes([["SIRET", "Raison sociale", "SIRET"], [make_siret(), "A", make_siret()]])
    with pytest.raises(ImportFileError, match="Colonne\\(s\\) en double dans l'en-tête : SIRET"):
        read_dataset("entites.xlsx", content)


def test_normal_file_with_trailing_empty_rows_still_imports(client, role_users):
    client.force_login(role_users[Role.ADMIN])
    sirets = [make_siret(), make_siret()]
    rows = [HEADER] + [[siret, f"Commune {siret}", "Commune", "21054", "Oui"] for siret in sirets]
    response = post_entities(client, "entites.xlsx", xlsx_bytes(rows + [[None] * 5] * 3))
    assert response.status_code == 200
    assert response.context["report"].created == 2
    assert Entity.objects.filter(siret__in=sirets).count() == 2
