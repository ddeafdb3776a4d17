"""Serving stored files. Private ones only after the calling view has checked the user's rights on the
record that owns them; the record gives the file's name, never the request (no path traversal)."""

import mimetypes
import os
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header

from mutualis.core.storage import public_storage


def private_file_response(name: str, *, filename: str) -> HttpResponse:
    """Download of the private file `name` (relative to MEDIA_ROOT) as an attachment called `filename`.

    With MUTUALIS_PRIVATE_FILES_ACCEL set, nginx sends the bytes from its internal location.
    """
    # path() refuses a name leaving MEDIA_ROOT; a folder is no file to send.
    if not name or not os.path.isfile(default_storage.path(name)):
        raise Http404
    prefix = settings.MUTUALIS_PRIVATE_FILES_ACCEL
    if prefix:
        response = HttpResponse(content_type=mimetypes.guess_type(filename)[0] or "application/octet-stream")
        response["X-Accel-Redirect"] = f"{prefix.rstrip('/')}/{quote(name)}"
        response["Content-Disposition"] = content_disposition_header(True, filename)
    else:
        response = FileResponse(default_storage.open(name, "rb"), as_attachment=True, filename=filename)
    # Never rendered by the browser as a page of this site, never kept by a shared cache.
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True)
    return response


def public_file(request, name: str) -> FileResponse:
    """MEDIA_ROOT/public (the territory's logo), open to all; nginx may serve the same folder itself."""
    storage = public_storage()
    if not storage.exists(
        name
    ):  # the storage refuses a name leaving its folder (SuspiciousFileOperation: 400)
        raise Http404
    response = FileResponse(storage.open(name, "rb"))
    response["X-Content-Type-Options"] = "nosniff"
    return response
