"""Values every page needs: the territory's identity and the user's access."""

from mutualis.organisations.access import access_for
from mutualis.organisations.models import Territory
from mutualis.organisations.roles import Perm


def mutualis(request):
    access = access_for(getattr(request, "user", None))
    return {
        "territory": Territory.current(),
        "access": access,
        "Perm": Perm,
    }
