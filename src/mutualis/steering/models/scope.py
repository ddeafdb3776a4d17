"""What steering records are scoped by: an entity (optional) and a purchase family (optional)."""

from django.db import models

from mutualis.organisations.access import access_for


class ScopedQuerySet(models.QuerySet):
    def for_user(self, user) -> "ScopedQuerySet":
        """The team sees the whole territory's; an entity role sees the territory-wide rows and its own
        entities' (a target or an action of the whole territory concerns every member)."""
        scope = access_for(user).entity_ids
        if scope is None:
            return self
        return self.filter(models.Q(entity__isnull=True) | models.Q(entity_id__in=scope))
