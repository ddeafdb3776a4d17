"""The login form, refused before the password is checked while the account or the address is locked;
the password reset form, whose e-mail goes through the application's one sender."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.template import loader

from mutualis.core.clients import client_ip
from mutualis.notifications.emails import send_email
from mutualis.organisations.login_guard import lock_for
from mutualis.tokens.models import TokenScope
from mutualis.tokens.services import DEFAULT_DAYS, LIFETIMES, may_write


class GuardedAuthenticationForm(AuthenticationForm):
    locked = False

    def clean(self):
        lock = lock_for(self.data.get("username", ""), client_ip(self.request) if self.request else None)
        if lock is not None:
            self.locked = True
            raise ValidationError(lock.message, code="locked")
        return super().clean()


class TerritoryPasswordResetForm(PasswordResetForm):
    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        html = loader.render_to_string(html_email_template_name, context) if html_email_template_name else ""
        send_email(
            to=[to_email],
            subject=loader.render_to_string(subject_template_name, context),
            body=loader.render_to_string(email_template_name, context),
            html=html,
        )


class TokenForm(forms.Form):
    name = forms.CharField(label="Nom du jeton", max_length=100, help_text="L'outil qui s'en servira.")
    scope = forms.ChoiceField(label="Portée", choices=TokenScope.choices, initial=TokenScope.READ)
    days = forms.TypedChoiceField(
        label="Durée de validité",
        coerce=int,
        choices=LIFETIMES,
        initial=DEFAULT_DAYS,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_write(user):  # the service refuses it too
            self.fields["scope"].choices = [(TokenScope.READ, TokenScope.READ.label)]
            self.fields["scope"].help_text = "Vos rôles ne permettent que la lecture."
