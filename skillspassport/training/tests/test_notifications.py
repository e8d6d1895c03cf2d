"""A cohort's tutor is told when an adviser refers a learner, after it commits, unnamed."""

import pytest
from django.core import mail

from skillspassport.background.testing import drain
from skillspassport.people.tests.factories import ResidentFactory
from skillspassport.training import services
from skillspassport.training.models import EnrolmentSource

pytestmark = pytest.mark.django_db


def test_the_tutor_is_told_of_a_referral(
    cohort, council, adviser, django_capture_on_commit_callbacks
):
    resident = ResidentFactory(organisation=council, user=adviser)
    with django_capture_on_commit_callbacks(execute=True):
        services.enrolment_create(
            actor=adviser,
            cohort=cohort,
            resident=resident,
            source=EnrolmentSource.REFERRAL,
            referring_organisation=council,
        )
    drain()
    assert [m.to for m in mail.outbox] == [[cohort.tutor.email]]
    message = mail.outbox[0]
    assert cohort.course.title in message.subject
    assert "They have a place." in message.body
    assert f"/training/cohorts/{cohort.pk}/" in message.body
    assert resident.last_name not in message.body


def test_no_message_when_the_tutor_enrols_a_learner_themselves(
    cohort, council, adviser, django_capture_on_commit_callbacks
):
    resident = ResidentFactory(organisation=council, user=adviser)
    with django_capture_on_commit_callbacks(execute=True):
        services.enrolment_create(actor=cohort.tutor, cohort=cohort, resident=resident)
    drain()
    assert mail.outbox == []
