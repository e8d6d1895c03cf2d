"""Writes about skills: loading framework versions, recording evidence, recomputing levels."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from skillspassport.accounts.access import scope_for
from skillspassport.accounts.models import Organisation, OrganisationKind, User
from skillspassport.accounts.roles import Capability
from skillspassport.audit.models import AuditAction
from skillspassport.audit.services import audit_record
from skillspassport.background.models import Work
from skillspassport.background.services import work_start
from skillspassport.people.models import Resident
from skillspassport.skills.framework_files import FrameworkFileError, read_framework_file
from skillspassport.skills.models import (
    OVERALL,
    CouncilScheme,
    Descriptor,
    Evidence,
    EvidenceMethod,
    FrameworkVersion,
    LevelRuleSet,
    PassportLevel,
    PassportLevelChange,
    ScaleStep,
    SkillArea,
    Strand,
)
from skillspassport.skills.selectors import (
    evidence_methods_for,
    passport_compute,
    rule_set_for_organisation,
)
from skillspassport.skills.signals import levels_reached


class EvidenceError(ValueError):
    """Evidence that cannot be recorded; `field` is the form field the problem is about."""

    def __init__(self, message: str, *, field: str = "shown_on") -> None:
        super().__init__(message)
        self.field = field


@transaction.atomic
def framework_load(*, path: Path) -> tuple[FrameworkVersion, bool]:
    """Load a framework YAML file as a new version. Returns (version, created).

    Loading the same file twice does nothing. A file whose version is already loaded with
    different content is refused: publish changes as a new version, so evidence recorded
    against the old one keeps its meaning.
    """
    doc, sha = read_framework_file(path)
    code = str(doc["version"])
    existing = FrameworkVersion.objects.filter(code=code).first()
    if existing is not None:
        if existing.source_sha256 != sha:
            raise FrameworkFileError(
                f"Framework {code} is already loaded with different content. "
                "Give the changed framework a new version number."
            )
        return existing, False
    framework = FrameworkVersion.objects.create(
        code=code, title=doc["title"], published=doc["published"], source_sha256=sha
    )
    for s_pos, s in enumerate(doc["strands"]):
        strand = Strand.objects.create(
            framework=framework,
            code=s["code"],
            name=s["name"],
            description=s.get("description", ""),
            position=s_pos,
        )
        steps = {
            step["code"]: ScaleStep.objects.create(
                strand=strand, code=step["code"], name=step["name"], rank=rank
            )
            for rank, step in enumerate(s["scale"])
        }
        for a_pos, a in enumerate(s["areas"]):
            area = SkillArea.objects.create(
                strand=strand,
                code=a["code"],
                name=a["name"],
                description=a.get("description", ""),
                position=a_pos,
            )
            Descriptor.objects.bulk_create(
                Descriptor(
                    framework=framework,
                    area=area,
                    level=steps[d["level"]],
                    code=d["code"],
                    text=d["text"],
                    context=d.get("context", ""),
                    eds_qualification_area=d.get("eds_qualification_area", ""),
                    replaces=list(d.get("replaces", [])),
                    position=d_pos,
                )
                for d_pos, d in enumerate(a["descriptors"])
            )
    rules = dict(doc["level_rules"])
    count_self_assessed = bool(rules.pop("count_self_assessed", False))
    LevelRuleSet.objects.create(
        framework=framework, name="default", rules=rules, count_self_assessed=count_self_assessed
    )
    return framework, True


@dataclass(frozen=True)
class LevelChange:
    strand_code: str
    from_level: str
    to_level: str


def passport_recompute(*, resident: Resident, cause: str = "") -> list[LevelChange]:
    """Recompute the resident's levels from their evidence; store changes with history.

    Runs inside the caller's transaction when there is one (evidence and levels change
    together). Returns the changes made.
    """
    with transaction.atomic():
        rule_set = rule_set_for_organisation(organisation=resident.organisation)
        result = passport_compute(resident=resident, rule_set=rule_set)
        computed = {code: r.level for code, r in result.strands.items()} | {OVERALL: result.overall}
        stored = {
            p.strand_code: p
            for p in PassportLevel.objects.select_for_update().filter(resident_id=resident.pk)
        }
        now = timezone.now()
        changes: list[LevelChange] = []
        new_rows = []
        for strand_code, level in computed.items():
            held = stored.get(strand_code)
            before = held.level if held is not None else ""
            if held is None:
                new_rows.append(
                    PassportLevel(
                        resident_id=resident.pk, strand_code=strand_code, level=level, since=now
                    )
                )
            elif held.level != level:
                held.level, held.since = level, now
                held.save(update_fields=["level", "since"])
            if before != level:
                changes.append(LevelChange(strand_code, before, level))
        PassportLevel.objects.bulk_create(new_rows)
        PassportLevelChange.objects.bulk_create(
            PassportLevelChange(
                resident_id=resident.pk,
                strand_code=c.strand_code,
                from_level=c.from_level,
                to_level=c.to_level,
                changed_at=now,
                framework_code=rule_set.framework.code,
                cause=cause[:200],
            )
            for c in changes
        )
        reached = [c.strand_code for c in changes if c.to_level]
        if reached:
            levels_reached.send(sender=PassportLevel, resident=resident, strand_codes=reached)
    return changes


RECOMPUTE_JOB = "skills.recompute"
RECOMPUTE_BATCH = 200


def passports_recompute_start(
    *, council: Organisation, cause: str, user: User | None = None, queue: bool = True
) -> Work:
    """Recompute every passport in the council's scheme as background work (`skills.jobs`):
    resident by resident, in batches, with a progress page. Queued when the caller's
    transaction commits, so it sees the change that caused it.

    Each start is its own pass (no key): a pass reads the rules in force as it reaches each
    resident, so whichever pass reaches a resident last leaves the current rules' levels.
    """
    return work_start(
        kind=RECOMPUTE_JOB,
        title=f"Recompute passports: {council.name}"[:200],
        params={"council_id": council.pk, "cause": cause[:200]},
        council=council,
        started_by=user,
        queue=queue,
    )


def passports_recompute_batch(
    *, council: Organisation, after: int, cause: str, size: int = RECOMPUTE_BATCH
) -> tuple[int, int, int | None]:
    """Recompute the next `size` residents of the scheme with a primary key above `after`.

    Returns (residents recomputed, residents whose levels changed, the last key or None when
    there were none left). Runs inside the caller's transaction.
    """
    residents = list(
        Resident.objects.in_scheme_of(council.pk)
        .filter(pk__gt=after)
        .select_related("organisation")
        .order_by("pk")[:size]
    )
    changed = sum(1 for r in residents if passport_recompute(resident=r, cause=cause))
    return len(residents), changed, residents[-1].pk if residents else None


class SchemeError(ValueError):
    pass


@transaction.atomic
def scheme_adopt(
    *,
    council: Organisation,
    rule_set: LevelRuleSet,
    user: User | None = None,
    queue: bool = True,
) -> Work:
    """Put the council's scheme on `rule_set` (and its framework version) and start the
    recompute of its passports (background work: its result says how many residents' levels
    changed; each change is kept in their level history with the cause).

    Evidence is never touched: evidence recorded against an older version counts in the new
    one through stable descriptor codes and `replaces`.
    """
    if council.kind != OrganisationKind.COUNCIL:
        raise SchemeError(f"{council} is not a council.")
    earlier = CouncilScheme.objects.filter(council=council).select_related("rule_set").first()
    before = str(earlier.rule_set) if earlier else None
    CouncilScheme.objects.update_or_create(council=council, defaults={"rule_set": rule_set})
    audit_record(
        user=user,
        action=AuditAction.RULES_CHANGED,
        organisation=council,
        summary="Scheme's level rules and framework version",
        changes={"rule set": (before, str(rule_set))},
    )
    cause = f"scheme moved to framework {rule_set.framework.code} ({rule_set.name} rules)"
    return passports_recompute_start(council=council, cause=cause, user=user, queue=queue)


@transaction.atomic
def rule_set_changed(
    *,
    rule_set: LevelRuleSet,
    user: User | None = None,
    changes: dict[str, tuple[object, object]] | None = None,
) -> list[Work]:
    """After a rule set is edited: start the recompute of the passports of every council that
    uses it (one piece of background work per council). `changes` ({field: (before, after)})
    is recorded on each of those councils' audit log."""
    started = []
    for scheme in CouncilScheme.objects.filter(rule_set=rule_set).select_related("council"):
        audit_record(
            user=user,
            action=AuditAction.RULES_CHANGED,
            organisation=scheme.council,
            summary=f"Level rules '{rule_set.name}' changed",
            changes=changes or {},
        )
        started.append(
            passports_recompute_start(
                council=scheme.council, cause=f"level rules '{rule_set.name}' changed", user=user
            )
        )
    return started


def _check_shown_on(resident: Resident, shown_on: date) -> None:
    if shown_on > timezone.localdate():
        raise EvidenceError("The date the skill was shown cannot be in the future.")
    if shown_on < resident.date_of_birth:
        raise EvidenceError("The date the skill was shown cannot be before the resident was born.")


def _check_method(user: User, resident: Resident, method: str) -> None:
    """Refuse a provenance the user's role does not give them (see evidence_methods_for)."""
    if method == EvidenceMethod.COURSE_COMPLETION:
        raise EvidenceError(
            "Course completion is recorded by the training provider when the learner completes "
            "the course, not by hand. Choose how you saw the resident show these skills.",
            field="method",
        )
    if method not in EvidenceMethod.values:
        raise EvidenceError("Select how the resident showed these skills.", field="method")
    if method in evidence_methods_for(user=user, resident=resident):
        return
    if method == EvidenceMethod.OBSERVED_TUTOR:
        message = "Only a tutor can record a skill as observed by a tutor."
    elif method == EvidenceMethod.OBSERVED_ADVISER:
        message = "Only an adviser can record a skill as observed by an adviser."
    else:
        message = "You cannot record evidence for this resident."
    raise EvidenceError(message, field="method")


@transaction.atomic
def evidence_record(
    *,
    user: User,
    resident: Resident,
    descriptors: Iterable[Descriptor],
    method: str,
    shown_on: date,
    note: str = "",
    request: Any = None,
) -> tuple[list[Evidence], list[LevelChange]]:
    """Record that the resident showed each descriptor, then recompute their levels.

    The method must be one the user's role gives them for this resident
    (`selectors.evidence_methods_for`): course completion never comes this way."""
    _check_method(user, resident, method)
    return _evidence_create(
        user=user,
        resident=resident,
        descriptors=descriptors,
        method=method,
        shown_on=shown_on,
        note=note,
        request=request,
    )


@transaction.atomic
def course_completion_record(
    *,
    user: User,
    resident: Resident,
    descriptors: Iterable[Descriptor],
    shown_on: date,
    note: str,
    request: Any = None,
) -> tuple[list[Evidence], list[LevelChange]]:
    """Course-completion evidence, from training when a learner completes a course: the only
    way it is recorded. `user` must run training (a training provider's staff)."""
    if not scope_for(user, Capability.RUN_TRAINING):
        raise EvidenceError("Only a training provider records course completion.", field="method")
    return _evidence_create(
        user=user,
        resident=resident,
        descriptors=descriptors,
        method=EvidenceMethod.COURSE_COMPLETION,
        shown_on=shown_on,
        note=note,
        request=request,
    )


def _evidence_create(
    *,
    user: User,
    resident: Resident,
    descriptors: Iterable[Descriptor],
    method: str,
    shown_on: date,
    note: str,
    request: Any,
) -> tuple[list[Evidence], list[LevelChange]]:
    descriptors = list(descriptors)
    if not descriptors:
        raise EvidenceError("Choose at least one skill.")
    _check_shown_on(resident, shown_on)
    Resident.objects.select_for_update().filter(pk=resident.pk).first()
    items = Evidence.objects.bulk_create(
        Evidence(
            resident=resident,
            descriptor=d,
            method=method,
            shown_on=shown_on,
            note=note,
            recorded_by=user,
        )
        for d in descriptors
    )
    codes = ", ".join(d.code for d in descriptors)
    audit_record(
        user=user,
        action=AuditAction.EVIDENCE_RECORDED,
        resident=resident,
        summary=f"{len(descriptors)} {'item' if len(descriptors) == 1 else 'items'}: {codes}",
        request=request,
    )
    changes = passport_recompute(resident=resident, cause=f"evidence recorded: {codes}")
    return items, changes


@transaction.atomic
def evidence_withdraw(
    *, user: User, resident: Resident, evidence_id: int, reason: str, request: Any = None
) -> list[LevelChange]:
    """Withdraw a piece of evidence (kept, marked withdrawn) and recompute levels."""
    if not reason.strip():
        raise EvidenceError("Give a reason for withdrawing the evidence.")
    item = (
        Evidence.objects.select_for_update()
        .select_related("descriptor")
        .filter(resident=resident, pk=evidence_id)
        .first()
    )
    if item is None or item.withdrawn_at is not None:
        raise EvidenceError("That evidence has already been withdrawn.")
    item.withdrawn_at = timezone.now()
    item.withdrawn_by = user
    item.withdrawal_reason = reason.strip()
    item.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
    audit_record(
        user=user,
        action=AuditAction.EVIDENCE_WITHDRAWN,
        resident=resident,
        summary=item.descriptor.code,
        fields=["withdrawal_reason"],
        request=request,
    )
    return passport_recompute(
        resident=resident, cause=f"evidence withdrawn: {item.descriptor.code}"
    )
