"""The risk flags of a scope: counts per kind, each flag with its records and its acknowledgement, the
acknowledgement and its withdrawal (POST), and the list's export."""

import tablib
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.views import View
from django.views.generic import TemplateView

from mutualis.organisations.roles import Perm
from mutualis.steering.flags import KINDS, flags_for
from mutualis.steering.services.flags import current_flag, flag_acknowledge, flag_acknowledgement_withdraw

from ..exports import FORMATS, dataset_response
from ..permissions import RequirePermMixin
from .flag_forms import FlagFilterForm, narrowed

HEADERS = [
    "Signal", "Gravité", "Titre", "Explication", "Liens", "Examiné", "Examiné par", "Le", "Commentaire"
]  # fmt: skip


def _dataset(flags, request) -> tablib.Dataset:
    data = tablib.Dataset(headers=HEADERS)
    for flag in flags:
        ack = flag.acknowledgement
        data.append([
            flag.kind_label, flag.severity_label, flag.title, flag.explanation,
            " ; ".join(f"{label} : {request.build_absolute_uri(url)}" for label, url in flag.links),
            "Oui" if ack else "Non",
            str(ack.by) if ack and ack.by else "",
            ack.at.strftime("%d/%m/%Y %H:%M") if ack else "",
            ack.comment if ack else "",
        ])  # fmt: skip
    return data


class FlagListView(RequirePermMixin, TemplateView):
    required_perm = Perm.VIEW_STEERING
    template_name = "www/steering/flag_list.html"

    def get(self, request, *args, **kwargs):
        form = FlagFilterForm(request.GET or None, user=request.user)
        scope = form.scope()
        every = flags_for(scope, request.user)
        flags = narrowed(every, *form.chosen())
        file_format = request.GET.get("format")
        if file_format in FORMATS:
            return dataset_response(_dataset(flags, request), file_stem="signaux", file_format=file_format)
        counts = dict.fromkeys(KINDS, 0)
        for flag in every:
            counts[flag.kind] += flag.acknowledgement is None
        query = request.GET.copy()
        query.pop("format", None)
        context = self.get_context_data(
            page_title=f"Signaux d'alerte — {scope.label}",
            form=form,
            scope=scope,
            flags=flags,
            counts=[(KINDS[code], count) for code, count in counts.items()],
            query=query.urlencode(),
            can_acknowledge=self.access.has(Perm.ACKNOWLEDGE_FLAGS),
        )
        return self.render_to_response(context, status=200 if not form.is_bound or form.is_valid() else 400)


class _FlagAction(RequirePermMixin, View):
    """A POST on one flag (kind, key), back to the list with the filters the person came from."""

    required_perm = Perm.ACKNOWLEDGE_FLAGS
    http_method_names = ["post"]

    def act(self, kind: str, key: str) -> str:
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        kind, key = request.POST.get("kind", ""), request.POST.get("key", "")
        try:
            messages.success(request, self.act(kind, key))
        except ValidationError as error:
            flag = current_flag(kind, key, request.user)
            name = f"« {flag.title} »" if flag else f"Le signal « {key or 'non précisé'} »"
            messages.error(request, f"{name} : {' '.join(error.messages)}")
        # The address is built here from the list's own filters, never taken whole from the form.
        back = QueryDict(request.POST.get("query", ""))
        params = {name: back[name] for name in FlagFilterForm.base_fields if back.get(name)}
        url = reverse("steering:flag_list")
        return redirect(f"{url}?{urlencode(params)}" if params else url)


class FlagAcknowledgeView(_FlagAction):
    def act(self, kind, key):
        acknowledgement = flag_acknowledge(kind, key, self.request.POST.get("comment", ""), self.request.user)
        flag = current_flag(kind, key, self.request.user)
        title = flag.title if flag else acknowledgement.key
        return f"« {title} » est marqué comme examiné."


class FlagWithdrawView(_FlagAction):
    def act(self, kind, key):
        flag = current_flag(kind, key, self.request.user)
        flag_acknowledgement_withdraw(kind, key, self.request.user)
        title = flag.title if flag else key
        return f"« {title} » est de nouveau à examiner."
