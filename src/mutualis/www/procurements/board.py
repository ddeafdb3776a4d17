"""Placeholder: being written (board, my tasks, process map page)."""

from django.http import Http404
from django.views import View


class _Pending(View):
    def get(self, request, *args, **kwargs):
        raise Http404


BoardView = MyTasksView = ProcessMapView = _Pending
