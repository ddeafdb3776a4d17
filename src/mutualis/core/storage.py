"""Where uploaded files live.

MEDIA_ROOT holds private files (contract documents, DECP uploads and import reports): their storage has
no URL, they are served only by views that check the user's rights first (www/files.py). Public assets
(the territory's logo) live apart, in MEDIA_ROOT/public, under MEDIA_URL + "public/".
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.utils.functional import cached_property

PUBLIC_FOLDER = "public"


class PrivateStorage(FileSystemStorage):
    """The default storage: files under MEDIA_ROOT, never reachable by a URL of their own."""

    def url(self, name):
        raise ValueError(
            f"« {name} » est un fichier privé : il se télécharge par la page qui vérifie les droits."
        )


class PublicStorage(FileSystemStorage):
    """MEDIA_ROOT/public, read from the settings at use so that tests moving MEDIA_ROOT move it too."""

    @cached_property
    def base_location(self):
        return os.path.join(settings.MEDIA_ROOT, PUBLIC_FOLDER)

    @cached_property
    def base_url(self):
        return f"{settings.MEDIA_URL.rstrip('/')}/{PUBLIC_FOLDER}/"


def public_storage():
    """For FileField(storage=...): a callable, so that migrations name it rather than freeze a path."""
    return storages["public"]
