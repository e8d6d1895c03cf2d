"""Long work about skills: recomputing every passport of a council's scheme after it adopts a
framework version or its level rules change."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from skillspassport.accounts.models import Organisation
from skillspassport.background.models import Work
from skillspassport.background.progress import Progress
from skillspassport.background.registry import JobRefusedError, job
from skillspassport.people.models import Resident
from skillspassport.skills import services
from skillspassport.skills.services import RECOMPUTE_JOB, passports_recompute_batch


@job(RECOMPUTE_JOB)
def passports_recompute(work: Work, progress: Progress) -> dict[str, Any]:
    """Batch by batch in order of resident; each batch and the checkpoint after it commit
    together, so a second attempt carries on after the last batch that committed."""
    council = Organisation.objects.filter(pk=work.params["council_id"]).first()
    if council is None:
        raise JobRefusedError("The council no longer exists.")
    state = progress.state
    after, changed = int(state.get("after", 0)), int(state.get("changed", 0))
    scheme = Resident.objects.in_scheme_of(council.pk)
    progress.start(scheme.count(), "Recomputing passports")
    already = scheme.filter(pk__lte=after).count()
    if already:
        progress.advance(already, "Carrying on where the last attempt stopped")
    while True:
        with transaction.atomic():
            count, batch_changed, last = passports_recompute_batch(
                council=council,
                after=after,
                cause=work.params.get("cause", ""),
                size=services.RECOMPUTE_BATCH,
            )
            if last is None:
                break
            after, changed = last, changed + batch_changed
            progress.advance(count, f"{changed} residents' levels changed so far")
            progress.checkpoint(after=after, changed=changed)
    progress.note(f"{changed} residents' levels changed.")
    return {"changed": changed}
