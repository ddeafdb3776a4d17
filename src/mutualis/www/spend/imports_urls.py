"""Spend pages: imports (filled by its own change)."""

urlpatterns: list = []
