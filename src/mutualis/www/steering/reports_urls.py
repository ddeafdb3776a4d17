"""URLs of the governance report: the list and the form, a run, its two files."""

from django.urls import path

from . import reports

urlpatterns = [
    path("rapports/", reports.ReportListView.as_view(), name="report_list"),
    path("rapports/demander/", reports.ReportCreateView.as_view(), name="report_create"),
    path("rapports/<int:pk>/", reports.ReportDetailView.as_view(), name="report_detail"),
    path("rapports/<int:pk>/pdf/", reports.ReportFileView.as_view(file_format="pdf"), name="report_pdf"),
    path("rapports/<int:pk>/xlsx/", reports.ReportFileView.as_view(file_format="xlsx"), name="report_xlsx"),
]
