"""The user's own account page: roles, password, API token."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import transaction
from django.shortcuts import redirect
from django.views import View
from django.views.generic import TemplateView
from rest_framework.authtoken.models import Token

from .forms import GuardedAuthenticationForm


class LoginView(auth_views.LoginView):
    """Django's login, refused with 429 while the account or the address is locked after failures."""

    form_class = GuardedAuthenticationForm
    redirect_authenticated_user = True

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=429 if form.locked else 200)


class AccountView(LoginRequiredMixin, TemplateView):
    template_name = "www/accounts/account.html"
    extra_context = {"page_title": "Mon compte"}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["memberships"] = self.request.user.memberships.select_related("entity").order_by(
            "entity__name"
        )
        context["token"] = Token.objects.filter(user=self.request.user).first()
        return context


class TokenRenewView(LoginRequiredMixin, View):
    """Create, or replace, the user's API token: the old one stops working at once."""

    def post(self, request):
        with transaction.atomic():
            Token.objects.filter(user=request.user).delete()
            Token.objects.create(user=request.user)
        messages.success(request, "Nouveau jeton d'API créé ; l'ancien ne fonctionne plus.")
        return redirect("account")
