"""The gains app listens to the procurement pipeline (procurements.signals)."""

from django.dispatch import receiver

from mutualis.procurements.signals import lot_awarded, lot_notified

from .services import gain_notified, gain_propose_for_lot


@receiver(lot_awarded, dispatch_uid="gains-propose-at-award")
def propose_gain(sender, lot, actor, **kwargs):
    gain_propose_for_lot(lot=lot, actor=actor)


@receiver(lot_notified, dispatch_uid="gains-secured-at-notification")
def secure_gain(sender, lot, actor, **kwargs):
    gain_notified(lot=lot, actor=actor)
