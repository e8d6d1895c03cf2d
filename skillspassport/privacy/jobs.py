"""Long work for privacy: applying the councils' retention rules (daily, from the schedule).

Safe to run again: a resident anonymised is no longer a candidate of any rule, so another
attempt after a worker stopped carries on with those left, and each erasure is its own
transaction."""

from __future__ import annotations

from typing import Any

from skillspassport.accounts.models import Organisation
from skillspassport.background.models import Work
from skillspassport.background.progress import Progress
from skillspassport.background.registry import job
from skillspassport.background.services import work_start
from skillspassport.privacy.models import RetentionRule
from skillspassport.privacy.services import retention_apply

RETENTION_JOB = "privacy.retention"


def retention_run_start(*, council: Organisation | None = None, queue: bool = True) -> Work:
    """Start applying every active rule (of one council, or all). One run at a time per
    council (or for all): starting again while one is unfinished returns that one."""
    return work_start(
        kind=RETENTION_JOB,
        title=f"Apply retention rules: {council.name if council else 'every council'}",
        params={"council_id": council.pk if council else None},
        council=council,
        key=f"council-{council.pk}" if council else "all",
        queue=queue,
    )


@job(RETENTION_JOB)
def retention_run(work: Work, progress: Progress) -> dict[str, Any]:
    active = RetentionRule.objects.filter(active=True).select_related("council")
    if work.params.get("council_id"):
        active = active.filter(council_id=work.params["council_id"])
    rules = list(active.order_by("council__name", "scope"))
    progress.start(len(rules), "Applying retention rules")
    lines: list[str] = []
    total = 0
    for rule in rules:
        (outcome,) = retention_apply(
            user=None,
            rules=[rule],
            dry_run=False,
            on_erased=lambda _rule: progress.note(f"{_rule.council.name}: anonymising"),
        )
        total += outcome.erased
        lines.append(f"{rule.council.name} — {rule}: anonymised {outcome.erased}")
        progress.advance(1, lines[-1])
    progress.note(f"Total: anonymised {total}.")
    return {"lines": lines, "total": total}
