"""Monitoring figures and plan reach."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from skillspassport.training import selectors, services
from skillspassport.training.models import Enrolment

from .conftest import mark
from .test_services import running_cohort


def test_starts_and_completions_by_provider_period_and_ward(course, tutor, learners, provider):
    cohort, session = running_cohort(course, tutor, learners)
    enrolment = Enrolment.objects.get(cohort=cohort, resident=learners[0])
    mark(session, enrolment, tutor)
    services.enrolment_complete(actor=tutor, enrolment=enrolment)
    today = timezone.localdate()
    first, last = today - timedelta(days=1), today + timedelta(days=1)
    enrolments = Enrolment.objects
    assert enrolments.started_between(first, last).on_courses_of([provider.pk]).count() == 2
    assert enrolments.completed_between(first, last).on_courses_of([provider.pk]).count() == 1
    assert enrolments.completed_between(first, last).count() == 1
    assert enrolments.started_between(first, last).on_courses_of([provider.pk + 1000]).count() == 0
    assert enrolments.started_between(last, last + timedelta(days=1)).count() == 0


def test_small_counts_are_hidden():
    assert selectors.shown_count(0) == 0
    assert selectors.shown_count(4) == "fewer than 5"
    assert selectors.shown_count(5) == 5
