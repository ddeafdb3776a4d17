"""Writes of the supplier evaluation: incidents (incidents.py)."""
