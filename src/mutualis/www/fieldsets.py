"""Forms whose fields are shown in titled groups (<fieldset>/<legend>), for long forms."""


class FieldsetsMixin:
    fieldsets: list[tuple[str, list[str]]] = []

    def grouped_fields(self):
        shown = set()
        groups = []
        for legend, names in self.fieldsets:
            fields = [self[name] for name in names if name in self.fields]
            shown.update(names)
            groups.append((legend, fields))
        # Hidden fields (the record's version) are rendered apart, outside any group.
        rest = [self[name] for name in self.fields if name not in shown and not self[name].is_hidden]
        if rest:
            groups.append(("Autres informations", rest))
        return groups
