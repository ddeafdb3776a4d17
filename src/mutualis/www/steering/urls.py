"""Steering pages under /pilotage/, in groups that grow apart: the indicators and objectives, the risk
flags, the improvement log, the governance report."""

from . import flags_urls, improvements_urls, indicators_urls, reports_urls

app_name = "steering"

urlpatterns = (
    indicators_urls.urlpatterns
    + flags_urls.urlpatterns
    + improvements_urls.urlpatterns
    + reports_urls.urlpatterns
)
