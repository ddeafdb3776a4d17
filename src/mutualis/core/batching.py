"""Work that each write of a series would repeat, done once when the series ends.

A receiver hands its job the items a write touched with `collect`; inside `batched()` (a service saving a
contract with its holders, an import of many records) they pile up and the job runs once, on all of them,
when the outermost block ends: still inside the caller's transaction, so it commits or rolls back with
the writes. Outside any batch the job runs at once."""

import threading
from collections.abc import Callable, Iterable
from contextlib import contextmanager

_state = threading.local()


@contextmanager
def batched():
    outer = getattr(_state, "pending", None) is None
    if outer:
        _state.pending = {}
    try:
        yield
        if outer:
            pending, _state.pending = _state.pending, None
            for job, items in pending.items():
                job(items)
    finally:
        if outer:
            _state.pending = None


def collect(job: Callable[[set], None], items: Iterable) -> None:
    """Run job(items) now, or once with everything collected when the open batch ends."""
    items = set(items)
    if not items:
        return
    pending = getattr(_state, "pending", None)
    if pending is None:
        job(items)
    else:
        pending.setdefault(job, set()).update(items)
