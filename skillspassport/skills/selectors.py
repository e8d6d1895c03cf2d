"""Reads about the framework, evidence and passports."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.db.models import QuerySet

from skillspassport.accounts.access import scope_for
from skillspassport.accounts.models import Organisation, OrganisationKind, Role, User
from skillspassport.accounts.roles import Capability
from skillspassport.people.models import Resident
from skillspassport.skills.analytics.levels import (
    DescriptorSpec,
    EvidenceFact,
    FrameworkSpec,
    PassportResult,
    StrandSpec,
    compute_passport,
)
from skillspassport.skills.models import (
    OVERALL,
    Award,
    Descriptor,
    Evidence,
    EvidenceMethod,
    FrameworkVersion,
    LevelRuleSet,
    PassportLevel,
    PassportLevelChange,
    Strand,
)


class NoFrameworkLoadedError(LookupError):
    pass


def rule_set_for_organisation(*, organisation: Organisation) -> LevelRuleSet:
    """The rules of the organisation's council scheme, or the newest framework's defaults."""
    council_id = organisation.id if organisation.kind == "council" else organisation.council_id
    if council_id is not None:
        rule_set = (
            LevelRuleSet.objects.filter(schemes__council_id=council_id)
            .select_related("framework")
            .first()
        )
        if rule_set is not None:
            return rule_set
    rule_set = (
        LevelRuleSet.objects.select_related("framework")
        .filter(name="default")
        .order_by("-framework__published", "-framework__code")
        .first()
    )
    if rule_set is None:
        raise NoFrameworkLoadedError(
            "No skills framework is loaded: run manage.py load_reference_data."
        )
    return rule_set


def framework_spec(framework: FrameworkVersion) -> FrameworkSpec:
    return _framework_spec(framework.pk, framework.code, framework.source_sha256)


@lru_cache(maxsize=16)
def _framework_spec(framework_id: int, code: str, sha: str) -> FrameworkSpec:
    """Frameworks never change once loaded (a change is a new version), so cache by id+sha."""
    strands: dict[str, StrandSpec] = {}
    for strand in Strand.objects.filter(framework_id=framework_id).prefetch_related(
        "scale", "areas"
    ):
        strands[strand.code] = StrandSpec(
            strand.code,
            strand.name,
            tuple((s.code, s.name) for s in strand.scale.all()),
            tuple((a.code, a.name) for a in strand.areas.all()),
        )
    descriptors = {
        d["code"]: DescriptorSpec(
            d["code"],
            d["area__strand__code"],
            d["area__code"],
            d["level__code"],
            tuple(d["replaces"]),
        )
        for d in Descriptor.objects.filter(framework_id=framework_id).values(
            "code", "area__strand__code", "area__code", "level__code", "replaces"
        )
    }
    return FrameworkSpec(code, strands, descriptors)


def passport_compute(*, resident: Resident, rule_set: LevelRuleSet | None = None) -> PassportResult:
    """Levels the resident's current evidence earns under the rules of their scheme."""
    rule_set = rule_set or rule_set_for_organisation(organisation=resident.organisation)
    spec = framework_spec(rule_set.framework)
    facts = [
        EvidenceFact(code, method != EvidenceMethod.SELF_ASSESSED)
        for code, method in Evidence.objects.current()
        .filter(resident_id=resident.pk)
        .values_list("descriptor__code", "method")
    ]
    return compute_passport(
        spec, rule_set.rules, facts, count_self_assessed=rule_set.count_self_assessed
    )


@dataclass(frozen=True)
class StrandSummary:
    code: str
    name: str
    level: str
    level_name: str
    since: Any
    next_award_name: str | None
    needed: tuple[Any, ...]


@dataclass(frozen=True)
class PassportSummary:
    framework: FrameworkVersion
    overall: StrandSummary
    strands: list[StrandSummary]
    not_counted: tuple[str, ...]
    counts_self_assessed: bool = False  # whether the scheme's rules count self-assessment
    scheme_name: str = ""  # the council whose scheme the rules are, e.g. "Sefton Council"
    self_assessed_not_counted: int = 0  # current self-assessed pieces the rules leave out
    self_assessed_note: str = ""  # why they are left out, when some are


def passport_summary(*, resident: Resident) -> PassportSummary:
    """What the resident holds now, since when, and what the next level needs."""
    rule_set = rule_set_for_organisation(organisation=resident.organisation)
    result = passport_compute(resident=resident, rule_set=rule_set)
    stored = {p.strand_code: p for p in PassportLevel.objects.filter(resident=resident)}
    award_names = dict(Award.choices)
    spec = framework_spec(rule_set.framework)

    def summary(
        code: str, name: str, level: str, next_award: str | None, needed: Any
    ) -> StrandSummary:
        held = stored.get(code)
        return StrandSummary(
            code,
            name,
            level,
            award_names.get(level, level) if level else "No level yet",
            held.since if held is not None and held.level == level and level else None,
            award_names.get(next_award) if next_award else None,
            tuple(needed),
        )

    strands = [
        summary(code, spec.strands[code].name, r.level, r.next_award, r.needed)
        for code, r in result.strands.items()
    ]
    overall = summary(
        OVERALL, "Overall", result.overall, result.overall_next, result.overall_needed
    )
    council = resident.organisation.scheme_council
    left_out = 0
    if not rule_set.count_self_assessed:
        left_out = (
            Evidence.objects.current()
            .filter(resident_id=resident.pk, method=EvidenceMethod.SELF_ASSESSED)
            .count()
        )
    return PassportSummary(
        rule_set.framework,
        overall,
        strands,
        result.not_counted,
        counts_self_assessed=rule_set.count_self_assessed,
        scheme_name=council.name if council is not None else "",
        self_assessed_not_counted=left_out,
        self_assessed_note=self_assessed_note(resident=resident) if left_out else "",
    )


COUNTING_METHODS = "observed by a tutor or an adviser, a course completion or a qualification"


def self_assessed_note(*, resident: Resident) -> str:
    """Why self-assessed evidence leaves the passport as it is, in the resident's scheme (as
    the end of a sentence: "8 pieces recorded — self-assessed evidence does not count…")."""
    council = resident.organisation.scheme_council
    scheme = f"{council.name}'s scheme" if council is not None else "this scheme"
    return (
        f"self-assessed evidence does not count towards levels in {scheme}; "
        f"only evidence {COUNTING_METHODS} counts."
    )


def _scheme_council_id(organisation: Organisation) -> int | None:
    return (
        organisation.pk
        if organisation.kind == OrganisationKind.COUNCIL
        else organisation.council_id
    )


def evidence_methods_for(*, user: User, resident: Resident) -> list[str]:
    """How `user` may record that `resident` showed a skill: the provenance follows the role.

    Only the seats in which the user records evidence for the resident's scheme count. Tutors,
    and the staff of training providers, record what they observed as "observed by a tutor";
    advisers and the other staff of councils and their partners as "observed by an adviser".
    Anyone who records evidence may record a self-assessment or a qualification. Course
    completion is never recorded by hand: it comes from training, when a learner completes a
    course (`services.course_completion_record`).
    """
    council_id = _scheme_council_id(resident.organisation)
    seats = [
        s
        for s in scope_for(user, Capability.RECORD_EVIDENCE).seats
        if s.organisation_id == resident.organisation_id
        or (council_id is not None and s.council_id == council_id)
    ]
    if not seats:
        return []
    tutor = any(s.role == Role.TUTOR or s.kind == OrganisationKind.PROVIDER for s in seats)
    adviser = any(s.role != Role.TUTOR and s.kind != OrganisationKind.PROVIDER for s in seats)
    methods = [EvidenceMethod.SELF_ASSESSED.value]
    if adviser:
        methods.append(EvidenceMethod.OBSERVED_ADVISER.value)
    if tutor:
        methods.append(EvidenceMethod.OBSERVED_TUTOR.value)
    methods.append(EvidenceMethod.QUALIFICATION.value)
    return methods


def evidence_for_resident(*, resident: Resident) -> QuerySet[Evidence]:
    return Evidence.objects.filter(resident=resident).select_related(
        "descriptor__area__strand", "descriptor__level", "descriptor__framework", "recorded_by"
    )


def level_history(*, resident: Resident) -> QuerySet[PassportLevelChange]:
    return PassportLevelChange.objects.filter(resident=resident)


def strand_checklist(*, framework: FrameworkVersion, strand_code: str) -> Strand:
    """A strand with its areas and descriptors, for the checklist page."""
    return (
        Strand.objects.filter(framework=framework, code=strand_code)
        .prefetch_related("areas__descriptors__level")
        .get()
    )


def evidenced_codes(
    *, resident: Resident, framework: FrameworkVersion | None = None
) -> dict[str, list[Evidence]]:
    """Current evidence per descriptor code.

    With `framework`, keyed by the codes of that version: evidence recorded against an older
    version's descriptor appears under the descriptor that keeps or replaces its code.
    """
    spec = framework_spec(framework) if framework is not None else None
    found: dict[str, list[Evidence]] = defaultdict(list)
    for item in Evidence.objects.current().filter(resident=resident).select_related("descriptor"):
        code: str | None = item.descriptor.code
        if spec is not None:
            code = spec.current_code(item.descriptor.code)
        if code is not None:
            found[code].append(item)
    return found


def frameworks() -> QuerySet[FrameworkVersion]:
    return FrameworkVersion.objects.all()
