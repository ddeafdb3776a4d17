"""Steering figures in templates (steering/formats.py)."""

from django import template

from mutualis.steering import formats

register = template.Library()
register.filter("figure", formats.figure)
register.filter("signed", formats.signed)
