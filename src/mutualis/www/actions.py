"""The one shape of a button that acts on one record (a workflow move, a reminder…): a POST whose `act`
calls a named service and says what it did; a refusal comes back on the record's page as a message."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.views import View

from .permissions import RequirePermMixin


class RecordActionView(RequirePermMixin, View):
    """Subclasses give `get_record(pk)` (the record in the reader's scope, else 404) and `act(record)` (the
    service call, returning the success message). `refused`: the message of a PermissionDenied; empty, the
    refusal stays a 403."""

    refused = ""

    def get_record(self, pk):
        raise NotImplementedError

    def act(self, record) -> str:
        raise NotImplementedError

    def post(self, request, pk):
        record = self.get_record(pk)
        try:
            done = self.act(record)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except PermissionDenied:
            if not self.refused:
                raise
            messages.error(request, self.refused)
        else:
            messages.success(request, done)
        return redirect(record)

    def move_name(self) -> str:
        """The workflow move a button posted, refused when missing."""
        name = self.request.POST.get("move", "")
        if not name:
            raise ValidationError("Choisissez une action.")
        return name

    def comment(self) -> str:
        return self.request.POST.get("comment", "")
