"""Long work for credentials: issuing and revoking for many residents from a CSV."""

from __future__ import annotations

from typing import Any

from skillspassport.background.models import Work
from skillspassport.background.progress import Progress
from skillspassport.background.registry import job
from skillspassport.credentials.bulk import ISSUE_JOB, REVOKE_JOB, bulk_run


@job(ISSUE_JOB)
def bulk_issue(work: Work, progress: Progress) -> dict[str, Any]:
    return bulk_run(work, progress)


@job(REVOKE_JOB)
def bulk_revoke(work: Work, progress: Progress) -> dict[str, Any]:
    return bulk_run(work, progress)
