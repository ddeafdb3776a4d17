"""Writes of the open-data app: recording the publication of an export."""

from datetime import date

from mutualis.contracts.services import contract_mark_published

from .exports.decp import DecpExport


def decp_export_published(*, actor, export: DecpExport, on: date) -> int:
    """Record `on` as the first publication date of the exported contracts that had none yet."""
    return contract_mark_published(actor=actor, contracts=export.exported, on=on)
