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
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from skillspassport.core.querysets import day_span
from skillspassport.credentials.models import IssuedCredential
from skillspassport.employers.models import JobStart, SustainmentCheck
from skillspassport.people.models import Resident
from skillspassport.skills.models import PassportLevelChange
from skillspassport.support.models import Case, Device
from skillspassport.training.models import Enrolment

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
# What each measure counts is a QuerySet method of the app that owns the records (the same
# methods the monitoring report's KPIs use); a measure here only narrows them to the project's
# delivery organisations and its days.


def delivery_ids(project: Project) -> list[int]:
    """The project's delivery organisations (prefetched on project pages)."""
    return [org.pk for org in project.delivery_organisations.all()]


def period(project: Project) -> tuple[datetime, datetime]:
    """The project's dates as [start of first day, start of the day after the last) locally."""
    return day_span(project.starts_on, project.ends_on)


def _delivery_residents(project: Project) -> QuerySet[Resident, Any]:
    """Residents registered by a delivery organisation."""
    return Resident.objects.registered_by(delivery_ids(project)).values("pk")


# --- the measures -------------------------------------------------------------------------------


def residents_supported(project: Project) -> QuerySet[Resident]:
    return Resident.objects.supported_between(
        project.starts_on, project.ends_on, by=delivery_ids(project)
    )


def _level_reached(level: str) -> Callable[[Project], QuerySet[PassportLevelChange]]:
    def records(project: Project) -> QuerySet[PassportLevelChange]:
        return PassportLevelChange.objects.reached_between(
            level, project.starts_on, project.ends_on
        ).for_residents(_delivery_residents(project))

    return records


def credentials_gained(project: Project) -> QuerySet[IssuedCredential]:
    return IssuedCredential.objects.gained_between(
        project.starts_on, project.ends_on
    ).for_residents(_delivery_residents(project))


def job_starts(project: Project) -> QuerySet[JobStart]:
    return JobStart.objects.started_between(project.starts_on, project.ends_on).for_residents(
        _delivery_residents(project)
    )


def _sustained(weeks: int) -> Callable[[Project], QuerySet[SustainmentCheck]]:
    def records(project: Project) -> QuerySet[SustainmentCheck]:
        return SustainmentCheck.objects.sustained_between(
            weeks, project.starts_on, project.ends_on
        ).for_residents(_delivery_residents(project))

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
            f"Jobs of residents registered by a delivery organisation that reached {_weeks} "
            f"weeks during the project: the {_weeks}-week check, due during the project, found "
            "the resident still in work.",
            _sustained(_weeks),
            "job_start__resident",
            "due_on",
        )
    )


# --- training and casework ----------------------------------------------------------------------


def training_starts(project: Project) -> QuerySet[Enrolment]:
    return Enrolment.objects.started_between(project.starts_on, project.ends_on).on_courses_of(
        delivery_ids(project)
    )


def training_completions(project: Project) -> QuerySet[Enrolment]:
    return Enrolment.objects.completed_between(project.starts_on, project.ends_on).on_courses_of(
        delivery_ids(project)
    )


def cases_opened(project: Project) -> QuerySet[Case]:
    return Case.objects.opened_between(project.starts_on, project.ends_on).of_organisations(
        delivery_ids(project)
    )


def devices_issued(project: Project) -> QuerySet[Device]:
    return Device.objects.issued_between(project.starts_on, project.ends_on).issued_by(
        delivery_ids(project)
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
