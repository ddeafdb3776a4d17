"""Placeholder: being written (offer analysis report, PDF and XLSX)."""

from django.http import Http404
from django.views import View


class _Pending(View):
    def get(self, request, *args, **kwargs):
        raise Http404


AnalysisPdfView = AnalysisXlsxView = _Pending
