"""/sante/: the application's health as JSON, without login, for the proxy and monitoring (200 or 503)."""

from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from mutualis.core.health import health


@never_cache
@require_GET
def health_view(request):
    result = health()
    return JsonResponse(result.as_dict(), status=200 if result.healthy else 503)
