"""Sign-on by OpenID Connect (ProConnect or the body's own provider): start, return, the page of an agent
who has no role yet, and the sign-out that ends the provider's session too.

A provider that does not answer, or a refused answer, sends the person back to the sign-in page with a
message in French; never a server error."""

import logging
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.crypto import get_random_string
from django.views import View
from django.views.generic import TemplateView
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from mutualis.organisations.access import access_for
from mutualis.organisations.oidc import OidcUnavailable, oidc_enabled, provider_config, provider_name

log = logging.getLogger("mutualis.security")


class OidcLoginView(OIDCAuthenticationRequestView):
    """Sends the person to the provider's authorization endpoint (state, nonce and PKCE in the session)."""

    def __init__(self, **kwargs):
        View.__init__(self, **kwargs)  # not the library's: it reads the endpoint from the settings at once

    def get(self, request):
        if not oidc_enabled():
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = provider_config()["authorization_endpoint"]
        except OidcUnavailable as error:
            messages.error(request, str(error))
            return redirect("login")
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        return super().get(request)


class OidcCallbackView(OIDCAuthenticationCallbackView):
    """The provider's return: the code is exchanged, the token checked, the account found or created."""

    def get(self, request):
        if not oidc_enabled():
            raise Http404
        try:
            return super().get(request)
        except OidcUnavailable as error:
            messages.error(request, str(error))
        except (requests.RequestException, SuspiciousOperation) as error:
            log.warning("Connexion OpenID Connect refusée : %s", error)
            return self.login_failure()
        return redirect("login")

    def login_failure(self):
        if self.request.GET.get("error") == "access_denied":
            messages.info(self.request, f"Connexion par {provider_name()} annulée.")
        else:
            messages.error(
                self.request,
                f"La connexion par {provider_name()} n'a pas abouti : recommencez. Si l'échec se répète, "
                "votre compte est peut-être désactivé ou votre adresse partagée par plusieurs comptes : "
                "prévenez un administrateur.",
            )
        return redirect("login")

    def login_success(self):
        response = super().login_success()
        if not access_for(self.user).roles and not self.user.is_superuser:
            return redirect("awaiting_role")
        return response


class AwaitingRoleView(LoginRequiredMixin, TemplateView):
    """An agent signed in without any role: what happens next, and the entity the provider named."""

    template_name = "registration/awaiting_role.html"
    extra_context = {"page_title": "Compte en attente d'un rôle"}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        identities = list(self.request.user.oidc_identities.all())
        context["has_role"] = bool(access_for(self.request.user).roles)
        context["claimed"] = [
            (identity, identity.claimed_entity) for identity in identities if identity.siret
        ]
        return context


class LogoutView(auth_views.LogoutView):
    """Django's sign-out; after a sign-on, on to the provider's end-session endpoint, which ends its own
    session and sends the person back to the sign-in page."""

    def post(self, request, *args, **kwargs):
        id_token = request.session.get("oidc_id_token")
        response = super().post(request, *args, **kwargs)
        if not (id_token and oidc_enabled()):
            return response
        try:
            end_session = provider_config().get("end_session_endpoint")
        except OidcUnavailable:
            end_session = None
        if not end_session:
            return response
        query = urlencode(
            {
                "id_token_hint": id_token,
                "post_logout_redirect_uri": request.build_absolute_uri(reverse("login")),
                "client_id": settings.OIDC_RP_CLIENT_ID,
                "state": get_random_string(32),
            }
        )
        return HttpResponseRedirect(f"{end_session}?{query}")
