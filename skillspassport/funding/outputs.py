"""The output registry: each measure a project can be targeted on, and the records behind it.

A measure is counted from records, never typed in. Its `records(project)` returns a queryset of
the records that count: those attributed to the project's delivery organisations and dated within
the project's start and end (both days included). `resident_path` says how to reach the resident
from a record ("" when the record is the resident), so that drill-down pages can show residents
the viewer may see and only count the others.

Adding a measure is one function returning the records and one call to `register(Measure(...))`
in this module, next to the others; targets then accept its code and project pages and
drill-downs count it with no other change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from skillspassport.credentials.models import IssuedCredential
from skillspassport.employers.models import JobStart, SustainmentCheck, SustainmentOutcome
from skillspassport.people.models import Resident
from skillspassport.skills.models import OVERALL, Evidence, PassportLevelChange
from skillspassport.support.models import Case, Device
from skillspassport.training.models import Enrolment, EnrolmentStatus

if TYPE_CHECKING:
    from skillspassport.funding.models import Project


@dataclass(frozen=True)
class Measure:
    code: str
    label: str
    counted: str  # how it is counted, in plain English, shown on the drill-down page
    records: Callable[[Project], QuerySet[Any]]
    resident_path: str  # lookup from a record to its resident; "" when the record is one
    date_path: str  # the record's date shown on the drill-down page
    describe: Callable[[Any], str] = str  # one line about a record on the drill-down page
    related: tuple[str, ...] = ()  # what `describe` reads, fetched with the records


MEASURES: dict[str, Measure] = {}


def register(measure: Measure) -> Measure:
    if measure.code in MEASURES:
        raise ValueError(f"Output measure {measure.code!r} is already registered.")
    MEASURES[measure.code] = measure
    return measure


def measure_choices() -> list[tuple[str, str]]:
    return [(m.code, m.label) for m in MEASURES.values()]


# --- helpers shared by the measures -------------------------------------------------------------


def delivery_ids(project: Project) -> list[int]:
    """The project's delivery organisations (prefetched on project pages)."""
    return [org.pk for org in project.delivery_organisations.all()]


def period(project: Project) -> tuple[datetime, datetime]:
    """The project's dates as [start of first day, start of the day after the last) locally."""
    zone = timezone.get_current_timezone()
    start = datetime.combine(project.starts_on, time.min, tzinfo=zone)
    end = datetime.combine(project.ends_on + timedelta(days=1), time.min, tzinfo=zone)
    return start, end


def _days(project: Project) -> tuple[date, date]:
    return project.starts_on, project.ends_on


# --- the measures -------------------------------------------------------------------------------


def residents_supported(project: Project) -> QuerySet[Resident]:
    start, end = period(project)
    orgs = delivery_ids(project)
    evidence_by_staff = Evidence.objects.filter(
        recorded_by__memberships__organisation_id__in=orgs,
        recorded_at__gte=start,
        recorded_at__lt=end,
    ).values("resident_id")
    return Resident.objects.filter(
        Q(organisation_id__in=orgs, created_at__gte=start, created_at__lt=end)
        | Q(pk__in=evidence_by_staff)
    )


def _level_reached(level: str) -> Callable[[Project], QuerySet[PassportLevelChange]]:
    def records(project: Project) -> QuerySet[PassportLevelChange]:
        start, end = period(project)
        return PassportLevelChange.objects.filter(
            strand_code=OVERALL,
            to_level=level,
            changed_at__gte=start,
            changed_at__lt=end,
            resident__organisation_id__in=delivery_ids(project),
        )

    return records


def credentials_gained(project: Project) -> QuerySet[IssuedCredential]:
    start, end = period(project)
    return IssuedCredential.objects.filter(
        issued_at__gte=start,
        issued_at__lt=end,
        revoked_at__isnull=True,
        resident__organisation_id__in=delivery_ids(project),
    )


def job_starts(project: Project) -> QuerySet[JobStart]:
    first, last = _days(project)
    return JobStart.objects.filter(
        started_on__gte=first,
        started_on__lte=last,
        resident__organisation_id__in=delivery_ids(project),
    )


def _sustained(weeks: int) -> Callable[[Project], QuerySet[SustainmentCheck]]:
    def records(project: Project) -> QuerySet[SustainmentCheck]:
        first, last = _days(project)
        return SustainmentCheck.objects.filter(
            weeks=weeks,
            outcome=SustainmentOutcome.IN_WORK,
            job_start__started_on__gte=first,
            job_start__started_on__lte=last,
            job_start__resident__organisation_id__in=delivery_ids(project),
        )

    return records


register(
    Measure(
        "residents_supported",
        "Residents supported",
        "Residents registered by a delivery organisation during the project, or with skills "
        "evidence recorded during the project by a member of a delivery organisation's staff.",
        residents_supported,
        "",
        "created_at",
        lambda resident: "Registered or given skills evidence",
    )
)
for _level, _label in (("bronze", "Bronze"), ("silver", "Silver"), ("gold", "Gold")):
    register(
        Measure(
            f"passports_{_level}",
            f"Passports reaching {_label}",
            f"Residents of a delivery organisation whose overall passport level changed to "
            f"{_label} during the project.",
            _level_reached(_level),
            "resident",
            "changed_at",
        )
    )
register(
    Measure(
        "credentials_gained",
        "Credentials gained",
        "Passport credentials issued during the project to residents of a delivery "
        "organisation, and not revoked.",
        credentials_gained,
        "resident",
        "issued_at",
        lambda c: f"{c.strand_code.capitalize()} {c.level.capitalize()} credential",
    )
)
register(
    Measure(
        "job_starts",
        "Job starts",
        "Job starts of residents registered by a delivery organisation, starting during the "
        "project.",
        job_starts,
        "resident",
        "started_on",
    )
)
for _weeks in (13, 26):
    register(
        Measure(
            f"sustained_{_weeks}_weeks",
            f"Jobs sustained {_weeks} weeks",
            f"Job starts counted above whose {_weeks}-week check found the resident still in "
            "work (the check itself may fall after the project ends).",
            _sustained(_weeks),
            "job_start__resident",
            "job_start__started_on",
        )
    )


# --- training and casework ----------------------------------------------------------------------


def training_starts(project: Project) -> QuerySet[Enrolment]:
    start, end = period(project)
    return Enrolment.objects.filter(
        enrolled_at__gte=start,
        enrolled_at__lt=end,
        cohort__course__provider_id__in=delivery_ids(project),
    )


def training_completions(project: Project) -> QuerySet[Enrolment]:
    start, end = period(project)
    return Enrolment.objects.filter(
        status=EnrolmentStatus.COMPLETED,
        outcome_recorded_at__gte=start,
        outcome_recorded_at__lt=end,
        cohort__course__provider_id__in=delivery_ids(project),
    )


def cases_opened(project: Project) -> QuerySet[Case]:
    first, last = _days(project)
    return Case.objects.filter(
        opened_on__gte=first, opened_on__lte=last, organisation_id__in=delivery_ids(project)
    )


def devices_issued(project: Project) -> QuerySet[Device]:
    first, last = _days(project)
    return Device.objects.filter(
        issued_on__gte=first, issued_on__lte=last, hub_id__in=delivery_ids(project)
    )


register(
    Measure(
        "training_starts",
        "Training starts",
        "Learners who took a place on a course run by a delivery organisation during the project.",
        training_starts,
        "resident",
        "enrolled_at",
        lambda e: f"Started {e.cohort}",
        ("cohort__course",),
    )
)
register(
    Measure(
        "training_completions",
        "Training completions",
        "Learners whose completion of a course run by a delivery organisation was recorded "
        "during the project.",
        training_completions,
        "resident",
        "outcome_recorded_at",
        lambda e: f"Completed {e.cohort}",
        ("cohort__course",),
    )
)
register(
    Measure(
        "cases_opened",
        "Residents given employment support",
        "Cases opened during the project by a delivery organisation's employment service.",
        cases_opened,
        "resident",
        "opened_on",
        lambda case: f"Case referred by {case.referring_organisation}",
    )
)
register(
    Measure(
        "devices_issued",
        "Devices and data SIMs issued",
        "Devices lent or gifted and data SIMs issued by a delivery organisation during the "
        "project.",
        devices_issued,
        "case__resident",
        "issued_on",
        lambda device: device.get_kind_display(),
    )
)
