"""Shared pieces for the domain apps' django-import-export resources (French spreadsheets)."""

from django.core.exceptions import ValidationError
from import_export import resources, widgets

from .export_plan import Value

TRUE_WORDS = {"oui", "o", "vrai", "x", "1", "true", "yes"}
FALSE_WORDS = {"non", "n", "faux", "0", "false", "no", ""}


class ChoicesWidget(widgets.Widget):
    """Reads a choice by its code or its French label; writes the label."""

    def __init__(self, choices, **kwargs):
        super().__init__(**kwargs)
        self.choices = list(choices)

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        if not text:
            return ""
        for code, label in self.choices:
            if text.casefold() in {str(code).casefold(), str(label).casefold()}:
                return code
        allowed = ", ".join(str(label) for _, label in self.choices)
        raise ValueError(f"« {text} » n'est pas une valeur admise ({allowed}).")

    def render(self, value, obj=None, **kwargs):
        return dict(self.choices).get(value, value or "")

    def export_column(self, attribute):
        labels = dict(self.choices)
        return Value((attribute,), lambda value: labels.get(value, value or ""))


class FrenchBooleanWidget(widgets.Widget):
    """Oui/Non in files; accepts the usual spellings (vrai/faux, x, 1/0)."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        text = str(value if value is not None else "").strip().casefold()
        if text in TRUE_WORDS:
            return True
        if text in FALSE_WORDS:
            return False
        raise ValueError(f"« {value} » : écrivez Oui ou Non.")

    def render(self, value, obj=None, **kwargs):
        return "Oui" if value else "Non"

    def export_column(self, attribute):
        return Value((attribute,), lambda value: "Oui" if value else "Non")


class TextWidget(widgets.CharWidget):
    """Text that Excel may have turned into a number (SIRET, codes): give back the digits as typed."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return "" if value is None else str(value).strip()


class BaseResource(resources.ModelResource):
    """Validates each row with the model's own rules (full_clean) and reports unchanged rows."""

    # Data rows one file may hold, refused beyond before any row is processed (spreadsheet bombs);
    # None: settings.MUTUALIS_IMPORT_DEFAULT_MAX_ROWS.
    import_max_rows: int | None = None

    @classmethod
    def for_import(cls, user, **params):
        """The resource an import by `user` goes through, from JSON-able params: the page and the
        background worker (core/import_runs.py) build it the same way."""
        return cls()

    def import_instance(self, instance, row, **kwargs):
        # django-import-export reads many-to-many columns only after saving, where an error is
        # reported for the whole row: read them here too, so the report names their column.
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.error_dict
        for field in self.get_import_fields():
            if isinstance(field.widget, widgets.ManyToManyWidget) and field.column_name in row:
                try:
                    field.clean(row, **kwargs)
                except ValueError as error:
                    errors[field.attribute] = [ValidationError(str(error), code="invalid")]
        if errors:
            raise ValidationError(errors)

    class Meta:
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True
        use_bulk = False
