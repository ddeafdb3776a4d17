"""One entry point for "the rows this user may see": every list page and API endpoint goes through it."""

from django.core.exceptions import ImproperlyConfigured
from django.db import models


class UnscopedModelError(ImproperlyConfigured):
    """A list asked for the rows of a model that declares no scoping rule."""


class ReadableByAllQuerySet(models.QuerySet):
    """Reference data (catalogue, CPV, suppliers): every role with the page's permission reads every row.

    Declared explicitly, so that forgetting a rule on a new model raises instead of showing everything.
    """

    def for_user(self, user) -> "ReadableByAllQuerySet":
        return self.all()


def scoped(queryset: models.QuerySet, user) -> models.QuerySet:
    """The rows of `queryset` the user may see, by its model's rule (`for_user` on its QuerySet)."""
    rule = getattr(queryset, "for_user", None)
    if rule is None:
        model = queryset.model
        raise UnscopedModelError(
            f"{model._meta.label} has no scoping rule: give its QuerySet a for_user(user) method "
            "(or ReadableByAllQuerySet for reference data)."
        )
    return rule(user)
