"""Signals of the registry for writes that bypass save(), so that what is summed from contracts elsewhere
(the steering cube) hears of them without the registry knowing who listens."""

from django.dispatch import Signal

# Sent with `contract_ids` after a bulk update of registry fields (the DECP publication date).
contracts_updated = Signal()
