"""Rules that change with time, kept as versions in a data file (ARCHITECTURE rule 5).

A file holds {"versions": [{"version": …, "valid_from": "AAAA-MM-JJ", …}, …]}; each module turns a
version into its own dataclass, and asks which one was in force on a date.
"""

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TypeVar

V = TypeVar("V")


def read_versions(path: Path, build: Callable[[dict], V]) -> tuple[V, ...]:
    """Every version of the file, built by `build` (given the raw dict with valid_from parsed), by date."""
    data = json.loads(path.read_text(encoding="utf-8"))
    versions = [
        build({**raw, "valid_from": date.fromisoformat(raw["valid_from"])}) for raw in data["versions"]
    ]
    return tuple(sorted(versions, key=lambda v: v.valid_from))


def version_on(versions: tuple[V, ...], day: date) -> V | None:
    """The latest version in force on `day`; None before the first one."""
    applicable = [v for v in versions if v.valid_from <= day]
    return applicable[-1] if applicable else None
