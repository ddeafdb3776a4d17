"""The plan as a workbook laid out like the national PAAT template, and the same workbook read back.

The national « trame PAAT » has one tab per establishment and tells the territory's actions (PAAT)
from the establishments' own (PAA); its exact column list is not published openly, so this layout
is ours, faithful to the rubrics it is known to have (origin, family, object, lever, owner, quarter,
status, operating or investment budget, amortisation duration, expected gains by the PHARE method
split between N and N+1, realised gain).

- « Synthèse »: per establishment and budget, the number of actions and the gains; then the
  territory, where an action of several establishments counts once (a note row says so).
- One sheet per establishment (named after it, ≤ 31 characters, unique, without []:*?/\\): a title
  row, the header row, then one row per action concerning it. An action of several establishments
  is on each one's sheet.

Reading it back (`import_workbook`) checks every sheet and row first and writes all or nothing:
rows are matched to actions by the « Identifiant Mutualis » column, new rows create actions, and the
same action on several sheets is one action concerning those establishments.
"""

from .export import SUMMARY_HEADERS, build_workbook, export_entities
from .layout import COLUMNS, HEADERS, MAX_ROWS, ORIGIN_WORDS, SUMMARY, sheet_names
from .reading import WorkbookError, WorkbookReport, import_workbook

__all__ = [
    "COLUMNS",
    "HEADERS",
    "MAX_ROWS",
    "ORIGIN_WORDS",
    "SUMMARY",
    "SUMMARY_HEADERS",
    "WorkbookError",
    "WorkbookReport",
    "build_workbook",
    "export_entities",
    "import_workbook",
    "sheet_names",
]
