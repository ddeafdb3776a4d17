"""The flags page's filters: the steering scope, a kind, and whether a flag was examined."""

from django import forms

from mutualis.steering.flags import KINDS

from .scope_form import ScopeForm

REVIEWED = [("", "Tous"), ("oui", "Oui"), ("non", "Non")]


class FlagFilterForm(ScopeForm):
    kind = forms.ChoiceField(
        label="Signal",
        choices=[("", "Tous"), *((kind.code, kind.label) for kind in KINDS.values())],
        required=False,
    )
    reviewed = forms.ChoiceField(label="Examinés", choices=REVIEWED, required=False)

    def chosen(self) -> tuple[str, str]:
        """(kind, reviewed) asked for; a value that means nothing keeps its error and shows everything."""
        data = self.cleaned_data if self.is_valid() else {}
        return data.get("kind", ""), data.get("reviewed", "")


def narrowed(flags, kind: str, reviewed: str) -> list:
    if kind:
        flags = [flag for flag in flags if flag.kind == kind]
    if reviewed:
        flags = [flag for flag in flags if (flag.acknowledgement is not None) == (reviewed == "oui")]
    return flags
