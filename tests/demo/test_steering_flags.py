"""The demo's risk flags: several kinds occur on the demo's own records, and the buyer examined one
through the service, which the history names."""

from collections import Counter

import pytest
from django.utils import timezone

from mutualis.organisations.models import User
from mutualis.steering.flags import flag_counts, flags_for
from mutualis.steering.models import FlagAcknowledgement
from mutualis.steering.scope import Scope

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_for_module")]


def test_the_demo_has_flags_of_several_kinds():
    buyer = User.objects.get(username="acheteur")
    year = timezone.localdate().year
    flags = flags_for(Scope(year), buyer)
    assert len({flag.kind for flag in flags}) >= 2
    assert all(flag.links and flag.explanation for flag in flags)  # each explains itself and links


def test_the_buyer_examined_one_flag():
    buyer = User.objects.get(username="acheteur")
    acknowledgement = FlagAcknowledgement.objects.get()
    assert acknowledgement.by == buyer and acknowledgement.comment
    assert [row.history_user for row in acknowledgement.history.all()] == [buyer]
    year = timezone.localdate().year
    flags = {(f.kind, f.key): f for f in flags_for(Scope(year), buyer)}
    flag = flags[(acknowledgement.kind, acknowledgement.key)]
    assert flag.acknowledgement == acknowledgement
    every = Counter(f.kind for f in flags.values())
    counts = flag_counts(Scope(year), buyer)
    assert counts[acknowledgement.kind] == every[acknowledgement.kind] - 1
