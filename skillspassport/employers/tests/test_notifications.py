"""An employer's contacts are told of a new referral, once, after it commits, without the
resident's name."""

import pytest
from django.core import mail

from skillspassport.background.testing import drain
from skillspassport.employers import services
from skillspassport.employers.tests.conftest import make_resident

pytestmark = pytest.mark.django_db


def test_employer_contacts_are_told_of_a_new_referral(
    opportunity, council, adviser, contact, other_contact, django_capture_on_commit_callbacks
):
    resident = make_resident(council, adviser, digital="gold")
    with django_capture_on_commit_callbacks(execute=True):
        referral = services.referral_create(
            actor=adviser, opportunity=opportunity, resident=resident
        )
    assert mail.outbox == []  # sent by the worker, not in the request
    drain()
    assert [m.to for m in mail.outbox] == [[contact.email]]  # not the other employer's contact
    message = mail.outbox[0]
    assert opportunity.title in message.subject
    assert f"/employers/referrals/{referral.pk}/" in message.body
    assert resident.first_name not in message.body + message.subject
    assert resident.last_name not in message.body + message.subject
    drain()
    assert len(mail.outbox) == 1


def test_no_message_when_the_referral_is_refused(
    opportunity, council, adviser, contact, django_capture_on_commit_callbacks
):
    resident = make_resident(council, adviser, put_forward=False, digital="gold")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(services.EmployerError):
        services.referral_create(actor=adviser, opportunity=opportunity, resident=resident)
    drain()
    assert mail.outbox == []
