"""Create and update pages: permission, form, success message, history kept by the models."""

from django.contrib import messages
from django.views.generic import CreateView, UpdateView

from .permissions import RequirePermMixin


class EditMixin(RequirePermMixin):
    template_name = "www/form.html"
    success_message = "Enregistré."
    title = ""

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

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, self.success_message)
        return response


class RecordCreateView(EditMixin, CreateView):
    pass


class RecordUpdateView(EditMixin, UpdateView):
    def get_title(self) -> str:
        return f"{self.title} : {self.object}"
