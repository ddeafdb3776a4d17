"""Response headers Django does not send by itself."""

from django.conf import settings


class PermissionsPolicyMiddleware:
    """Permissions-Policy: the application uses no camera, microphone, location, payment or USB device."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
