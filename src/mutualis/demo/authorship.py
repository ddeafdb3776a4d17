"""History rows written by the demo name the demo person who acted, not "Système".

django-simple-history reads the author from the current request (its middleware); a demo load has
no request, so the person is set on the same context for the duration of a block.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace

from simple_history.models import HistoricalRecords

from mutualis.organisations.models import User


@contextmanager
def acting_as(user: User | None) -> Iterator[None]:
    context = HistoricalRecords.context
    previous = getattr(context, "request", None)
    context.request = SimpleNamespace(user=user) if user is not None else None
    try:
        yield
    finally:
        if previous is None:
            if hasattr(context, "request"):
                del context.request
        else:
            context.request = previous
