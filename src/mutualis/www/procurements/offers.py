"""Placeholder: being written (lots, criteria, offers, award, notification)."""

from django.http import Http404
from django.views import View


class _Pending(View):
    def get(self, request, *args, **kwargs):
        raise Http404


LotCreateView = LotUpdateView = LotDeleteView = _Pending
CriterionCreateView = CriterionUpdateView = CriterionDeleteView = _Pending
OfferCreateView = OfferUpdateView = OfferDeleteView = _Pending
LotAwardView = LotUnsuccessfulView = LotNotifyView = _Pending
