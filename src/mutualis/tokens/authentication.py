"""The API's `Authorization: Token <secret>` header, read against hashed personal tokens; a read-only
token is refused every unsafe method (403), whatever its owner's roles."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions

from .models import TokenScope
from .services import token_authenticate


class ApiTokenAuthentication(authentication.TokenAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            _, token = result
            if token.scope != TokenScope.WRITE and request.method not in permissions.SAFE_METHODS:
                raise exceptions.PermissionDenied("Ce jeton est en lecture seule.")
        return result

    def authenticate_credentials(self, key):
        token = token_authenticate(key)
        if token is None:
            raise exceptions.AuthenticationFailed("Jeton inconnu, expiré ou révoqué.")
        return token.user, token


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = ApiTokenAuthentication
    name = "tokenAuth"  # the name the schema already gave it

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "Jeton personnel créé sur la page « Mon compte » : en-tête `Authorization: Token <secret>`. "
                "Le secret n'est affiché qu'à la création ; le jeton expire (90 jours par défaut, un an au "
                "plus), est révoqué par un changement de mot de passe ou par son titulaire. En lecture "
                "seule (par défaut), toute requête d'écriture est refusée (403)."
            ),
        }
