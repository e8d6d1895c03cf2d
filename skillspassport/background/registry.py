"""The kinds of long work the product runs. Each app declares its own in a `jobs.py` module
(found when the app registry is ready), so this floor never imports the apps above it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from skillspassport.background.models import Work
    from skillspassport.background.progress import Progress

JobFunction = Callable[["Work", "Progress"], dict[str, Any] | None]


@dataclass(frozen=True)
class Job:
    kind: str
    function: JobFunction


JOBS: dict[str, Job] = {}


class JobRefusedError(Exception):
    """Raised by a job when trying again cannot help (a file that is wrong, a record that has
    gone): the work ends as failed at once, with this message as its error."""


def job(kind: str) -> Callable[[JobFunction], JobFunction]:
    """Register `function(work, progress)` as the work of `kind`.

    The function must be safe to run again from the start (a retry, or a worker restarted in
    the middle): do the work in batches, each in its own transaction, and skip what is done.
    It returns a small JSON-able dict kept as the work's result (for example a link).
    """

    def register(function: JobFunction) -> JobFunction:
        if kind in JOBS and JOBS[kind].function is not function:
            raise ValueError(f"Two jobs are registered as {kind!r}.")
        JOBS[kind] = Job(kind, function)
        return function

    return register
