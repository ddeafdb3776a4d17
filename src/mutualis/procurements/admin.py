"""Administrators adjust the process map here: copy the current version into a draft, edit its stages,
publish it. Published versions are read-only, since projects rely on them."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from mutualis.contracts.enums import Procedure

from .models import ProcessMap, Stage
from .services import process_map_draft, process_map_publish


class StageForm(forms.ModelForm):
    procedures = forms.MultipleChoiceField(
        label="Procédures concernées", choices=Procedure.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Stage
        fields = [
            "position",
            "code",
            "label",
            "responsible_role",
            "expected_days",
            "procedures",
            "description",
        ]


class StageInline(admin.TabularInline):
    model = Stage
    form = StageForm
    extra = 0

    def _editable(self, obj) -> bool:
        return obj is None or not obj.is_frozen

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


@admin.register(ProcessMap)
class ProcessMapAdmin(admin.ModelAdmin):
    list_display = ["version", "label", "published_at"]
    readonly_fields = ["published_at"]
    inlines = [StageInline]
    actions = ["new_draft", "publish"]

    def has_change_permission(self, request, obj=None):
        return (obj is None or not obj.is_frozen) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return (
            obj is None or not (obj.is_frozen or obj.project_set.exists())
        ) and super().has_delete_permission(request, obj)

    @admin.action(description="Créer une nouvelle version (brouillon) à partir de celle-ci")
    def new_draft(self, request, queryset):
        for source in queryset:
            draft = process_map_draft(actor=request.user, source=source)
            self.message_user(request, f"Brouillon créé : version {draft.version}.")

    @admin.action(description="Publier (les nouveaux projets suivront cette version)")
    def publish(self, request, queryset):
        for draft in queryset:
            try:
                process_map_publish(actor=request.user, draft=draft)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                self.message_user(request, f"Version {draft.version} publiée.")
