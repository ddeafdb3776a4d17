"""The user's own account page: roles, password, API tokens."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.views import View
from django.views.generic import TemplateView

from mutualis.organisations.oidc import is_proconnect, oidc_enabled, provider_name
from mutualis.tokens.services import token_create, token_revoke

from ..edits import add_service_errors
from .forms import GuardedAuthenticationForm, TokenForm


class LoginView(auth_views.LoginView):
    """Django's login, refused with 429 while the account or the address is locked after failures; beside
    it, the sign-on button when a provider is configured. With MUTUALIS_PASSWORD_LOGIN off, the page shows
    the button only and a password sent is refused (403)."""

    form_class = GuardedAuthenticationForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if not settings.MUTUALIS_PASSWORD_LOGIN:
            raise PermissionDenied("La connexion par mot de passe est désactivée.")
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["password_login"] = settings.MUTUALIS_PASSWORD_LOGIN
        context["oidc"] = {"name": provider_name(), "proconnect": is_proconnect()} if oidc_enabled() else None
        return context

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=429 if form.locked else 200)


class AccountView(LoginRequiredMixin, TemplateView):
    template_name = "www/accounts/account.html"
    extra_context = {"page_title": "Mon compte"}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["memberships"] = user.memberships.select_related("entity").order_by("entity__name")
        context["tokens"] = user.api_tokens.select_related("user")
        context.setdefault("token_form", TokenForm(user=user))
        return context


class TokenCreateView(AccountView):
    """A new API token; its secret is shown on this response only (never stored, never redirected)."""

    http_method_names = ["post"]

    def post(self, request):
        form = TokenForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                token, secret = token_create(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                response = self.render_to_response(self.get_context_data(new_token=token, new_secret=secret))
                response["Cache-Control"] = "no-store"  # the secret stays in no cache
                return response
        return self.render_to_response(self.get_context_data(token_form=form), status=400)


class TokenRevokeView(LoginRequiredMixin, View):
    """Revoke one of one's own tokens: another person's is not found."""

    def post(self, request, pk):
        token = get_object_or_404(request.user.api_tokens, pk=pk)
        token_revoke(actor=request.user, token=token)
        messages.success(request, f"Jeton « {token.name} » révoqué : il ne fonctionne plus.")
        return redirect("account")
