"""Writes to the table of the law: a new decree is loaded, never typed into code."""

from pathlib import Path

from django.db import transaction

from .models import LegalRule
from .rules import SHIPPED_FILES, load_rules


def load_legal_rules(*, paths: list[Path] | None = None) -> int:
    """Load dated rows from data files (the shipped ones by default), all or nothing."""
    with transaction.atomic():
        return load_rules(LegalRule, paths or SHIPPED_FILES)
