"""Record pages: detail with history, create and update (permission, form, the service, success message)."""

from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import CreateView, DetailView, UpdateView

from mutualis.core.history import history_of
from mutualis.core.locking import EditConflict

from .locking import CONFLICT_STATUS, add_version_field, show_conflict, take_version
from .permissions import RequirePermMixin


class EditMixin(RequirePermMixin):
    """The one shape of an edit page: a form whose valid data goes to a named service function.

    `service` is called as `service(actor=<the user>, **service_arguments(form))` and returns the saved
    record; its ValidationError is shown on the form. Every edit page names one: the form never saves.
    An existing record's form carries its version; a save refused on conflict is shown again (409).
    """

    template_name = "www/form.html"
    success_message = "Enregistré."
    title = ""
    service = None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(title=self.get_title(), cancel_url=self.get_cancel_url())
        return context

    def get_title(self) -> str:
        return self.title

    def get_cancel_url(self) -> str:
        obj = getattr(self, "object", None)
        return (
            obj.get_absolute_url()
            if obj is not None and obj.pk
            else self.request.META.get("HTTP_REFERER", "/")
        )

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        add_version_field(form)
        return form

    def form_valid(self, form):
        try:
            self.object = self.save(form)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        except EditConflict as conflict:
            show_conflict(form, conflict)
            return self.render_to_response(self.get_context_data(form=form), status=CONFLICT_STATUS)
        messages.success(self.request, self.get_success_message())
        return redirect(self.get_success_url())

    def save(self, form):
        service = type(self).service  # read on the class: a plain function, not bound to the view
        if service is None:
            raise ImproperlyConfigured(f"{type(self).__name__} : une page d'édition appelle un service.")
        take_version(form)
        return service(actor=self.request.user, **self.service_arguments(form))

    def service_arguments(self, form) -> dict:
        """The record built from the form, under the model's name (`supplier=`, `entity=`…)."""
        return {self.model._meta.model_name: form.save(commit=False)}

    def get_success_message(self) -> str:
        return self.success_message


class RecordCreateView(EditMixin, CreateView):
    list_url_name = ""  # where "Annuler" goes

    def get_cancel_url(self) -> str:
        return reverse(self.list_url_name) if self.list_url_name else super().get_cancel_url()


class RecordDetailView(RequirePermMixin, DetailView):
    """A record's page: its title, whether the user may edit it, and its change history."""

    edit_perm = None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            page_title=str(self.object),
            can_edit=self.edit_perm is not None and self.access.has(self.edit_perm),
            history=history_of(self.object),
        )
        return context


class RecordUpdateView(EditMixin, UpdateView):
    def get_title(self) -> str:
        return f"{self.title} : {self.object}"


def add_service_errors(form, error) -> None:
    """Show a service's ValidationError on the form: on its field when it names one, else on top."""
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error)
