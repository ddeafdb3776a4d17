"""API tokens made through the service, as the account page makes them."""

from mutualis.tokens.models import TokenScope
from mutualis.tokens.services import may_write, token_create


def api_token(user, *, scope=None, days=90) -> str:
    """A token's secret: read-and-write when the user's roles write, unless a scope is given."""
    if scope is None:
        scope = TokenScope.WRITE if may_write(user) else TokenScope.READ
    return token_create(actor=user, name="Outil de test", scope=scope, days=days)[1]


def with_token(api, user, **options):
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_token(user, **options)}")
    return api
