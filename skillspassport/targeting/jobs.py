"""Long work for targeting: importing national area data."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from skillspassport.background.models import Work
from skillspassport.background.progress import Progress
from skillspassport.background.registry import JobRefusedError, job
from skillspassport.targeting import readers
from skillspassport.targeting.imports import IMPORT_JOB, area_data_import_run


@job(IMPORT_JOB)
def area_data_import(work: Work, progress: Progress) -> dict[str, Any]:
    """One step per file (and one for the geography); each step is stored in its own
    transaction and checkpointed after, so another attempt skips the files already stored."""
    params = work.params
    state = progress.state
    done_steps: list[str] = list(state.get("steps", []))
    lines: list[str] = list(state.get("lines", []))
    steps = len(params["files"]) + (1 if params.get("folder") else 0)
    progress.start(steps, "Starting")
    if done_steps:
        progress.advance(len(done_steps), "Carrying on where the last attempt stopped")

    def file_done(step: str, line: str) -> None:
        done_steps.append(step)
        lines.append(line)
        progress.advance(1, line)
        progress.checkpoint(steps=done_steps, lines=lines)

    try:
        area_data_import_run(
            params=params, done=set(done_steps), file_done=file_done, say=progress.note
        )
    except readers.ImportFileError as exc:
        raise JobRefusedError(f"{exc} Nothing from this file was imported.") from exc
    progress.note(f"{len(lines)} file(s) imported or already up to date.")
    return {
        "steps": done_steps,
        "lines": lines,
        "url": reverse("targeting:page"),
        "link_text": "Back to area targeting",
    }
