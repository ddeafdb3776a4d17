"""Open-data exports of the territory's registry: DECP 2.0.3 (regulatory) and OCDS 1.1.5 (international).

`decp.export_decp` and `ocds.export_ocds` build the documents and validate them against the official
schemas shipped in `opendata/data/schemas/` (`validation`); commands and pages only write or serve them.
"""

import os
import tempfile
from pathlib import Path


def write_atomically(path: str | Path, text: str) -> None:
    """Write `text` to `path` through a temporary file, so a reader never sees half a document."""
    path = Path(path)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
