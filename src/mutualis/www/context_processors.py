"""Values every page needs: the territory's identity and the user's access."""

from mutualis.notifications.models import Notification
from mutualis.organisations.access import access_for
from mutualis.organisations.models import Territory
from mutualis.organisations.roles import Perm


def mutualis(request):
    user = getattr(request, "user", None)
    access = access_for(user)
    authenticated = user is not None and user.is_authenticated
    return {
        "territory": Territory.current(),
        "access": access,
        "Perm": Perm,
        "unread_notifications": Notification.objects.for_user(user).unread().count() if authenticated else 0,
    }
