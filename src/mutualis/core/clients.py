"""Who is asking: the client's address, read the same way everywhere (login guard, API rate limits)."""

from django.conf import settings


def client_ip(request) -> str | None:
    """The connection's address, or the one the trusted reverse proxies wrote in X-Forwarded-For.

    With N trusted proxies (MUTUALIS_TRUSTED_PROXIES), the client is the N-th address from the end of the
    header: anything before it was written by the client itself and proves nothing.
    """
    proxies = settings.MUTUALIS_TRUSTED_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if proxies and forwarded:
        addresses = [a.strip() for a in forwarded.split(",") if a.strip()]
        if addresses:
            return addresses[-min(proxies, len(addresses))]
    return request.META.get("REMOTE_ADDR")
