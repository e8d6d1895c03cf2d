"""Demo training: Sefton Community Learning Service's courses and cohorts.

Everything goes through the services, as staff would do it. A cohort can only be joined before
it starts, so the finished and running cohorts are set up as upcoming, filled, and then moved
to their real (past) dates before their sessions, registers and outcomes are recorded.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from skillspassport.accounts.models import Organisation, User
from skillspassport.people.models import Resident
from skillspassport.skills.models import Descriptor, ScaleStep
from skillspassport.skills.selectors import rule_set_for_organisation
from skillspassport.training import services
from skillspassport.training.models import (
    Cohort,
    Course,
    Enrolment,
    EnrolmentSource,
    EnrolmentStatus,
)

PROVIDER = "Sefton Community Learning Service"
TUTOR = "tutor@sefton.demo"
ADVISER = "adviser@sefton.demo"


def seed(
    *,
    rng: random.Random,
    council: Organisation,
    orgs: dict[str, Organisation],
    users: dict[str, User],
    resident_ids: list[int],
    today: date,
) -> None:
    provider, tutor, adviser = orgs[PROVIDER], users[TUTOR], users[ADVISER]
    framework = rule_set_for_organisation(organisation=provider).framework

    def step(strand: str, code: str) -> ScaleStep:
        return ScaleStep.objects.get(strand__framework=framework, strand__code=strand, code=code)

    def descriptors(strand: str, level: str) -> list[Descriptor]:
        return list(
            Descriptor.objects.filter(
                framework=framework, area__strand__code=strand, level__code=level
            )
        )

    def course(title: str, description: str, level: ScaleStep, taught: list[Descriptor], **kw):
        return services.course_save(
            actor=tutor,
            provider=provider,
            title=title,
            description=description,
            descriptors=taught,
            level=level,
            **kw,
        )

    get_online = course(
        "Get online: first steps",
        "Switching on, staying safe and finding things online, at your own pace.",
        step("digital", "foundation"),
        descriptors("digital", "foundation"),
        delivery_mode="in_person",
        funding_source="asf",
        hours=12,
    )
    maths = course(
        "Everyday maths Entry 3",
        "Money, measures and time for everyday life, towards Functional Skills Entry 3.",
        step("numeracy", "E3"),
        descriptors("numeracy", "E3"),
        delivery_mode="in_person",
        funding_source="asf",
        hours=30,
    )
    for_work = course(
        "Digital skills for work",
        "Email, shared documents, online forms and staying safe at work.",
        step("digital", "work"),
        descriptors("digital", "work")[:8],
        delivery_mode="blended",
        funding_source="ukspf",
        hours=24,
    )
    course(
        "Confident communication",
        "Listening, speaking up and working with others, for everyday life.",
        step("communication", "tier1"),
        descriptors("communication", "tier1")[:6],
        delivery_mode="in_person",
        funding_source="council",
        hours=10,
    )

    residents = list(
        Resident.objects.filter(pk__in=resident_ids).select_related("organisation").order_by("pk")
    )
    own = [r for r in residents if r.organisation_id == provider.pk]
    referred = [r for r in residents if r.organisation_id == council.pk]
    rng.shuffle(own)
    rng.shuffle(referred)

    # Finished and completed: eight learners, six complete, one does not, one withdrew.
    finished = _cohort(get_online, tutor, "Bootle Library", "L20 1AD", today, capacity=10)
    placed = _enrol(finished, tutor, own[:8])
    _move(finished, today - timedelta(weeks=8), today - timedelta(weeks=2))
    sessions = services.sessions_add(
        actor=tutor,
        cohort=finished,
        first_date=finished.start_date,
        start_time=time(10),
        end_time=time(12),
        weeks=6,
    )
    # A small demo (`seed_demo --residents 5`) has fewer learners: each part is played out
    # with whoever there is.
    for enrolment in placed[7:8]:
        services.enrolment_withdraw(actor=tutor, enrolment=enrolment, reason="Started a job")
    for session in sessions:
        services.attendance_record(
            actor=tutor,
            session=session,
            marks={e.pk: rng.choice(["present"] * 8 + ["absent", "excused"]) for e in placed[:7]},
        )
    for enrolment in placed[:6]:
        # Kept only for a learner whose random register falls below the council's threshold.
        services.enrolment_complete(
            actor=tutor, enrolment=enrolment, override_reason="Caught up on the missed sessions"
        )
    for enrolment in placed[6:7]:
        services.enrolment_not_complete(
            actor=tutor,
            enrolment=enrolment,
            reason="Caring responsibilities; will rejoin in spring",
        )

    # Running: nine learners, registers taken for the first sessions only.
    running = _cohort(maths, tutor, "Netherton Activity Centre", "L20 0AH", today, capacity=12)
    placed = _enrol(running, tutor, own[8:14])
    placed += _enrol(running, adviser, referred[:3], source=EnrolmentSource.REFERRAL, by=council)
    _move(running, today - timedelta(weeks=3), today + timedelta(weeks=3))
    sessions = services.sessions_add(
        actor=tutor,
        cohort=running,
        first_date=running.start_date,
        start_time=time(13),
        end_time=time(15),
        weeks=6,
    )
    for session in sessions[:2]:
        services.attendance_record(
            actor=tutor,
            session=session,
            marks={e.pk: rng.choice(["present"] * 6 + ["absent"]) for e in placed},
        )

    # Upcoming and full, with people waiting.
    upcoming = _cohort(
        for_work,
        tutor,
        "Southport Library",
        "PR8 1DJ",
        today + timedelta(weeks=2),
        capacity=8,
        weeks=8,
    )
    _enrol(upcoming, tutor, own[14:20])
    _enrol(upcoming, adviser, referred[3:8], source=EnrolmentSource.REFERRAL, by=council)
    services.sessions_add(
        actor=tutor,
        cohort=upcoming,
        first_date=upcoming.start_date,
        start_time=time(18),
        end_time=time(20, 30),
        weeks=8,
    )


def _cohort(
    course: Course,
    tutor: User,
    venue: str,
    postcode: str,
    start: date,
    *,
    capacity: int,
    weeks: int = 6,
) -> Cohort:
    start = max(start, timezone.localdate() + timedelta(days=1))
    return services.cohort_create(
        actor=tutor,
        course=course,
        venue_name=venue,
        venue_postcode=postcode,
        start_date=start,
        end_date=start + timedelta(weeks=weeks),
        capacity=capacity,
        waiting_list_open=True,
        tutor=tutor,
    )


def _enrol(
    cohort: Cohort,
    actor: User,
    residents: list[Resident],
    *,
    source: str = EnrolmentSource.DIRECT,
    by: Organisation | None = None,
) -> list[Enrolment]:
    made = [
        services.enrolment_create(
            actor=actor, cohort=cohort, resident=r, source=source, referring_organisation=by
        )
        for r in residents
    ]
    return [e for e in made if e.status == EnrolmentStatus.ENROLLED]


def _move(cohort: Cohort, start: date, end: date) -> None:
    """Put a filled cohort on its real dates; its learners joined a week before it started."""
    Cohort.objects.filter(pk=cohort.pk).update(start_date=start, end_date=end)
    cohort.start_date, cohort.end_date = start, end
    joined = timezone.make_aware(datetime.combine(start - timedelta(days=7), time(11)))
    Enrolment.objects.filter(cohort=cohort).update(requested_at=joined)
    Enrolment.objects.filter(cohort=cohort, enrolled_at__isnull=False).update(enrolled_at=joined)
