"""Writes about courses, cohorts and their sessions."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from skillspassport.accounts.models import Organisation, User
from skillspassport.areas.postcodes import normalise_postcode
from skillspassport.areas.selectors import areas_for_postcode
from skillspassport.skills.models import Descriptor, ScaleStep
from skillspassport.targeting.models import TargetingPlan
from skillspassport.training.models import Cohort, Course, Session
from skillspassport.training.services.errors import TrainingError

MAX_WEEKS = 52
# A cohort may be recorded after it ran, but not one from before anyone kept these records,
# nor one planned so far ahead that the date is surely a typing slip.
EARLIEST_YEARS_AGO = 5
LATEST_YEARS_AHEAD = 3


def _years_from(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def cohort_dates_problem(start_date: date, end_date: date) -> tuple[str, str] | None:
    """(field, message) for dates that cannot be a real run of a course: the end before the
    start, a start more than EARLIEST_YEARS_AGO years ago or an end more than
    LATEST_YEARS_AHEAD years ahead. None when the dates are fine."""
    today = timezone.localdate()
    if end_date < start_date:
        return "end_date", "The end date must be on or after the start date."
    earliest = _years_from(today, -EARLIEST_YEARS_AGO)
    if start_date < earliest:
        return "start_date", (
            f"The start date must be within the last {EARLIEST_YEARS_AGO} years "
            f"(on or after {earliest:%-d %B %Y})."
        )
    latest = _years_from(today, LATEST_YEARS_AHEAD)
    if end_date > latest:
        return "end_date", (
            f"The end date must be within {LATEST_YEARS_AHEAD} years from today "
            f"(on or before {latest:%-d %B %Y})."
        )
    return None


def check_cohort_dates(start_date: date, end_date: date) -> None:
    problem = cohort_dates_problem(start_date, end_date)
    if problem is not None:
        raise TrainingError(problem[1])


# --- Courses and cohorts ------------------------------------------------------------------


@transaction.atomic
def course_save(
    *,
    actor: User,
    provider: Organisation,
    title: str,
    description: str,
    descriptors: Iterable[Descriptor],
    level: ScaleStep,
    delivery_mode: str,
    funding_source: str,
    hours: int,
    course: Course | None = None,
) -> Course:
    """Create a course (or change `course`); the title is unique within the provider."""
    descriptors = list(descriptors)
    if not descriptors:
        raise TrainingError("Choose at least one skill the course teaches.")
    clash = Course.objects.filter(provider=provider, title__iexact=title.strip())
    if course is not None:
        clash = clash.exclude(pk=course.pk)
    if clash.exists():
        raise TrainingError(f"{provider} already has a course called “{title.strip()}”.")
    if course is None:
        course = Course(provider=provider, created_by=actor)
    course.title = title.strip()
    course.description = description.strip()
    course.level = level
    course.delivery_mode = delivery_mode
    course.funding_source = funding_source
    course.hours = hours
    course.save()
    course.descriptors.set(descriptors)
    return course


@transaction.atomic
def cohort_create(
    *,
    actor: User,
    course: Course,
    venue_name: str,
    venue_postcode: str,
    start_date: date,
    end_date: date,
    capacity: int,
    waiting_list_open: bool,
    tutor: User,
    targeting_plan: TargetingPlan | None = None,
) -> Cohort:
    check_cohort_dates(start_date, end_date)
    postcode = normalise_postcode(venue_postcode) or venue_postcode.strip().upper()
    areas = areas_for_postcode(postcode)
    return Cohort.objects.create(
        course=course,
        venue_name=venue_name.strip(),
        venue_postcode=postcode,
        lsoa_id=areas.lsoa_code,
        ward_id=areas.ward_code,
        start_date=start_date,
        end_date=end_date,
        capacity=capacity,
        waiting_list_open=waiting_list_open,
        tutor=tutor,
        targeting_plan=targeting_plan,
        created_by=actor,
    )


def _aware(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


@transaction.atomic
def sessions_add(
    *,
    actor: User,
    cohort: Cohort,
    first_date: date,
    start_time: time,
    end_time: time,
    weeks: int = 1,
) -> list[Session]:
    """Add one session, or one a week for `weeks` weeks, inside the cohort's dates. Sessions
    may be added at any time, before, during or after the course (to record what happened)."""
    if cohort.is_cancelled:
        raise TrainingError("This cohort was cancelled, so sessions cannot be added to it.")
    if end_time <= start_time:
        raise TrainingError("The session must end after it starts.")
    if not 1 <= weeks <= MAX_WEEKS:
        raise TrainingError(f"Number of weeks must be between 1 and {MAX_WEEKS}.")
    days = [first_date + timedelta(weeks=n) for n in range(weeks)]
    if days[0] < cohort.start_date or days[-1] > cohort.end_date:
        raise TrainingError(
            f"Sessions must fall between the cohort's start ({cohort.start_date:%-d %B %Y}) "
            f"and end ({cohort.end_date:%-d %B %Y})."
        )
    starts = [_aware(d, start_time) for d in days]
    taken = set(
        Session.objects.filter(cohort=cohort, starts_at__in=starts).values_list(
            "starts_at", flat=True
        )
    )
    if taken:
        first = timezone.localtime(min(taken))
        raise TrainingError(f"There is already a session at {first:%H:%M on %-d %B %Y}.")
    return Session.objects.bulk_create(
        Session(cohort=cohort, starts_at=s, ends_at=_aware(d, end_time))
        for s, d in zip(starts, days, strict=True)
    )
