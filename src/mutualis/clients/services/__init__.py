"""Writes of the service offer and of the internal clients' requests."""
