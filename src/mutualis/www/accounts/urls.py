"""Login (password or OpenID Connect), logout, password change and reset: Django's views with the site's
templates."""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import oidc, views
from .forms import TerritoryPasswordResetForm

urlpatterns = [
    path("", views.AccountView.as_view(), name="account"),
    path("jetons/", views.TokenCreateView.as_view(), name="token_create"),
    path("jetons/<int:pk>/revoquer/", views.TokenRevokeView.as_view(), name="token_revoke"),
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", oidc.LogoutView.as_view(), name="logout"),
    # Sign-on (OpenID Connect): 404 while no provider is configured.
    path("identification/", oidc.OidcLoginView.as_view(), name="oidc_login"),
    path("identification/retour/", oidc.OidcCallbackView.as_view(), name="oidc_callback"),
    path("en-attente/", oidc.AwaitingRoleView.as_view(), name="awaiting_role"),
    path("mot-de-passe/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("mot-de-passe/modifie/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path(
        "mot-de-passe/oubli/",
        auth_views.PasswordResetView.as_view(
            form_class=TerritoryPasswordResetForm,
            # Not Django's names: the admin's templates of the same names come first and are not ours.
            subject_template_name="registration/reset_password_subject.txt",
            email_template_name="registration/reset_password_email.txt",
        ),
        name="password_reset",
    ),
    path(
        "mot-de-passe/oubli/envoye/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"
    ),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(success_url=reverse_lazy("password_reset_complete")),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/nouveau/fait/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
