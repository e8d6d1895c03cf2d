"""Monitoring figures and plan reach."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from skillspassport.training import selectors, services
from skillspassport.training.models import Enrolment

from .test_services import running_cohort


def test_starts_and_completions_by_provider_period_and_ward(course, tutor, learners, provider):
    cohort, _session = running_cohort(course, tutor, learners)
    services.enrolment_complete(
        actor=tutor, enrolment=Enrolment.objects.get(cohort=cohort, resident=learners[0])
    )
    now = timezone.now()
    start, end = now - timedelta(days=1), now + timedelta(days=1)
    assert selectors.training_starts_count([provider.pk], start, end) == 2
    assert selectors.training_completions_count([provider.pk], start, end) == 1
    assert selectors.training_completions_count(None, start, end) == 1
    assert selectors.training_starts_count([provider.pk + 1000], start, end) == 0
    assert selectors.training_starts_count([provider.pk], end, end + timedelta(days=1)) == 0
    assert selectors.training_starts_count([provider.pk], start, end, ["E05000942"]) == 2
    assert selectors.training_completions_count([provider.pk], start, end, ["E05000937"]) == 0


def test_small_counts_are_hidden():
    assert selectors.shown_count(0) == 0
    assert selectors.shown_count(4) == "fewer than 5"
    assert selectors.shown_count(5) == 5
