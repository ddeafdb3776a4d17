"""The login form, refused before the password is checked while the account or the address is locked."""

from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from mutualis.core.clients import client_ip
from mutualis.organisations.login_guard import lock_for


class GuardedAuthenticationForm(AuthenticationForm):
    locked = False

    def clean(self):
        lock = lock_for(self.data.get("username", ""), client_ip(self.request) if self.request else None)
        if lock is not None:
            self.locked = True
            raise ValidationError(lock.message, code="locked")
        return super().clean()
