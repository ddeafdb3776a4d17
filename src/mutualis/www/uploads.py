"""Several files in one upload field, each checked for its kind and size: the background imports' forms."""

from django import forms
from django.conf import settings


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """The files chosen, each refused by name when its extension is not one of `extensions` or it is
    larger than the background imports' bound (MUTUALIS_DECP_UPLOAD_MAX_BYTES)."""

    def __init__(self, *, extensions: tuple[str, ...], **kwargs):
        self.extensions = extensions
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ",".join(extensions)}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        files = [super(MultipleFileField, self).clean(item, initial) for item in files]
        limit = settings.MUTUALIS_DECP_UPLOAD_MAX_BYTES
        kinds = " et ".join(self.extensions)
        for upload in files:
            if not upload.name.lower().endswith(self.extensions):
                raise forms.ValidationError(f"« {upload.name} » : seuls les fichiers {kinds} sont acceptés.")
            if upload.size > limit:
                raise forms.ValidationError(f"« {upload.name} » dépasse {limit // (1024 * 1024)} Mo.")
        return files
