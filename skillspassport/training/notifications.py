"""What tutors are told, by email after the change commits. No learner is named."""

from __future__ import annotations

from django.urls import reverse

from skillspassport.background.services import absolute_url, notify
from skillspassport.training.models import Enrolment, EnrolmentStatus


def learner_referred(enrolment: Enrolment) -> None:
    cohort = enrolment.cohort
    tutor = cohort.tutor
    if not tutor.is_active or not tutor.email:
        return
    place = (
        "They have a place."
        if enrolment.status == EnrolmentStatus.ENROLLED
        else f"The course is full, so they are number {enrolment.waiting_position} on the "
        "waiting list."
    )
    link = absolute_url(reverse("training:cohort", args=[cohort.pk]))
    notify(
        kind="training.learner_referred",
        to=tutor.email,
        council=cohort.course.provider.scheme_council,
        subject=f"A learner has been referred to {cohort.course.title}",
        body=(
            f"{enrolment.referring_organisation or 'An adviser'} has referred a learner to "
            f"{cohort.course.title} starting {cohort.start_date:%-d %B %Y} at "
            f"{cohort.venue_name}. {place}\n\nSign in to see the cohort:\n{link}"
        ),
    )
