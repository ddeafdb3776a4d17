"""Spend pages: spendmap (filled by its own change)."""

urlpatterns: list = []
