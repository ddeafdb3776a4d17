"""The official schemas shipped in the package, and whole-document validation against them.

Validation is the `jsonschema` library's, never ours: an export is written only if the official schema
accepts it. Nothing is read from outside the package and nothing is downloaded.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from jsonschema import Draft4Validator, Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

SCHEMAS_DIR = Path(__file__).resolve().parent.parent / "data" / "schemas"
DECP_SCHEMA = "decp_v2.0.3.json"
OCDS_PACKAGE_SCHEMA = "ocds_1.1.5_release-package-schema.json"
OCDS_RELEASE_SCHEMA = "ocds_1.1.5_release-schema.json"


@dataclass(frozen=True)
class SchemaError:
    """One validation error: the record it falls in, its JSON path and the validator's message."""

    record: str  # contract reference and uid, or "" when the error is on the document itself
    path: str  # JSON path, e.g. $.marches.marche[3].offresRecues
    message: str

    def __str__(self) -> str:
        return f"{self.record or 'document'} — {self.path} : {self.message}"


@cache
def load_schema(name: str) -> dict:
    """A schema file of the package, parsed."""
    return json.loads((SCHEMAS_DIR / name).read_text(encoding="utf-8"))


@cache
def decp_validator() -> Draft7Validator:
    """Validator of the DECP 2.0.3 schema, which declares draft-07."""
    schema = load_schema(DECP_SCHEMA)
    return Draft7Validator(schema, format_checker=Draft7Validator.FORMAT_CHECKER)


@cache
def ocds_package_validator() -> Draft4Validator:
    """Validator of the OCDS 1.1.5 release package schema (draft-04), its release schema served locally."""
    release = load_schema(OCDS_RELEASE_SCHEMA)
    # The package schema $refs the release schema by its canonical URL (its draft-04 "id"): a local
    # registry keyed by that URL resolves it without any network access.
    resource = Resource.from_contents(release, default_specification=DRAFT4)
    registry = Registry().with_resource(release["id"], resource)
    return Draft4Validator(
        load_schema(OCDS_PACKAGE_SCHEMA), registry=registry, format_checker=Draft4Validator.FORMAT_CHECKER
    )


def _path_key(error) -> list[tuple[int, int, str]]:
    return [(0, p, "") if isinstance(p, int) else (1, 0, str(p)) for p in error.absolute_path]


def validate(validator, document: dict, record_of: Callable[[list], str]) -> list[SchemaError]:
    """Every error of `document`, in document order, named after the record it falls in."""
    errors = sorted(validator.iter_errors(document), key=_path_key)
    return [SchemaError(record_of(list(e.absolute_path)), e.json_path, e.message) for e in errors]


def titulaire_identifier_kinds() -> list[str]:
    """The holder identifier kinds the DECP schema accepts (typeIdentifiant enumeration)."""
    marche = load_schema(DECP_SCHEMA)["definitions"]["marche"]
    return list(marche["definitions"]["Titulaire"]["properties"]["typeIdentifiant"]["enum"])
