"""What the procurement pipeline tells other domains, without depending on them: a lot awarded or
notified. The gains app proposes the lot's gain from it (gains depends on procurements, never the
reverse). Sent inside the decision's transaction: a receiver's failure undoes the decision."""

from django.dispatch import Signal

lot_awarded = Signal()  # sender=Lot, lot=, actor=
lot_notified = Signal()  # sender=Lot, lot=, actor=
