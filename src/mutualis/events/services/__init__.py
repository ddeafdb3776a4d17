"""Writes of the matinales: the event (events.py), its invitations (invitations.py), registrations and
attendance (registrations.py), the questionnaire (surveys.py)."""
