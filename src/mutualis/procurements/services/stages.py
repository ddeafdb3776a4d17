"""Where a project stands on its map: the stages that apply to its procedure, the next and previous."""

from datetime import date, timedelta

from ..models import Project, Stage


def stages_for(project: Project) -> list[Stage]:
    """The map's stages that apply to the project's retained procedure, in order."""
    procedure = project.procedure_value
    return [s for s in project.process_map.stages.all() if s.applies_to(procedure)]


def next_stage(project: Project) -> Stage | None:
    return next((s for s in stages_for(project) if s.position > project.stage.position), None)


def previous_stage(project: Project) -> Stage | None:
    earlier = [s for s in stages_for(project) if s.position < project.stage.position]
    return earlier[-1] if earlier else None


def enter_stage(project: Project, stage: Stage, today: date) -> None:
    """Put the project in a stage, with its due date from the expected duration (none if 0)."""
    project.stage = stage
    project.stage_entered_on = today
    project.stage_due_on = today + timedelta(days=stage.expected_days) if stage.expected_days else None


def forecast(project: Project, today: date) -> list[tuple[Stage, date | None]]:
    """The expected end of the current and remaining stages, if each takes its expected time."""
    end = project.stage_due_on or today
    end = max(end, today)
    rows = [(project.stage, project.stage_due_on)]
    for stage in stages_for(project):
        if stage.position > project.stage.position:
            end = end + timedelta(days=stage.expected_days)
            rows.append((stage, end if stage.expected_days else None))
    return rows
