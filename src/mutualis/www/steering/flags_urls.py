"""URLs of the steering area's flags pages."""

from django.urls import path

from . import flags

urlpatterns = [
    path("signaux/", flags.FlagListView.as_view(), name="flag_list"),
    path("signaux/examiner/", flags.FlagAcknowledgeView.as_view(), name="flag_acknowledge"),
    path("signaux/retirer-examen/", flags.FlagWithdrawView.as_view(), name="flag_withdraw"),
]
