"""Spend pages: accounts (filled by its own change)."""

urlpatterns: list = []
