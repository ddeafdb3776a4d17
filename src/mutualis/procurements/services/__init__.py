"""Writes on procurement projects, their lots, criteria and offers (ARCHITECTURE rule 1)."""

from .award import LOT, lot_award, lot_declare_unsuccessful, lot_notify
from .lots import (
    criterion_delete,
    criterion_save,
    lot_delete,
    lot_save,
    offer_delete,
    offer_negotiate,
    offer_price_lines_replace,
    offer_save,
)
from .process import process_map_draft, process_map_publish, process_map_stages_save, stage_save
from .projects import PROJECT, project_from_needs, project_save, project_transition

__all__ = [
    "LOT",
    "PROJECT",
    "criterion_delete",
    "criterion_save",
    "lot_award",
    "lot_declare_unsuccessful",
    "lot_delete",
    "lot_notify",
    "lot_save",
    "offer_delete",
    "offer_negotiate",
    "offer_price_lines_replace",
    "offer_save",
    "process_map_draft",
    "process_map_publish",
    "process_map_stages_save",
    "project_from_needs",
    "project_save",
    "project_transition",
    "stage_save",
]
