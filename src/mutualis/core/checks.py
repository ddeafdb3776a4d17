"""Deployment checks (`mutualis check --deploy`)."""

from django.conf import settings
from django.core import checks

PER_PROCESS_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@checks.register(checks.Tags.caches, deploy=True)
def shared_cache(app_configs=None, **kwargs):
    """The login guard's counters, the portal's data version and the imports' progress live in the cache:
    each gunicorn process, web container and the worker must read the same one."""
    backend = settings.CACHES["default"]["BACKEND"]
    if backend not in PER_PROCESS_CACHES:
        return []
    return [
        checks.Warning(
            f"Le cache {backend.rsplit('.', 1)[-1]} n'est pas partagé entre les processus : compteurs de "
            "connexion, version du portail et avancement des imports y seraient faux.",
            hint="MUTUALIS_CACHE_URL=filecache:///chemin/partagé (une machine) ou dbcache://mutualis_cache "
            "(plusieurs machines, après `mutualis createcachetable`).",
            id="mutualis.W001",
        )
    ]
