"""Mutualis: purchasing information system for public buyers that buy together."""
