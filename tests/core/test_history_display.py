from datetime import date, datetime
from decimal import Decimal

from django.db import models

from mutualis.core.history import _display


def test_history_values_are_written_the_french_way():
    field = models.DateField()
    assert _display(field, date(2026, 4, 1)) == "01/04/2026"
    assert _display(models.DateTimeField(), datetime(2026, 4, 1, 9, 5)) == "01/04/2026 09:05"
    assert _display(models.DecimalField(), Decimal("52500.00")) == "52\u202f500,00"
