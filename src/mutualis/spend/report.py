"""The line-level report of a spend import: the first entries kept for the page, all of them in a CSV
(semicolon, BOM, for French Excel) when asked. A refused file's entries are dropped with it."""

import csv
import tempfile
from pathlib import Path

from mutualis.core.spreadsheets import safe_row

STORED_ENTRIES = 1000
HEADER = ["fichier", "ligne", "colonne", "résultat", "motif"]


class Report:
    def __init__(self, path: Path | None):
        self.entries: list[dict] = []
        self.total = 0
        self.path = path
        self._out = None
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._out = path.open("w", encoding="utf-8-sig", newline="")
            csv.writer(self._out, delimiter=";").writerow(HEADER)
        self._pending = None

    def begin_file(self) -> None:
        self._mark = (len(self.entries), self.total)
        # One file's entries wait here until the file is written, so that a refused one leaves none.
        self._pending = tempfile.SpooledTemporaryFile(max_size=4 * 1024 * 1024, mode="w+", newline="")  # noqa: SIM115 - closed by end_file
        self._pending_writer = csv.writer(self._pending, delimiter=";")

    def add(self, file: str, line: int | None, field: str, reason: str, kind: str) -> None:
        self.total += 1
        if len(self.entries) < STORED_ENTRIES:
            self.entries.append({"file": file, "line": line, "field": field, "reason": reason, "kind": kind})
        if self._pending is not None and self._out is not None:
            self._pending_writer.writerow(safe_row([file, line, field, kind, reason]))

    def end_file(self, kept: bool) -> None:
        if not kept:
            del self.entries[self._mark[0] :]
            self.total = self._mark[1]
        elif self._out is not None:
            self._pending.seek(0)
            while block := self._pending.read(1024 * 1024):
                self._out.write(block)
        self._pending.close()
        self._pending = None

    def close(self) -> None:
        if self._out is not None:
            self._out.close()
