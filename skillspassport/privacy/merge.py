"""Merging two records of the same person: everything the duplicate holds moves to the record
that survives; the duplicate is kept, marked as merged into it, and its address redirects.

Every relation to `people.Resident` is listed in `RELATIONS` with what a merge does to it; a
test fails if a new one is added without saying. The audit log is append-only and hash-chained,
so its events stay on the record they were written about: the surviving record's audit page
reads the events of the records merged into it too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from skillspassport.accounts.models import User
from skillspassport.accounts.roles import Capability
from skillspassport.accounts.selectors import user_has_capability
from skillspassport.audit.models import AuditAction
from skillspassport.audit.services import audit_record
from skillspassport.credentials.models import IssuedCredential
from skillspassport.employers.models import JobStart, Referral
from skillspassport.people.models import ConsentRecord, EqualityMonitoring, Resident
from skillspassport.privacy.models import Erasure, ResidentRevision
from skillspassport.skills.models import Evidence, PassportLevel, PassportLevelChange
from skillspassport.skills.services import passport_recompute
from skillspassport.support.models import BudgetLedger, BudgetSpend, Case
from skillspassport.training.models import Enrolment, Invitation

MERGED_CONSENT_REASON = "Duplicate record merged: the surviving record's consent stands"


class MergeError(ValueError):
    """Two records that cannot be merged (as they are now)."""


# (model label, field) of every relation to Resident → what a merge does with it.
RELATIONS: dict[tuple[str, str], str] = {
    ("people.Resident", "merged_into"): "records merged into the duplicate point to the survivor",
    ("people.ConsentRecord", "resident"): "moved; a purpose active on both keeps the survivor's",
    ("people.EqualityMonitoring", "resident"): "moved if the survivor has none",
    ("skills.Evidence", "resident"): "moved",
    ("skills.PassportLevel", "resident"): "recomputed from all the evidence",
    ("skills.PassportLevelChange", "resident"): "moved (history)",
    ("audit.AuditEvent", "resident"): "kept (append-only); read with the survivor's",
    ("credentials.IssuedCredential", "resident"): "moved",
    ("employers.Referral", "resident"): "moved",
    ("employers.JobStart", "resident"): "moved",
    ("training.Enrolment", "resident"): "moved",
    ("training.Invitation", "resident"): "moved, except a second invitation to one cohort",
    ("support.Case", "resident"): "moved",
    ("support.BudgetLedger", "resident"): "spends moved to the survivor's ledger",
    ("privacy.ResidentRevision", "resident"): "moved",
    ("privacy.Erasure", "resident"): "an erased record cannot be merged",
}

# What the confirmation page and the audit event count, for each record.
COUNTED: dict[str, Callable[[Resident], int]] = {
    "evidence": lambda r: Evidence.objects.filter(resident=r).count(),
    "consents": lambda r: ConsentRecord.objects.filter(resident=r).count(),
    "cases": lambda r: Case.objects.filter(resident=r).count(),
    "credentials": lambda r: IssuedCredential.objects.filter(resident=r).count(),
    "enrolments": lambda r: Enrolment.objects.filter(resident=r).count(),
    "referrals": lambda r: Referral.objects.filter(resident=r).count(),
    "job_starts": lambda r: JobStart.objects.filter(resident=r).count(),
    "budget_spends": lambda r: BudgetSpend.objects.filter(ledger__resident=r).count(),
}


def resident_relations() -> set[tuple[str, str]]:
    """Every (model label, field) that refers to a resident, as the models say now."""
    found = set()
    for rel in Resident._meta.related_objects:
        model: Any = rel.related_model
        found.add((model._meta.label, rel.field.name))
    return found


def holdings(resident: Resident) -> dict[str, int]:
    return {name: count(resident) for name, count in COUNTED.items()}


def _same_council(one: Resident, other: Resident) -> bool:
    council = one.organisation.scheme_council
    return council is not None and council == other.organisation.scheme_council


def may_merge(*, user: User, survivor: Resident, duplicate: Resident) -> bool:
    return all(
        user_has_capability(
            user=user, capability=Capability.MERGE_RESIDENTS, organisation_id=r.organisation_id
        )
        for r in (survivor, duplicate)
    )


def merge_problems(*, survivor: Resident, duplicate: Resident) -> list[str]:
    """Why the two records cannot be merged as they are (empty if they can)."""
    if survivor.pk == duplicate.pk:
        return ["A record cannot be merged with itself."]
    problems = []
    if survivor.merged_into_id or duplicate.merged_into_id:
        problems.append("One of these records has already been merged into another.")
    if not _same_council(survivor, duplicate):
        problems.append("Only records in the same council's scheme can be merged.")
    if Erasure.objects.filter(resident__in=[survivor, duplicate]).exists():
        problems.append("An erased record cannot be merged.")
    both = [survivor.pk, duplicate.pk]
    cohorts = (
        Enrolment.objects.filter(resident_id__in=both)
        .values("cohort_id", "cohort__course__title")
        .annotate(n=Count("resident", distinct=True))
        .filter(n__gt=1)
    )
    for row in cohorts:
        problems.append(
            f"Both records are enrolled on {row['cohort__course__title']}: withdraw one "
            "enrolment first."
        )
    opportunities = (
        Referral.objects.filter(resident_id__in=both)
        .exclude(status="withdrawn")
        .values("opportunity__title")
        .annotate(n=Count("resident", distinct=True))
        .filter(n__gt=1)
    )
    for row in opportunities:
        problems.append(
            f"Both records have a live referral to {row['opportunity__title']}: withdraw one first."
        )
    open_cases = (
        Case.objects.filter(resident_id__in=both, closed_on__isnull=True)
        .values("organisation__name")
        .annotate(n=Count("resident", distinct=True))
        .filter(n__gt=1)
    )
    for row in open_cases:
        problems.append(
            f"Both records have an open case with {row['organisation__name']}: close one first."
        )
    return problems


@dataclass(frozen=True)
class MergeResult:
    survivor: Resident
    before: dict[str, tuple[int, int]]
    after: dict[str, int]


def _move_consents(survivor: Resident, duplicate: Resident, user: User) -> None:
    kept = set(survivor.consents.active().values_list("purpose", flat=True))
    now = timezone.now()
    ConsentRecord.objects.filter(resident=duplicate, purpose__in=kept).active().update(
        withdrawn_at=now, withdrawn_by=user, withdrawal_reason=MERGED_CONSENT_REASON
    )
    ConsentRecord.objects.filter(resident=duplicate).update(resident=survivor)


def _move_budget(survivor: Resident, duplicate: Resident) -> None:
    ledgers = {
        ledger.resident_id: ledger
        for ledger in BudgetLedger.objects.select_for_update().filter(
            resident__in=[survivor, duplicate]
        )
    }
    theirs = ledgers.get(duplicate.pk)
    if theirs is None:
        return
    ours = ledgers.get(survivor.pk)
    if ours is None:
        BudgetLedger.objects.filter(pk=theirs.pk).update(resident=survivor)
    else:
        BudgetSpend.objects.filter(ledger=theirs).update(ledger=ours)


def _move_invitations(survivor: Resident, duplicate: Resident) -> None:
    invited = Invitation.objects.filter(resident=survivor).values("cohort_id")
    Invitation.objects.filter(resident=duplicate).exclude(cohort_id__in=invited).update(
        resident=survivor
    )


@transaction.atomic
def residents_merge(
    *, user: User, survivor: Resident, duplicate: Resident, request: Any = None
) -> MergeResult:
    """Merge `duplicate` into `survivor` (the same person in one council's scheme).

    Everything the duplicate holds moves to the survivor, except what cannot exist twice (see
    `RELATIONS`); the survivor's levels are recomputed from all the evidence; the duplicate is
    marked merged (not deleted). Audited on both records, with counts before and after.
    """
    if not may_merge(user=user, survivor=survivor, duplicate=duplicate):
        raise MergeError("You may not merge these records.")
    first, second = sorted([survivor.pk, duplicate.pk])
    locked = {r.pk: r for r in Resident.objects.select_for_update().filter(pk__in=[first, second])}
    survivor, duplicate = locked[survivor.pk], locked[duplicate.pk]
    problems = merge_problems(survivor=survivor, duplicate=duplicate)
    if problems:
        raise MergeError(" ".join(problems))
    before_survivor, before_duplicate = holdings(survivor), holdings(duplicate)

    _move_consents(survivor, duplicate, user)
    if not EqualityMonitoring.objects.filter(resident=survivor).exists():
        EqualityMonitoring.objects.filter(resident=duplicate).update(resident=survivor)
    for model in (
        Evidence,
        PassportLevelChange,
        IssuedCredential,
        Referral,
        JobStart,
        Enrolment,
        Case,
        ResidentRevision,
    ):
        model.objects.filter(resident=duplicate).update(resident=survivor)
    _move_invitations(survivor, duplicate)
    _move_budget(survivor, duplicate)
    Resident.objects.filter(merged_into=duplicate).update(merged_into=survivor)
    PassportLevel.objects.filter(resident=duplicate).delete()
    now = timezone.now()
    Resident.objects.filter(pk=duplicate.pk).update(merged_into=survivor, merged_at=now)
    Resident.objects.filter(pk=survivor.pk).update(updated_at=now)
    passport_recompute(resident=survivor, cause="Duplicate record merged")

    after = holdings(survivor)
    before = {name: (before_survivor[name], before_duplicate[name]) for name in before_survivor}
    audit_record(
        user=user,
        action=AuditAction.UPDATED,
        resident=survivor,
        summary=f"Merged the duplicate record {duplicate.public_id} into this record",
        fields=["merged_records"],
        changes={name: (before_survivor[name], after[name]) for name in after},
        request=request,
    )
    audit_record(
        user=user,
        action=AuditAction.UPDATED,
        resident=duplicate,
        summary=f"Merged into the record {survivor.public_id}",
        fields=["merged_into"],
        changes={
            "merged_into": (None, str(survivor.public_id)),
            **{name: (before_duplicate[name], 0) for name in before_duplicate},
        },
        request=request,
    )
    survivor.refresh_from_db()
    return MergeResult(survivor=survivor, before=before, after=after)
