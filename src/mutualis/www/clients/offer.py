"""The service offer: the modules the purchasing team proposes, and their edit page (administrators)."""

from django.views.generic import TemplateView

from mutualis.clients.models import ServiceModule
from mutualis.clients.services.requests import module_save
from mutualis.organisations.roles import Perm

from ..edits import RecordUpdateView
from ..permissions import RequirePermMixin
from .forms import ModuleForm


class ModuleListView(RequirePermMixin, TemplateView):
    """The catalogue of modules: what each gives, how long it takes, who delivers it."""

    required_perm = Perm.VIEW_SERVICE_OFFER
    template_name = "www/clients/module_list.html"

    def get_context_data(self, **kwargs):
        manages = self.access.has(Perm.MANAGE_SERVICE_OFFER)
        modules = ServiceModule.objects.all() if manages else ServiceModule.objects.filter(is_active=True)
        return super().get_context_data(
            modules=modules,
            can_edit=manages,
            can_request=self.access.has(Perm.REQUEST_SERVICES),
            **kwargs,
        )


class ModuleUpdateView(RecordUpdateView):
    model = ServiceModule
    form_class = ModuleForm
    template_name = "www/clients/module_form.html"
    required_perm = Perm.MANAGE_SERVICE_OFFER
    service = module_save
    title = "Modifier le module"
    success_message = "Module enregistré."

    def service_arguments(self, form) -> dict:
        return {"module": form.save(commit=False)}

    def get_success_url(self) -> str:
        return self.object.get_absolute_url()
