"""The API's error answers, in French and in JSON, as the schema describes them (api/schema.py)."""

from django.http import Http404, JsonResponse
from django.views import defaults
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    """DRF's handler, without the English texts that reach it from Django and the parsers."""
    if isinstance(exc, Http404):
        # get_object_or_404 says "No Contract matches the given query.": DRF's own text is translated.
        exc = exceptions.NotFound()
    elif isinstance(exc, exceptions.ParseError):
        # "JSON parse error - Expecting value…": the parser's text is never translated.
        exc = exceptions.ParseError(
            "Corps de la requête illisible : ce n'est pas du JSON (ou du formulaire) valide."
        )
    return drf_exception_handler(exc, context)


def page_not_found(request, exception):
    """An unknown address under /api/ answers in JSON, like the API; elsewhere, the site's page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(exceptions.NotFound.default_detail)}, status=404)
    return defaults.page_not_found(request, exception)
