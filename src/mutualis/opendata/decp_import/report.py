"""The import report: counts, and one entry per rejected, repaired or warned record.

Entries are streamed to the JSON report file as they come, so a file of a million records does not
hold its report in memory; the first ones are also kept for the page and the ImportRun.
"""

import json
from pathlib import Path

KEPT_ENTRIES = 500
COUNTERS = [
    "read",
    "created",
    "updated",
    "unchanged",
    "repaired",
    "warned",
    "rejected",
    "external",
    "registry",
]


class Report:
    def __init__(self, path: Path | None = None):
        self.path = path
        self.counts = dict.fromkeys(COUNTERS, 0)
        self.files: list[dict] = []
        self.entries: list[dict] = []
        self.rejections: list[dict] = []  # also kept apart, so that the command can list them
        self._handle = None
        self._written = 0
        if path is not None:
            self._handle = path.open("w", encoding="utf-8")
            self._handle.write('{"entries": [\n')

    def entry(self, **fields) -> None:
        if fields.get("status") == "rejected" and len(self.rejections) < KEPT_ENTRIES:
            self.rejections.append(fields)
        if len(self.entries) < KEPT_ENTRIES:
            self.entries.append(fields)
        if self._handle is not None:
            self._handle.write(
                (",\n" if self._written else "") + json.dumps(fields, ensure_ascii=False, default=str)
            )
        self._written += 1

    def add_file(self, name: str, status: str, counts: dict, error: str = "") -> None:
        self.files.append({"file": name, "status": status, "error": error, "counts": counts})
        if status != "unreadable":
            for key, value in counts.items():
                self.counts[key] += value

    def close(self, dry_run: bool) -> dict:
        summary = {
            "dry_run": dry_run,
            "counts": self.counts,
            "files": self.files,
            "entry_count": self._written,
        }
        if self._handle is not None:
            tail = json.dumps(summary, ensure_ascii=False)[1:]  # the summary's keys follow "entries"
            self._handle.write("\n], " + tail + "\n")
            self._handle.close()
        return summary
