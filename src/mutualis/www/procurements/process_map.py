"""The process map: the version in force for everyone, and for administrators the drafts they prepare,
adjust and publish (projects already running keep their version)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.forms import modelformset_factory
from django.shortcuts import get_object_or_404, redirect
from django.views import View
from django.views.generic import TemplateView

from mutualis.contracts.enums import Procedure
from mutualis.organisations.roles import ROLE_PERMISSIONS, Perm, Role
from mutualis.procurements.models import ProcessMap, Stage
from mutualis.procurements.services import process_map_draft, process_map_publish, process_map_stages_save

from ..permissions import RequirePermMixin

# The roles that may run a stage: those who manage projects (the service checks it too).
STAGE_ROLES = [(r.value, r.label) for r in Role if Perm.MANAGE_PROJECTS in ROLE_PERMISSIONS[r]]


class ProcessMapView(RequirePermMixin, TemplateView):
    """The current version of the process map, and the versions projects use."""

    required_perm = Perm.VIEW_PROJECTS
    template_name = "www/procurements/process_map.html"

    def get_context_data(self, **kwargs):
        current = ProcessMap.objects.current()
        procedures = list(Procedure)
        stages = current.stages.all() if current else []
        return super().get_context_data(
            page_title="Carte des processus achats",
            process_map=current,
            procedures=procedures,
            rows=[(stage, [stage.applies_to(p) for p in procedures]) for stage in stages],
            versions=ProcessMap.objects.annotate(project_count=Count("project")).order_by("-version"),
            can_configure=self.access.has(Perm.CONFIGURE_TERRITORY),
            can_manage=self.access.has(Perm.MANAGE_PROJECTS),
            **kwargs,
        )


class StageForm(forms.ModelForm):
    procedures = forms.MultipleChoiceField(
        label="Procédures concernées", choices=Procedure.choices, widget=forms.CheckboxSelectMultiple
    )
    responsible_role = forms.ChoiceField(label="Rôle responsable", choices=STAGE_ROLES)

    class Meta:
        model = Stage
        fields = ["position", "label", "responsible_role", "expected_days", "description", "procedures"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


StageFormSet = modelformset_factory(Stage, form=StageForm, extra=0)


class ProcessMapDraftCreateView(RequirePermMixin, View):
    required_perm = Perm.CONFIGURE_TERRITORY

    def post(self, request):
        current = ProcessMap.objects.current()
        if current is None:
            messages.error(request, "Aucune version publiée à copier.")
            return redirect("procurements:process_map")
        draft = process_map_draft(actor=request.user, source=current)
        messages.success(
            request, f"Version {draft.version} préparée à partir de la version {current.version}."
        )
        return redirect("procurements:process_map_draft", pk=draft.pk)


class ProcessMapDraftView(RequirePermMixin, TemplateView):
    """Adjust a draft's stages: who runs each, for how long, for which procedures, in which order."""

    required_perm = Perm.CONFIGURE_TERRITORY
    template_name = "www/procurements/process_map_draft.html"

    def dispatch(self, request, *args, **kwargs):
        self.draft = get_object_or_404(ProcessMap, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def formset(self, data=None):
        return StageFormSet(data, queryset=self.draft.stages.order_by("position"), prefix="etapes")

    def get_context_data(self, **kwargs):
        kwargs.setdefault("formset", self.formset())
        return super().get_context_data(
            page_title=f"Version {self.draft.version} de la carte des processus", draft=self.draft, **kwargs
        )

    def post(self, request, pk):
        formset = self.formset(request.POST)
        if formset.is_valid():
            stages = [form.save(commit=False) for form in formset.forms]
            try:
                process_map_stages_save(actor=request.user, draft=self.draft, stages=stages)
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                messages.success(
                    request,
                    "Étapes enregistrées. Publiez la version pour que les nouveaux projets la suivent.",
                )
                return redirect("procurements:process_map_draft", pk=pk)
        return self.render_to_response(self.get_context_data(formset=formset), status=400)


class ProcessMapPublishView(RequirePermMixin, View):
    required_perm = Perm.CONFIGURE_TERRITORY

    def post(self, request, pk):
        draft = get_object_or_404(ProcessMap, pk=pk)
        try:
            process_map_publish(actor=request.user, draft=draft)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("procurements:process_map_draft", pk=pk)
        messages.success(request, f"Version {draft.version} publiée : les nouveaux projets la suivent.")
        return redirect("procurements:process_map")
