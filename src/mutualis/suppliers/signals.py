"""Signals of the supplier directory for writes that bypass save() (the SIRENE import's bulk updates), so
that what is summed from suppliers elsewhere (the steering cube's SME and local shares) hears of them."""

from django.dispatch import Signal

# Sent with `supplier_ids` after a bulk update changed their size category or commune.
suppliers_updated = Signal()
