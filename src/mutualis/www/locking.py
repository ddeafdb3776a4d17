"""Edit forms carry the version of the record they showed; a save refused on conflict says what changed.

A conflict answers 409 with the form shown again: the user's input kept, the changes listed on top,
and the hidden version moved to the current one, so that saving again replaces it knowingly.
"""

from django import forms

from mutualis.core.locking import EditConflict, Versioned

VERSION = "version"
CONFLICT_STATUS = 409


def add_version_field(form) -> None:
    """A hidden `version` field on a form editing an existing versioned record (not on creation)."""
    instance = getattr(form, "instance", None)
    if isinstance(instance, Versioned) and instance.pk is not None:
        form.fields[VERSION] = forms.IntegerField(
            min_value=1,
            widget=forms.HiddenInput,
            initial=instance.version,
            error_messages={"required": "La version de la fiche manque : rechargez la page."},
        )


def take_version(form) -> None:
    """Give the form's record the version the form was loaded with (call once the form is valid)."""
    if VERSION in form.fields:
        form.instance.version = form.cleaned_data[VERSION]


def show_conflict(form, conflict: EditConflict) -> None:
    report = conflict.report()
    form.add_error(None, [report.message, *report.change_lines, report.advice])
    data = form.data.copy()
    data[form.add_prefix(VERSION)] = report.version
    form.data = data
