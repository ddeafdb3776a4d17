"""Export columns of the library's list (French headings): the documents' descriptions, never their files."""

from import_export import resources
from import_export.fields import Field


def _column(name, attribute=None, **kwargs):
    return Field(attribute=attribute, column_name=name, **kwargs)


def _audience(document) -> str:
    if document.audience == "entities":
        return "Entités : " + " ; ".join(str(entity) for entity in document.entities.all())
    return document.get_audience_display()


class DocumentResource(resources.Resource):
    id = _column("Numéro", "pk")
    title = _column("Titre", "title")
    kind = _column("Type", dehydrate_method=lambda d: d.get_kind_display())
    module = _column("Module de l'offre", dehydrate_method=lambda d: str(d.module or ""))
    family = _column("Famille d'achat", dehydrate_method=lambda d: str(d.family or ""))
    audience = _column("Qui peut le voir", dehydrate_method=_audience)
    current = _column("Version en cours", dehydrate_method=lambda d: d.current_number or "")
    updated = _column(
        "Déposée le", dehydrate_method=lambda d: f"{d.updated_on:%d/%m/%Y}" if d.updated_on else ""
    )
    archived = _column("Archivé", dehydrate_method=lambda d: "Oui" if d.is_archived else "Non")
    summary = _column("Résumé", "summary")

    class Meta:
        export_order = ["id", "title", "kind", "module", "family", "audience", "current", "updated",
                        "archived", "summary"]  # fmt: skip
